"""What evaluating a rule pack produces, shared by both engines.

An engine decides, per rule, one :class:`Outcome`. Everything else (the verdict,
the score, the reason texts, the values read) is computed here from those
outcomes and the facts, so the durable_rules engine and the reference evaluator
can only disagree on the outcomes themselves, which the differential test checks.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from ..i18n import _, current_language, ngettext
from ..i18n import format_number as number
from .durations import Duration
from .facts import ELECTION_FACTS, FACTS, Facts
from .language import All, Any_, Compare, Condition, Not, Op, Reason, Rule, RuleKind, RulePack


class Outcome(StrEnum):
    """A rule's outcome for one candidate."""

    PASS = "pass"
    FAIL = "fail"
    #: ``when`` is false: the rule does not apply (a filter then does not exclude).
    NOT_APPLICABLE = "not_applicable"
    #: A fact the rule needs is missing: the rule can't be decided.
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    """The candidate's eligibility."""

    ELIGIBLE = "eligible"
    EXCLUDED = "excluded"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RuleResult:
    """One rule's outcome for one candidate, with what it read and why."""

    rule: str
    kind: str
    outcome: Outcome
    points: float
    #: Fact -> value read (None when missing).
    values: dict[str, Any]
    #: The conditions in words, e.g. "employee.years_in_position >= 2".
    condition: str
    reason: str | None
    legal_basis: str
    #: The rule rests on a value the domain notes could not confirm (shown in explanations).
    unconfirmed: bool = False


@dataclass(frozen=True)
class Decision:
    """All rule results of a pack (or several packs) for one candidate."""

    verdict: Verdict
    score: float
    #: Filters and quotas that failed (they exclude the candidate).
    failed: list[str] = field(default_factory=list)
    #: Filled when the decision was asked to explain itself.
    results: list[RuleResult] = field(default_factory=list)


def coarsen(rule: Rule, outcome: Outcome) -> Outcome:
    """Merge outcomes that lead to the same verdict and score (bulk screening asks only for those).

    A filter that does not apply excludes nobody, like one that passes; a score that does not pass
    adds nothing, whether it does not apply or can't be decided.
    """
    if rule.kind is RuleKind.SCORE:
        return Outcome.PASS if outcome is Outcome.PASS else Outcome.NOT_APPLICABLE
    return Outcome.PASS if outcome is Outcome.NOT_APPLICABLE else outcome


def coarsen_all(rules: list[Rule], outcomes: dict[str, Outcome]) -> dict[str, Outcome]:
    return {rule.id: coarsen(rule, outcomes[rule.id]) for rule in rules}


def verdict_of(outcomes: dict[str, Outcome], rules: list[Rule]) -> Verdict:
    """Excluded if any filter or quota fails; unknown if none fails but one is undecided."""
    gates = [outcomes[r.id] for r in rules if r.kind is not RuleKind.SCORE]
    if Outcome.FAIL in gates:
        return Verdict.EXCLUDED
    if Outcome.UNKNOWN in gates:
        return Verdict.UNKNOWN
    return Verdict.ELIGIBLE


def score_of(outcomes: dict[str, Outcome], rules: list[Rule]) -> float:
    """Sum of the points of the score rules that pass."""
    return sum(r.points or 0 for r in rules if r.kind is RuleKind.SCORE and outcomes[r.id] is Outcome.PASS)


def decide(packs: list[RulePack], outcomes: dict[str, Outcome], facts: Facts, *, explain: bool = True) -> Decision:
    """Combine per-rule ``outcomes`` into a decision; with ``explain``, render values and reasons too."""
    rules = [rule for pack in packs for rule in pack.rules]
    verdict = verdict_of(outcomes, rules)
    # Only an eligible candidate is ranked; a score for anyone else would suggest a rank they can't have.
    score = score_of(outcomes, rules) if verdict is Verdict.ELIGIBLE else 0.0
    failed = [r.id for r in rules if r.kind is not RuleKind.SCORE and outcomes[r.id] is Outcome.FAIL]
    if not explain:
        return Decision(verdict, score, failed)
    return Decision(verdict, score, failed, [explain_rule(rule, outcomes[rule.id], facts) for rule in rules])


def explain_rule(rule: Rule, outcome: Outcome, facts: Facts) -> RuleResult:
    names = referenced_facts(rule)
    values = {name: facts.get(name) for name in names}
    points = (rule.points or 0) if rule.kind is RuleKind.SCORE and outcome is Outcome.PASS else 0
    condition = describe_rule(rule)
    return RuleResult(
        rule=rule.id,
        kind=rule.kind.value,
        outcome=outcome,
        points=points,
        values=values,
        condition=condition,
        reason=render_reason(rule, outcome, facts),
        legal_basis=rule.legal_basis,
        unconfirmed=rule.unconfirmed,
    )


# -- facts referenced and conditions in words ----------------------------------------------


def condition_facts(condition: Condition) -> list[str]:
    """Fact names a condition reads, in order of appearance."""
    if isinstance(condition, Compare):
        return [condition.fact] + ([condition.ref] if condition.ref else [])
    if isinstance(condition, All):
        return [name for c in condition.all for name in condition_facts(c)]
    if isinstance(condition, Any_):
        return [name for c in condition.any for name in condition_facts(c)]
    return condition_facts(condition.not_)


def referenced_facts(rule: Rule) -> list[str]:
    """Every fact a rule reads, each once."""
    names: list[str] = []
    for condition in (rule.when, rule.require):
        if condition is not None:
            names += [n for n in condition_facts(condition) if n not in names]
    return names


def describe_rule(rule: Rule) -> str:
    """A rule's conditions in words: "if <when>: <require>" for a filter that applies only sometimes."""
    if rule.when is not None and rule.require is not None:
        return _("if {when}: {require}").format(when=describe(rule.when), require=describe(rule.require))
    if rule.when is not None:
        return _("if {when}").format(when=describe(rule.when))
    return describe(rule.require) if rule.require is not None else _("always")


_SYMBOL = {Op.EQ: "=", Op.NE: "!=", Op.LT: "<", Op.LTE: "<=", Op.GT: ">", Op.GTE: ">="}


def describe(condition: Condition) -> str:
    """A condition as a short formula, e.g. ``employee.years_in_position >= 2``."""
    if isinstance(condition, All):
        return "(" + (" " + _("and") + " ").join(describe(c) for c in condition.all) + ")"
    if isinstance(condition, Any_):
        return "(" + (" " + _("or") + " ").join(describe(c) for c in condition.any) + ")"
    if isinstance(condition, Not):
        return _("not") + " " + describe(condition.not_)
    if not isinstance(condition.op, Op):
        return f"{condition.fact} {operator_words(condition.op)} {show(condition.value)}"
    if condition.op in (Op.EXISTS, Op.MISSING):
        return f"{condition.fact} {condition.op.value}"
    right = condition.ref if condition.ref else show(condition.value)
    if condition.op in _SYMBOL:
        return f"{condition.fact} {_SYMBOL[condition.op]} {right}"
    return f"{condition.fact} {condition.op.value} {right}"


def operator_words(name: str) -> str:
    """A plugin's operator in words in the active language (its name once no plugin provides it)."""
    from .operators import OPERATORS  # operators imports the language module, as this one does

    operator = OPERATORS.get(name)
    return operator.in_words() if operator is not None else name


# -- values and reasons ----------------------------------------------------------------------


def show(value: Any) -> str:
    """A value as people read it, in the active language."""
    if value is None:
        return _("unknown")
    if isinstance(value, Duration):
        return show_duration(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number(value, 0 if float(value).is_integer() else 2)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def show_duration(value: Duration) -> str:
    """A calendar duration in words: "1 tahun 11 bulan 30 hari" (parts that are zero left out)."""
    span = value.span
    parts = [
        ngettext("{n} year", "{n} years", span.years).format(n=span.years) if span.years else "",
        ngettext("{n} month", "{n} months", span.months).format(n=span.months) if span.months else "",
        ngettext("{n} day", "{n} days", span.days).format(n=span.days)
        if span.days or not (span.years or span.months)
        else "",
    ]
    text = " ".join(p for p in parts if p)
    return "-" + text if value.negative else text


def show_fact(name: str, value: Any) -> str:
    """A fact's value as people read it: a duration fact given as a plain number reads "1,5 tahun"."""
    spec = FACTS.get(name)
    if spec is not None and spec.duration and isinstance(value, int | float) and not isinstance(value, Duration):
        return _("{n} years").format(n=show(value))
    return show(value)


class _SafeFormatter(string.Formatter):
    """Formats reason templates with named values only: no attribute or index access, no code."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        return self.values.get(field_name, "{" + field_name + "}"), field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        return str(value)


def template_values(rule: Rule, facts: Facts) -> dict[str, str]:
    """What a reason template may show: every fact the rule reads, and the rule's thresholds."""
    values = {name: show_fact(name, facts.get(name)) for name in referenced_facts(rule)}
    compares = [c for c in (rule.require, rule.when) if isinstance(c, Compare)]
    if compares:
        first = compares[0]
        if isinstance(first.value, list) and first.op is Op.BETWEEN:
            values["low"], values["high"] = show(first.value[0]), show(first.value[1])
        values["value"] = show(first.value)
        if first.ref:
            values["ref"] = show(facts.get(first.ref))
    values["points"] = show(rule.points)
    return values


def election_unknown_reason(facts: Facts) -> str:
    """Why the election facts are unknown: no calendar, or a date outside the period it covers."""
    start, end = facts.get("context.calendar_start"), facts.get("context.calendar_end")
    if start is None or end is None:
        return _(
            "cannot be decided: no election calendar (calendar.yaml) is loaded, so it is unknown whether "
            "the election freeze applies; an official's move needs review"
        )
    return _(
        "cannot be decided: the election calendar covers {start} to {end} and {day} is outside it, so it is "
        "unknown whether the election freeze applies; an official's move needs review (extend calendar.yaml)"
    ).format(start=show(start), end=show(end), day=show(facts.get("context.as_of")))


def render_reason(rule: Rule, outcome: Outcome, facts: Facts) -> str | None:
    """The rule's reason text for ``outcome`` in the active language, or a generic one."""
    reason: Reason | None = {
        Outcome.PASS: rule.reasons.pass_,
        Outcome.FAIL: rule.reasons.fail,
    }.get(outcome)
    if reason is None:
        if outcome is Outcome.UNKNOWN:
            missing = [n for n in referenced_facts(rule) if n not in facts]
            election = [n for n in missing if n in ELECTION_FACTS]
            if election:
                return election_unknown_reason(facts)
            return _("cannot be decided: the data lacks {facts}").format(facts=", ".join(missing) or "?")
        if outcome is Outcome.NOT_APPLICABLE:
            return _("does not apply to this candidate")
        return None
    template = reason.id if current_language() == "id" else reason.en
    return _SafeFormatter(template_values(rule, facts)).format(template)
