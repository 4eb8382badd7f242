"""The balance stage: who moves where so that headcounts come into each position's band.

Model (docs/plan-reference.md; design: planning.md §3): every employee either stays (cost 0) or takes one
eligible arc (cost by wish rank, or the forced-move cost ordered by the published priority); each position's
headcount n_p has a convex imbalance cost ``lam * d(n_p)**2`` where ``d`` is the distance outside the band
[low, high]; quota rules are hard bounds lower <= n_p <= upper.

Without side constraints this is a min-cost flow (employees -> positions -> sink, the convex cost split into
unit increments) solved exactly by OR-Tools. A global move budget or per-unit move caps break the network
structure; then the same model goes to HiGHS (``scipy.optimize.milp``) with a time limit and the gap reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .instance import Instance, distance

#: Increments modelled one by one above max(holders, high); beyond, one arc at the last marginal cost.
EXACT_ABOVE = 20
#: Default weight of one unit of squared imbalance against the preference costs (instance.py).
DEFAULT_LAMBDA = 100


@dataclass(frozen=True)
class BalanceResult:
    """A solved balance stage."""

    assignment: list[int]
    objective: float
    solver: str
    status: str
    #: Relative optimality gap (0 for the exact flow solve; HiGHS's MIP gap otherwise).
    gap: float
    seconds: float


def marginal_costs(count_from: int, count_to: int, low: int, high: int, lam: int) -> list[int]:
    """Imbalance cost of the k-th person at a position, for k = count_from+1 .. count_to (nondecreasing)."""
    return [
        lam * (distance(k, low, high) ** 2 - distance(k - 1, low, high) ** 2)
        for k in range(count_from + 1, count_to + 1)
    ]


@dataclass(frozen=True)
class _Segment:
    position: int
    capacity: int
    cost: int


def _segments(instance: Instance, lam: int) -> list[_Segment]:
    holders = instance.holders()
    indegree = [0] * len(instance.positions)
    for arc in instance.arcs:
        indegree[arc.position] += 1
    out = []
    for p in range(len(instance.positions)):
        lower = instance.lower[p]
        top = min(instance.upper[p], holders[p] + indegree[p])
        if top <= lower:
            continue
        if instance.target[p] is None or lam == 0:
            out.append(_Segment(p, top - lower, 0))
            continue
        exact_top = min(top, max(holders[p], instance.high[p]) + EXACT_ABOVE)
        costs = marginal_costs(lower, exact_top, instance.low[p], instance.high[p], lam)
        out += [_Segment(p, 1, c) for c in costs]
        if top > exact_top:
            out.append(_Segment(p, top - exact_top, costs[-1] if costs else 0))
    return out


def imbalance_cost(instance: Instance, assignment: list[int], lam: int) -> int:
    """lam * sum of squared distances outside the band, over positions with a target."""
    counts = instance.holders(assignment)
    return lam * sum(
        distance(counts[p], instance.low[p], instance.high[p]) ** 2
        for p in range(len(instance.positions))
        if instance.target[p] is not None
    )


def plan_cost(instance: Instance, assignment: list[int], lam: int) -> int:
    """The objective of ``assignment``: preference costs of its moves plus the imbalance cost."""
    cost = {(a.employee, a.position): a.cost for a in instance.arcs}
    moves = sum(cost[(e, p)] for e, p in enumerate(assignment) if p != instance.current[e])
    return moves + imbalance_cost(instance, assignment, lam)


def solve_balance(
    instance: Instance, *, lam: int = DEFAULT_LAMBDA, max_moves: int | None = None, time_limit: float = 30.0
) -> BalanceResult:
    """The cheapest assignment: exact min-cost flow, or HiGHS when side constraints are present."""
    if max_moves is not None or instance.unit_in_cap or instance.unit_out_cap:
        return _solve_milp(instance, lam, max_moves, time_limit)
    return _solve_flow(instance, lam)


def _solve_flow(instance: Instance, lam: int) -> BalanceResult:
    from ortools.graph.python import min_cost_flow

    start = time.perf_counter()
    n, m = len(instance.employees), len(instance.positions)
    sink = n + m
    segments = _segments(instance, lam)
    tails = [*range(n), *(a.employee for a in instance.arcs), *(n + s.position for s in segments)]
    heads = [*(n + p for p in instance.current), *(n + a.position for a in instance.arcs), *([sink] * len(segments))]
    caps = [1] * (n + len(instance.arcs)) + [s.capacity for s in segments]
    costs = [0] * n + [a.cost for a in instance.arcs] + [s.cost for s in segments]
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64), np.array(costs, dtype=np.int64),
    )  # fmt: skip
    supplies = np.zeros(n + m + 1, dtype=np.int64)
    supplies[:n] = 1
    for p in range(m):
        supplies[n + p] = -instance.lower[p]
    supplies[sink] = -(n - sum(instance.lower))
    flow.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow: no feasible plan (status {status})")
    assignment = list(instance.current)
    used = flow.flows(np.arange(n, n + len(instance.arcs), dtype=np.int32))
    for arc, f in zip(instance.arcs, used, strict=True):
        if f:
            assignment[arc.employee] = arc.position
    objective = plan_cost(instance, assignment, lam)
    return BalanceResult(assignment, objective, "ortools-min-cost-flow", "optimal", 0.0, time.perf_counter() - start)


def _solve_milp(instance: Instance, lam: int, max_moves: int | None, time_limit: float) -> BalanceResult:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    start = time.perf_counter()
    n, m = len(instance.employees), len(instance.positions)
    segments = _segments(instance, lam)
    na = len(instance.arcs)
    # Variables: stay x (n), move x (na), segment y (len(segments)).
    nv = n + na + len(segments)
    cost = np.array([0.0] * n + [a.cost for a in instance.arcs] + [s.cost for s in segments])
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def add_row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    by_employee: list[list[tuple[int, float]]] = [[(e, 1.0)] for e in range(n)]
    by_position: list[list[tuple[int, float]]] = [[] for _ in range(m)]
    for e, p in enumerate(instance.current):
        by_position[p].append((e, 1.0))
    for k, arc in enumerate(instance.arcs):
        by_employee[arc.employee].append((n + k, 1.0))
        by_position[arc.position].append((n + k, 1.0))
    for k, seg in enumerate(segments):
        by_position[seg.position].append((n + na + k, -1.0))
    for entries in by_employee:
        add_row(entries, 1, 1)
    for p, entries in enumerate(by_position):
        add_row(entries, instance.lower[p], instance.lower[p])
    if max_moves is not None:
        add_row([(n + k, 1.0) for k in range(na)], 0, max_moves)
    for unit, cap in sorted(instance.unit_in_cap.items()):
        add_row([(n + k, 1.0) for k, a in enumerate(instance.arcs) if instance.units[a.position] == unit], 0, cap)
    for unit, cap in sorted(instance.unit_out_cap.items()):
        entries = [
            (n + k, 1.0) for k, a in enumerate(instance.arcs) if instance.units[instance.current[a.employee]] == unit
        ]
        add_row(entries, 0, cap)
    matrix = coo_array((vals, (rows, cols)), shape=(len(lo), nv)).tocsr()
    upper = np.array([1.0] * (n + na) + [s.capacity for s in segments])
    integrality = np.array([1] * (n + na) + [0] * len(segments))
    result = milp(
        cost, constraints=LinearConstraint(matrix, lo, hi), bounds=Bounds(0, upper), integrality=integrality,
        options={"time_limit": time_limit, "disp": False},
    )  # fmt: skip
    if result.x is None:
        raise RuntimeError(f"HiGHS: no feasible plan ({result.message})")
    assignment = list(instance.current)
    for k, arc in enumerate(instance.arcs):
        if result.x[n + k] > 0.5:
            assignment[arc.employee] = arc.position
    status = "optimal" if result.status == 0 else "time_limit"
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    objective = plan_cost(instance, assignment, lam)
    return BalanceResult(assignment, objective, "highs-milp", status, gap, time.perf_counter() - start)
