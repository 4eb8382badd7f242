"""A progress indication on stderr for commands that can run long (check, plan, screen --all-needs, rules diff).

It never writes to stdout, so tables and JSON stay clean, and it stays silent on short runs:

- on a terminal, a single line (phase, rows done, elapsed seconds) redrawn in place once the run has taken a
  second, and erased when the work is done;
- elsewhere (a log file, a pipe, a test) nothing, unless ``SEIMBANG_PROGRESS=1`` asks for it: then one plain
  line per phase once the run has taken more than ``delay`` seconds, and at most one every ``every`` seconds.

A background thread redraws the line so that a phase without counts (screening, planning) still shows that
the program works. Tests drive :meth:`Progress.tick` directly with a fake clock.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from .i18n import _


class Progress:
    """What is being done, how far, since when; written by :meth:`tick`."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        terminal: bool | None = None,
        delay: float = 2.0,
        every: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.enabled = self.terminal or os.environ.get("SEIMBANG_PROGRESS") == "1"
        self.delay = 1.0 if self.terminal else delay
        self.every = every
        self.clock = clock
        self.started = clock()
        self.label = ""
        self.done: int | None = None
        self.total: int | None = None
        self.shown = False  # something is on the terminal line
        self.last_line: tuple[str, float] | None = None  # (label, time) of the last plain line
        self.lock = threading.Lock()

    def phase(self, label: str) -> None:
        with self.lock:
            self.label, self.done, self.total = label, None, None

    def update(self, done: int, total: int | None = None) -> None:
        """Counts within the current phase (e.g. rows read); cheap enough to call per row."""
        self.done, self.total = done, total

    def text(self) -> str:
        seconds = int(self.clock() - self.started)
        if self.done is not None and self.total:
            return _("{label}: {done} of {total} ({seconds} s)").format(
                label=self.label, done=self.done, total=self.total, seconds=seconds
            )
        if self.done is not None:
            return _("{label}: {done} ({seconds} s)").format(label=self.label, done=self.done, seconds=seconds)
        return _("{label}... ({seconds} s)").format(label=self.label, seconds=seconds)

    def tick(self) -> None:
        """Show the state if it is time to."""
        with self.lock:
            now = self.clock()
            if not self.enabled or not self.label or now - self.started < self.delay:
                return
            if self.terminal:
                self.stream.write("\r\033[K" + self.text())
                self.shown = True
            elif self.last_line is None or self.last_line[0] != self.label or now - self.last_line[1] >= self.every:
                self.stream.write(self.text() + "\n")
                self.last_line = (self.label, now)
            self.stream.flush()

    def close(self) -> None:
        with self.lock:
            if self.shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self.shown = False


@contextmanager
def progress(label: str, *, interval: float = 0.25) -> Iterator[Progress]:
    """A :class:`Progress` on stderr, redrawn every ``interval`` seconds until the block ends."""
    shown = Progress()
    shown.phase(label)
    stop = threading.Event()

    def redraw() -> None:
        while not stop.wait(interval):
            shown.tick()

    if hasattr(os, "register_at_fork"):
        # Worker processes forked while the line is being written would inherit a held stderr lock:
        # forking waits for the write to finish, and the child starts with the lock free.
        os.register_at_fork(
            before=shown.lock.acquire, after_in_parent=shown.lock.release, after_in_child=shown.lock.release
        )
    thread = threading.Thread(target=redraw, name="seimbang-progress", daemon=True)
    thread.start()
    try:
        yield shown
    finally:
        stop.set()
        thread.join()
        shown.close()
