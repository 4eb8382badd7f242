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

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .cuts import Cut
from .instance import Instance, distance
from .parts import parts

#: Default weight of one unit of squared imbalance against the preference costs (instance.py).
DEFAULT_LAMBDA = 100


class Infeasible(RuntimeError):
    """No assignment satisfies the bounds and the constraints (or none was found within the time limit)."""


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
    #: Independent parts solved one by one (:mod:`.parts`); 1 when solved as one problem.
    parts: int = 1


@dataclass(frozen=True)
class _Segments:
    """Arcs position -> sink that price the imbalance: one per run of equal marginal costs."""

    position: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray

    def __len__(self) -> int:
        return len(self.position)


def floors(instance: Instance) -> list[int]:
    """The least headcount each position can have: its quota minimum, and its holders who cannot leave."""
    holders = instance.holders()
    movable = [0] * len(instance.positions)
    for e in {a.employee for a in instance.arcs}:
        movable[instance.current[e]] += 1
    return [max(instance.lower[p], holders[p] - movable[p]) for p in range(len(instance.positions))]


def ceilings(instance: Instance) -> list[int]:
    """The largest headcount each position can have: its quota cap, and its holders plus its eligible arcs."""
    m = len(instance.positions)
    indegree = np.bincount(np.array([a.position for a in instance.arcs], dtype=np.int64), minlength=m)
    holders = instance.holders()
    return [min(instance.upper[p], holders[p] + int(indegree[p])) for p in range(m)]


def _segments(instance: Instance, lam: int, floor: list[int]) -> _Segments:
    """The convex imbalance cost as unit increments over the whole feasible range [floor, ceiling].

    Every increment a plan can use is priced at its exact marginal cost (the zero-cost increments inside the
    band merged into one arc), so the flow optimum is the optimum of the convex objective: nothing is
    approximated. The k-th person costs ``lam * (d(k)**2 - d(k-1)**2)``: ``-lam * (2 * (low - k) + 1)`` below
    the band, 0 inside it, ``lam * (2 * (k - high) - 1)`` above it.
    """
    positions, capacities, costs = [], [], []
    for p, top in enumerate(ceilings(instance)):
        bottom = floor[p]
        if top <= bottom:
            continue
        if instance.target[p] is None or lam == 0:
            positions.append(np.array([p]))
            capacities.append(np.array([top - bottom]))
            costs.append(np.array([0]))
            continue
        low, high = instance.low[p], instance.high[p]
        below = np.arange(bottom + 1, min(top, low) + 1)
        inside = min(top, high) - max(bottom, low)
        above = np.arange(max(bottom, high) + 1, top + 1)
        parts = [-lam * (2 * (low - below) + 1), np.zeros(max(0, min(1, inside)), dtype=np.int64)]
        parts.append(lam * (2 * (above - high) - 1))
        cost = np.concatenate(parts).astype(np.int64)
        capacity = np.concatenate([np.ones(len(below)), [inside] if inside > 0 else [], np.ones(len(above))])
        positions.append(np.full(len(cost), p))
        capacities.append(capacity.astype(np.int64))
        costs.append(cost)
    if not positions:
        return _Segments(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    return _Segments(np.concatenate(positions), np.concatenate(capacities), np.concatenate(costs))


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
    instance: Instance,
    *,
    lam: int = DEFAULT_LAMBDA,
    max_moves: int | None = None,
    time_limit: float = 30.0,
    cuts: Sequence[Cut] = (),
    fixed: frozenset[tuple[int, int]] = frozenset(),
) -> BalanceResult:
    """The cheapest assignment: exact min-cost flow, or HiGHS when side constraints are present.

    ``cuts`` are constraints learned from quota rules (:mod:`.cuts`) over moves (employee, position) of the
    whole plan; ``fixed`` are moves made before this stage (the voluntary stage), which count as made. Without a
    move budget, side constraints are solved part by part (:mod:`.parts`), each part with ``time_limit``.
    """
    if max_moves is not None:
        return _solve_milp(instance, lam, max_moves, time_limit, cuts, fixed)
    if instance.unit_in_cap or instance.unit_out_cap or cuts:
        return _solve_parts(instance, lam, time_limit, cuts, fixed)
    return _solve_flow(instance, lam)


def _solve_parts(
    instance: Instance, lam: int, time_limit: float, cuts: Sequence[Cut], fixed: frozenset[tuple[int, int]]
) -> BalanceResult:
    """Each independent part on its own (flow where it has no side constraint), combined: the optimum when every
    part is optimal; otherwise the parts' absolute gaps add up to the reported one."""
    start = time.perf_counter()
    assignment = list(instance.current)
    results = []
    for part in parts(instance, cuts, fixed):
        sub = part.instance
        if sub.unit_in_cap or sub.unit_out_cap or part.cuts:
            result = _solve_milp(sub, lam, None, time_limit, part.cuts, part.fixed)
        else:
            result = _solve_flow(sub, lam)
        for e, p in enumerate(result.assignment):
            assignment[part.employees[e]] = part.positions[p]
        results.append(result)
    objective = plan_cost(instance, assignment, lam)
    status = "optimal" if all(r.status == "optimal" for r in results) else "time_limit"
    slack = sum(r.gap * abs(r.objective) for r in results)
    gap = slack / abs(objective) if slack and objective else (math.inf if slack else 0.0)
    solver = "highs-milp" if any(r.solver == "highs-milp" for r in results) else "ortools-min-cost-flow"
    return BalanceResult(assignment, objective, solver, status, gap, time.perf_counter() - start, len(results))


def _solve_flow(instance: Instance, lam: int) -> BalanceResult:
    from ortools.graph.python import min_cost_flow

    start = time.perf_counter()
    n, m = len(instance.employees), len(instance.positions)
    sink = n + m
    floor = floors(instance)
    segments = _segments(instance, lam, floor)
    arc_tails = np.array([a.employee for a in instance.arcs], dtype=np.int64)
    arc_heads = np.array([n + a.position for a in instance.arcs], dtype=np.int64)
    tails = np.concatenate([np.arange(n), arc_tails, n + segments.position]).astype(np.int32)
    heads = np.concatenate([n + np.array(instance.current), arc_heads, np.full(len(segments), sink)])
    caps = np.concatenate([np.ones(n + len(instance.arcs), dtype=np.int64), segments.capacity])
    arc_costs = np.array([a.cost for a in instance.arcs], dtype=np.int64)
    costs = np.concatenate([np.zeros(n, dtype=np.int64), arc_costs, segments.cost])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads.astype(np.int32), caps, costs)
    supplies = np.zeros(n + m + 1, dtype=np.int64)
    supplies[:n] = 1
    for p in range(m):
        supplies[n + p] = -floor[p]
    supplies[sink] = -(n - sum(floor))
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


def _solve_milp(
    instance: Instance,
    lam: int,
    max_moves: int | None,
    time_limit: float,
    cuts: Sequence[Cut],
    fixed: frozenset[tuple[int, int]],
) -> BalanceResult:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    start = time.perf_counter()
    n, m = len(instance.employees), len(instance.positions)
    floor = floors(instance)
    segments = _segments(instance, lam, floor)
    na = len(instance.arcs)
    # Variables: stay x (n), move x (na), segment y (len(segments)).
    nv = n + na + len(segments)
    cost = np.concatenate([np.zeros(n), [a.cost for a in instance.arcs], segments.cost]).astype(float)
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
    for k, position in enumerate(segments.position.tolist()):
        by_position[position].append((n + na + k, -1.0))
    for entries in by_employee:
        add_row(entries, 1, 1)
    for p, entries in enumerate(by_position):
        add_row(entries, floor[p], floor[p])
    if max_moves is not None:
        add_row([(n + k, 1.0) for k in range(na)], 0, max_moves)
    for unit, cap in sorted(instance.unit_in_cap.items()):
        add_row([(n + k, 1.0) for k, a in enumerate(instance.arcs) if instance.units[a.position] == unit], 0, cap)
    for unit, cap in sorted(instance.unit_out_cap.items()):
        entries = [
            (n + k, 1.0) for k, a in enumerate(instance.arcs) if instance.units[instance.current[a.employee]] == unit
        ]
        add_row(entries, 0, cap)
    index = {(a.employee, a.position): n + k for k, a in enumerate(instance.arcs)}
    switches = 0  # one binary per conditional cut: 1 when one of its triggers is made
    for cut in cuts:
        row = _cut_row(cut, index, fixed)
        if row is None:
            continue
        entries, rhs, triggers = row
        if not triggers:
            add_row(entries, -np.inf, rhs)
            continue
        z = nv + switches
        switches += 1
        for t in triggers:
            add_row([(t, 1.0), (z, -1.0)], -np.inf, 0)
        big = max(0.0, sum(c for _, c in entries if c > 0) - rhs)
        add_row([*entries, (z, big)], -np.inf, rhs + big)
    nv += switches
    cost = np.concatenate([cost, np.zeros(switches)])
    matrix = coo_array((vals, (rows, cols)), shape=(len(lo), nv)).tocsr()
    upper = np.concatenate([np.ones(n + na), segments.capacity, np.ones(switches)]).astype(float)
    integrality = np.array([1] * (n + na) + [0] * len(segments) + [1] * switches)
    result = milp(
        cost, constraints=LinearConstraint(matrix, lo, hi), bounds=Bounds(0, upper), integrality=integrality,
        options={"time_limit": time_limit, "disp": False},
    )  # fmt: skip
    if result.x is None:
        raise Infeasible(f"HiGHS: no feasible plan ({result.message})")
    assignment = list(instance.current)
    for k, arc in enumerate(instance.arcs):
        if result.x[n + k] > 0.5:
            assignment[arc.employee] = arc.position
    status = "optimal" if result.status == 0 else "time_limit"
    gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    objective = plan_cost(instance, assignment, lam)
    return BalanceResult(assignment, objective, "highs-milp", status, gap, time.perf_counter() - start)


def _cut_row(
    cut: Cut, index: dict[tuple[int, int], int], fixed: frozenset[tuple[int, int]]
) -> tuple[list[tuple[int, float]], float, list[int]] | None:
    """The cut over this stage's variables: entries, right-hand side and the trigger variables.

    Fixed moves count as constants. No trigger variables: the row always holds (no triggers, or a trigger
    already made). None: no trigger can happen in this stage, the cut is void.
    """
    rhs = cut.rhs - sum(c for pair, c in cut.terms.items() if pair in fixed)
    coef: dict[int, float] = {}
    for pair, c in cut.terms.items():
        if pair in index:
            coef[index[pair]] = coef.get(index[pair], 0.0) + c
    triggers: list[int] = []
    if cut.triggers and not cut.triggers & fixed:
        triggers = sorted(index[t] for t in cut.triggers if t in index)
        if not triggers:
            return None
    return sorted(coef.items()), rhs, triggers
