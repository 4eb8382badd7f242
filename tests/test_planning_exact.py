"""The balance stage is exact: checked against an independent MILP (one binary per possible headcount).

The planner prices the convex imbalance cost as unit increments of a min-cost flow (or of a HiGHS model with
side constraints). The reference model here is built differently: for every position, one binary variable
per headcount it could reach, with the cost ``lam * d(k)**2`` of that headcount; so a mistake in the
increments (a flat rate for large inflows, a missing segment) shows as a different optimum.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

from decision_support.planning.balance import plan_cost, solve_balance
from decision_support.planning.instance import Arc, Instance, band, distance, forced_cost, wish_cost


def reproducer() -> Instance:
    """Issue 10: 60 holders at a post with target 10, none at a post with target 1, all may move, cost 100."""
    targets = [10, 1]
    bands = [band(t, 10) for t in targets]
    return Instance(
        positions=["A", "B"],
        units=["U", "U"],
        employees=[f"E{e}" for e in range(60)],
        current=[0] * 60,
        target=targets,
        low=[b[0] for b in bands],
        high=[b[1] for b in bands],
        lower=[0, 0],
        upper=[60, 60],
        arcs=[Arc(e, 1, 100) for e in range(60)],
    )


def test_large_inflows_are_priced_exactly() -> None:
    """Before the fix: 29 moved for 115,800 reported as optimal; the optimum moves 25 for 113,000."""
    instance = reproducer()
    for max_moves in (None, 60):
        result = solve_balance(instance, lam=100, max_moves=max_moves)
        moved = sum(1 for p in result.assignment if p == 1)
        assert (moved, result.objective, result.status) == (25, 113_000, "optimal")
    assert reference_optimum(instance, 100) == 113_000


def reference_optimum(instance: Instance, lam: int, max_moves: int | None = None) -> int | None:
    """The optimum by a one-hot headcount MILP (HiGHS), or None when no plan is feasible."""
    n, m = len(instance.employees), len(instance.positions)
    arcs = instance.arcs
    counts = [range(instance.lower[p], instance.upper[p] + 1) for p in range(m)]
    offsets = np.cumsum([0, *(len(c) for c in counts)])
    nv = n + len(arcs) + int(offsets[-1])
    cost = np.zeros(nv)
    for k, arc in enumerate(arcs):
        cost[n + k] = arc.cost
    for p in range(m):
        for j, c in enumerate(counts[p]):
            if instance.target[p] is not None:
                cost[n + len(arcs) + offsets[p] + j] = lam * distance(c, instance.low[p], instance.high[p]) ** 2
    rows = n + 2 * m + (max_moves is not None)
    a = lil_array((rows, nv))
    lo, hi = np.zeros(rows), np.zeros(rows)
    for e in range(n):
        a[e, e] = 1
    for k, arc in enumerate(arcs):
        a[arc.employee, n + k] = 1
    lo[:n] = hi[:n] = 1
    for e, p in enumerate(instance.current):
        a[n + p, e] = 1
    for k, arc in enumerate(arcs):
        a[n + arc.position, n + k] = 1
    for p in range(m):
        for j, c in enumerate(counts[p]):
            a[n + p, n + len(arcs) + offsets[p] + j] = -c  # holders = the chosen headcount
            a[n + m + p, n + len(arcs) + offsets[p] + j] = 1  # exactly one headcount
        lo[n + m + p] = hi[n + m + p] = 1
    if max_moves is not None:
        for k in range(len(arcs)):
            a[rows - 1, n + k] = 1
        hi[rows - 1] = max_moves
    result = milp(cost, constraints=LinearConstraint(a.tocsr(), lo, hi), bounds=Bounds(0, 1), integrality=np.ones(nv))
    return None if result.x is None else round(result.fun)


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    m = draw(st.integers(2, 4))
    n = draw(st.integers(1, 14))
    current = draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))
    holders = [current.count(p) for p in range(m)]
    target = draw(st.lists(st.one_of(st.none(), st.integers(0, 8)), min_size=m, max_size=m))
    pct = draw(st.sampled_from([0, 10, 30]))
    bands = [band(t, pct) if t is not None else (0, 0) for t in target]
    arcs = []
    for e in range(n):
        for p in range(m):
            if p != current[e] and draw(st.booleans()):
                arcs.append(Arc(e, p, draw(st.sampled_from([wish_cost(1), wish_cost(3), forced_cost(0), 120]))))
    lower = [min(h, draw(st.integers(0, 2))) for h in holders]
    upper = [h + draw(st.integers(0, n)) for h in holders]
    return Instance(
        positions=[f"P{p}" for p in range(m)],
        units=[f"U{p % 2}" for p in range(m)],
        employees=[f"E{e}" for e in range(n)],
        current=current,
        target=target,
        low=[b[0] for b in bands],
        high=[b[1] for b in bands],
        lower=lower,
        upper=upper,
        arcs=arcs,
    )


@settings(max_examples=150, deadline=None)
@given(instances(), st.sampled_from([1, 30, 100, 1000]), st.one_of(st.none(), st.integers(0, 6)))
def test_balance_optimum_equals_an_independent_milp(instance: Instance, lam: int, max_moves: int | None) -> None:
    result = solve_balance(instance, lam=lam, max_moves=max_moves)
    assert result.status == "optimal" and result.gap == 0
    assert result.objective == plan_cost(instance, result.assignment, lam)
    assert result.objective == reference_optimum(instance, lam, max_moves)
