"""Evaluate rule packs for (employee, target position) pairs of a dataset, with either engine.

:class:`PairFacts` derives the facts of a pair from the dataset and its workload
analysis, caching what belongs to one employee or one position. The engine then
decides each rule's outcome; :func:`~.outcomes.decide` turns outcomes into a
verdict, a score and reasons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ..errors import SeimbangError
from ..i18n import _
from ..models import Dataset, Employee
from ..workload import WorkloadReport
from .facts import (
    Facts,
    PositionContext,
    check_types,
    context_facts,
    employee_facts,
    move_facts,
    position_facts,
    quota_facts,
)
from .language import Calendar, RulePack
from .outcomes import Decision, Outcome, decide

ENGINES = ("durable", "reference")


class Engine(Protocol):
    """What both engines offer: per-rule outcomes for one set of facts."""

    name: str

    def evaluate(self, packs: list[RulePack], facts: Facts, *, coarse: bool = False) -> dict[str, Outcome]: ...


def get_engine(name: str) -> Engine:
    """The engine called ``name``: ``durable`` (the default) or ``reference`` (for diagnosis)."""
    if name == "reference":
        from .reference import ReferenceEngine

        return ReferenceEngine()
    if name == "durable":
        from .durable_engine import DurableEngine

        return DurableEngine.instance()
    raise ValueError(f"engine must be one of {ENGINES}, not {name!r}")


class UnknownEntity(SeimbangError):
    """A NIP or position id given on the command line is not in the dataset."""


@dataclass
class PairFacts:
    """Facts of employee/target pairs for one dataset on one date, cached per employee and position."""

    dataset: Dataset
    report: WorkloadReport
    as_of: date
    calendar: Calendar | None = None
    #: The employees considered (one local government's); None: every employee of the dataset.
    nips: frozenset[str] | None = None
    #: The position context, when another PairFacts of the same dataset and report has it already.
    shared_ctx: PositionContext | None = None

    def __post_init__(self) -> None:
        self.ctx = self.shared_ctx or PositionContext.build(self.dataset, self.report)
        self.context = context_facts(self.as_of, self.calendar)
        chosen = (
            self.dataset.employees if self.nips is None else [e for e in self.dataset.employees if e.nip in self.nips]
        )
        self.employees: dict[str, Employee] = {e.nip: e for e in chosen}
        self._local = self.dataset.position_local_government
        self._employee: dict[str, Facts] = {}
        self._origin: dict[str, Facts] = {}
        self._target: dict[str, Facts] = {}
        self._target_with_context: dict[str, Facts] = {}

    def employee(self, nip: str) -> Employee:
        if nip not in self.employees:
            raise UnknownEntity(_("NIP {nip} is not in the dataset").format(nip=nip))
        return self.employees[nip]

    def employee_side(self, nip: str) -> Facts:
        """Facts about the employee and the current position (and the date)."""
        if nip not in self._employee:
            employee = self.employee(nip)
            origin = self._position_side("origin", employee.position, self._origin)
            post = self.ctx.positions.get(employee.position)
            facts = employee_facts(employee, self.as_of, post)
            if employee.position in self._local:
                facts["employee.local_government"] = self._local[employee.position]
            self._employee[nip] = _typed({**facts, **origin, **self.context})
        return self._employee[nip]

    def target_side(self, position: str) -> Facts:
        """Facts about the target position (and the date)."""
        if position not in self._target_with_context:
            facts = {**self._position_side("target", position, self._target), **self.context}
            if position in self._local:
                facts["target.local_government"] = self._local[position]
            self._target_with_context[position] = _typed(facts)
        return self._target_with_context[position]

    def _position_side(self, side: str, position: str, cache: dict[str, Facts]) -> Facts:
        if position not in cache:
            if position not in self.ctx.positions:
                raise UnknownEntity(_("position {id} is not in the dataset").format(id=position))
            cache[position] = position_facts(side, self.ctx.positions[position], self.ctx, self.as_of)
        return cache[position]

    def pair(self, nip: str, position: str, quota: Facts | None = None) -> Facts:
        """All facts of moving ``nip`` to ``position`` (with ``quota`` facts for a set of moves)."""
        emp = self.employee_side(nip)
        target = self.target_side(position)
        origin = {k: v for k, v in emp.items() if k.startswith("origin.")}
        pair = move_facts(self.employee(nip), emp, origin, target, self.ctx)
        pair.update(quota if quota is not None else self.single_move_quota(nip, position))
        return {**emp, **target, **_typed(pair)}

    def single_move_quota(self, nip: str, position: str) -> Facts:
        """Quota facts when this move is the only one proposed."""
        origin = self.employee(nip).position
        holders = self.ctx.holders
        same = origin == position
        return quota_facts(
            origin_after=holders[origin] - (0 if same else 1),
            target_after=holders[position] + (0 if same else 1),
            into_target_unit=0 if same else 1,
            out_of_origin_unit=0 if same else 1,
        )


#: One proposed move: (NIP, id of the target position).
Move = tuple[str, str]


class ProposalError(SeimbangError):
    """A proposal names the same employee twice: its quotas would be counted wrong."""


def proposal_quota(pairs: PairFacts, moves: Sequence[Move]) -> dict[str, Facts]:
    """``quota.*`` facts of each move (by NIP) after all ``moves`` of one proposal together.

    Holders are counted after every move at once, so a rotation (A to B's post and B to A's) leaves
    both posts at their holders of today: quotas judge the proposal, not each move alone. A move to
    the employee's own post changes nothing.
    """
    seen: set[str] = set()
    for nip, position in moves:
        if nip in seen:
            raise ProposalError(_("NIP {nip} appears twice in the proposal").format(nip=nip))
        seen.add(nip)
        pairs.employee(nip)
        if position not in pairs.ctx.positions:
            raise UnknownEntity(_("position {id} is not in the dataset").format(id=position))
    positions = pairs.ctx.positions
    holders = Counter(pairs.ctx.holders)
    into_unit: Counter[str] = Counter()
    out_of_unit: Counter[str] = Counter()
    for nip, position in moves:
        origin = pairs.employee(nip).position
        if origin == position:
            continue
        holders[origin] -= 1
        holders[position] += 1
        into_unit[positions[position].unit] += 1
        out_of_unit[positions[origin].unit] += 1
    quota = {}
    for nip, position in moves:
        origin = pairs.employee(nip).position
        quota[nip] = quota_facts(
            origin_after=holders[origin],
            target_after=holders[position],
            into_target_unit=into_unit[positions[position].unit],
            out_of_origin_unit=out_of_unit[positions[origin].unit],
        )
    return quota


def _typed(facts: Facts) -> Facts:
    """``facts`` after checking every value has its declared type.

    durable_rules compares a string with a number silently and lexically, so a
    mistyped fact is a bug upstream that must never reach an engine.
    """
    wrong = check_types(facts)
    if wrong:
        raise AssertionError(f"mistyped facts: {wrong}")
    return facts


def evaluate_pair(
    engine: Engine,
    packs: list[RulePack],
    pairs: PairFacts,
    nip: str,
    position: str,
    *,
    explain: bool = True,
    others: Sequence[Move] = (),
) -> Decision:
    """The decision for one move; with ``others``, its quotas count the proposal's other moves too."""
    quota = proposal_quota(pairs, [(nip, position), *others])[nip] if others else None
    facts = pairs.pair(nip, position, quota)
    return decide(packs, engine.evaluate(packs, facts), facts, explain=explain)
