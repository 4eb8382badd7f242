"""Static checks of rule packs: facts exist, operators fit their types, logic is satisfiable.

Run by :func:`~.loading.load_rules` (so ``seimbang rules check`` and every
command that loads rules report the same problems). Besides types, it decides
what can be decided without data: a filter whose condition can never hold
(every candidate would be excluded), one that always holds (it excludes
nobody), and filters that contradict each other.
"""

from __future__ import annotations

import itertools
import math
import string
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Problem, did_you_mean
from ..i18n import _
from ..models.base import _boolean, _parse_date
from ..sources.yaml_source import misread_scalar
from .fact_aliases import did_you_mean_fact
from .facts import FACTS, FactType, representable
from .language import All, Any_, Compare, Condition, Not, Op, Reason, Rule, RuleKind, RulePack
from .loading import LoadedPack, LoadedTests, RuleSet
from .operators import OPERATORS, operator_names
from .outcomes import referenced_facts

_ORDERED = {FactType.NUMBER, FactType.DATE}
_ALLOWED_OPS = {
    FactType.NUMBER: {Op.EQ, Op.NE, Op.LT, Op.LTE, Op.GT, Op.GTE, Op.BETWEEN, Op.IN, Op.NOT_IN},
    FactType.DATE: {Op.EQ, Op.NE, Op.LT, Op.LTE, Op.GT, Op.GTE, Op.BETWEEN},
    FactType.STRING: {Op.EQ, Op.NE, Op.IN, Op.NOT_IN},
    FactType.BOOLEAN: {Op.EQ, Op.NE},
    FactType.STRINGS: {Op.CONTAINS},
}
TEMPLATE_NAMES = ("value", "low", "high", "ref", "points")


def coerce(value: Any, kind: FactType) -> Any:
    """``value`` as the fact type needs it; raises ValueError with a message for people."""
    if kind is FactType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(_("expected a number, got {value!r}").format(value=value))
        if not representable(value):
            raise ValueError(
                _("{value} is outside the numbers rules compare: 0, or from 0.0001 up to below 10^15").format(
                    value=value
                )
            )
        return value
    if kind is FactType.DATE:
        parsed = _parse_date(value) if isinstance(value, str) else value
        if not isinstance(parsed, date):
            raise ValueError(_("expected a date (YYYY-MM-DD), got {value!r}").format(value=value))
        return parsed
    if kind is FactType.BOOLEAN:
        # ya/tidak as in the datasets (models.base.Flag), so a pack reads like the spreadsheets it rules.
        value = _boolean(value)
        if not isinstance(value, bool):
            raise ValueError(_("expected true or false (or ya/tidak), got {value!r}").format(value=value))
        return value
    if not isinstance(value, str):
        raise ValueError(_("expected text, got {value!r}; write it in quotes").format(value=value))
    return value


def compares(condition: Condition, path: tuple[str | int, ...]) -> Iterator[tuple[Compare, tuple[str | int, ...]]]:
    """Every comparison in a condition with its path inside the rule."""
    if isinstance(condition, All):
        for i, c in enumerate(condition.all):
            yield from compares(c, (*path, "all", i))
    elif isinstance(condition, Any_):
        for i, c in enumerate(condition.any):
            yield from compares(c, (*path, "any", i))
    elif isinstance(condition, Not):
        yield from compares(condition.not_, (*path, "not"))
    else:
        yield condition, path


class Checker:
    """Collects the problems of one rule set."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.problems: list[Problem] = []

    def report(
        self,
        loaded: LoadedPack,
        rule: Rule,
        path: tuple[str | int, ...],
        message: str,
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> None:
        field = ".".join(str(p) for p in path) or None
        self.problems.append(
            Problem(
                loaded.rule_location(rule, *path, key=key),
                message,
                entity=_("rule {id}").format(id=rule.id),
                field=field,
                hint=hint,
            )
        )

    # -- per comparison --------------------------------------------------------------------
    def check_compare(self, loaded: LoadedPack, rule: Rule, cmp: Compare, path: tuple[str | int, ...]) -> None:
        spec = FACTS.get(cmp.fact)
        if spec is None:
            hint = did_you_mean_fact(cmp.fact, FACTS)
            self.report(loaded, rule, (*path, "fact"), _("unknown fact '{name}'").format(name=cmp.fact), hint)
            return
        if cmp.fact.startswith("quota.") and rule.kind is not RuleKind.QUOTA:
            self.report(loaded, rule, (*path, "fact"), _("quota facts can only be used in quota rules"))
        if not isinstance(cmp.op, Op):
            self.check_plugin_operator(loaded, rule, cmp, path, spec.type, spec.values)
            return
        if cmp.op in (Op.EXISTS, Op.MISSING):
            return
        if cmp.op not in _ALLOWED_OPS[spec.type]:
            allowed = ", ".join(sorted(o.value for o in _ALLOWED_OPS[spec.type]))
            message = _("'{op}' does not work on {name}, a {type} fact; use one of: {allowed}").format(
                op=cmp.op.value, name=cmp.fact, type=spec.type.value, allowed=allowed
            )
            self.report(loaded, rule, (*path, "op"), message)
            return
        if cmp.ref is not None:
            self.check_ref(loaded, rule, cmp, path, spec.type)
        else:
            self.check_values(loaded, rule, cmp, path, spec.type, spec.values)

    def check_plugin_operator(
        self,
        loaded: LoadedPack,
        rule: Rule,
        cmp: Compare,
        path: tuple[str | int, ...],
        kind: FactType,
        allowed: tuple[str, ...],
    ) -> None:
        """An operator a plugin provides: it must be loaded, accept the fact's type, and get a value it takes."""
        operator = OPERATORS.get(str(cmp.op))
        if operator is None:
            # The choices include the operators of the plugins loaded now (see 'seimbang plugins').
            message = _("unknown operator '{op}'; expected one of: {choices}").format(
                op=cmp.op, choices=", ".join(operator_names())
            )
            self.report(loaded, rule, (*path, "op"), message, did_you_mean(cmp.op, operator_names()))
            return
        if kind not in operator.fact_types:
            message = _("'{op}' (plugin {plugin}) does not work on {name}, a {type} fact; it works on: {types}").format(
                op=cmp.op,
                plugin=operator.owner,
                name=cmp.fact,
                type=kind.value,
                types=", ".join(t.value for t in operator.fact_types),
            )
            self.report(loaded, rule, (*path, "op"), message)
            return
        if operator.value_type is not None:
            kind, allowed = operator.value_type, ()
        self.check_values(loaded, rule, cmp, path, kind, allowed)

    def check_ref(
        self, loaded: LoadedPack, rule: Rule, cmp: Compare, path: tuple[str | int, ...], kind: FactType
    ) -> None:
        assert cmp.ref is not None
        other = FACTS.get(cmp.ref)
        if other is None:
            hint = did_you_mean_fact(cmp.ref, FACTS)
            self.report(loaded, rule, (*path, "ref"), _("unknown fact '{name}'").format(name=cmp.ref), hint)
        elif other.type is not kind:
            message = _("{left} is a {ltype} fact but {right} is a {rtype} fact; they cannot be compared").format(
                left=cmp.fact, ltype=kind.value, right=cmp.ref, rtype=other.type.value
            )
            self.report(loaded, rule, (*path, "ref"), message)

    def check_values(
        self,
        loaded: LoadedPack,
        rule: Rule,
        cmp: Compare,
        path: tuple[str | int, ...],
        kind: FactType,
        allowed: tuple[str, ...],
    ) -> None:
        element = FactType.STRING if kind is FactType.STRINGS else kind
        values = cmp.value if isinstance(cmp.value, list) else [cmp.value]
        for i, value in enumerate(values):
            where = (*path, "value", i) if isinstance(cmp.value, list) else (*path, "value")
            try:
                coerce(value, element)
            except ValueError as exc:
                misread = misread_scalar(
                    loaded.marked.scalar(("rules", loaded.positions[loaded.pack.rules.index(rule)], *where))
                )
                if misread is not None and element in (FactType.STRING, FactType.DATE):
                    raw, what = misread
                    message = _("unquoted {raw} was read by YAML as a {what}, but text is expected").format(
                        raw=raw, what=_(what)
                    )
                    self.report(loaded, rule, where, message, _("Write it in quotes: '{raw}'.").format(raw=raw))
                else:
                    self.report(loaded, rule, where, str(exc))
                continue
            if allowed and isinstance(value, str) and value not in allowed:
                message = _("'{value}' is not a value of {name}; expected one of: {choices}").format(
                    value=value, name=cmp.fact, choices=", ".join(allowed)
                )
                self.report(loaded, rule, where, message, did_you_mean(value, list(allowed)))
        if cmp.op is Op.BETWEEN and len(values) == 2 and not self.problems_at(loaded, rule, path):
            low, high = (coerce(v, element) for v in values)
            if low > high:
                message = _("between [{low}, {high}] can never hold: the low end is above the high end")
                self.report(loaded, rule, (*path, "value"), message.format(low=values[0], high=values[1]))

    def problems_at(self, loaded: LoadedPack, rule: Rule, path: tuple[str | int, ...]) -> bool:
        entity = _("rule {id}").format(id=rule.id)
        prefix = ".".join(str(p) for p in path)
        return any(p.entity == entity and (p.field or "").startswith(prefix) for p in self.problems)

    # -- per rule ------------------------------------------------------------------------------
    def check_rule(self, loaded: LoadedPack, rule: Rule) -> None:
        for part in ("when", "require"):
            condition = getattr(rule, part)
            if condition is not None:
                for cmp, path in compares(condition, (part,)):
                    self.check_compare(loaded, rule, cmp, path)
        self.check_reasons(loaded, rule)
        if not self.problems_at(loaded, rule, ()):
            self.check_logic(loaded, rule)

    def check_reasons(self, loaded: LoadedPack, rule: Rule) -> None:
        allowed = [*referenced_facts(rule), *TEMPLATE_NAMES]
        for outcome in ("pass", "fail"):
            reason: Reason | None = rule.reasons.pass_ if outcome == "pass" else rule.reasons.fail
            if reason is None:
                continue
            for language in ("id", "en"):
                for name in _placeholders(getattr(reason, language)):
                    if name not in allowed:
                        message = _("the reason text uses {{{name}}}, which this rule does not read").format(name=name)
                        path = ("reasons", outcome, language)
                        self.report(loaded, rule, path, message, did_you_mean(name, allowed))

    def check_logic(self, loaded: LoadedPack, rule: Rule) -> None:
        if rule.kind is RuleKind.SCORE or rule.require is None:
            return
        truth = static_truth(rule.require)
        if truth is False:
            message = _("this condition can never hold, so the filter would exclude every candidate")
            self.report(loaded, rule, ("require",), message)
        elif truth is True:
            message = _("this condition always holds, so the filter excludes nobody")
            self.report(loaded, rule, ("require",), message)

    # -- across rules ----------------------------------------------------------------------
    def check_duplicates(self) -> None:
        seen: dict[str, LoadedPack] = {}
        for loaded in self.ruleset.packs:
            for rule in loaded.pack.rules:
                first = seen.get(rule.id)
                same_pack_id = first is not None and first.pack.pack == loaded.pack.pack
                if first is not None and not (same_pack_id and first.pack.version != loaded.pack.version):
                    where = first.rule_location(rule.id, "id").render()
                    message = _("rule id '{id}' is used twice (first at {first})").format(id=rule.id, first=where)
                    self.report(loaded, rule, ("id",), message)
                seen.setdefault(rule.id, loaded)

    def check_versions(self) -> None:
        by_id: dict[str, list[LoadedPack]] = defaultdict(list)
        for loaded in self.ruleset.packs:
            by_id[loaded.pack.pack].append(loaded)
        for versions in by_id.values():
            versions.sort(key=lambda lp: lp.pack.effective_from)
            for before, after in itertools.pairwise(versions):
                end = before.pack.effective_until
                if end is None or end >= after.pack.effective_from:
                    message = _("versions {a} and {b} of pack {pack} are both in force on {day}").format(
                        a=before.pack.version,
                        b=after.pack.version,
                        pack=after.pack.pack,
                        day=after.pack.effective_from.isoformat(),
                    )
                    hint = _("Set effective_until of version {a} before {day}.").format(
                        a=before.pack.version, day=after.pack.effective_from.isoformat()
                    )
                    self.problems.append(Problem(after.marked.location(("effective_from",)), message, hint=hint))

    def check_contradictions(self, loaded_packs: list[LoadedPack]) -> None:
        """Unconditional filters whose numeric bounds on one fact leave no value: nobody can be eligible."""
        bounds: dict[str, list[tuple[Rule, LoadedPack, Compare]]] = defaultdict(list)
        for loaded in loaded_packs:
            for rule in loaded.pack.rules:
                if _unconditional_bound(rule):
                    assert isinstance(rule.require, Compare)
                    bounds[rule.require.fact].append((rule, loaded, rule.require))
        for fact, items in bounds.items():
            for i, (rule_a, pack_a, a) in enumerate(items):
                for rule_b, pack_b, b in items[i + 1 :]:
                    if not _in_force_together(pack_a, rule_a, pack_b, rule_b):
                        continue  # e.g. two versions of one pack: never applied to the same candidate
                    if static_truth(All(all=[a, b])) is False:
                        message = _("filters {a} and {b} contradict each other on {fact}: no candidate can pass both")
                        self.report(pack_b, rule_b, ("require",), message.format(a=rule_a.id, b=rule_b.id, fact=fact))


def _window(pack: LoadedPack, rule: Rule) -> tuple[date, date]:
    start = max(pack.pack.effective_from, rule.effective_from or date.min)
    ends = [d for d in (pack.pack.effective_until, rule.effective_until) if d is not None]
    return start, min(ends) if ends else date.max


def _in_force_together(pack_a: LoadedPack, rule_a: Rule, pack_b: LoadedPack, rule_b: Rule) -> bool:
    (start_a, end_a), (start_b, end_b) = _window(pack_a, rule_a), _window(pack_b, rule_b)
    return start_a <= end_b and start_b <= end_a


def _unconditional_bound(rule: Rule) -> bool:
    require = rule.require
    return (
        rule.kind is RuleKind.FILTER
        and rule.when is None
        and isinstance(require, Compare)
        and require.ref is None
        and require.op in (Op.LT, Op.LTE, Op.GT, Op.GTE, Op.BETWEEN)
    )


def _placeholders(template: str) -> list[str]:
    return [name for _text, name, _spec, _conv in string.Formatter().parse(template) if name]


# -- static truth --------------------------------------------------------------------------


def _interval(cmp: Compare) -> tuple[float, bool, float, bool] | None:
    """(low, low inclusive, high, high inclusive) of a numeric comparison with a value."""
    if cmp.ref is not None or not isinstance(cmp.op, Op) or FACTS.get(cmp.fact) is None:
        return None
    if FACTS[cmp.fact].type not in _ORDERED:
        return None
    kind = FACTS[cmp.fact].type
    try:
        values = [coerce(v, kind) for v in (cmp.value if isinstance(cmp.value, list) else [cmp.value])]
    except ValueError:
        return None
    values = [v.toordinal() if isinstance(v, date) else float(v) for v in values]
    inf = math.inf
    return {
        Op.LT: (-inf, False, values[0], False),
        Op.LTE: (-inf, False, values[0], True),
        Op.GT: (values[0], False, inf, False),
        Op.GTE: (values[0], True, inf, False),
        Op.EQ: (values[0], True, values[0], True),
        Op.BETWEEN: (values[0], True, values[-1], True),
    }.get(cmp.op)


def _empty(intervals: list[tuple[float, bool, float, bool]]) -> bool:
    low, low_in, high, high_in = -math.inf, False, math.inf, False
    for lo, lo_in, hi, hi_in in intervals:
        if lo > low or (lo == low and not lo_in):
            low, low_in = lo, lo_in
        if hi < high or (hi == high and not hi_in):
            high, high_in = hi, hi_in
    return low > high or (low == high and not (low_in and high_in))


def static_truth(condition: Condition) -> bool | None:
    """True or False if decidable without data (for facts that are present), else None."""
    if isinstance(condition, Not):
        inner = static_truth(condition.not_)
        return None if inner is None else not inner
    if isinstance(condition, Any_):
        parts = [static_truth(c) for c in condition.any]
        if True in parts:
            return True
        return False if all(p is False for p in parts) else None
    if isinstance(condition, All):
        parts = [static_truth(c) for c in condition.all]
        if False in parts:
            return False
        by_fact: dict[str, list[tuple[float, bool, float, bool]]] = defaultdict(list)
        for c in condition.all:
            if isinstance(c, Compare) and (interval := _interval(c)) is not None:
                by_fact[c.fact].append(interval)
        if any(_empty(intervals) for intervals in by_fact.values()):
            return False
        return True if all(p is True for p in parts) else None
    return _compare_truth(condition)


def _compare_truth(cmp: Compare) -> bool | None:
    interval = _interval(cmp)
    if interval is not None and _empty([interval]):
        return False
    spec = FACTS.get(cmp.fact)
    if spec is None or not spec.values or cmp.op not in (Op.IN, Op.NOT_IN) or not isinstance(cmp.value, list):
        return None
    covers_all = set(spec.values) <= set(cmp.value)
    if covers_all:
        return cmp.op is Op.IN
    return None


def check_ruleset(ruleset: RuleSet) -> list[Problem]:
    """Every static problem of ``ruleset``."""
    checker = Checker(ruleset)
    checker.check_duplicates()
    checker.check_versions()
    for loaded in ruleset.packs:
        for rule in loaded.pack.rules:
            checker.check_rule(loaded, rule)
    if not checker.problems:
        checker.check_contradictions(ruleset.packs)
    for tests in ruleset.tests:
        checker.problems += check_tests(tests, ruleset)
    if not checker.problems:
        _coerce_packs(ruleset)
    return checker.problems


def check_tests(tests: LoadedTests, ruleset: RuleSet) -> list[Problem]:
    """Facts in a test file exist and have their types; expected rules exist in the folder's packs."""
    problems = []
    folder = Path(tests.path).parent
    known_rules = [r.id for lp in ruleset.packs if Path(lp.path).parent == folder for r in lp.pack.rules]

    def fact_problems(values: dict[str, Any], where: tuple[str | int, ...], entity: str | None) -> None:
        for name, value in values.items():
            if name not in FACTS:
                message = _("unknown fact '{name}'").format(name=name)
                location = tests.marked.location((*where, name), key=True)
                problems.append(Problem(location, message, entity=entity, hint=did_you_mean_fact(name, FACTS)))
                continue
            if value is None:
                continue  # null: the fact is missing in this test
            kind = FACTS[name].type
            try:
                if kind is FactType.STRINGS:
                    if not isinstance(value, list):
                        raise ValueError(_("expected a list, got {value!r}").format(value=value))
                    for item in value:
                        coerce(item, FactType.STRING)
                else:
                    coerce(value, kind)
            except ValueError as exc:
                problems.append(Problem(tests.marked.location((*where, name)), str(exc), entity=entity, field=name))

    # A rule of a broken pack in the folder is unknown for that reason only: not knowing it is no news.
    lost = ruleset.lost_rules.get(folder, set())
    opaque = folder in ruleset.opaque

    def consequence(rule_id: str) -> bool:
        return rule_id not in known_rules and (opaque or rule_id in lost)

    unchecked = 0
    fact_problems(tests.defaults, ("defaults",), None)
    for index, test in enumerate(tests.tests):
        entity = _("test '{name}'").format(name=test.name)
        fact_problems(test.given, ("tests", index, "given"), entity)
        expect = test.expect
        named = [r for part in ("passed", "failed", "unknown", "not_applicable") for r in getattr(expect, part)]
        unchecked += any(consequence(r) for r in named)
        for part in ("passed", "failed", "unknown", "not_applicable"):
            for i, rule_id in enumerate(getattr(expect, part)):
                if rule_id not in known_rules and not consequence(rule_id):
                    message = _("no rule '{id}' in the packs of this folder").format(id=rule_id)
                    location = tests.marked.location(("tests", index, "expect", part, i))
                    problems.append(Problem(location, message, entity=entity, hint=did_you_mean(rule_id, known_rules)))
    if unchecked:
        ruleset.unchecked[tests.path] = unchecked
    return problems


def _coerce_packs(ruleset: RuleSet) -> None:
    """Replace rule values by their typed form (a quoted '2024-09-22' becomes a date)."""
    for loaded in ruleset.packs:
        rules = [_coerce_rule(rule) for rule in loaded.pack.rules]
        loaded.pack = loaded.pack.model_copy(update={"rules": rules})


def _coerce_rule(rule: Rule) -> Rule:
    update = {part: _coerce_condition(getattr(rule, part)) for part in ("when", "require") if getattr(rule, part)}
    return rule.model_copy(update=update)


def _coerce_condition(condition: Condition) -> Condition:
    if isinstance(condition, All):
        return condition.model_copy(update={"all": [_coerce_condition(c) for c in condition.all]})
    if isinstance(condition, Any_):
        return condition.model_copy(update={"any": [_coerce_condition(c) for c in condition.any]})
    if isinstance(condition, Not):
        return condition.model_copy(update={"not_": _coerce_condition(condition.not_)})
    if condition.value is None:
        return condition
    kind = FACTS[condition.fact].type
    if not isinstance(condition.op, Op) and (operator := OPERATORS.get(condition.op)) is not None:
        kind = operator.value_type or kind
    element = FactType.STRING if kind is FactType.STRINGS else kind
    if isinstance(condition.value, list):
        value: Any = [coerce(v, element) for v in condition.value]
    else:
        value = coerce(condition.value, element)
    return condition.model_copy(update={"value": value})


def typed_packs(packs: list[RulePack]) -> list[RulePack]:
    """Packs with typed values (for packs built in code rather than loaded from files)."""
    return [p.model_copy(update={"rules": [_coerce_rule(r) for r in p.rules]}) for p in packs]
