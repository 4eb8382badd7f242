"""Plan benchmark: the Sawahlunto example (balance-stage time, flow vs a greedy heuristic, TTC vs DA*) and a
synthetic province instance (30,000 ASN x 3,000 positions, band model, planning.md Appendix A).

Run: python benchmarks/plan_benchmark.py [--skip-example] [--skip-province]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from decision_support import api
from decision_support.planning.balance import solve_balance
from decision_support.planning.build import build_instance
from decision_support.planning.instance import Arc, Instance, band, distance, forced_cost, wish_cost
from decision_support.planning.mechanisms import deferred_acceptance_star, market, top_trading_cycles
from decision_support.planning.metrics import imbalance, movement
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-example", action="store_true")
    parser.add_argument("--skip-province", action="store_true")
    args = parser.parse_args()
    if not args.skip_example:
        example()
    if not args.skip_province:
        province()


if __name__ == "__main__":
    main()
