"""Transfer plans: brute-force optima, properties on random instances, TTC strategy-proofness, the example."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from decision_support.planning.balance import plan_cost, solve_balance
from decision_support.planning.instance import Arc, Instance, band, forced_cost, wish_cost
from decision_support.planning.mechanisms import deferred_acceptance_star, market, top_trading_cycles
from decision_support.planning.metrics import fairness

ROOT = Path(__file__).resolve().parent.parent


def random_instance(seed: int, employees: int = 6, positions: int = 3, lower_bounds: bool = True) -> Instance:
    rng = random.Random(seed)
    current = [rng.randrange(positions) for _ in range(employees)]
    target = [rng.randint(0, 4) for _ in range(positions)]
    arcs, wishes = [], {}
    for e in range(employees):
        others = [p for p in range(positions) if p != current[e]]
        eligible = rng.sample(others, rng.randint(0, len(others)))
        ranked = eligible[: rng.randint(0, len(eligible))]
        for p in eligible:
            rank = ranked.index(p) + 1 if p in ranked else None
            arcs.append(Arc(e, p, wish_cost(rank) if rank else forced_cost(rng.randrange(50)), rank))
        if ranked:
            wishes[e] = ranked
    holders = [current.count(p) for p in range(positions)]
    lower = [min(h, rng.randint(0, 2)) if lower_bounds else 0 for h in holders]
    upper = [h + rng.randint(0, 3) for h in holders]
    bands = [band(t, 20) for t in target]
    return Instance(
        positions=[f"P{p}" for p in range(positions)],
        units=[f"U{p % 2}" for p in range(positions)],
        employees=[f"E{e}" for e in range(employees)],
        current=current,
        target=list(target),
        low=[b[0] for b in bands],
        high=[b[1] for b in bands],
        lower=lower,
        upper=upper,
        arcs=arcs,
        priority=[rng.random() for _ in range(employees)],
        wishes=wishes,
    )


def feasible(instance: Instance, assignment: list[int], max_moves: int | None = None) -> bool:
    counts = instance.holders(assignment)
    moves = sum(1 for e, p in enumerate(assignment) if p != instance.current[e])
    return all(instance.lower[p] <= counts[p] <= instance.upper[p] for p in range(len(counts))) and (
        max_moves is None or moves <= max_moves
    )


def brute_force(instance: Instance, lam: int, max_moves: int | None = None) -> int:
    options = instance.arcs_by_employee()
    choices = [[instance.current[e]] + [a.position for a in options.get(e, [])] for e in range(len(instance.employees))]
    return min(
        plan_cost(instance, list(a), lam) for a in itertools.product(*choices) if feasible(instance, list(a), max_moves)
    )


@pytest.mark.parametrize("seed", range(25))
def test_min_cost_flow_matches_brute_force(seed: int) -> None:
    instance = random_instance(seed)
    result = solve_balance(instance, lam=30)
    assert feasible(instance, result.assignment)
    assert result.objective == brute_force(instance, 30)


@pytest.mark.parametrize("seed", range(8))
def test_highs_with_a_move_budget_matches_brute_force(seed: int) -> None:
    instance = random_instance(seed)
    result = solve_balance(instance, lam=30, max_moves=2)
    assert result.solver == "highs-milp"
    assert feasible(instance, result.assignment, 2)
    assert result.objective == brute_force(instance, 30, 2)


def test_unit_caps_use_highs_and_hold() -> None:
    instance = random_instance(3, employees=7)
    instance.unit_in_cap = {"U0": 1, "U1": 1}
    result = solve_balance(instance, lam=50)
    moved_into = [instance.units[p] for e, p in enumerate(result.assignment) if p != instance.current[e]]
    assert all(moved_into.count(u) <= 1 for u in ("U0", "U1"))


def test_flow_uses_only_eligible_arcs_and_nobody_twice() -> None:
    for seed in range(30):
        instance = random_instance(seed, employees=9, positions=4)
        result = solve_balance(instance, lam=50)
        arcs = {(a.employee, a.position) for a in instance.arcs}
        for e, p in enumerate(result.assignment):
            assert p == instance.current[e] or (e, p) in arcs
        assert len(result.assignment) == len(instance.employees)


def test_ttc_is_individually_rational_and_respects_quotas() -> None:
    for seed in range(60):
        instance = random_instance(seed, employees=8, positions=4)
        result = top_trading_cycles(instance)
        assert fairness(instance, result)["ir_violations"] == 0
        counts, start = instance.holders(result), instance.holders()
        for p, n in enumerate(counts):
            assert n <= max(start[p], instance.upper[p])
            assert n >= min(start[p], instance.lower[p])
        for e, p in enumerate(result):
            assert p == instance.current[e] or p in instance.wishes.get(e, [])


def test_da_star_is_individually_rational_without_justified_envy() -> None:
    for seed in range(60):
        instance = random_instance(seed, employees=8, positions=4)
        result = deferred_acceptance_star(instance)
        stats = fairness(instance, result)
        assert stats["ir_violations"] == 0
        assert stats["justified_envy"] == 0


def _rank(instance: Instance, e: int, p: int) -> int:
    order = [*instance.wishes.get(e, []), instance.current[e]]
    return order.index(p) if p in order else len(order)


@pytest.mark.parametrize("seed", range(40))
def test_ttc_is_strategy_proof_by_exhaustive_misreport_search(seed: int) -> None:
    instance = random_instance(seed, employees=5, positions=3, lower_bounds=False)
    truthful = top_trading_cycles(instance)
    for e in range(len(instance.employees)):
        eligible = [a.position for a in instance.arcs if a.employee == e]
        for size in range(len(eligible) + 1):
            for report in itertools.permutations(eligible, size):
                wishes = dict(instance.wishes)
                if report:
                    wishes[e] = list(report)
                else:
                    wishes.pop(e, None)
                lied = Instance(**{**instance.__dict__, "wishes": wishes})
                outcome = top_trading_cycles(lied, market(lied))[e]
                assert _rank(instance, e, outcome) >= _rank(instance, e, truthful[e]), (e, report)


def test_mechanisms_are_deterministic() -> None:
    instance = random_instance(7, employees=10, positions=4)
    assert top_trading_cycles(instance) == top_trading_cycles(instance)
    assert deferred_acceptance_star(instance) == deferred_acceptance_star(instance)
    assert solve_balance(instance).assignment == solve_balance(instance).assignment


@pytest.fixture(scope="module")
def example_plan():
    from decision_support import api

    dataset = api.load_dataset(ROOT / "datasets" / "sawahlunto")
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([ROOT / "rules"])
    return api.make_plan(
        dataset, report, ruleset, api.PlanOptions(engine="reference"), source=ROOT / "datasets" / "sawahlunto"
    )


def test_example_plan_improves_balance_within_the_rules(example_plan) -> None:
    metrics = example_plan.metrics
    assert metrics["transfers"]["total"] == len(example_plan.moves) > 0
    assert metrics["imbalance_after"]["sum_of_squares"] < metrics["imbalance_before"]["sum_of_squares"]
    assert metrics["fairness"]["ir_violations_voluntary"] == 0
    assert len({m.nip for m in example_plan.moves}) == len(example_plan.moves)
    assert all("kuota_formasi_tujuan" in m.rules_passed for m in example_plan.moves)
    assert metrics["operational"]["repairs"] == 0


def test_plan_file_is_a_scenario_proposal(example_plan, tmp_path) -> None:
    import yaml

    from decision_support import api
    from decision_support.simulation.scenario import PlanFile

    text = api.render_plan(example_plan)
    loaded = PlanFile.model_validate(yaml.safe_load(text))
    assert [m.nip for m in loaded.moves] == [m.nip for m in example_plan.moves]
