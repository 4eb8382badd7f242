"""Comparison operators added by plugins: ``{fact: X, op: <name>, value: V}`` in a rule pack.

A plugin operator is a pure Python predicate ``(fact_value, rule_value) -> bool`` with the fact types it
accepts. Both engines give it the same meaning:

- the reference evaluator calls the predicate; a missing fact makes the comparison *unknown*, and ``not``,
  ``all`` and ``any`` combine it in Kleene logic like any built-in comparison;
- durable_rules cannot run Python inside a pattern, so :func:`synthetic_facts` calls the predicate before the
  facts are asserted and adds its result as a boolean fact per (operator, fact, value)
  (:func:`synthetic_name`); the compiled condition tests that fact. A missing input fact leaves the
  synthetic fact absent, so the comparison is unknown there too.

A predicate that raises, or returns anything but ``True`` or ``False``, stops the evaluation with an
:class:`OperatorError` naming the plugin and the rule: no decision rests on it (fail closed).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import ExitCode, SeimbangError
from ..i18n import _, current_language
from .facts import Facts, FactType
from .language import All, Any_, Compare, Condition, Not, Op, Rule

#: Group of the synthetic facts in a durable_rules message (no rule-pack fact has this group).
SYNTHETIC_GROUP = "plugin_op"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class OperatorError(SeimbangError):
    """A plugin operator is unusable or failed while deciding a rule; nothing was decided."""

    exit_code = ExitCode.INTERNAL_ERROR


@dataclass(frozen=True)
class PluginOperator:
    """A registered operator: its predicate, the fact types it accepts and its words for explanations."""

    name: str
    fact_types: tuple[FactType, ...]
    predicate: Callable[[Any, Any], bool]
    #: Language code ("id", "en") -> the operator in words, e.g. "is at least golongan".
    words: Mapping[str, str]
    owner: str
    #: Type of the rule's value; None: the fact's own type (its item type for a list fact).
    value_type: FactType | None = None

    def in_words(self) -> str:
        return self.words.get(current_language()) or self.words.get("en") or self.name


#: Operator name -> operator, for every loaded plugin.
OPERATORS: dict[str, PluginOperator] = {}
_lock = threading.Lock()


def register_operator(operator: PluginOperator) -> Callable[[], None]:
    """Add ``operator`` to the rule language; return the function that removes it again."""
    owner, name = operator.owner, operator.name
    if not isinstance(name, str) or not NAME.match(name):
        raise OperatorError(f"plugin {owner}: operator name {name!r} must be lowercase letters, digits and _")
    if not operator.fact_types:
        raise OperatorError(f"plugin {owner}: operator {name!r} accepts no fact type")
    missing = [language for language in ("id", "en") if not operator.words.get(language)]
    if missing:
        raise OperatorError(f"plugin {owner}: operator {name!r} has no words for {missing}")
    with _lock:
        if name in Op._value2member_map_ or name in OPERATORS:
            raise OperatorError(f"plugin {owner}: operator {name!r} already exists")
        OPERATORS[name] = operator

    def remove() -> None:
        with _lock:
            if OPERATORS.get(name) is operator:
                del OPERATORS[name]

    return remove


def operator_names() -> list[str]:
    """Every operator a rule may use now: the built-in ones, then those of loaded plugins."""
    return [op.value for op in Op] + sorted(OPERATORS)


def lookup(name: str, rule: str) -> PluginOperator:
    """The operator ``name`` used by ``rule``; OperatorError when no loaded plugin provides it."""
    operator = OPERATORS.get(name)
    if operator is None:
        raise OperatorError(
            _("rule {rule}: no loaded plugin provides the operator '{op}' (see 'seimbang plugins')").format(
                rule=rule, op=name
            )
        )
    return operator


def decide(condition: Compare, facts: Facts, rule: str) -> bool | None:
    """The plugin comparison ``condition`` on ``facts``: True, False, or None when its fact is missing."""
    assert not isinstance(condition.op, Op)
    operator = lookup(condition.op, rule)
    if condition.fact not in facts:
        return None
    fact_value = facts[condition.fact]
    try:
        result = operator.predicate(fact_value, condition.value)
    except Exception as exc:  # a plugin's bug: say whose and where, decide nothing
        raise OperatorError(
            _(
                "rule {rule}: the operator '{op}' of plugin {plugin} failed on {fact} = {value!r} "
                "(rule value {rule_value!r}): {error}; nothing was decided"
            ).format(
                rule=rule,
                op=operator.name,
                plugin=operator.owner,
                fact=condition.fact,
                value=fact_value,
                rule_value=condition.value,
                error=f"{type(exc).__name__}: {exc}",
            )
        ) from exc
    if not isinstance(result, bool):
        raise OperatorError(
            _(
                "rule {rule}: the operator '{op}' of plugin {plugin} returned {result!r}, not true or false; "
                "nothing was decided"
            ).format(rule=rule, op=operator.name, plugin=operator.owner, result=result)
        )
    return result


# -- durable_rules: synthetic facts ----------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def synthetic_name(condition: Compare) -> str:
    """The boolean fact holding ``condition``'s result: one per (operator, fact, value)."""
    key = json.dumps([str(condition.op), condition.fact, _plain(condition.value)], sort_keys=True, default=str)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{SYNTHETIC_GROUP}.{condition.op}_{digest}"


def plugin_compares(rule: Rule) -> Iterator[Compare]:
    """Every comparison of ``rule`` that uses a plugin operator."""
    for condition in (rule.when, rule.require):
        if condition is not None:
            yield from _walk(condition)


def _walk(condition: Condition) -> Iterator[Compare]:
    if isinstance(condition, All):
        for part in condition.all:
            yield from _walk(part)
    elif isinstance(condition, Any_):
        for part in condition.any:
            yield from _walk(part)
    elif isinstance(condition, Not):
        yield from _walk(condition.not_)
    elif not isinstance(condition.op, Op):
        yield condition


def synthetic_facts(compares: list[tuple[str, Compare]], facts: Facts) -> dict[str, bool]:
    """Synthetic fact -> the predicate's result, for the (rule id, comparison) pairs whose fact is present."""
    out: dict[str, bool] = {}
    for rule, condition in compares:
        name = synthetic_name(condition)
        if name in out:
            continue
        result = decide(condition, facts, rule)
        if result is not None:
            out[name] = result
    return out
