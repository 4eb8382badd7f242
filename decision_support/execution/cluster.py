"""The Dask executor: jobs run on the workers of a ``dask.distributed`` scheduler.

``distributed`` is imported only here and only when a Dask executor is made, so the local executors work
without it installed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import Any, TypeVar

from ..errors import ExitCode
from ..i18n import _, current_language
from .base import (
    IN_FLIGHT_PER_WORKER,
    Describe,
    Executor,
    ExecutorUnavailable,
    Failure,
    JobFailed,
    Setup,
    describe_item,
    run_job,
    unwrap,
)

T = TypeVar("T")
R = TypeVar("R")

#: Seconds to wait for the scheduler to answer and for its first worker.
DASK_TIMEOUT = 10.0


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ExecutorUnavailable(
            _("the Dask executor needs the 'distributed' package: pip install 'seimbang[dask]'")
        ) from None
    return distributed


class DaskExecutor(Executor):
    """Jobs on the workers of the scheduler at ``address`` (``tcp://HOST:PORT``), or of an existing ``client``.

    ``setup`` runs once in each worker process before its first seimbang job. :meth:`close` disconnects (and
    leaves the cluster running); a client passed in is left open for its owner.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        setup: Setup | None = None,
        timeout: float = DASK_TIMEOUT,
        client: Any = None,
        name: str | None = None,
    ) -> None:
        distributed = _distributed()
        self.setup = setup
        self._owned = client is None
        shown = name or address or "dask"
        if client is None:
            if address is None:
                raise ValueError("give the scheduler address or a client")
            client = _connect(distributed, address, timeout, shown)
        self.client = client
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError):
            self.close()
            raise ExecutorUnavailable(
                _(
                    "the Dask scheduler at {address} has no workers (waited {seconds:g} s); start some with "
                    "'dask worker {scheduler}'"
                ).format(address=shown, seconds=timeout, scheduler=client.scheduler.address)
            ) from None
        self.workers = max(1, sum(client.nthreads().values()))
        self.description = shown

    def imap(
        self,
        fn: Callable[[Any, T], R],
        items: Iterable[T],
        *,
        shared: Any = None,
        describe: Describe | None = None,
    ) -> Generator[R, None, None]:
        # One future for the whole object (scattering a tuple or dict directly would scatter its items).
        shipped = self.client.scatter([shared], broadcast=True, hash=False)[0] if shared is not None else None
        pending: deque[tuple[int, T, Any]] = deque()
        window = self.workers * IN_FLIGHT_PER_WORKER
        lang = current_language()
        try:
            for index, item in enumerate(items):
                pending.append(
                    (index, item, self.client.submit(run_job, self.setup, fn, shipped, item, lang, pure=False))
                )
                if len(pending) >= window:
                    yield self._take(pending, describe)
            while pending:
                yield self._take(pending, describe)
        finally:
            if pending:
                self.client.cancel([future for _i, _item, future in pending])
            pending.clear()
            if shipped is not None:
                shipped.release()

    def _take(self, pending: deque[tuple[int, Any, Any]], describe: Describe | None) -> Any:
        index, item, future = pending.popleft()
        job = describe_item(describe, index, item)
        try:
            outcome = future.result()
        except Exception as exc:  # a worker died, or the connection to the scheduler was lost
            lost = _("the Dask cluster could not run it: {error}").format(error=f"{type(exc).__name__}: {exc}")
            raise JobFailed(job, Failure(lost, int(ExitCode.INTERNAL_ERROR), repr(exc), True)) from None
        finally:
            future.release()
        return unwrap(outcome, job)

    def close(self) -> None:
        if self._owned and getattr(self, "client", None) is not None:
            self.client.close()
            self.client = None


def _connect(distributed: Any, address: str, timeout: float, shown: str) -> Any:
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ExecutorUnavailable(
            _(
                "cannot reach the Dask scheduler at {address} within {seconds:g} s ({error}). Start one with "
                "'dask scheduler' and 'dask worker tcp://HOST:8786', or check the address."
            ).format(address=shown, seconds=timeout, error=type(exc).__name__)
        ) from None
