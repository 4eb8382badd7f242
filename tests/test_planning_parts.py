"""Solving the balance stage part by part: the parts are exactly the groups of positions no move, unit cap or
learned cut joins, and the combined optimum equals the optimum of one MILP over the whole instance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from decision_support.planning.balance import _solve_milp, plan_cost, solve_balance
from decision_support.planning.cuts import Cut
from decision_support.planning.instance import Arc, Instance, band, forced_cost, wish_cost
from decision_support.planning.parts import parts


@st.composite
def clustered(draw: st.DrawFn) -> tuple[Instance, list[Cut]]:
    """Two to four clusters of positions with moves inside them (sometimes one across), unit caps on units that
    may span clusters, and cuts over a few moves."""
    clusters = draw(st.integers(2, 4))
    m = clusters * 2
    n = draw(st.integers(2, 12))
    current = draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))
    units = [f"U{draw(st.integers(0, m))}" for _ in range(m)]
    target = draw(st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=m, max_size=m))
    bands = [band(t, 10) if t is not None else (0, 0) for t in target]
    arcs = []
    for e in range(n):
        for p in range(m):
            same = p // 2 == current[e] // 2
            if p != current[e] and draw(st.booleans()) and (same or draw(st.integers(0, 9)) == 0):
                arcs.append(Arc(e, p, draw(st.sampled_from([wish_cost(1), forced_cost(0), 120]))))
    holders = [current.count(p) for p in range(m)]
    caps = {u: draw(st.integers(0, 2)) for u in sorted(set(units)) if draw(st.integers(0, 3)) == 0}
    instance = Instance(
        positions=[f"P{p}" for p in range(m)],
        units=units,
        employees=[f"E{e}" for e in range(n)],
        current=current,
        target=target,
        low=[b[0] for b in bands],
        high=[b[1] for b in bands],
        lower=[min(h, draw(st.integers(0, 1))) for h in holders],
        upper=[h + draw(st.integers(0, n)) for h in holders],
        arcs=arcs,
        unit_in_cap=caps,
    )
    cuts = []
    pairs = [(a.employee, a.position) for a in arcs]
    for _ in range(draw(st.integers(0, 2)) if pairs else 0):
        terms = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=3, unique=True))
        triggers = draw(st.lists(st.sampled_from(pairs), max_size=1))
        cuts.append(Cut("r", dict.fromkeys(terms, 1), draw(st.integers(0, 1)), frozenset(triggers), True))
    return instance, cuts


@settings(max_examples=120, deadline=None)
@given(clustered(), st.sampled_from([1, 100]))
def test_parts_reach_the_optimum_of_the_whole(case: tuple[Instance, list[Cut]], lam: int) -> None:
    instance, cuts = case
    whole = _solve_milp(instance, lam, None, 30.0, cuts, frozenset())
    split = solve_balance(instance, lam=lam, cuts=cuts)
    assert split.status == whole.status == "optimal"
    assert split.objective == plan_cost(instance, split.assignment, lam) == whole.objective
    moves = {(e, p) for e, p in enumerate(split.assignment) if p != instance.current[e]}
    assert all(cut.holds(moves) for cut in cuts)
    for unit, cap in instance.unit_in_cap.items():
        assert sum(1 for _e, p in moves if instance.units[p] == unit) <= cap


@settings(max_examples=120, deadline=None)
@given(clustered())
def test_parts_are_what_no_move_cap_or_cut_joins(case: tuple[Instance, list[Cut]]) -> None:
    """Checked against a plain graph search over the same joins (not the union-find of the module)."""
    instance, cuts = case
    edges: dict[int, set[int]] = {p: set() for p in range(len(instance.positions))}

    def join(a: int, b: int) -> None:
        edges[a].add(b)
        edges[b].add(a)

    for arc in instance.arcs:
        join(instance.current[arc.employee], arc.position)
    for unit in instance.unit_in_cap:
        members = [p for p, u in enumerate(instance.units) if u == unit]
        for p in members:
            join(members[0], p)
    for cut in cuts:
        ends = [q for e, p in (*cut.terms, *cut.triggers) for q in (instance.current[e], p)]
        for q in ends:
            join(ends[0], q)
    seen: set[int] = set()
    expected = []
    for start in range(len(instance.positions)):
        if start in seen:
            continue
        group, stack = set(), [start]
        while stack:
            p = stack.pop()
            if p not in group:
                group.add(p)
                stack.extend(edges[p] - group)
        seen |= group
        if any(instance.current[a.employee] in group for a in instance.arcs):
            expected.append(sorted(group))
    found = parts(instance, cuts)
    assert sorted(part.positions for part in found) == sorted(expected)
    for part in found:
        assert sorted(part.employees) == [e for e, p in enumerate(instance.current) if p in part.positions]
        assert len(part.instance.arcs) == sum(1 for a in instance.arcs if a.position in part.positions)
