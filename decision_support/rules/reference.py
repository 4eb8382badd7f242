"""The reference evaluator: the rule language's semantics in plain Python (Kleene three-valued logic).

It is the oracle the durable_rules engine is tested against (``--engine reference``
for diagnosis) and the definition of what a rule means: a comparison with a
missing fact is unknown (``None``); ``all`` is false if any part is false, else
unknown if any part is unknown; ``any`` is the mirror image; ``not`` swaps true
and false and keeps unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .facts import Facts
from .language import All, Any_, Compare, Condition, Not, Op, Rule, RuleKind, RulePack
from .operators import decide as plugin_decide
from .operators import plugin_compares
from .outcomes import Outcome, coarsen_all

Truth = bool | None


def evaluate_condition(condition: Condition, facts: Facts, rule: str = "?") -> Truth:
    """True, False, or None (unknown) for ``condition`` on ``facts`` (of ``rule``, named in errors)."""
    if isinstance(condition, All):
        return _all([evaluate_condition(c, facts, rule) for c in condition.all])
    if isinstance(condition, Any_):
        return _any([evaluate_condition(c, facts, rule) for c in condition.any])
    if isinstance(condition, Not):
        inner = evaluate_condition(condition.not_, facts, rule)
        return None if inner is None else not inner
    if not isinstance(condition.op, Op):
        return plugin_decide(condition, facts, rule)
    return _compare(condition, facts)


def _all(values: Iterable[Truth]) -> Truth:
    seen = list(values)
    if False in seen:
        return False
    return None if None in seen else True


def _any(values: Iterable[Truth]) -> Truth:
    seen = list(values)
    if True in seen:
        return True
    return None if None in seen else False


def _compare(condition: Compare, facts: Facts) -> Truth:
    op = condition.op
    present = condition.fact in facts
    if op is Op.EXISTS:
        return present
    if op is Op.MISSING:
        return not present
    if not present or (condition.ref is not None and condition.ref not in facts):
        return None
    left = facts[condition.fact]
    right: Any = facts[condition.ref] if condition.ref is not None else condition.value
    if op is Op.EQ:
        return left == right
    if op is Op.NE:
        return left != right
    if op is Op.LT:
        return left < right
    if op is Op.LTE:
        return left <= right
    if op is Op.GT:
        return left > right
    if op is Op.GTE:
        return left >= right
    if op is Op.BETWEEN:
        return right[0] <= left <= right[1]
    if op is Op.IN:
        return left in right
    if op is Op.NOT_IN:
        return left not in right
    return right in left  # contains


def evaluate_rule(rule: Rule, facts: Facts) -> Outcome:
    """The outcome of one rule."""
    # Every plugin comparison is decided, whatever short-circuits: a failing predicate stops the
    # evaluation in both engines alike (durable_rules computes them all before asserting the facts).
    for condition in plugin_compares(rule):
        plugin_decide(condition, facts, rule.id)
    if rule.when is not None:
        applies = evaluate_condition(rule.when, facts, rule.id)
        if applies is None:
            return Outcome.UNKNOWN
        if not applies:
            return Outcome.NOT_APPLICABLE
    if rule.kind is RuleKind.SCORE:
        return Outcome.PASS
    assert rule.require is not None
    holds = evaluate_condition(rule.require, facts, rule.id)
    if holds is None:
        return Outcome.UNKNOWN
    return Outcome.PASS if holds else Outcome.FAIL


class ReferenceEngine:
    """Evaluates packs in pure Python; same interface as the durable engine."""

    name = "reference"

    def evaluate(self, packs: list[RulePack], facts: Facts, *, coarse: bool = False) -> dict[str, Outcome]:
        """Rule id -> outcome for every rule of ``packs`` (verdict-grade outcomes with ``coarse``)."""
        rules = [rule for pack in packs for rule in pack.rules]
        outcomes = {rule.id: evaluate_rule(rule, facts) for rule in rules}
        return coarsen_all(rules, outcomes) if coarse else outcomes
