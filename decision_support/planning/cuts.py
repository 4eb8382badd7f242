"""Lazy constraints for quota rules the balance model does not encode (docs/plan-reference.md, "How a plan is made", step 5).

A quota rule reads ``quota.*`` facts, which depend on the whole plan. The common shapes are hard bounds of
the model (:mod:`.quotas`); any other quota rule (one with a ``when``, or a condition the model cannot read)
is checked on the finished plan. When a move fails such a rule, the planner finds which quota fact broke it
by asking the engine again with that fact set to its value for the move alone, learns the nearest value at
which the rule passes, and adds one linear constraint over every arc that feeds that fact ("if this move is
made, at most v moves into its target unit"). The balance stage then solves again with the constraint, so
the optimiser never proposes that combination, or a larger one, again.

A constraint is *exact* (it excludes no plan the rule accepts) when the rule bounds that one fact
monotonically (:func:`.quotas.monotone_quota_fact`); the plan reports "optimal" only if every constraint it
learned is exact. Whatever the planner learns, the final plan is checked with the engine, so a constraint that
is not exact can cost moves, never validity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ExitCode, SeimbangError
from ..i18n import _
from .instance import Instance
from .quotas import LOWER_FACT, UNIT_IN_FACT, UNIT_OUT_FACT, UPPER_FACT

Pair = tuple[int, int]
#: Does the rule pass for the move ``pair`` when ``fact`` takes ``value`` (its other quota facts as alone)?
Probe = Callable[[Pair, str, int], bool]


class PlanNotFound(SeimbangError):
    """No plan satisfying every rule was found (a result, exit code 1, not an internal error)."""

    exit_code = ExitCode.NEGATIVE_VERDICT

    def __init__(self, rules: list[str], rounds: int) -> None:
        self.rules = rules
        super().__init__(
            _(
                "no transfer plan found that satisfies quota rule(s) {rules}: after {rounds} rounds of learned "
                "constraints the optimiser still proposes moves they reject; no plan was written"
            ).format(rules=", ".join(rules), rounds=rounds)
        )


@dataclass(frozen=True)
class Cut:
    """``sum(coef * x[pair]) <= rhs`` over moves (employee, position), whenever one of ``triggers`` is made.

    No triggers: the constraint always holds. ``exact``: it excludes no plan the rule accepts (the rule reads
    this one quota fact only, and the constraint bounds that fact), so an optimum under it is an optimum.
    """

    rule: str
    terms: dict[Pair, int]
    rhs: int
    triggers: frozenset[Pair]
    exact: bool

    def holds(self, moves: set[Pair]) -> bool:
        if self.triggers and not self.triggers & moves:
            return True
        return sum(c for pair, c in self.terms.items() if pair in moves) <= self.rhs


def fact_values(instance: Instance, moves: set[Pair], move: Pair) -> dict[str, int]:
    """The quota facts of ``move`` when all ``moves`` happen (as :func:`.verify.plan_quota_facts` counts)."""
    return {fact: _value(instance, fact, move, moves) for fact in (LOWER_FACT, UPPER_FACT, UNIT_IN_FACT, UNIT_OUT_FACT)}


def _value(instance: Instance, fact: str, move: Pair, moves: set[Pair]) -> int:
    constant, terms = fact_terms(instance, fact, move)
    if len(moves) < len(terms):
        return constant + sum(terms.get(pair, 0) for pair in moves)
    return constant + sum(c for pair, c in terms.items() if pair in moves)


def fact_terms(instance: Instance, fact: str, move: Pair) -> tuple[int, dict[Pair, int]]:
    """The fact of ``move`` as ``constant + sum(coef * x[pair])`` over every eligible arc of the instance."""
    employee, target = move
    origin = instance.current[employee]
    index = _index(instance)
    if fact == UNIT_IN_FACT:
        terms = dict.fromkeys(index.into_unit.get(instance.units[target], ()), 1)
        terms[move] = 1
        return 0, terms
    if fact == UNIT_OUT_FACT:
        terms = dict.fromkeys(index.out_of_unit.get(instance.units[origin], ()), 1)
        terms[move] = 1
        return 0, terms
    position = target if fact == UPPER_FACT else origin
    # An arc never ends at its employee's own post, so a pair joins or leaves ``position``, never both.
    terms = dict.fromkeys(index.into_position.get(position, ()), 1)
    terms.update(dict.fromkeys(index.out_of_position.get(position, ()), -1))
    coef = (target == position) - (origin == position)
    if coef:
        terms[move] = coef
    return index.holders[position], terms


@dataclass(frozen=True)
class _ArcIndex:
    """The eligible arcs of an instance by the unit and position they join and leave, and today's holders."""

    arcs: list  # the indexed list itself: the cache entry is valid only while the instance holds it
    current: list
    into_unit: dict[str, list[Pair]]
    out_of_unit: dict[str, list[Pair]]
    into_position: dict[int, list[Pair]]
    out_of_position: dict[int, list[Pair]]
    holders: list[int]


_INDEXES: dict[int, _ArcIndex] = {}


def _index(instance: Instance) -> _ArcIndex:
    """Built once per instance (learning a cut asks for the terms of many facts of one instance)."""
    found = _INDEXES.get(id(instance))
    if found is not None and found.arcs is instance.arcs and found.current is instance.current:
        return found
    into_unit: dict[str, list[Pair]] = {}
    out_of_unit: dict[str, list[Pair]] = {}
    into_position: dict[int, list[Pair]] = {}
    out_of_position: dict[int, list[Pair]] = {}
    for arc in instance.arcs:
        pair, origin = (arc.employee, arc.position), instance.current[arc.employee]
        into_unit.setdefault(instance.units[arc.position], []).append(pair)
        out_of_unit.setdefault(instance.units[origin], []).append(pair)
        into_position.setdefault(arc.position, []).append(pair)
        out_of_position.setdefault(origin, []).append(pair)
    index = _ArcIndex(
        instance.arcs, instance.current, into_unit, out_of_unit, into_position, out_of_position, instance.holders()
    )
    if len(_INDEXES) >= 8:
        _INDEXES.clear()
    _INDEXES[id(instance)] = index
    return index


def _subjects(instance: Instance, fact: str, move: Pair) -> list[Pair]:
    """The moves whose own ``fact`` is the same sum as ``move``'s (they join or leave the same post or unit)."""
    _, terms = fact_terms(instance, fact, move)
    employee, target = move
    if fact == UNIT_IN_FACT:
        return [pair for pair in terms if instance.units[pair[1]] == instance.units[target]]
    if fact == UNIT_OUT_FACT:
        origin_unit = instance.units[instance.current[employee]]
        return [pair for pair in terms if instance.units[instance.current[pair[0]]] == origin_unit]
    if fact == UPPER_FACT:
        return [pair for pair in terms if pair[1] == target]
    return [pair for pair in terms if instance.current[pair[0]] == instance.current[employee]]


def learn_cut(instance: Instance, rule: str, monotone: str | None, moves: set[Pair], move: Pair, probe: Probe) -> Cut:
    """A constraint that the plan ``moves`` breaks and that a plan the rule accepts does not break.

    ``monotone`` is the quota fact the rule bounds monotonically, if any (:func:`.quotas.monotone_quota_fact`):
    a constraint on that fact is exact. ``probe(pair, fact, value)`` asks the engine whether the rule passes for the move ``pair`` (its other
    quota facts as for that move alone) when ``fact`` takes ``value``. The first quota fact whose value for
    the move alone makes the rule pass is the one to bound; the bound is the value nearest the plan's at
    which the rule passes; the constraint applies whenever a move the rule rejects beyond the bound is made.
    When no single fact explains the failure, the cut forbids this combination of moves together.
    """
    plan, alone = fact_values(instance, moves, move), fact_values(instance, {move}, move)
    for fact in (UNIT_IN_FACT, UNIT_OUT_FACT, UPPER_FACT, LOWER_FACT):
        k, a = plan[fact], alone[fact]
        if k == a or not probe(move, fact, a):
            continue
        step = 1 if a > k else -1
        bound = next(v for v in range(k + step, a + step, step) if probe(move, fact, v))
        constant, terms = fact_terms(instance, fact, move)
        sign = 1 if k > a else -1  # "fact <= bound" when the plan's value was too high, ">=" when too low
        terms = {pair: sign * c for pair, c in terms.items()}
        triggers = frozenset(p for p in _subjects(instance, fact, move) if not probe(p, fact, bound + sign))
        if {p for p, c in terms.items() if c > 0} <= triggers:
            triggers = frozenset()  # every move that raises the sum is bound by it: the constraint always holds
        return Cut(rule, terms, sign * (bound - constant), triggers, fact == monotone)
    involved = {pair for fact in plan for pair in fact_terms(instance, fact, move)[1] if pair in moves} | {move}
    return Cut(rule, dict.fromkeys(involved, 1), len(involved) - 1, frozenset(), False)
