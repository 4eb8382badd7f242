"""Quota rules as bounds of the balance model: formasi caps, origin minimum staffing, moves per unit.

A quota rule reads ``quota.*`` facts, which depend on the whole set of moves. The common shapes (a comparison
of a quota fact with a number or with a fact of the position) become hard bounds of the model, so the optimiser
never proposes a plan they reject. Any other quota rule is still enforced: every move of the final plan is
checked with the rule engine (:mod:`.verify`) and a rejected move is removed before solving again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules.facts import Facts
from ..rules.language import All, Compare, Condition, Op, Rule, RuleKind, RulePack
from ..rules.outcomes import condition_facts

UPPER_FACT = "quota.target_holders_after"
LOWER_FACT = "quota.origin_holders_after"
UNIT_IN_FACT = "quota.moves_into_target_unit"
UNIT_OUT_FACT = "quota.moves_out_of_origin_unit"


@dataclass(frozen=True)
class Bound:
    """``fact <= / >= (value or ref)`` from one quota rule."""

    rule: str
    fact: str
    upper: bool
    value: float | None
    ref: str | None
    strict: bool

    def limit(self, facts: Facts) -> int | None:
        """The bound for a position with ``facts`` (None when the referenced fact is missing)."""
        raw = self.value if self.ref is None else facts.get(self.ref)
        if raw is None:
            return None
        limit = int(raw)
        if self.strict:
            limit += -1 if self.upper else 1
        return limit


@dataclass
class QuotaModel:
    """The quota rules the model enforces directly, and those left to the final check."""

    bounds: list[Bound] = field(default_factory=list)
    checked_only: list[str] = field(default_factory=list)

    def of(self, fact: str) -> list[Bound]:
        return [b for b in self.bounds if b.fact == fact]


def _conjuncts(condition: Condition) -> list[Condition]:
    if isinstance(condition, All):
        return [c for part in condition.all for c in _conjuncts(part)]
    return [condition]


_UPPER_OPS = {Op.LTE: False, Op.LT: True}
_LOWER_OPS = {Op.GTE: False, Op.GT: True}


def quota_model(packs: list[RulePack]) -> QuotaModel:
    """Split the packs' quota rules into model bounds and rules left to the final check."""
    model = QuotaModel()
    for pack in packs:
        for rule in pack.rules:
            if rule.kind is not RuleKind.QUOTA:
                continue
            bounds = _bounds(rule.id, rule.require) if rule.when is None and rule.require is not None else None
            if bounds is None:
                model.checked_only.append(rule.id)
            else:
                model.bounds += bounds
    return model


def _bounds(rule: str, require: Condition) -> list[Bound] | None:
    out = []
    for part in _conjuncts(require):
        if not isinstance(part, Compare) or isinstance(part.value, list | bool | str) or not isinstance(part.op, Op):
            return None  # a plugin's operator is no linear bound either
        if part.fact in (UPPER_FACT, UNIT_IN_FACT, UNIT_OUT_FACT) and part.op in _UPPER_OPS:
            if part.fact != UPPER_FACT and part.ref is not None:
                return None
            out.append(Bound(rule, part.fact, True, _number(part.value), part.ref, _UPPER_OPS[part.op]))
        elif part.fact == LOWER_FACT and part.op in _LOWER_OPS:
            out.append(Bound(rule, part.fact, False, _number(part.value), part.ref, _LOWER_OPS[part.op]))
        else:
            return None
    return out


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def monotone_quota_fact(rule: Rule) -> str | None:
    """The one quota fact ``rule`` bounds monotonically, if it is that simple (else None).

    That is: ``when`` reads no quota fact, and ``require`` is a conjunction in which the only quota fact is
    compared with <=, <, >= or > against a number or a fact of the position. Such a rule that fails at a
    value fails at every value beyond it, so a constraint learned from it excludes no plan it accepts.
    """
    when = condition_facts(rule.when) if rule.when is not None else []
    if rule.require is None or any(f.startswith("quota.") for f in when):
        return None
    facts = {f for f in condition_facts(rule.require) if f.startswith("quota.")}
    if len(facts) != 1:
        return None
    for part in _conjuncts(rule.require):
        reads = [f for f in condition_facts(part) if f.startswith("quota.")]
        if reads and not (isinstance(part, Compare) and part.op in {**_UPPER_OPS, **_LOWER_OPS}):
            return None
        if reads and isinstance(part, Compare) and (part.ref or "").startswith("quota."):
            return None
    return facts.pop()
