"""The planning problem in solver terms: employees, positions, eligible arcs, bands and quota bounds.

Everything here is plain integers and lists, so the algorithms (:mod:`.balance`, :mod:`.mechanisms`) can be
tested on small hand-made or random instances and checked against brute force. :mod:`.build` turns a dataset,
its workload analysis and the rule packs into an :class:`Instance`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

#: Cost of staying in the current post.
STAY_COST = 0
#: Cost of a move to the employee's r-th wish: WISH_BASE + r.
WISH_BASE = 10
#: Cost of a move the employee did not ask for, before the published priority offset (0 .. FORCED_SPREAD - 1).
FORCED_BASE = 100
FORCED_SPREAD = 50
#: Extra cost of an unrequested move the employee objected to (to the target unit or to any move): above every
#: other forced move, so the balance stage takes it only where no move without an objection does as well.
OBJECTION_COST = 100


def wish_cost(rank: int) -> int:
    """Preference cost of a move to the employee's ``rank``-th wish (1 = most wanted)."""
    return WISH_BASE + rank


def forced_cost(offset: int, objected: bool = False) -> int:
    """Preference cost of an unrequested move; ``offset`` orders forced moves by the published rule.

    ``objected``: the employee stated an objection to this move (participation), which costs
    :data:`OBJECTION_COST` more.
    """
    return FORCED_BASE + max(0, min(FORCED_SPREAD - 1, offset)) + (OBJECTION_COST if objected else 0)


@dataclass(frozen=True)
class Arc:
    """An eligible move: every filter rule passed for ``employee`` -> ``position``."""

    employee: int
    position: int
    cost: int
    #: Rank of the wish the target unit answers (None: not requested).
    wish_rank: int | None = None
    #: The rule score of the move (explains the forced-move order).
    score: float = 0.0


@dataclass
class Instance:
    """One planning problem. Positions and employees are indices into ``positions`` and ``employees``."""

    positions: list[str]
    #: The unit of each position.
    units: list[str]
    employees: list[str]
    #: Current position of each employee.
    current: list[int]
    #: ABK (or teacher-rule) target headcount per position; None: no target, no imbalance cost.
    target: list[int | None]
    #: Tolerance band [low, high] around the target (ignored where the target is None).
    low: list[int]
    high: list[int]
    #: Hard bounds from quota rules on the holders after the plan.
    lower: list[int]
    upper: list[int]
    #: Eligible moves (never to the current post).
    arcs: list[Arc]
    #: Published priority of each employee (higher first): orders vacancies' choices and forced moves.
    priority: list[float] = field(default_factory=list)
    #: Applicants: employee -> eligible wished positions, most wanted first (all preferred to the current post).
    wishes: dict[int, list[int]] = field(default_factory=dict)
    #: Quota caps on moves into / out of a unit (side constraints: solved with HiGHS).
    unit_in_cap: dict[str, int] = field(default_factory=dict)
    unit_out_cap: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.priority:
            self.priority = [0.0] * len(self.employees)

    def holders(self, assignment: list[int] | None = None) -> list[int]:
        """Headcount per position under ``assignment`` (default: today)."""
        counts = Counter(self.current if assignment is None else assignment)
        return [counts[p] for p in range(len(self.positions))]

    def arcs_by_employee(self) -> dict[int, list[Arc]]:
        out: dict[int, list[Arc]] = {}
        for arc in self.arcs:
            out.setdefault(arc.employee, []).append(arc)
        return out

    def without(self, banned: set[tuple[int, int]]) -> Instance:
        """A copy without the arcs ``(employee, position)`` in ``banned`` (and without those wishes)."""
        arcs = [a for a in self.arcs if (a.employee, a.position) not in banned]
        wishes = {e: [p for p in ps if (e, p) not in banned] for e, ps in self.wishes.items()}
        return _replace(self, arcs=arcs, wishes=wishes)

    def unwished(self, pairs: set[tuple[int, int]]) -> Instance:
        """A copy where the applicants no longer list the positions in ``pairs`` (the arcs stay)."""
        wishes = {e: [p for p in ps if (e, p) not in pairs] for e, ps in self.wishes.items()}
        return _replace(self, wishes=wishes)

    def frozen(self, employees: set[int]) -> Instance:
        """A copy where ``employees`` have no move arcs (they stay where ``current`` puts them)."""
        arcs = [a for a in self.arcs if a.employee not in employees]
        wishes = {e: ps for e, ps in self.wishes.items() if e not in employees}
        return _replace(self, arcs=arcs, wishes=wishes)

    def moved_to(self, assignment: list[int]) -> Instance:
        """The instance after ``assignment``: it becomes the current state, arcs keep their costs."""
        arcs = [a for a in self.arcs if a.position != assignment[a.employee]]
        return _replace(self, current=list(assignment), arcs=arcs)


def _replace(instance: Instance, **changes: object) -> Instance:
    values = {name: getattr(instance, name) for name in instance.__dataclass_fields__}
    values.update(changes)
    return Instance(**values)


def band(target: int, pct: float) -> tuple[int, int]:
    """The tolerated band around ``target`` for a tolerance of ``pct`` percent (at least +-0 people)."""
    return math.floor(target * (1 - pct / 100)), math.ceil(target * (1 + pct / 100))


def distance(count: int, low: int, high: int) -> int:
    """How far ``count`` lies outside [low, high] (0 inside)."""
    return max(low - count, 0, count - high)
