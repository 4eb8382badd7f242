#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtualenv, and use it from a directory that is not the checkout:
# the shipped rule packs, scenarios and example dataset must be found as package data.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip wheel -q --no-deps -w "$work/dist" "$repo"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/dist/seimbang-*.whl
cp -r "$repo/datasets/sawahlunto" "$work/data"
cd "$work"
export SEIMBANG_LANG=en
bin="$work/venv/bin"
"$bin/seimbang" rules check
"$bin/seimbang" screen data --need PKM-TALAWI.BIDAN --top 3
"$bin/python" - <<'PY'
from pathlib import Path
import decision_support as ds
for name in ("rules", "scenarios", "datasets"):
    path = ds.shipped_path(name)
    assert "site-packages" in str(path) and path.is_dir(), path
assert ds.rule_pack_schema_path().is_file()
print("shipped:", ds.shipped_path("rules"))
PY
echo "wheel smoke test passed"
