"""Independent parts of a balance problem, solved one by one.

Without a plan-wide move budget, the balance model couples two positions only through a move between them (an
arc from a holder of one to the other), a per-unit move cap (all positions of the unit), or a learned quota cut
(every move it names). Positions joined by none of these form separate parts: the objective is a sum over
positions and moves, and every constraint lies inside one part, so the optimum of the whole is the union of the
optima of the parts. In a province whose moves stay inside each local government, the parts are at most the local
governments: each part's MILP is small, where one MILP over the province would not be.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .cuts import Cut, Pair
from .instance import Arc, Instance

__all__ = ["Part", "parts"]


@dataclass(frozen=True)
class Part:
    """One part as an instance of its own, with the maps back to the whole."""

    instance: Instance
    #: Index in the whole of each of the part's employees and positions.
    employees: list[int]
    positions: list[int]
    cuts: list[Cut]
    fixed: frozenset[Pair]


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, items: Iterable[int]) -> None:
        first = None
        for item in items:
            root = self.find(item)
            if first is None:
                first = root
            elif root != first:
                self.parent[root] = first


def parts(instance: Instance, cuts: Sequence[Cut] = (), fixed: frozenset[Pair] = frozenset()) -> list[Part]:
    """The parts that have at least one move to decide, in order of their first position.

    Positions no arc reaches or leaves have nothing to decide: their headcount is what it is, and the caller
    keeps their employees where they are.
    """
    union = _Union(len(instance.positions))
    for arc in instance.arcs:
        union.join((instance.current[arc.employee], arc.position))
    by_unit: dict[str, list[int]] = {}
    for p, unit in enumerate(instance.units):
        by_unit.setdefault(unit, []).append(p)
    for unit in sorted(set(instance.unit_in_cap) | set(instance.unit_out_cap)):
        union.join(by_unit.get(unit, []))
    for cut in cuts:
        union.join(p for e, target in (*cut.terms, *cut.triggers) for p in (instance.current[e], target))
    with_moves = {union.find(instance.current[a.employee]) for a in instance.arcs}
    groups: dict[int, list[int]] = {}
    for p in range(len(instance.positions)):
        root = union.find(p)
        if root in with_moves:
            groups.setdefault(root, []).append(p)
    members: dict[int, list[int]] = {root: [] for root in groups}
    for e, p in enumerate(instance.current):
        root = union.find(p)
        if root in members:
            members[root].append(e)
    arcs: dict[int, list[Arc]] = {root: [] for root in groups}
    for arc in instance.arcs:
        arcs[union.find(arc.position)].append(arc)
    return [
        _part(instance, positions, members[root], arcs[root], cuts, fixed, union, root)
        for root, positions in groups.items()
    ]


def _part(
    instance: Instance,
    positions: list[int],
    employees: list[int],
    arcs: list[Arc],
    cuts: Sequence[Cut],
    fixed: frozenset[Pair],
    union: _Union,
    root: int,
) -> Part:
    p_of = {p: i for i, p in enumerate(positions)}
    units = {instance.units[p] for p in positions}
    e_of = {e: i for i, e in enumerate(employees)}

    def pair(x: Pair) -> Pair:
        return (e_of[x[0]], p_of[x[1]])

    def ours(cut: Cut) -> bool:
        named = (*cut.terms, *cut.triggers)
        return bool(named) and union.find(instance.current[named[0][0]]) == root

    sub = Instance(
        positions=[instance.positions[p] for p in positions],
        units=[instance.units[p] for p in positions],
        employees=[instance.employees[e] for e in employees],
        current=[p_of[instance.current[e]] for e in employees],
        target=[instance.target[p] for p in positions],
        low=[instance.low[p] for p in positions],
        high=[instance.high[p] for p in positions],
        lower=[instance.lower[p] for p in positions],
        upper=[instance.upper[p] for p in positions],
        arcs=[Arc(e_of[a.employee], p_of[a.position], a.cost, a.wish_rank, a.score) for a in arcs],
        priority=[instance.priority[e] for e in employees],
        wishes={e_of[e]: [p_of[p] for p in ps if p in p_of] for e, ps in instance.wishes.items() if e in e_of},
        unit_in_cap={u: c for u, c in instance.unit_in_cap.items() if u in units},
        unit_out_cap={u: c for u, c in instance.unit_out_cap.items() if u in units},
    )
    own_cuts = [
        Cut(c.rule, {pair(x): v for x, v in c.terms.items()}, c.rhs, frozenset(map(pair, c.triggers)), c.exact)
        for c in cuts
        if ours(c)
    ]
    own_fixed = frozenset(pair(x) for x in fixed if x[0] in e_of and x[1] in p_of)
    return Part(sub, employees, positions, own_cuts, own_fixed)
