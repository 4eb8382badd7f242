"""Screening throughput on the Sawahlunto example: our durable path against its baselines, in one run.

Measures, for all ASN x all under-staffed positions with the national and Sawahlunto packs:

- ``durable``: the product's path (staged screening on durable_rules, its default number of processes:
  one for a city-sized run, where starting workers costs more than it saves);
- ``durable-workers``: the same spread over ``--workers`` processes;
- ``reference``: the same stages on the pure-Python reference evaluator;
- ``naive``: one ``assert_fact`` per pair into a single long-lived durable_rules session, every
  rule compiled with pass/fail patterns, no pruning (what the safe-use rules warn against). It
  is run on a sample of pairs, because the full set takes many minutes, and its rate compared.

Each variant runs in its own process so that its peak memory (max RSS, workers included) is its
own. Prints pairs per second, ratios against the naive rate, and whether the target holds:
everything screened in under 10 s on 2 cores, and at least 3x the naive rate.

    python benchmarks/screening_benchmark.py [--naive-pairs 20000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "datasets" / "sawahlunto"
RULES = ROOT / "rules"


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_staged(engine: str, workers: int | None) -> dict[str, object]:
    from decision_support import api

    dataset = api.load_dataset(DATASET)
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([RULES])
    start = time.perf_counter()
    result = api.screen_needs(dataset, report, ruleset, engine=engine, workers=workers)
    seconds = time.perf_counter() - start
    eligible = sum(len(s.eligible) for s in result.screenings)
    return {
        "pairs": result.pairs,
        "seconds": seconds,
        "engine_calls": result.engine_calls,
        "eligible": eligible,
        "needs": len(result.screenings),
    }


def run_naive(sample: int) -> dict[str, object]:
    import copy

    from durable import engine as durable

    from decision_support import api
    from decision_support.rules.durable_engine import compile_packs, to_durable
    from decision_support.rules.evaluation import PairFacts
    from decision_support.rules.screening import under_staffed

    dataset = api.load_dataset(DATASET)
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([RULES])
    packs = ruleset.in_force(dataset.as_of)
    pairs = PairFacts(dataset, report, dataset.as_of, ruleset.calendar)
    fired: list[str] = []

    class Host(durable.Host):
        def get_action(self, name: str):
            return lambda c: fired.append(name)

    host = Host()
    host.set_rulesets({"naive": copy.deepcopy(compile_packs(packs, "full"))})
    needs = under_staffed(dataset, report)
    nips = list(pairs.employees)
    todo = [(nip, need.position) for need in needs for nip in nips if pairs.employees[nip].position != need.position]
    step = max(1, len(todo) // sample)
    todo = todo[::step][:sample]
    errors = 0
    start = time.perf_counter()
    for i, (nip, position) in enumerate(todo):
        message = to_durable(pairs.pair(nip, position), "one-long-session")
        message["id"] = f"pair{i}"  # without a unique id identical candidates would silently merge
        try:
            host.assert_fact("naive", message)
        except Exception:  # durable raises MessageObservedException on a (false) duplicate
            errors += 1
    seconds = time.perf_counter() - start
    return {"pairs": len(todo), "seconds": seconds, "errors": errors, "total_pairs": len(todo) * step}


def child(variant: str, args: argparse.Namespace) -> None:
    if variant == "naive":
        result = run_naive(args.naive_pairs)
    elif variant == "durable-workers":
        result = run_staged("durable", args.workers)
    else:
        result = run_staged(variant, None)  # the product's default
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def measure(variant: str, args: argparse.Namespace) -> dict[str, object]:
    command = [
        sys.executable,
        __file__,
        "--child",
        variant,
        "--naive-pairs",
        str(args.naive_pairs),
        "--workers",
        str(args.workers),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--naive-pairs", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    results = {v: measure(v, args) for v in ("naive", "reference", "durable-workers", "durable")}
    naive_rate = results["naive"]["pairs"] / results["naive"]["seconds"]
    print(f"{'variant':<16} {'pairs':>9} {'seconds':>8} {'pairs/s':>9} {'x naive':>8} {'peak MB':>8}")
    for name, r in results.items():
        rate = r["pairs"] / r["seconds"]
        print(
            f"{name:<16} {r['pairs']:>9} {r['seconds']:>8.2f} {rate:>9.0f} {rate / naive_rate:>8.1f} {r['peak_mb']:>8.0f}"
        )
    staged = results["durable"]
    print(
        f"\ndurable path: {staged['needs']} under-staffed positions x all ASN = {staged['pairs']} pairs, "
        f"{staged['engine_calls']} engine evaluations after pruning, {staged['eligible']} eligible pairs"
    )
    print(f"naive: {results['naive']['errors']} false-duplicate errors in {results['naive']['pairs']} asserts")
    ok_time = staged["seconds"] < 10
    ok_rate = staged["pairs"] / staged["seconds"] >= 3 * naive_rate
    print(f"target < 10 s on 2 cores: {'met' if ok_time else 'NOT met'} ({staged['seconds']:.1f} s)")
    print(f"target >= 3x naive rate: {'met' if ok_rate else 'NOT met'}")


if __name__ == "__main__":
    main()
