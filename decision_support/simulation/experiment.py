"""Run the replications, in parallel worker processes when asked, with results independent of the worker count.

Each replication is seeded by its index only (:mod:`.streams`), computed whole in one process, and collected
into its slot by index; nothing depends on which worker ran it or when it finished.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from .plan import ExperimentPlan
from .replication import Results, run_replication

#: Called after each finished replication with (finished, total).
Progress = Callable[[int, int], None]

_PLAN: ExperimentPlan | None = None


def _init_worker(plan: ExperimentPlan) -> None:
    global _PLAN
    _PLAN = plan


def _run_in_worker(replication: int) -> Results:
    assert _PLAN is not None
    return run_replication(_PLAN, replication)


def run_replications(plan: ExperimentPlan, workers: int = 1, progress: Progress | None = None) -> list[Results]:
    """The results of replications 0 .. n-1, in that order."""
    total = plan.replications
    results: list[Results | None] = [None] * total
    if workers <= 1 or total == 1:
        for rep in range(total):
            results[rep] = run_replication(plan, rep)
            if progress:
                progress(rep + 1, total)
        return [r for r in results if r is not None]
    with ProcessPoolExecutor(max_workers=min(workers, total), initializer=_init_worker, initargs=(plan,)) as pool:
        futures = {pool.submit(_run_in_worker, rep): rep for rep in range(total)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, total)
    return [r for r in results if r is not None]
