"""Executors and memory: scaling on 1 vs 2 local workers, a 2-worker Dask LocalCluster against the process pool,
and memory against the number of replications. Every ratio is measured in this one run.

    python benchmarks/execution_benchmark.py                       # defaults below
    python benchmarks/execution_benchmark.py --replications 8 --memory 3 30 300 3000 --skip-scaling

Part 1, scaling: ``scenarios/disdukcapil-mpp.yaml`` with ``--replications`` replications, serially (1 worker) and
on a local process pool of 2 workers. Wall times, and the CPU seconds of this process and of its worker processes
during the run (psutil). On a shared machine the wall time also counts the time other processes had the cores,
so next to speed-up = T(1) / T(2) and efficiency = T(1) / (2 x T(2)) it prints the CPU-based efficiency
CPU(1) / (2 x T(2)) (the 2 workers against the serial run's CPU work, not its wall time) and the CPU overhead
CPU(2) / CPU(1) (1.0: the pool adds no work; independent of the load). The JSON of both runs must be identical.

Part 2, Dask: the same run on a ``dask.distributed.LocalCluster`` (2 worker processes, 1 thread each; cluster
start-up not timed) against the 2-worker process pool: T(dask) / T(pool), CPU(dask) / CPU(pool) (the scheduler
and nannies included), and the JSON identical.

Part 3, memory: ``--memory-scenario`` (default ``scenarios/pemerataan-guru.yaml``, 0.03 CPU s a replication,
about 1,300 KPIs) with each number of replications in ``--memory``, each in a fresh process, serially: the peak of
Python allocations during the simulation (tracemalloc, numpy included) and the process's maximum resident set
(the whole process: interpreter, libraries, dataset). Three ways to fold the replications in: seimbang as it is
(running sums per KPI), the named baseline ``columns`` (the previous version: every replication's value of every
KPI kept, 8 bytes each, as ``array('d')`` columns) and ``keep all`` (every replication's results with its
customers' waits held until the end). Flat means peak(largest) / peak(smallest) stays near 1.

The machine's load changes the times; the load average is printed before each part.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCENARIO = ROOT / "scenarios" / "disdukcapil-mpp.yaml"
MEMORY_SCENARIO = ROOT / "scenarios" / "pemerataan-guru.yaml"


def load_average() -> str:
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "unknown"


def cpu_seconds() -> float:
    """CPU seconds of this process and of every process it started (pool workers, Dask nannies and workers)."""
    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # a process that ended meanwhile
            total += sum(child.cpu_times()[:2])
    return total


def timed_run(executor, replications: int) -> tuple[float, float, str]:
    """Wall and CPU seconds of one run on ``executor``, and its JSON."""
    from decision_support import api

    loaded = api.load_scenario(SCENARIO)
    cpu, start = cpu_seconds(), time.perf_counter()
    result = api.run_scenario(loaded, replications=replications, executor=executor)
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return wall, cpu, api.render_simulation(result, fmt="json")


def part_one_and_two(replications: int) -> None:
    from decision_support import api

    print(f"Scaling: {SCENARIO.name}, {replications} replications; load average {load_average()}")
    with api.SerialExecutor() as serial:
        t1, c1, json1 = timed_run(serial, replications)
    with api.ProcessExecutor(2) as pool:
        timed_run(pool, 2)  # start the workers (not timed)
        t2, c2, json2 = timed_run(pool, replications)
    print(f"  1 worker (serial)        {t1:8.2f} s wall {c1:8.2f} s CPU ({c1 / replications:.2f} s a replication)")
    print(f"  2 workers (process pool) {t2:8.2f} s wall {c2:8.2f} s CPU ({c2 / replications:.2f} s a replication)")
    print(f"    speed-up {t1 / t2:.2f}x, efficiency T(1) / (2 T(2)) = {t1 / (2 * t2):.2f}")
    print(
        f"    CPU-based efficiency CPU(1) / (2 T(2)) = {c1 / (2 * t2):.2f}, CPU overhead CPU(2) / CPU(1) = {c2 / c1:.2f}"
    )
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
            td, cd, jsond = timed_run(dask, replications)
    print(f"Dask LocalCluster, 2 workers {td:6.2f} s wall {cd:8.2f} s CPU; load average {load_average()}")
    print(f"    T(dask) / T(pool) = {td / t2:.2f}, CPU(dask) / CPU(pool) = {cd / c2:.2f}")
    print(f"  JSON identical to the process pool: {jsond == json2}")


def fold_columns(replications) -> None:
    """The named baseline: the previous version's memory, every KPI's value of every replication kept in an
    ``array('d')`` column (besides the running sums, whose own size does not depend on the replications)."""
    from array import array

    from decision_support.simulation.results import Accumulators, fold

    sums, columns, pooled = Accumulators(), {}, {}
    for rep in replications:
        for arm, kpis in fold(rep, pooled).items():
            for key, value in kpis.items():
                columns.setdefault((arm, key), array("d")).append(value)
        sums.add(rep)


def peak_resident_mb() -> float:
    """This process's maximum resident set: VmHWM, which starts afresh at exec (getrusage's ru_maxrss would
    carry over the peak of the benchmark process that started this one)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1e3
    return float("nan")


def measure_memory(scenario: Path, replications: int, mode: str) -> dict[str, float]:
    """In this (fresh) process: peak traced memory of one serial simulation, and the maximum resident set."""
    import tracemalloc

    from decision_support import api
    from decision_support.simulation import experiment
    from decision_support.simulation.plan import build_plan
    from decision_support.simulation.results import comparisons

    loaded = api.load_scenario(scenario)
    plan = build_plan(loaded, replications)
    tracemalloc.start()
    base, _peak = tracemalloc.get_traced_memory()
    start = time.perf_counter()
    if mode == "keep":  # every replication's results, with its customers' waits, held until the end
        comparisons(experiment.run_replications(plan))
    elif mode == "columns":
        fold_columns(experiment.stream_replications(plan))
    else:
        comparisons(experiment.stream_replications(plan))
    _now, peak = tracemalloc.get_traced_memory()
    max_rss = peak_resident_mb()
    return {"peak_mb": (peak - base) / 1e6, "max_rss_mb": max_rss, "seconds": time.perf_counter() - start}


MODES = (("streamed", "seimbang (running sums)"), ("columns", "baseline: columns"), ("keep", "baseline: keep all"))


def part_three(scenario: Path, sizes: list[int]) -> None:
    print(f"Memory: {scenario.name}, serial, each run in its own process; load average {load_average()}")
    rows = {}
    for mode, _name in MODES:
        for n in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(n), "--mode", mode, "--memory-scenario", str(scenario)],
                capture_output=True,
                text=True,
                check=True,
            )
            rows[(mode, n)] = json.loads(out.stdout)
    for field, label in (("peak_mb", "peak traced allocations"), ("max_rss_mb", "maximum resident set")):
        print(f"  {label}:")
        for mode, name in MODES:
            cells = "  ".join(f"{n:>5} reps {rows[(mode, n)][field]:8.2f} MB" for n in sizes)
            ratio = rows[(mode, sizes[-1])][field] / rows[(mode, sizes[0])][field]
            print(f"    {name:<24} {cells}   {sizes[-1]} / {sizes[0]} = {ratio:.2f}")
    for mode, name in MODES[1:]:
        ratio = rows[("streamed", sizes[-1])]["peak_mb"] / rows[(mode, sizes[-1])]["peak_mb"]
        print(f"  at {sizes[-1]} replications, peak traced: seimbang / {name.split(': ')[1]} = {ratio:.2f}")
    seconds = "  ".join(f"{n} reps {rows[('streamed', n)]['seconds']:.1f} s" for n in sizes)
    print(f"  seimbang's runs took {seconds} (wall)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--memory", type=int, nargs="+", default=[3, 30, 300])
    parser.add_argument("--memory-scenario", type=Path, default=MEMORY_SCENARIO)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="streamed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_memory(args.memory_scenario, args.measure, args.mode)))
        return
    if not args.skip_scaling:
        part_one_and_two(args.replications)
    if not args.skip_memory:
        part_three(args.memory_scenario, sorted(args.memory))


if __name__ == "__main__":
    main()
