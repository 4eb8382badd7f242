"""A test hook: pause inside a write transaction at a named point, so a fault test can kill the process there.

Only when the environment variable ``SEIMBANG_TEST_PAUSE_AT`` names the point (e.g. ``decision.write``) does
:func:`pause` do anything: it creates the file named by ``SEIMBANG_TEST_PAUSE_FILE`` (so the test knows the
transaction is open and half written) and then sleeps for ``SEIMBANG_TEST_PAUSE_SECONDS`` (default 60), holding
the transaction open. Never set these variables in production; tests/test_service_faults.py uses them to kill the
server with SIGKILL inside a decision write deterministically.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_AT = "SEIMBANG_TEST_PAUSE_AT"
PAUSE_FILE = "SEIMBANG_TEST_PAUSE_FILE"
PAUSE_SECONDS = "SEIMBANG_TEST_PAUSE_SECONDS"


def pause(point: str) -> None:
    """Pause at ``point`` when the test hook names it; a no-op otherwise (one environment lookup)."""
    if os.environ.get(PAUSE_AT) != point:
        return
    marker = os.environ.get(PAUSE_FILE)
    if marker:
        Path(marker).write_text(point, encoding="utf-8")
    time.sleep(float(os.environ.get(PAUSE_SECONDS, "60")))
