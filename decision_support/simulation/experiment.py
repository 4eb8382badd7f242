"""Run the replications on an executor, with results independent of the executor and its number of workers.

Each replication is seeded by its index only (:mod:`.streams`), computed whole in one job, and handed back in
index order by the executor; nothing depends on which worker ran it or when it finished. Results stream: the
caller folds each replication's KPIs in as it arrives (:mod:`decision_support.execution` keeps a bounded number
of jobs in flight), so memory does not grow with per-customer records of earlier replications.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..execution import Executor, Progress, SerialExecutor
from ..i18n import _
from .plan import ExperimentPlan
from .replication import Results, run_replication


def replication_job(plan: ExperimentPlan, replication: int) -> Results:
    """One job of an executor: replication ``replication`` of ``plan`` (a top-level function: picklable)."""
    return run_replication(plan, replication)


def describe_replication(replication: int) -> str:
    return _("replication {number}").format(number=replication + 1)


def stream_replications(
    plan: ExperimentPlan, executor: Executor | None = None, progress: Progress | None = None
) -> Iterator[Results]:
    """The results of replications 0 .. n-1, in that order, as they are computed."""
    total = plan.replications
    jobs = (executor or SerialExecutor()).imap(
        replication_job, range(total), shared=plan, describe=describe_replication
    )
    for done, results in enumerate(jobs, start=1):
        if progress:
            progress(done, total)
        yield results


def run_replications(
    plan: ExperimentPlan, executor: Executor | None = None, progress: Progress | None = None
) -> list[Results]:
    """The results of replications 0 .. n-1, in that order."""
    return list(stream_replications(plan, executor, progress))
