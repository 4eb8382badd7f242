"""Executors and memory: scaling on 1 vs 2 local workers, a 2-worker Dask LocalCluster against the process pool,
and peak memory against the number of replications. Every ratio is measured in this one run.

    python benchmarks/execution_benchmark.py                       # defaults below
    python benchmarks/execution_benchmark.py --replications 8 --memory 3 12 --skip-scaling

Part 1, scaling: ``scenarios/disdukcapil-mpp.yaml`` with ``--replications`` replications, serially (1 worker) and
on a local process pool of 2 workers. Efficiency = T(1) / (2 x T(2)); 1.0 is perfect. The JSON of both runs must
be byte-identical.

Part 2, Dask: the same run on a ``dask.distributed.LocalCluster`` (2 worker processes, 1 thread each; cluster
start-up not timed) against the 2-worker process pool: the ratio T(dask) / T(pool), and the JSON identical.

Part 3, memory: ``scenarios/disdukcapil-mpp.yaml`` with each number of replications in ``--memory``, in a
fresh process each, serially; the peak of Python allocations (tracemalloc, numpy included)
during the simulation, for seimbang as it is (replications streamed, waits folded into a histogram) and for the
baseline that keeps every replication's results with its customers' waits until the end (what seimbang did
before). Flat means the ratio peak(largest) / peak(smallest) stays near 1.

The machine's load changes the times; run it on an idle machine for figures to quote.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCENARIO = ROOT / "scenarios" / "disdukcapil-mpp.yaml"


def timed_run(executor, replications: int) -> tuple[float, str]:
    from decision_support import api

    loaded = api.load_scenario(SCENARIO)
    start = time.perf_counter()
    result = api.run_scenario(loaded, replications=replications, executor=executor)
    return time.perf_counter() - start, api.render_simulation(result, fmt="json")


def part_one_and_two(replications: int) -> None:
    from decision_support import api

    print(f"Scaling: {SCENARIO.name}, {replications} replications")
    with api.SerialExecutor() as serial:
        t1, json1 = timed_run(serial, replications)
    with api.ProcessExecutor(2) as pool:
        timed_run(pool, 2)  # start the workers (not timed)
        t2, json2 = timed_run(pool, replications)
    print(f"  1 worker (serial)        {t1:8.2f} s")
    print(f"  2 workers (process pool) {t2:8.2f} s   speed-up {t1 / t2:.2f}x, efficiency {t1 / (2 * t2):.2f}")
    print(f"  JSON identical: {json1 == json2}")
    try:
        import distributed
    except ImportError:
        print("Dask: 'distributed' is not installed (pip install 'seimbang[dask]'); skipped")
        return
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", host="127.0.0.1"
    ) as cluster:
        url = cluster.scheduler_address.replace("tcp://", "dask://")
        with api.executor_from_url(url) as dask:
            timed_run(dask, 2)  # workers import seimbang and load plugins (not timed)
            td, jsond = timed_run(dask, replications)
    print(f"Dask LocalCluster, 2 workers {td:6.2f} s   T(dask) / T(pool) = {td / t2:.2f}")
    print(f"  JSON identical to the process pool: {jsond == json2}")


def measure_memory(replications: int, keep: bool) -> dict[str, float]:
    """In this (fresh) process: peak traced memory of one serial simulation."""
    import tracemalloc

    from decision_support import api
    from decision_support.simulation import experiment
    from decision_support.simulation.plan import build_plan
    from decision_support.simulation.results import comparisons

    loaded = api.load_scenario(SCENARIO)
    plan = build_plan(loaded, replications)
    tracemalloc.start()
    base, _peak = tracemalloc.get_traced_memory()
    start = time.perf_counter()
    if keep:  # the baseline: every replication's results, with its customers' waits, held until the end
        comparisons(experiment.run_replications(plan))
    else:
        comparisons(experiment.stream_replications(plan))
    _now, peak = tracemalloc.get_traced_memory()
    return {"peak_mb": (peak - base) / 1e6, "seconds": time.perf_counter() - start}


def part_three(sizes: list[int]) -> None:
    print(f"Memory: {SCENARIO.name}, serial, peak traced allocations during the simulation")
    rows = {}
    for keep in (False, True):
        for n in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(n), *(["--keep"] if keep else [])],
                capture_output=True,
                text=True,
                check=True,
            )
            rows[(keep, n)] = json.loads(out.stdout)
    for keep, name in ((False, "seimbang (streamed)"), (True, "baseline (keep all)")):
        cells = "  ".join(f"{n:>4} reps {rows[(keep, n)]['peak_mb']:7.2f} MB" for n in sizes)
        ratio = rows[(keep, sizes[-1])]["peak_mb"] / rows[(keep, sizes[0])]["peak_mb"]
        print(f"  {name:<20} {cells}   peak({sizes[-1]}) / peak({sizes[0]}) = {ratio:.2f}")
    streamed, kept = rows[(False, sizes[-1])]["peak_mb"], rows[(True, sizes[-1])]["peak_mb"]
    print(f"  at {sizes[-1]} replications: seimbang / baseline = {streamed / kept:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--memory", type=int, nargs="+", default=[3, 12])
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_memory(args.measure, args.keep)))
        return
    if not args.skip_scaling:
        part_one_and_two(args.replications)
    part_three(sorted(args.memory))


if __name__ == "__main__":
    main()
