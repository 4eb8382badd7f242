"""Where the independent jobs of a run execute: in this process, a local process pool, or a Dask cluster.

An :class:`Executor` runs ``fn(shared, item)`` for every item and hands the results back **in the order of the
items**, whatever worker ran which item and whenever it finished, so a run seeded by item (replication index,
shard) gives the same bytes on every executor and any number of workers. ``fn`` must be a picklable top-level
function; ``shared`` (the experiment plan, say) is sent to each worker once per call, not once per item.

- :class:`SerialExecutor`: in this process, one item after another (``--workers 1``).
- :class:`ProcessExecutor`: a local pool of worker processes (the default; one per CPU).
- :class:`DaskExecutor`: the workers of a ``dask.distributed`` scheduler (``--executor dask://HOST:PORT``).

:func:`executor_from_url` turns the ``--executor`` text into one of them. A failure inside a job comes back as
:class:`JobFailed` naming the job; an unreachable scheduler as :class:`ExecutorUnavailable`; a bad URL as
:class:`ExecutorURLError`. Each worker process runs the caller's ``setup`` once before its first job (the API
passes one that loads the seimbang plugins, so plugin rule operators work in workers too).

This package imports no stage of seimbang: the stages hand it their functions. Reference: docs/execution.md.
"""

from __future__ import annotations

from .base import Executor, ExecutorUnavailable, JobFailed, Progress, Setup
from .cluster import DASK_TIMEOUT, DaskExecutor
from .local import ProcessExecutor, SerialExecutor
from .url import SCHEMES, ExecutorURLError, cpu_workers, executor_from_url, parse_url

__all__ = [
    "DASK_TIMEOUT",
    "SCHEMES",
    "DaskExecutor",
    "Executor",
    "ExecutorURLError",
    "ExecutorUnavailable",
    "JobFailed",
    "ProcessExecutor",
    "Progress",
    "SerialExecutor",
    "Setup",
    "cpu_workers",
    "executor_from_url",
    "parse_url",
]
