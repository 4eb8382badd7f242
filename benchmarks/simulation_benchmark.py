"""Simulation speed: seimbang's engine against plain SimPy and Ciw, and a Sawahlunto scenario end to end.

    python benchmarks/simulation_benchmark.py                  # 1,000,000 customers, 3 rounds, then the scenario
    python benchmarks/simulation_benchmark.py --customers 200000 --rounds 1
    python benchmarks/simulation_benchmark.py --skip-scenario

Part 1, M/M/6 (arrivals 20/h, mean service 15 min, rho = 0.83, FCFS, unlimited queue), the same model in three
tools, each run in a fresh process (construction, run and statistics timed; imports not):

- seimbang: :class:`decision_support.simulation.engine.QueueRun` on SimPy's event list, with full statistics:
  every wait, mean and p90, P(wait), service level, utilisation and overtime per clerk, the hourly queue profile,
  and the sample-path identities (Little's law on the path, conservation of customers and work);
- plain SimPy: a process per customer requesting a ``simpy.Resource`` (docs/simulation.md §4), waits in a list;
- Ciw (``pip install ciw``; optional: the script says so when it is missing): ``simulate_until_max_customers``
  then ``get_all_records()``.

Customers per second are the median over rounds (seeds 1, 2, 3...), by wall clock and by CPU time, with the
ratios of seimbang to the others. Targets (issue 4): at least plain SimPy's rate and at least twice Ciw's.

Part 2: ``scenarios/disdukcapil-mpp.yaml`` (the README's main job) end to end, baseline and proposal with at
least 30 replications, on the worker processes given (default 2): load, simulate, JSON and HTML. Target: < 60 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAM, MU, CLERKS = 20.0, 4.0, 6  # per hour


def seimbang_mm6(n: int, seed: int) -> dict[str, float]:
    """Our engine with full statistics; times in minutes."""
    import numpy as np

    from decision_support.simulation.engine import JobClass, JobInput, QueueRun, ServerSpec
    from decision_support.simulation.invariants import violations
    from decision_support.simulation.metrics import customer_mask, first_waits, queue_steps, shift_overlap, step_area
    from decision_support.simulation.streams import stream

    wall, cpu = time.perf_counter(), time.process_time()
    gaps = stream(seed, 0, "benchmark", "arrivals").exponential(60.0 / LAM, n)
    work = stream(seed, 0, "benchmark", "service").exponential(60.0 / MU, n)
    jobs = JobInput(np.cumsum(gaps), np.zeros(n, dtype=np.int64), work)
    specs = [ServerSpec((0,), ((0.0, float("inf")),))] * CLERKS
    records = QueueRun([JobClass("counter")], specs, jobs).run()
    mask = customer_mask(records)
    waits, _classes = first_waits(records, mask)
    busy = np.bincount(records.seg_server, weights=records.seg_end - records.seg_start, minlength=CLERKS)
    overtime = (records.seg_end - records.seg_start) - shift_overlap(records)
    edges = np.arange(0.0, records.t_end + 60.0, 60.0)
    profile = step_area(*queue_steps(records, mask), edges) / 60.0
    stats = {
        "mean_wait_min": float(waits.mean()),
        "p90_wait_min": float(np.percentile(waits, 90)),
        "p_wait": float(np.mean(waits > 0)),
        "service_level_10min": float(np.mean(waits <= 10.0)),
        "utilisation": float(busy.sum() / (CLERKS * records.t_end)),
        "served": int(np.sum(~np.isnan(records.end))),
        "overtime_min": float(overtime.sum()),
        "peak_hourly_queue": float(profile.max()),
    }
    assert violations(records) == []
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, **stats}


def simpy_mm6(n: int, seed: int) -> dict[str, float]:
    """The naive SimPy model of docs/simulation.md §4; times in hours."""
    import simpy

    wall, cpu = time.perf_counter(), time.process_time()
    rng, env = random.Random(seed), simpy.Environment()
    counter, waits = simpy.Resource(env, capacity=CLERKS), []

    def customer():
        t0 = env.now
        with counter.request() as req:
            yield req
            waits.append(env.now - t0)
            yield env.timeout(rng.expovariate(MU))

    def source():
        for _ in range(n):
            env.process(customer())
            yield env.timeout(rng.expovariate(LAM))

    env.process(source())
    env.run()
    mean_wait = 60.0 * sum(waits) / len(waits)
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "mean_wait_min": mean_wait}


def ciw_mm6(n: int, seed: int) -> dict[str, float]:
    """Ciw with its records; times in hours."""
    import ciw

    wall, cpu = time.perf_counter(), time.process_time()
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(LAM)],
        service_distributions=[ciw.dists.Exponential(MU)],
        number_of_servers=[CLERKS],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_customers(n, method="Complete")
    records = simulation.get_all_records()
    mean_wait = 60.0 * sum(r.waiting_time for r in records) / len(records)
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "mean_wait_min": mean_wait}


TOOLS = {"seimbang": seimbang_mm6, "plain SimPy": simpy_mm6, "Ciw": ciw_mm6}


def ciw_available() -> bool:
    try:
        import ciw  # noqa: F401
    except ImportError:
        return False
    return True


def fresh_process(tool: str, n: int, seed: int) -> dict[str, float]:
    """Run one tool once in a new interpreter, so that no run warms another's caches."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(TOOLS[tool], (n, seed))


def part_one(customers: int, rounds: int) -> None:
    print(f"M/M/{CLERKS}, arrivals {LAM:g}/h, mean service {60 / MU:g} min, {customers:,} customers, {rounds} round(s)")
    tools = list(TOOLS)
    if not ciw_available():
        print("Ciw is NOT installed, so it is left out of this run: pip install ciw (benchmark only).")
        tools.remove("Ciw")
    rates: dict[str, tuple[float, float]] = {}
    for tool in tools:
        runs = [fresh_process(tool, customers, seed) for seed in range(1, rounds + 1)]
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        rates[tool] = (customers / wall, customers / cpu)
        waits = ", ".join(f"{r['mean_wait_min']:.2f}" for r in runs)
        print(
            f"  {tool:<12} median wall {wall:7.2f} s  {customers / wall:>9,.0f} customers/s   "
            f"CPU {cpu:7.2f} s  {customers / cpu:>9,.0f} customers/s   mean wait (min) {waits}"
        )
        if tool == "seimbang":
            detail = {k: round(v, 3) for k, v in runs[0].items() if k not in ("wall", "cpu")}
            print(f"               statistics of round 1: {detail}")
    print("  exact mean wait (Erlang C): 8.81 min")
    ours = rates["seimbang"]
    for tool in tools[1:]:
        wall_ratio, cpu_ratio = ours[0] / rates[tool][0], ours[1] / rates[tool][1]
        target = 1.0 if tool == "plain SimPy" else 2.0
        verdict = "met" if wall_ratio >= target else "NOT met"
        print(
            f"  seimbang / {tool}: {wall_ratio:.2f}x (wall), {cpu_ratio:.2f}x (CPU); target >= {target:g}x: {verdict}"
        )


def part_two(workers: int, replications: int) -> None:
    from decision_support import api

    scenario = ROOT / "scenarios" / "disdukcapil-mpp.yaml"
    wall = time.perf_counter()
    loaded = api.load_scenario(scenario)
    loaded_at = time.perf_counter() - wall
    reps = max(replications, loaded.scenario.replications)
    result = api.run_scenario(loaded, replications=reps, workers=workers)
    simulated_at = time.perf_counter() - wall
    api.render_simulation(result, fmt="json")
    api.render_simulation_html(result)
    total = time.perf_counter() - wall
    print(f"Scenario {scenario.relative_to(ROOT)}: {reps} replications x (baseline + proposal), {workers} workers")
    print(
        f"  load {loaded_at:.1f} s, simulate {simulated_at - loaded_at:.1f} s, reports {total - simulated_at:.1f} s; "
        f"total {total:.1f} s (target < 60 s: {'met' if total < 60 else 'NOT met'}); verdict {result.verdict.label}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--skip-scenario", action="store_true")
    args = parser.parse_args()
    part_one(args.customers, args.rounds)
    if not args.skip_scenario:
        part_two(args.workers, args.replications)


if __name__ == "__main__":
    main()
