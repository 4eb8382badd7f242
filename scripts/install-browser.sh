#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver from Debian for the browser layout test of the HTML report
# (tests/test_report_html_browser.py). Idempotent: does nothing when both are present already.
# Needs root (CI runs as root); prints what it does so a CI log shows where the browser came from.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver && -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then
  echo "install-browser: chromium, chromedriver and DejaVu fonts already present"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-browser: need root to apt-get install chromium chromium-driver" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# fonts-dejavu-core: the report's charts are laid out with DejaVu Sans metrics (Matplotlib's font).
apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
/usr/bin/chromium --version
