"""Plan benchmark: the Sawahlunto example (balance-stage time, flow vs a greedy heuristic, TTC vs DA*), a
synthetic province instance (30,000 ASN x 3,000 positions, band model, planning.md Appendix A), and the
exchange under minimum staffing (random markets; Pareto improvements searched by an independent HiGHS MILP).

It also plans the synthetic province DATASET end to end (scripts/generate_province.py, seed 13; scale 1: about
30,000 ASN in 19 local governments), in a child process so its peak memory is its own: loading, screening
(the eligible arcs) and solving (exchange, balance, checking every move) timed apart.

Run: python benchmarks/plan_benchmark.py [--skip-example] [--skip-province] [--skip-markets]
                                         [--province-dataset SCALE | --skip-province-dataset]
                                         [--across-local-governments]

The province dataset is planned with the national packs and its own rules folder (each local government's pack
and election calendar), moves inside each local government (the default of ``seimbang plan``); with
``--across-local-governments`` moves between them are planned too.

Target (issue 14): the province dataset planned in under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from decision_support import api
from decision_support.planning.balance import solve_balance
from decision_support.planning.build import build_instance
from decision_support.planning.instance import Arc, Instance, band, distance, forced_cost, wish_cost
from decision_support.planning.mechanisms import deferred_acceptance_star, market, top_trading_cycles
from decision_support.planning.metrics import bound_violations, imbalance, movement
from decision_support.rules.service import packs_in_force

ROOT = Path(__file__).resolve().parent.parent


def greedy(instance: Instance) -> list[int]:
    """Baseline heuristic: repeatedly take the cheapest arc from an above-band to a below-band position."""
    assignment = list(instance.current)
    counts = instance.holders()
    moved: set[int] = set()
    for arc in sorted(instance.arcs, key=lambda a: (a.cost, a.employee, a.position)):
        e, p, q = arc.employee, arc.position, assignment[arc.employee]
        if e in moved or instance.target[p] is None or instance.target[q] is None:
            continue
        over, under = counts[q] > instance.high[q], counts[p] < instance.low[p]
        if over and under and counts[p] < instance.upper[p] and counts[q] - 1 >= instance.lower[q]:
            assignment[e] = p
            counts[p] += 1
            counts[q] -= 1
            moved.add(e)
    return assignment


def example() -> None:
    dataset = api.load_dataset(ROOT / "datasets" / "sawahlunto")
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([ROOT / "rules"])
    packs = packs_in_force(ruleset, dataset.as_of)
    start = time.perf_counter()
    built = build_instance(dataset, report, ruleset, packs)
    print(f"example: eligible arcs {len(built.instance.arcs)} from {built.pairs_screened} pairs screened, "
          f"{time.perf_counter() - start:.2f} s")  # fmt: skip
    instance = built.instance
    times = []
    for _ in range(5):
        result = solve_balance(instance)
        times.append(result.seconds)
    times.sort()
    flow, heur = result.assignment, greedy(instance)
    before = imbalance(instance, instance.current)
    for name, assignment in (("min-cost flow", flow), ("greedy", heur)):
        after = imbalance(instance, assignment)
        print(f"  {name:14s} transfers {movement(instance, assignment):4d}  sum of squares "
              f"{before['sum_of_squares']} -> {after['sum_of_squares']}  outside band "
              f"{before['outside_band']} -> {after['outside_band']}")  # fmt: skip
    print(f"  balance stage (median of 5): {times[2]:.4f} s")
    mkt = market(instance)
    print(f"  TTC movers {movement(instance, top_trading_cycles(instance, mkt))}, "
          f"DA* movers {movement(instance, deferred_acceptance_star(instance, mkt))}, applicants {len(mkt.wishes)}")  # fmt: skip


def province(n: int = 30_000, units: int = 3_000, k: int = 30, seed: int = 0) -> None:
    """Appendix A generator: gamma workloads, staffing perturbed +-25 %, 20 % locked, K eligible units."""
    rng = random.Random(seed)
    weights = [rng.gammavariate(4, 1) for _ in range(units)]
    total = sum(weights)
    target = [3 + round((n - 3 * units) * w / total) for w in weights]
    staffing = [t * rng.uniform(0.75, 1.25) for t in target]
    scale = n / sum(staffing)
    current = []
    for u, s in enumerate(staffing):
        current += [u] * round(s * scale)
    current = (current + [rng.randrange(units) for _ in range(n)])[:n]
    arcs = []
    for e in range(n):
        if rng.random() < 0.2:
            continue
        for r, u in enumerate(rng.sample(range(units), k), 1):
            if u != current[e]:
                arcs.append(Arc(e, u, wish_cost(r) if r <= 5 else forced_cost(0), r if r <= 5 else None))
    bands = [band(t, 3) for t in target]
    holders = [0] * units
    for u in current:
        holders[u] += 1
    instance = Instance(
        positions=[f"P{u}" for u in range(units)], units=[f"U{u}" for u in range(units)],
        employees=[f"E{e}" for e in range(n)], current=current, target=list(target),
        low=[b[0] for b in bands], high=[b[1] for b in bands], lower=[0] * units, upper=[n] * units, arcs=arcs,
    )  # fmt: skip
    start = time.perf_counter()
    result = solve_balance(instance, lam=20)
    wall = time.perf_counter() - start
    before, after = imbalance(instance, current), imbalance(instance, result.assignment)
    out_before = sum(1 for u in range(units) if distance(holders[u], *bands[u]))
    print(f"province {n} x {units}: {len(arcs)} arcs, balance stage {wall:.2f} s (solver {result.solver}), "
          f"transfers {movement(instance, result.assignment)}, sum of squares {before['sum_of_squares']} -> "
          f"{after['sum_of_squares']}, outside band {out_before} -> {after['outside_band']}")  # fmt: skip


def bounded_market(applicants: int, seed: int) -> Instance:
    """A market where most positions sit at their minimum staffing and a few have free seats."""
    rng = random.Random(seed)
    positions = max(10, applicants // 3)
    holders_of = [rng.randint(1, 6) for _ in range(positions)]
    current = [p for p, h in enumerate(holders_of) for _ in range(h)]
    n = len(current)
    target = [h + (rng.randint(1, 2) if rng.random() < 0.1 else 0) for h in holders_of]
    lower = [h if rng.random() < 0.97 else h - 1 for h in holders_of]
    who = rng.sample(range(n), min(applicants, n))
    arcs, wishes = [], {}
    appeal = [rng.lognormvariate(0, 1.5) for _ in range(positions)]  # some posts are wanted far more
    for e in who:
        drawn = dict.fromkeys(rng.choices(range(positions), weights=appeal, k=8))
        others = [p for p in drawn if p != current[e]][:5]
        arcs += [Arc(e, p, wish_cost(r), r) for r, p in enumerate(others, 1)]
        wishes[e] = others
    return Instance(
        positions=[f"P{p}" for p in range(positions)], units=[f"U{p}" for p in range(positions)],
        employees=[f"E{e}" for e in range(n)], current=current, target=target, low=target, high=target,
        lower=lower, upper=[n] * positions, arcs=arcs, priority=[rng.random() for _ in range(n)], wishes=wishes,
    )  # fmt: skip


def pareto_gain(instance: Instance, assignment: list[int]) -> int:
    """The most applicants who can be made strictly better off with nobody worse off (HiGHS MILP, bounds kept)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_array

    mkt = market(instance)
    seats = [h + v for h, v in zip(instance.holders(), mkt.vacancies, strict=True)]
    floor = [min(h, low) for h, low in zip(instance.holders(), instance.lower, strict=True)]
    columns: list[tuple[int, int, bool]] = []  # (employee, position, strictly better)
    fixed = [0] * len(instance.positions)
    for e, p in enumerate(assignment):
        if e not in mkt.wishes:
            fixed[p] += 1
            continue
        order = [*mkt.wishes[e], instance.current[e]]
        got = order.index(p)
        columns += [(e, q, i < got) for i, q in enumerate(order[: got + 1])]
    applicants = sorted(mkt.wishes)
    row_of = {e: i for i, e in enumerate(applicants)}
    m = len(instance.positions)
    a = lil_array((len(applicants) + m, len(columns)))
    for j, (e, q, _) in enumerate(columns):
        a[row_of[e], j] = 1
        a[len(applicants) + q, j] = 1
    lo = [1.0] * len(applicants) + [floor[q] - fixed[q] for q in range(m)]
    hi = [1.0] * len(applicants) + [seats[q] - fixed[q] for q in range(m)]
    cost = -np.array([1.0 if better else 0.0 for _, _, better in columns])
    result = milp(cost, constraints=LinearConstraint(a.tocsr(), lo, hi), bounds=Bounds(0, 1),
                  integrality=np.ones(len(columns)))  # fmt: skip
    return round(-result.fun)


def markets(sizes: tuple[int, ...] = (190, 1_900), seeds: int = 3) -> None:
    """TTC and DA* on random markets with binding minimum staffing."""
    for size in sizes:
        for seed in range(seeds):
            instance = bounded_market(size, seed)
            mkt = market(instance)
            ttc, da = top_trading_cycles(instance, mkt), deferred_acceptance_star(instance, mkt)
            print(f"market {len(mkt.wishes)} applicants (seed {seed}): TTC movers {movement(instance, ttc)}, "
                  f"applicants a Pareto improvement could make better off {pareto_gain(instance, ttc)}, "
                  f"below minimum {bound_violations(instance, ttc)['below_minimum']}; DA* movers "
                  f"{movement(instance, da)}, below minimum {bound_violations(instance, da)['below_minimum']}")  # fmt: skip


def reproducers() -> None:
    """Issue 10's balance reproducer: 60 holders at target 10, none at target 1, all may move at cost 100."""
    bands = [band(10, 10), band(1, 10)]
    instance = Instance(
        positions=["A", "B"], units=["U", "U"], employees=[f"E{e}" for e in range(60)], current=[0] * 60,
        target=[10, 1], low=[b[0] for b in bands], high=[b[1] for b in bands], lower=[0, 0], upper=[60, 60],
        arcs=[Arc(e, 1, 100) for e in range(60)],
    )  # fmt: skip
    result = solve_balance(instance, lam=100)
    print(f"balance reproducer: {sum(1 for p in result.assignment if p == 1)} moved, objective "
          f"{result.objective}, {result.status} (optimum: 25 moved, 113000)")  # fmt: skip


def plan_dataset(folder: str) -> dict[str, float | int]:
    """In a child process: load, screen, solve; seconds of each and the peak memory."""
    from decision_support.planning.plan import PlanOptions, make_plan

    start = time.perf_counter()
    dataset = api.load_dataset(folder)
    report = api.analyse_workload(dataset)
    # The national packs and the province's own (each local government's pack and calendar), as its README says.
    ruleset = api.check_rules([ROOT / "rules" / "nasional", Path(folder) / "rules"])
    packs = packs_in_force(ruleset, dataset.as_of)
    across = os.environ.get("PLAN_BENCHMARK_ACROSS") == "1"
    loaded = time.perf_counter()
    built = build_instance(dataset, report, ruleset, packs, across_local_governments=across)
    screened = time.perf_counter()
    plan = make_plan(dataset, report, ruleset, PlanOptions(), built=built, across_local_governments=across)
    solved = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "employees": len(dataset.employees), "positions": len(dataset.positions),
        "load": loaded - start, "screen": screened - loaded, "solve": solved - screened,
        "pairs": built.pairs_screened, "arcs": len(built.instance.arcs), "moves": len(plan.moves), "peak_mb": peak,
        "cpu": resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
    }  # fmt: skip


def province_dataset(scale: float, across: bool) -> None:
    env = {**os.environ, "PLAN_BENCHMARK_ACROSS": "1" if across else "0"}
    with tempfile.TemporaryDirectory() as tmp:
        script = ROOT / "scripts" / "generate_province.py"
        subprocess.run([sys.executable, str(script), "-o", tmp, "--scale", str(scale)], check=True, capture_output=True)
        out = subprocess.run(
            [sys.executable, __file__, "--child-plan", tmp], capture_output=True, text=True, check=True, cwd=ROOT,
            env=env,
        )  # fmt: skip
    r = json.loads(out.stdout.strip().splitlines()[-1])
    total = r["load"] + r["screen"] + r["solve"]
    where = "moves across local governments too" if across else "moves inside each local government"
    print(f"province dataset (scale {scale}, {where}, each local government's own packs and calendar): "
          f"{r['employees']} ASN, {r['positions']} positions; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  load {r['load']:.1f} s, screening {r['screen']:.1f} s ({r['pairs']} pairs, {r['arcs']} eligible arcs, "
          f"{r['pairs'] / max(r['screen'], 1e-9):.0f} pairs/s), solving {r['solve']:.1f} s ({r['moves']} moves); "
          f"total {total:.1f} s, CPU {r['cpu']:.1f} s, peak memory {r['peak_mb']:.0f} MB")  # fmt: skip
    print(f"  target < 120 s: {'met' if total < 120 else 'NOT met'}; screening share {r['screen'] / total:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-example", action="store_true")
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--skip-markets", action="store_true")
    parser.add_argument("--province-dataset", type=float, default=1.0, metavar="SCALE")
    parser.add_argument("--skip-province-dataset", action="store_true")
    parser.add_argument(
        "--across-local-governments", action="store_true", help="plan the province dataset with moves between them"
    )
    parser.add_argument("--child-plan", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_plan:
        print(json.dumps(plan_dataset(args.child_plan)))
        return
    if not args.skip_province_dataset:
        province_dataset(args.province_dataset, args.across_local_governments)
    reproducers()
    if not args.skip_markets:
        markets()
    if not args.skip_example:
        example()
    if not args.skip_province:
        province()


if __name__ == "__main__":
    main()
