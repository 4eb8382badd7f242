"""Rule outcomes shared between the pairs that present a rule with the same situation.

A rule's outcome depends only on the values (and the presence) of the facts it reads. Screening
groups the rules by what they read and, for each group, projects a pair's facts onto that read set:
the employee-side facts, the target-side facts, and the pair-only facts (preferences, competency
gaps). Derived pair facts (``move.same_opd``, ``move.kind``, the single-move quota facts...) are
replaced by the side facts they are computed from. Pairs with the same projection present the
group with the same situation, so the engine (durable_rules, as everywhere) decides it once and
the outcome is shared. Nothing is decided outside the engine: a projection is only a cache key.

Employees and targets are numbered once per group by their projected side facts; a pair's key is
then (employee class, target class, pair-only class), and a need is screened with array lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..models import Employee, Stance
from ..models.participation import any_move_objection, stances
from .evaluation import PairFacts
from .facts import DERIVED, MISSING, Facts, PositionContext, stance_facts
from .facts import _competency_facts as competency_facts
from .language import All, Any_, Compare, Condition, Op, Rule, RulePack
from .outcomes import Outcome, referenced_facts

EMPLOYEE_GROUPS = {"employee", "origin", "context"}
TARGET_GROUPS = {"target", "context"}
#: Pair facts that no side determines: the employee's wish for (or avoidance of) the target unit...
PREFERENCE_FACTS = (
    "move.wished", "move.avoided", "move.wish_rank", "move.objected", "move.objection_reason", "move.wish_reason"
)  # fmt: skip
#: ... and how the employee's competencies meet the target's requirements.
COMPETENCY_FACTS = (
    "move.competency_gap_teknis",
    "move.competency_gap_manajerial",
    "move.competency_gap_sosial_kultural",
    "move.competency_fit",
)

#: Quota facts of a single move as functions of one side each. Screening never considers an
#: employee for the post they hold, so the move always leaves the origin and joins the target.
SINGLE_MOVE_QUOTA: dict[str, tuple[tuple[str, ...], Callable[[Facts], Any]]] = {
    "quota.target_holders_after": (("target.holders",), lambda f: f["target.holders"] + 1),
    "quota.origin_holders_after": (("origin.holders",), lambda f: f["origin.holders"] - 1),
    "quota.moves_into_target_unit": ((), lambda f: 1),
    "quota.moves_out_of_origin_unit": ((), lambda f: 1),
}
DERIVABLE = {**DERIVED, **SINGLE_MOVE_QUOTA}
#: Operators whose outcome on a number or date depends only on its order relative to the constants.
CUT_OPS = {Op.EQ, Op.NE, Op.LT, Op.LTE, Op.GT, Op.GTE, Op.BETWEEN, Op.IN, Op.NOT_IN, Op.EXISTS, Op.MISSING}
#: Marks a fact the pair does not have, inside a projection (None could be confused with a value).
ABSENT = ("absent",)


def _group(name: str) -> str:
    return name.split(".", 1)[0]


@dataclass(frozen=True)
class Reads:
    """What a rule reads, split by where the value comes from.

    Derived pair facts are read as values, computed from their inputs once per distinct input
    (``employee_inputs``, ``target_inputs``): a rule that reads ``move.same_position_name`` sees two
    situations, not one per pair of position names.
    """

    employee: tuple[str, ...]
    target: tuple[str, ...]
    derived: tuple[str, ...]
    employee_inputs: tuple[str, ...]
    target_inputs: tuple[str, ...]
    preference: tuple[str, ...]
    competency: tuple[str, ...]

    @classmethod
    def of(cls, rule: Rule) -> Reads:
        names = list(dict.fromkeys(referenced_facts(rule)))
        derived = sorted(n for n in names if n in DERIVABLE)
        direct = [n for n in names if n not in DERIVABLE]
        inputs = sorted({i for n in derived for i in DERIVABLE[n][0]})
        unknown = {n for n in direct + inputs if _group(n) not in EMPLOYEE_GROUPS | TARGET_GROUPS | {"move"}}
        unknown |= {n for n in direct if _group(n) == "move" and n not in PREFERENCE_FACTS + COMPETENCY_FACTS}
        if unknown:  # a new pair fact must be classified here before screening may share its outcomes
            raise ValueError(f"rule {rule.id} reads pair facts screening cannot project: {sorted(unknown)}")

        def side(facts: list[str], groups: set[str]) -> tuple[str, ...]:
            return tuple(sorted(n for n in facts if _group(n) in groups))

        return cls(
            employee=side(direct, EMPLOYEE_GROUPS),
            target=side(direct, {"target"}),
            derived=tuple(derived),
            employee_inputs=side(inputs, EMPLOYEE_GROUPS),
            target_inputs=side(inputs, {"target"}),
            preference=tuple(sorted(n for n in direct if n in PREFERENCE_FACTS)),
            competency=tuple(sorted(n for n in direct if n in COMPETENCY_FACTS)),
        )

    @property
    def one_sided(self) -> str | None:
        """ "employee" or "target" when the rule reads the facts of one side only."""
        if self.derived or self.preference or self.competency:
            return None
        if not self.target:
            return "employee"
        if all(_group(n) == "context" for n in self.employee):
            return "target"
        return None


class Interner:
    """Numbers distinct hashable values 0, 1, 2... and keeps one representative of each."""

    def __init__(self) -> None:
        self.ids: dict[Hashable, int] = {}
        self.values: list[Any] = []

    def id(self, key: Hashable, value: Any = None) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.values)
            self.values.append(key if value is None else value)
        return found


Cuts = dict[str, tuple[Any, ...]]


def value_cuts(packs: list[RulePack]) -> Cuts:
    """For each fact every rule compares only with constants by a built-in operator, those constants (sorted).

    A rule then cannot tell apart two numbers (or dates) that lie on the same side of each constant: the
    fact's value is only a member of its class. Facts compared with another fact (``ref``), through a
    plugin's operator or with ``contains`` keep their exact values.
    """
    constants: dict[str, set[Any]] = {}
    exact: set[str] = set()
    for pack in packs:
        for rule in pack.rules:
            for condition in (rule.when, rule.require):
                for compare in _compares(condition):
                    if compare.ref is not None or compare.op not in CUT_OPS:
                        exact.add(compare.fact)
                        if compare.ref is not None:
                            exact.add(compare.ref)
                        continue
                    given = compare.value if isinstance(compare.value, list) else [compare.value]
                    constants.setdefault(compare.fact, set()).update(v for v in given if v is not None)
    cuts: Cuts = {}
    for name, values in constants.items():
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        dates = [v for v in values if isinstance(v, date)]
        # One kind of constant only (numbers or dates), and nothing else: a mixed list keeps the values exact.
        if name not in exact and bool(numbers) != bool(dates) and len(numbers) + len(dates) == len(values):
            cuts[name] = tuple(sorted(numbers or dates))
    return cuts


def _compares(condition: Condition | None) -> list[Compare]:
    if condition is None:
        return []
    if isinstance(condition, Compare):
        return [condition]
    if isinstance(condition, All):
        return [c for part in condition.all for c in _compares(part)]
    if isinstance(condition, Any_):
        return [c for part in condition.any for c in _compares(part)]
    return _compares(condition.not_)


def _value_key(value: Any, cuts: tuple[Any, ...] | None) -> Hashable:
    """``value`` itself, or the class of a number or date: its side of each cut (-1, 0, 1)."""
    if cuts is not None and not isinstance(value, bool) and isinstance(value, (int, float, date)):
        try:
            return ("cut", tuple((value > c) - (value < c) for c in cuts))
        except TypeError:  # a value of another type than the constants: kept exact
            pass
    return tuple(value) if isinstance(value, list) else value


def project(facts: Facts, names: tuple[str, ...], cuts: Cuts | None = None) -> tuple[tuple[Any, ...], Facts]:
    """The values of ``names`` in ``facts`` as a hashable key (with ``cuts``: numbers and dates by class), and
    those facts."""
    key = []
    present: Facts = {}
    for name in names:
        if name in facts:
            value = facts[name]
            present[name] = value
            key.append(_value_key(value, cuts.get(name) if cuts else None))
        else:
            key.append(ABSENT)
    return tuple(key), present


def derive(facts: Facts, derived: tuple[str, ...]) -> Facts:
    """The ``derived`` facts computed from ``facts`` (a projection), as :meth:`PairFacts.pair` computes them."""
    out: Facts = {}
    for name in derived:
        inputs, function = DERIVABLE[name]
        # DERIVED functions handle missing inputs themselves; the quota ones need theirs present.
        if name in DERIVED or all(i in facts for i in inputs):
            value = function(facts)
            if value is not MISSING:
                out[name] = value
    return out


@dataclass
class RuleGroup:
    """Rules with the same read set, evaluated together once per distinct situation."""

    reads: Reads
    pack: RulePack
    #: Per employee, the class of the side facts the rules read, and of the inputs of the derived facts.
    employee_ids: np.ndarray | None = None
    input_ids: np.ndarray | None = None
    #: The distinct input classes and each employee's index among them (computed once).
    input_classes: tuple[np.ndarray, np.ndarray] | None = None
    employees: Interner = field(default_factory=Interner)
    inputs: Interner = field(default_factory=Interner)
    targets: Interner = field(default_factory=Interner)
    #: Values of the derived facts (a dict each), by class.
    derived: Interner = field(default_factory=Interner)
    #: (target inputs, employee inputs) -> derived class.
    derived_memo: dict[tuple[Any, int], int] = field(default_factory=dict)
    #: (target class, employee class, derived class, preference class, competency class) -> outcome class.
    memo: dict[tuple[int, ...], int] = field(default_factory=dict)
    #: What decides the group's outcomes for a target -> the outcome class of each employee.
    columns: dict[Hashable, np.ndarray] = field(default_factory=dict)
    #: Outcome classes: the group's outcome tuple (in rule order).
    outcomes: Interner = field(default_factory=Interner)

    @property
    def rules(self) -> list[Rule]:
        return self.pack.rules


def group_rules(packs: list[RulePack]) -> tuple[list[Rule], list[Rule], list[RuleGroup]]:
    """Employee-only rules, target-only rules, and the other rules grouped by read set."""
    employee, target = [], []
    by_reads: dict[Reads, list[Rule]] = {}
    for pack in packs:
        for rule in pack.rules:
            reads = Reads.of(rule)
            side = reads.one_sided
            if side == "employee":
                employee.append(rule)
            elif side == "target":
                target.append(rule)
            else:
                by_reads.setdefault(reads, []).append(rule)
    first = packs[0]
    groups = []
    for i, (reads, rules) in enumerate(by_reads.items()):
        pack = first.model_copy(update={"rules": rules, "pack": f"{first.pack}__pair{i}"})
        groups.append(RuleGroup(reads, pack))
    return employee, target, groups


class PairSituations:
    """The pair-only facts of employees against targets, numbered by distinct value."""

    def __init__(self, employees: list[Employee], ctx: PositionContext) -> None:
        self.employees = employees
        self.ctx = ctx
        self.preferences = Interner()
        self.competencies = Interner()
        self.none_preference = self.preferences.id(*_preference_facts(Stance()))
        self._held = [{c.code: c.level for c in e.competencies} for e in employees]
        self._holders: dict[str, list[int]] = {}
        for i, held in enumerate(self._held):
            for code in held:
                self._holders.setdefault(code, []).append(i)
        self._by_unit: dict[str, list[tuple[int, int]]] = {}
        #: Per employee, the class of a unit they named nothing about (an objection to any move, or none).
        self._default = np.full(len(employees), self.none_preference, dtype=np.int64)
        for i, employee in enumerate(employees):
            general = any_move_objection(employee)
            if general is not None:
                self._default[i] = self.preferences.id(*_preference_facts(Stance(None, general)))
            for unit, stance in stances(employee).items():
                stance = stance if stance.objection is not None else Stance(stance.wish, general)
                self._by_unit.setdefault(unit, []).append((i, self.preferences.id(*_preference_facts(stance))))
        self._preference_ids: dict[str, np.ndarray] = {}
        self._preference_of = {(i, unit): pid for unit, found in self._by_unit.items() for i, pid in found}
        self._competency_ids: dict[tuple[Any, ...], np.ndarray] = {}
        self._profiles: dict[str, tuple[Any, ...]] = {}
        self._level_arrays: dict[str, np.ndarray] = {}

    def preference_id(self, unit: str, row: int) -> int:
        """The class of employee ``row``'s preference facts for ``unit``."""
        return self._preference_of.get((row, unit), self.none_preference)

    def competency_id(self, position: str, row: int) -> int:
        """The class of employee ``row``'s competency facts against ``position``'s requirements."""
        profile = self.profile(position)
        if profile in self._competency_ids:
            return int(self._competency_ids[profile][row])
        facts = competency_facts(self.employees[row], self.ctx.requirements.get(position, {}))
        return self.competencies.id(tuple(sorted(facts.items())), facts)

    def preference_ids(self, unit: str) -> np.ndarray:
        """Per employee, the class of their preference facts for ``unit``."""
        if unit not in self._preference_ids:
            ids = self._default.copy()
            for i, pid in self._by_unit.get(unit, []):
                ids[i] = pid
            self._preference_ids[unit] = ids
        return self._preference_ids[unit]

    def profile(self, position: str) -> tuple[Any, ...]:
        """``position``'s competency requirements, as a key."""
        if position not in self._profiles:
            required = self.ctx.requirements.get(position, {})
            self._profiles[position] = tuple(
                sorted((d.value, code, level) for d, per in required.items() for code, level in per.items())
            )
        return self._profiles[position]

    def competency_ids(self, position: str) -> np.ndarray:
        """Per employee, the class of their competency facts against ``position``'s requirements."""
        required = self.ctx.requirements.get(position, {})
        profile = self.profile(position)
        if profile not in self._competency_ids:
            ids = np.zeros(len(self.employees), dtype=np.int64)
            if len(self.employees):
                # The facts depend only on each required level's shortfall: the level held, capped at the one
                # required (absent: 0). One evaluation per distinct combination, on its first holder.
                columns = [np.minimum(self._levels(code), level) for _dimension, code, level in profile]
                if columns:
                    inverse = distinct_rows(columns)[1]
                    first = np.unique(inverse, return_index=True)[1].tolist()
                else:
                    inverse, first = np.zeros(len(self.employees), dtype=np.int64), [0]
                classes = []
                for i in first:
                    facts = competency_facts(self.employees[i], required)
                    classes.append(self.competencies.id(tuple(sorted(facts.items())), facts))
                ids = np.asarray(classes, dtype=np.int64)[inverse]
            self._competency_ids[profile] = ids
        return self._competency_ids[profile]

    def _levels(self, code: str) -> np.ndarray:
        """Per employee, the level held in competency ``code`` (0: not held)."""
        if code not in self._level_arrays:
            levels = np.zeros(len(self.employees), dtype=np.int64)
            for i in self._holders.get(code, ()):
                levels[i] = self._held[i][code]
            self._level_arrays[code] = levels
        return self._level_arrays[code]


def _preference_facts(stance: Stance) -> tuple[Hashable, Facts]:
    """The preference facts of one pair, as :func:`.facts.move_facts` gives them."""
    facts = stance_facts(stance)
    return tuple(sorted(facts.items())), facts


Evaluate = Callable[[list[RulePack], Facts], dict[str, Outcome]]


class PairStage:
    """The outcomes of the pair rule groups for a fixed list of employees against any target.

    For a target, a group's outcomes for every employee depend only on the target's side facts the
    group reads (directly or as inputs of derived facts) and, for the pair-only facts, on the target's
    unit and competency requirements: targets that agree on those share one column of outcome classes.
    """

    def __init__(
        self, groups: list[RuleGroup], pairs: PairFacts, nips: Sequence[str], evaluate: Evaluate, cuts: Cuts
    ) -> None:
        self.groups = groups
        self.cuts = cuts
        self.pairs = pairs
        self.nips = list(nips)
        self.evaluate = evaluate
        employees = [pairs.employees[nip] for nip in self.nips]
        self.situations = PairSituations(employees, pairs.ctx)
        for group in groups:
            self._employee_ids(group)

    def _employee_ids(self, group: RuleGroup) -> None:
        """Per employee, the class of the side facts ``group`` reads, and of its derived facts' inputs."""
        direct, inputs = np.empty(len(self.nips), dtype=np.int64), np.empty(len(self.nips), dtype=np.int64)
        for i, nip in enumerate(self.nips):
            facts = self.pairs.employee_side(nip)
            direct[i] = group.employees.id(*project(facts, group.reads.employee, self.cuts))
            inputs[i] = group.inputs.id(*project(facts, group.reads.employee_inputs))
        group.employee_ids, group.input_ids = direct, inputs

    def column_key(self, group: RuleGroup, position: str) -> Hashable:
        """What decides ``group``'s outcomes for ``position``, for every employee."""
        reads, target = group.reads, self.pairs.target_side(position)
        unit = self.pairs.ctx.positions[position].unit if reads.preference else None
        profile = self.situations.profile(position) if reads.competency else None
        return (project(target, reads.target, self.cuts)[0], project(target, reads.target_inputs)[0], unit, profile)

    def codes(self, group: RuleGroup, position: str, needed: np.ndarray) -> np.ndarray:
        """The outcome class of ``group`` for each employee moving to ``position``.

        Only the employees of the boolean mask ``needed`` are sure to be decided; the others may be
        -1 (not evaluated). Targets with the same column key share the column.
        """
        key = self.column_key(group, position)
        column = group.columns.get(key)
        if column is None:
            # int32: a class number never comes near 2**31, and a province keeps thousands of columns.
            column = group.columns[key] = np.full(len(self.nips), -1, dtype=np.int32)
        rows = np.flatnonzero(needed & (column < 0))
        if len(rows):
            column[rows] = self._column(group, position, rows)
        return column

    def code(self, group: RuleGroup, position: str, row: int) -> int:
        """The outcome class of ``group`` for the one employee ``row`` moving to ``position``: the class the
        whole column would give that row (same situations, same numbering), without building the column."""
        column = group.columns.get(self.column_key(group, position))
        if column is not None and column[row] >= 0:
            return int(column[row])
        assert group.employee_ids is not None and group.input_ids is not None
        reads, situations = group.reads, self.situations
        target = group.targets.id(*project(self.pairs.target_side(position), reads.target, self.cuts))
        unit = self.pairs.ctx.positions[position].unit
        key = (
            target,
            int(group.employee_ids[row]),
            self._derived_id(group, position, int(group.input_ids[row])),
            situations.preference_id(unit, row) if reads.preference else 0,
            situations.competency_id(position, row) if reads.competency else 0,
        )
        return self._outcome_class(group, key)

    def _derived_id(self, group: RuleGroup, position: str, employee: int) -> int:
        """The class of the derived facts' values for employees of input class ``employee`` moving to ``position``."""
        if not group.reads.derived:
            return group.derived.id((), {})
        key, target = project(self.pairs.target_side(position), group.reads.target_inputs)
        found = group.derived_memo.get((key, employee))
        if found is None:
            values = derive({**group.inputs.values[employee], **target}, group.reads.derived)
            found = group.derived_memo[(key, employee)] = group.derived.id(tuple(sorted(values.items())), values)
        return found

    def fails(self, group: RuleGroup) -> np.ndarray:
        """Per outcome class of ``group``: does one of its rules fail?"""
        return np.array([Outcome.FAIL in outcomes for outcomes in group.outcomes.values] or [False], dtype=bool)

    def _column(self, group: RuleGroup, position: str, rows: np.ndarray) -> np.ndarray:
        reads, situations = group.reads, self.situations
        assert group.employee_ids is not None and group.input_ids is not None
        target = group.targets.id(*project(self.pairs.target_side(position), reads.target, self.cuts))
        zeros = np.zeros(len(rows), dtype=np.int64)
        unit = self.pairs.ctx.positions[position].unit
        columns = [
            group.employee_ids[rows],
            self._derived_ids(group, position)[rows],
            situations.preference_ids(unit)[rows] if reads.preference else zeros,
            situations.competency_ids(position)[rows] if reads.competency else zeros,
        ]
        situations_seen, inverse = distinct_rows(columns)
        codes = [self._outcome_class(group, (target, *situation)) for situation in situations_seen]
        return np.asarray(codes, dtype=np.int64)[inverse]

    def _derived_ids(self, group: RuleGroup, position: str) -> np.ndarray:
        """Per employee, the class of the derived facts' values for a move to ``position``."""
        assert group.input_ids is not None
        if not group.reads.derived:
            return np.full(len(self.nips), group.derived.id((), {}), dtype=np.int64)
        if group.input_classes is None:
            group.input_classes = np.unique(group.input_ids, return_inverse=True)
        distinct, inverse = group.input_classes
        ids = [self._derived_id(group, position, employee) for employee in distinct.tolist()]
        return np.asarray(ids, dtype=np.int64)[inverse.reshape(-1)]

    def _outcome_class(self, group: RuleGroup, key: tuple[int, ...]) -> int:
        """The group's outcomes in situation ``key`` (target, employee, derived, preference, competency)."""
        code = group.memo.get(key)
        if code is None:
            target, employee, derived, preference, competency = key
            facts = {
                **group.employees.values[employee],
                **group.targets.values[target],
                **group.derived.values[derived],
            }
            if group.reads.preference:
                facts.update(self.situations.preferences.values[preference])
            if group.reads.competency:
                facts.update(self.situations.competencies.values[competency])
            outcomes = self.evaluate([group.pack], facts)
            code = group.memo[key] = group.outcomes.id(tuple(outcomes[r.id] for r in group.rules))
        return code

    def outcomes(self, group: RuleGroup, code: int) -> dict[str, Outcome]:
        return dict(zip((r.id for r in group.rules), group.outcomes.values[code], strict=True))


def _unique(keys: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for keys in [0, bound): by a table when it is small, no sort."""
    if bound > 4 * len(keys) + 4096:
        return np.unique(keys, return_inverse=True)
    present = np.zeros(bound, dtype=bool)
    present[keys] = True
    found = np.flatnonzero(present)
    rank = np.cumsum(present) - 1
    return found, rank[keys]


def distinct_rows(columns: list[np.ndarray]) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """The distinct rows of equally long integer ``columns``, and each row's index among them."""
    radix = [max(1, int(c.max(initial=0)) + 1) for c in columns]
    if np.prod(radix, dtype=float) >= 2**62:
        distinct, inverse = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
        return [tuple(row) for row in distinct.tolist()], inverse.reshape(-1)
    # One integer per row (mixed radix), so that finding the distinct ones is a 1-D sort.
    keys = columns[0].astype(np.int64)
    for column, base in zip(columns[1:], radix[1:], strict=True):
        keys = keys * base + column
    found, inverse = _unique(keys, int(np.prod(radix, dtype=float)))
    digits = []
    for base in reversed(radix[1:]):
        found, digit = np.divmod(found, base)
        digits.append(digit.tolist())
    return list(zip(found.tolist(), *reversed(digits), strict=True)), inverse.reshape(-1)
