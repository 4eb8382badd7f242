#!/usr/bin/env bash
# Installs the PHP CLI and its curl extension from Debian for the SIMPEG PHP example
# (docs/examples/simpeg-php/, tested by tests/test_php_example.py). Idempotent: does nothing when both are present.
# Needs root (CI runs as root); prints what it does so a CI log shows where PHP came from.
set -euo pipefail
if command -v php >/dev/null 2>&1 && php -r 'exit(function_exists("curl_init") ? 0 : 1);'; then
  echo "install-php: $(php -r 'echo PHP_VERSION;') with the curl extension already present"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-php: need root to apt-get install php-cli php-curl" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends php-cli php-curl
php --version
