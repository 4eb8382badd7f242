<?php
// SIMPEG example page: who could fill this post (screening), why not this person (explain), and a draft
// proposal for one candidate, through the seimbang HTTP service. See README.md in this folder.

declare(strict_types=1);

require __DIR__ . '/seimbang_client.php';

function e(mixed $value): string
{
    return htmlspecialchars((string) $value, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}

/** The problem details of the service as the page shows them: title, detail and every located problem. */
function show_problem(SeimbangProblem $problem): string
{
    $p = $problem->problem;
    $html = '<div class="problem" role="alert"><strong>' . e($p['title'] ?? 'Kesalahan') . '</strong>';
    if (isset($p['detail'])) {
        $html .= '<p>' . e($p['detail']) . '</p>';
    }
    $items = array_map(fn ($x) => '<li>' . e($x['text'] ?? $x['message'] ?? '') . '</li>', $p['problems'] ?? []);
    return $html . ($items ? '<ul>' . implode('', $items) . '</ul>' : '') . '</div>';
}

function url(array $query): string
{
    return 'index.php?' . http_build_query($query);
}

$language = str_starts_with(strtolower($_SERVER['HTTP_ACCEPT_LANGUAGE'] ?? 'id'), 'en') ? 'en' : 'id';
$position = trim((string) ($_REQUEST['position'] ?? 'LOKET-DUKCAPIL.OPERATOR-DUKCAPIL'));
$nip = trim((string) ($_GET['nip'] ?? ''));
$sections = [];

try {
    $service = SeimbangClient::fromEnvironment($language);

    if ($_SERVER['REQUEST_METHOD'] === 'POST' && ($_POST['action'] ?? '') === 'draft') {
        $move = ['nip' => (string) $_POST['nip'], 'to' => $position];
        try {
            $proposal = $service->post('/proposals', [
                'title' => (string) ($_POST['title'] ?? '') ?: 'Usulan mutasi ' . $move['nip'],
                'moves' => [$move],
                'notes' => 'Dibuat dari halaman SIMPEG',
            ]);
            $sections[] = '<div class="created">Usulan <strong>#' . e($proposal['id']) . '</strong> "'
                . e($proposal['title']) . '" tersimpan sebagai ' . e($proposal['state']) . ', versi '
                . e($proposal['version']) . '.</div>';
        } catch (SeimbangProblem $problem) {
            $sections[] = show_problem($problem);
        }
    }

    try {
        $screening = $service->post('/screening', ['positions' => [$position], 'top' => 10]);
        foreach ($screening['needs'] as $need) {
            $n = $need['need'];
            $rows = '';
            foreach ($need['eligible'] as $rank => $candidate) {
                $rows .= '<tr><td>' . ($rank + 1) . '</td><td>' . e($candidate['nip']) . '</td><td>'
                    . e($candidate['name']) . '</td><td>' . e($candidate['origin']) . '</td><td>'
                    . e(number_format((float) $candidate['score'], 1, ',', '.')) . '</td><td>'
                    . '<a href="' . e(url(['position' => $position, 'nip' => $candidate['nip']])) . '">Penjelasan</a>'
                    . '<form method="post" action="' . e(url(['position' => $position])) . '">'
                    . '<input type="hidden" name="action" value="draft">'
                    . '<input type="hidden" name="nip" value="' . e($candidate['nip']) . '">'
                    . '<input type="hidden" name="position" value="' . e($position) . '">'
                    . '<button type="submit">Usulkan</button></form></td></tr>';
            }
            $sections[] = '<section class="screening"><h2>' . e($n['position']) . ' &mdash; ' . e($n['position_name'])
                . '</h2><p>' . e($n['unit']) . ': kekurangan ' . e($n['gap']) . ' orang; ' . count($need['eligible'])
                . ' calon memenuhi syarat ditampilkan.</p><table><thead><tr><th>#</th><th>NIP</th><th>Nama</th>'
                . '<th>Unit asal</th><th>Skor</th><th></th></tr></thead><tbody>' . $rows . '</tbody></table></section>';
        }
    } catch (SeimbangProblem $problem) {
        $sections[] = show_problem($problem);
    }

    if ($nip !== '') {
        try {
            $why = $service->post('/explain', ['nip' => $nip, 'to' => $position]);
            $rows = '';
            foreach ($why['decision']['results'] as $result) {
                $rows .= '<tr class="' . e($result['outcome']) . '"><td>' . e($result['rule']) . '</td><td>'
                    . e($result['outcome']) . '</td><td>' . e($result['reason'] ?? '') . '</td><td>'
                    . e($result['legal_basis']) . '</td></tr>';
            }
            $sections[] = '<section class="explanation"><h2>Penjelasan: ' . e($why['nip']) . ' (' . e($why['name'])
                . ')</h2><p>Sekarang di ' . e($why['origin']) . ', dipertimbangkan untuk ' . e($why['target'])
                . '. Putusan: <strong class="verdict">' . e($why['decision']['verdict']) . '</strong>, skor '
                . e(number_format((float) $why['decision']['score'], 1, ',', '.')) . '.</p>'
                . '<table><thead><tr><th>Aturan</th><th>Hasil</th><th>Alasan</th><th>Dasar hukum</th></tr></thead>'
                . '<tbody>' . $rows . '</tbody></table></section>';
        } catch (SeimbangProblem $problem) {
            $sections[] = show_problem($problem);
        }
    }
} catch (SeimbangProblem $problem) {
    $sections[] = show_problem($problem);
}
?>
<!DOCTYPE html>
<html lang="<?= e($language) ?>">
<head>
<meta charset="utf-8">
<title>SIMPEG &mdash; penyaringan calon mutasi</title>
<style>
body { font-family: sans-serif; margin: 2rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
.problem { border: 2px solid #b00; padding: .5rem 1rem; margin: 1rem 0; } .created { border: 2px solid #080; padding: .5rem 1rem; }
tr.fail td { background: #fdd; } td form { display: inline; margin-left: .5rem; }
</style>
</head>
<body>
<h1>Penyaringan calon mutasi</h1>
<form method="get" action="index.php">
<label>Jabatan (kode unit.jabatan): <input name="position" size="45" value="<?= e($position) ?>"></label>
<button type="submit">Saring</button>
</form>
<?= implode("\n", $sections) ?>
</body>
</html>
