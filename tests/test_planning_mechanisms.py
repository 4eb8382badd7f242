"""The voluntary stage under minimum staffing: Pareto efficiency among applicants, checked by brute force,
and what a misreport can gain (exhaustively, on markets with binding bounds)."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from decision_support.planning.instance import Arc, Instance, wish_cost
from decision_support.planning.mechanisms import market, top_trading_cycles


def swap_market() -> Instance:
    """Issue 10: E0 holds A, E1 holds B (both at minimum staffing 1); C has one free seat; E0 wishes [C, B]."""
    return Instance(
        positions=["A", "B", "C"],
        units=["UA", "UB", "UC"],
        employees=["E0", "E1"],
        current=[0, 1],
        target=[1, 1, 1],
        low=[1, 1, 1],
        high=[1, 1, 1],
        lower=[1, 1, 0],
        upper=[2, 2, 2],
        arcs=[Arc(0, 2, wish_cost(1), 1), Arc(0, 1, wish_cost(2), 2), Arc(1, 0, wish_cost(1), 1)],
        wishes={0: [2, 1], 1: [0]},
    )


def test_ttc_trades_a_swap_below_a_wish_nobody_may_take() -> None:
    """Before the fix E0 pointed to herself (C had only free seats nobody could take) and both stayed."""
    instance = swap_market()
    assert market(instance).vacancies == [0, 0, 1]
    assert top_trading_cycles(instance) == [1, 0]


def rank(instance: Instance, e: int, p: int) -> int:
    """Position of ``p`` in e's true order (wishes, then the current post); lower is better."""
    order = [*instance.wishes.get(e, []), instance.current[e]]
    return order.index(p) if p in order else len(order)


def feasible_outcomes(instance: Instance) -> list[list[int]]:
    """Every assignment the voluntary stage could choose: applicants take a wish or stay, within the seats
    the market offers (holders plus vacancies) and never below a minimum the position met before."""
    seats = [h + v for h, v in zip(instance.holders(), market(instance).vacancies, strict=True)]
    floor = [min(h, low) for h, low in zip(instance.holders(), instance.lower, strict=True)]
    choices = [[instance.current[e], *instance.wishes.get(e, [])] for e in range(len(instance.employees))]
    out = []
    for combo in itertools.product(*choices):
        counts = instance.holders(list(combo))
        if all(floor[p] <= counts[p] <= seats[p] for p in range(len(counts))):
            out.append(list(combo))
    return out


def pareto_improvement(instance: Instance, assignment: list[int]) -> list[int] | None:
    """A feasible assignment every applicant likes at least as much and someone strictly more, if any."""
    base = [rank(instance, e, p) for e, p in enumerate(assignment)]
    for other in feasible_outcomes(instance):
        ranks = [rank(instance, e, p) for e, p in enumerate(other)]
        if all(r <= b for r, b in zip(ranks, base, strict=True)) and ranks != base:
            return other
    return None


def bounded_market(seed: int, employees: int = 6, positions: int = 4) -> Instance:
    """A random market where most positions sit at their minimum staffing (the bound binds)."""
    rng = random.Random(seed)
    current = [rng.randrange(positions) for _ in range(employees)]
    holders = [current.count(p) for p in range(positions)]
    target = [h + rng.randint(-1, 2) for h in holders]
    arcs, wishes = [], {}
    for e in range(employees):
        others = [p for p in range(positions) if p != current[e]]
        ranked = rng.sample(others, rng.randint(0, len(others)))
        arcs += [Arc(e, p, wish_cost(r), r) for r, p in enumerate(ranked, 1)]
        if ranked:
            wishes[e] = ranked
    lower = [h if rng.random() < 0.7 else max(0, h - 1) for h in holders]
    return Instance(
        positions=[f"P{p}" for p in range(positions)],
        units=[f"U{p}" for p in range(positions)],
        employees=[f"E{e}" for e in range(employees)],
        current=current,
        target=[max(0, t) for t in target],
        low=[max(0, t) for t in target],
        high=[max(0, t) for t in target],
        lower=lower,
        upper=[employees] * positions,
        arcs=arcs,
        priority=[rng.random() for _ in range(employees)],
        wishes=wishes,
    )


@pytest.mark.parametrize("seed", range(150))
def test_ttc_is_pareto_efficient_among_applicants_under_minimum_staffing(seed: int) -> None:
    instance = bounded_market(seed)
    result = top_trading_cycles(instance)
    assert result in feasible_outcomes(instance)
    assert pareto_improvement(instance, result) is None


def misreports(instance: Instance, e: int) -> list[Instance]:
    eligible = [a.position for a in instance.arcs if a.employee == e]
    out = []
    for size in range(len(eligible) + 1):
        for report in itertools.permutations(eligible, size):
            wishes = {k: v for k, v in instance.wishes.items() if k != e}
            if report:
                wishes[e] = list(report)
            out.append(Instance(**{**instance.__dict__, "wishes": wishes}))
    return out


def gain_from_misreport(instance: Instance) -> tuple[int, list[int]] | None:
    truthful = top_trading_cycles(instance)
    for e in range(len(instance.employees)):
        for lied in misreports(instance, e):
            outcome = top_trading_cycles(lied, market(lied))[e]
            if rank(instance, e, outcome) < rank(instance, e, truthful[e]):
                return e, lied.wishes.get(e, [])
    return None


def test_misreporting_no_longer_pays_in_the_issue_market() -> None:
    assert gain_from_misreport(swap_market()) is None


@pytest.mark.parametrize("seed", range(80))
def test_no_misreport_pays_on_markets_with_binding_minimum_staffing(seed: int) -> None:
    """Exhaustive over every report (any ordered subset of the eligible positions) of every applicant."""
    assert gain_from_misreport(bounded_market(seed, employees=6, positions=4)) is None


def lonely_leaver() -> Instance:
    """E0 is the only holder of A (minimum staffing 1) and wishes C, which has a free seat."""
    return Instance(
        positions=["A", "C"],
        units=["UA", "UC"],
        employees=["E0"],
        current=[0],
        target=[1, 1],
        low=[1, 1],
        high=[1, 1],
        lower=[1, 0],
        upper=[1, 1],
        arcs=[Arc(0, 1, wish_cost(1), 1)],
        wishes={0: [1]},
    )


def test_da_star_rows_count_the_bounds_it_breaks() -> None:
    """DA* ignores minimum staffing; its row in the plan says so instead of a comparable mover count."""
    from decision_support.planning.plan import PlanOptions, run_stages

    stages = run_stages(lonely_leaver(), PlanOptions(mode="voluntary"))
    assert stages.mechanisms["da_star"]["movers"] == 1
    assert stages.mechanisms["da_star"]["below_minimum"] == 1
    assert stages.mechanisms["ttc"]["movers"] == 0
    assert stages.mechanisms["ttc"]["below_minimum"] == 0


@pytest.mark.parametrize("seed", range(40))
def test_bound_violations_match_a_direct_count(seed: int) -> None:
    from decision_support.planning.mechanisms import deferred_acceptance_star
    from decision_support.planning.metrics import bound_violations

    instance = bounded_market(seed)
    result = deferred_acceptance_star(instance)
    before, after = instance.holders(), instance.holders(result)
    expected = [p for p in range(len(after)) if after[p] < instance.lower[p] <= before[p]]
    assert bound_violations(instance, result)["below_minimum"] == len(expected)
    assert bound_violations(instance, top_trading_cycles(instance))["below_minimum"] == 0


@pytest.mark.parametrize("seed", range(40))
def test_ttc_keeps_a_move_budget_and_stays_feasible(seed: int) -> None:
    instance = bounded_market(seed, employees=8)
    full = sum(1 for e, p in enumerate(top_trading_cycles(instance)) if p != instance.current[e])
    for budget in range(full + 1):
        result = top_trading_cycles(instance, max_moves=budget)
        assert sum(1 for e, p in enumerate(result) if p != instance.current[e]) <= budget
        assert result in feasible_outcomes(instance)


def test_the_summary_says_when_da_star_is_not_a_feasible_plan() -> None:
    from decision_support import api
    from decision_support.i18n import current_language, set_language
    from decision_support.planning.plan import PlanOptions, run_stages
    from decision_support.planning.planfile import render_summary

    examples = Path(__file__).resolve().parents[1] / "docs" / "examples"
    dataset = api.load_dataset(examples / "contoh")
    ruleset = api.check_rules([examples / "aturan"])
    plan = api.make_plan(dataset, api.analyse_workload(dataset), ruleset, api.PlanOptions(engine="reference"))
    plan.mechanisms = run_stages(lonely_leaver(), PlanOptions(mode="voluntary")).mechanisms
    before = current_language()
    set_language("en")
    try:
        lines = render_summary(plan).splitlines()
    finally:
        set_language(before)
    assert "TTC: 0 movers, justified envy 0" in lines
    expected = "DA*: 1 movers, justified envy 0; not a feasible plan: 1 position below minimum staffing, 0 above"
    assert any(line.startswith(expected) for line in lines)
