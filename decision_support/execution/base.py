"""The executor protocol, the job wrapper every worker runs, and how a failed job is reported."""

from __future__ import annotations

import hashlib
import pickle
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from ..errors import ExitCode, SeimbangError
from ..i18n import _, language

T = TypeVar("T")
R = TypeVar("R")

#: Called after each finished item with (finished, total), in the order of the items.
Progress = Callable[[int, int], None]
#: Run once in each worker process before its first job (e.g. load the plugins); must be picklable.
Setup = Callable[[], object]
#: Names an item for messages ("replication 7").
Describe = Callable[[Any], str]

#: Jobs in flight per worker: enough to keep every worker busy, few enough that results stream (memory stays
#: flat in the number of items).
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class Failure:
    """What went wrong in a job, in picklable form (an exception may not survive the trip back)."""

    error: str
    exit_code: int
    detail: str
    user_error: bool

    @classmethod
    def of(cls, exc: Exception) -> Failure:
        detail = "".join(traceback.format_exception(exc))
        if isinstance(exc, SeimbangError):
            return cls(str(exc), int(exc.exit_code), detail, True)
        summary = "".join(traceback.format_exception_only(exc)).strip()
        return cls(summary, int(ExitCode.INTERNAL_ERROR), detail, False)


class JobFailed(SeimbangError):
    """A job raised: the message names the job; ``detail`` holds the worker's traceback (for ``--debug``)."""

    def __init__(self, job: str, failure: Failure) -> None:
        self.job = job
        self.failure = failure
        self.detail = failure.detail
        self.exit_code = ExitCode(failure.exit_code)
        if failure.user_error:
            message = _("{job}: {error}").format(job=job, error=failure.error)
        else:
            message = _("{job} failed with an internal error (a bug in seimbang, not in your data): {error}").format(
                job=job, error=failure.error
            )
        super().__init__(message)


_done_setups: set[bytes] = set()
_unpacked: dict[str, Any] = {}
#: Shared objects a worker keeps unpickled (a sweep alternates between few plans).
UNPACKED_KEPT = 4


@dataclass(frozen=True)
class Packed:
    """``shared`` pickled once on the host; a worker unpickles it once and keeps it for the following jobs."""

    token: str
    blob: bytes

    @classmethod
    def of(cls, value: Any) -> Packed:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(hashlib.sha256(blob).hexdigest(), blob)

    def unpack(self) -> Any:
        if self.token not in _unpacked:
            while len(_unpacked) >= UNPACKED_KEPT:
                del _unpacked[next(iter(_unpacked))]
            _unpacked[self.token] = pickle.loads(self.blob)
        return _unpacked[self.token]


def run_job(
    setup: Setup | None, fn: Callable[[Any, T], R], shared: Any, item: T, lang: str | None = None
) -> tuple[bool, Any]:
    """In a worker: run ``setup`` once per process, then ``fn(shared, item)`` in the host's language ``lang``
    (per job: Dask runs jobs on threads, which do not share a context); (True, result) or (False, Failure)."""
    with language(lang):
        return _run(setup, fn, shared, item)


def _run(setup: Setup | None, fn: Callable[[Any, T], R], shared: Any, item: T) -> tuple[bool, Any]:
    try:
        if setup is not None:
            key = pickle.dumps(setup)
            if key not in _done_setups:
                setup()
                _done_setups.add(key)
        if isinstance(shared, Packed):
            shared = shared.unpack()
        return True, fn(shared, item)
    except Exception as exc:  # reported to the host as a located JobFailed, never lost
        return False, Failure.of(exc)


def unwrap(outcome: tuple[bool, Any], job: str) -> Any:
    """The job's result, or :class:`JobFailed`."""
    ok, value = outcome
    if not ok:
        raise JobFailed(job, value)
    return value


def default_describe(index: int) -> str:
    return _("job {number}").format(number=index + 1)


class Executor(ABC):
    """Runs ``fn(shared, item)`` for each item; results come back in the order of the items."""

    #: How many jobs run at once.
    workers: int = 1
    #: Where the jobs run, for messages and reports ("2 local processes", "dask://10.0.0.5:8786").
    description: str = ""

    @abstractmethod
    def imap(
        self,
        fn: Callable[[Any, T], R],
        items: Iterable[T],
        *,
        shared: Any = None,
        describe: Describe | None = None,
    ) -> Generator[R, None, None]:
        """Yield ``fn(shared, item)`` item by item, in order, with a bounded number of jobs in flight.

        Raises :class:`JobFailed` for the first item (in order) whose job raised; the jobs after it are cancelled.
        """

    def map(
        self,
        fn: Callable[[Any, T], R],
        items: Iterable[T],
        *,
        shared: Any = None,
        progress: Progress | None = None,
        describe: Describe | None = None,
    ) -> list[R]:
        """The results of :meth:`imap` as a list, calling ``progress(done, total)`` after each."""
        items = list(items)
        results = []
        for done, result in enumerate(self.imap(fn, items, shared=shared, describe=describe), start=1):
            results.append(result)
            if progress is not None:
                progress(done, len(items))
        return results

    @abstractmethod
    def close(self) -> None:
        """Release the workers (idempotent)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def describe_item(describe: Describe | None, index: int, item: Any) -> str:
    return describe(item) if describe is not None else default_describe(index)


class ExecutorUnavailable(SeimbangError):
    """The executor cannot run jobs: the scheduler is unreachable, has no workers, or its library is missing."""

    exit_code = ExitCode.INVALID_INPUT
