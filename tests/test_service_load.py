"""The load benchmark (benchmarks/service_load.py) in a short version: a real ``seimbang serve`` on SQLite, a few
concurrent clients for a second of screening, explanations, drafts, reads and edits (with an intended 409 each).
No error response, no acknowledged draft lost or duplicated in the records database, the audit trail verifies.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "service_load.py"


def test_short_load_loses_and_duplicates_nothing() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--clients", "3", "--duration", "1", "--baseline", "0"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "RESULT: OK: errors 0, lost 0, duplicated 0, audit intact" in out
    conflicts = re.search(r"error responses: 0; intended 409 \(stale version\): (\d+)", out)
    assert conflicts and int(conflicts.group(1)) >= 3, out  # every client finished at least one session
    assert "lost 0, duplicated 0, stored but unacknowledged 0" in out
    assert "seimbang audit verify: exit 0" in out
