"""Executors on this machine: serial (in this process) and a pool of worker processes."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..errors import ExitCode
from ..i18n import _, current_language, ngettext
from .base import (
    IN_FLIGHT_PER_WORKER,
    Describe,
    Executor,
    Failure,
    JobFailed,
    Packed,
    Setup,
    describe_item,
    run_job,
    unwrap,
)

T = TypeVar("T")
R = TypeVar("R")


class SerialExecutor(Executor):
    """Every job in this process, one after another (the host is already set up: no ``setup`` here)."""

    def __init__(self) -> None:
        self.workers = 1
        self.description = _("this process")

    def imap(
        self,
        fn: Callable[[Any, T], R],
        items: Iterable[T],
        *,
        shared: Any = None,
        describe: Describe | None = None,
    ) -> Generator[R, None, None]:
        for index, item in enumerate(items):
            yield unwrap(run_job(None, fn, shared, item, current_language()), describe_item(describe, index, item))

    def close(self) -> None:
        """Nothing to release."""


class ProcessExecutor(Executor):
    """A pool of ``workers`` local processes, started on first use and kept until :meth:`close`.

    ``start_method`` is the multiprocessing start method (default: the platform's); ``setup`` runs once in each
    worker before its first job.
    """

    def __init__(self, workers: int, *, setup: Setup | None = None, start_method: str | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers!r}")
        self.workers = workers
        self.setup = setup
        self.start_method = start_method
        self.description = ngettext("{n} local process", "{n} local processes", workers).format(n=workers)
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context(self.start_method) if self.start_method else None
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._pool

    def imap(
        self,
        fn: Callable[[Any, T], R],
        items: Iterable[T],
        *,
        shared: Any = None,
        describe: Describe | None = None,
    ) -> Generator[R, None, None]:
        pool = self._get_pool()
        packed = Packed.of(shared)
        pending: deque[tuple[int, T, Future]] = deque()
        source = enumerate(items)
        window = self.workers * IN_FLIGHT_PER_WORKER
        lang = current_language()
        try:
            for index, item in source:
                pending.append((index, item, pool.submit(run_job, self.setup, fn, packed, item, lang)))
                if len(pending) >= window:
                    yield self._take(pending, describe)
            while pending:
                yield self._take(pending, describe)
        finally:
            for _index, _item, future in pending:
                future.cancel()

    def _take(self, pending: deque[tuple[int, Any, Future]], describe: Describe | None) -> Any:
        index, item, future = pending.popleft()
        job = describe_item(describe, index, item)
        try:
            outcome = future.result()
        except BrokenProcessPool as exc:
            self.close()
            died = _("a worker process stopped unexpectedly (out of memory, or killed)")
            raise JobFailed(job, Failure(died, int(ExitCode.INTERNAL_ERROR), repr(exc), True)) from None
        return unwrap(outcome, job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
