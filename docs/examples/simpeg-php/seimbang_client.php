<?php
// A minimal client of the seimbang HTTP service (docs/http-api.md) for a SIMPEG page: PHP 8 with the curl
// extension, no framework. The token comes from the environment (SEIMBANG_TOKEN), never from the page.

declare(strict_types=1);

final class SeimbangProblem extends RuntimeException
{
    /** @param array<string, mixed> $problem RFC 9457 problem details as the service sent them */
    public function __construct(public readonly array $problem)
    {
        parent::__construct((string) ($problem['title'] ?? 'error'));
    }
}

final class SeimbangClient
{
    public function __construct(
        private readonly string $baseUrl,
        private readonly string $token,
        private readonly string $language = 'id',
    ) {
    }

    public static function fromEnvironment(string $language): self
    {
        $token = getenv('SEIMBANG_TOKEN');
        if ($token === false || $token === '') {
            throw new SeimbangProblem([
                'title' => 'SEIMBANG_TOKEN belum diatur',
                'detail' => 'Buat token dengan "seimbang tokens create NAMA --role planner" dan jalankan halaman ini '
                    . 'dengan variabel lingkungan SEIMBANG_TOKEN.',
            ]);
        }
        $base = getenv('SEIMBANG_URL') ?: 'http://127.0.0.1:8000';
        return new self(rtrim($base, '/') . '/api/v1', $token, $language);
    }

    /** @return array<mixed> */
    public function get(string $path): array
    {
        return $this->call('GET', $path, null);
    }

    /** @param array<string, mixed> $body @return array<mixed> */
    public function post(string $path, array $body): array
    {
        return $this->call('POST', $path, $body);
    }

    /** @param array<string, mixed>|null $body @return array<mixed> */
    private function call(string $method, string $path, ?array $body): array
    {
        $curl = curl_init($this->baseUrl . $path);
        $headers = [
            'Authorization: Bearer ' . $this->token,
            'Accept: application/json',
            'Accept-Language: ' . $this->language,
        ];
        $options = [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 300];
        if ($body !== null) {
            $headers[] = 'Content-Type: application/json';
            $options[CURLOPT_POSTFIELDS] = json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE);
        }
        $options[CURLOPT_HTTPHEADER] = $headers;
        curl_setopt_array($curl, $options);
        $text = curl_exec($curl);
        $status = curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        $error = curl_error($curl);
        curl_close($curl);
        if ($text === false) {
            throw new SeimbangProblem([
                'title' => 'Layanan seimbang tidak dapat dihubungi',
                'detail' => $this->baseUrl . ': ' . $error,
            ]);
        }
        $data = json_decode((string) $text, true);
        if ($status >= 400 || !is_array($data)) {
            // Every error of the service is problem details; anything else is shown as it came.
            throw new SeimbangProblem(is_array($data) ? $data : ['title' => "HTTP $status", 'detail' => (string) $text]);
        }
        return $data;
    }
}
