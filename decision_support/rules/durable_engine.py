"""Rule packs compiled to durable_rules rulesets, evaluated under the safe-use rules.

durable_rules (a Rete engine in C, unmaintained since 2020) has bugs that silently
lose matches (see docs/rules-engine.md). This module follows the safe-use rules:

- facts, not events, so every matching rule fires;
- one session (``sid``) per evaluation, deleted afterwards (no 32-bit id
  collisions, no state leaks), and a unique ``id`` on every fact;
- no batch asserts; a catch-all rule so no fact is ever "not handled";
- actions only record which compiled rule fired; the exception slot of the
  session state is checked after every evaluation and fails closed;
- facts strictly typed before they are asserted (dates as day ordinals; lists
  never empty, so "does not contain" is decidable); a handful of groups, far
  from the 255-property limit;
- one Host per process, rulesets registered once under a name that includes the
  pack's content hash (a ruleset cannot be replaced), a copy of the definition
  passed in (durable mutates it), and a lock around engine calls.

Each rule becomes up to three compiled rules, ``<id>$pass``, ``<id>$fail`` and
``<id>$na``, from the condition and its negation in negation normal form, each
guarded by "every fact it reads exists". When neither pass nor fail fires (a fact
is missing) the outcome is *unknown*, exactly as in the reference evaluator.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from datetime import date
from typing import Any

from ..errors import SeimbangError
from .facts import FACTS, Facts, FactType
from .language import All, Any_, Compare, Condition, Not, Op, Rule, RuleKind, RulePack
from .outcomes import Outcome

#: Marks the facts this module asserts (the catch-all matches on it).
KIND = "seimbang_candidate"
#: First element of every list fact: durable's "all items" test is false on an empty list.
SENTINEL = ""

Expr = dict[str, Any]


class EngineError(SeimbangError):
    """durable_rules reported an error while evaluating: the decision is not trusted."""


# -- compiling conditions --------------------------------------------------------------------


def _literal(value: Any) -> Any:
    if isinstance(value, date):
        return value.toordinal()
    return value


def _exists(name: str) -> Expr:
    return {"$ex": {name: 1}}


def _and(parts: list[Expr]) -> Expr:
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _or(parts: list[Expr]) -> Expr:
    return parts[0] if len(parts) == 1 else {"$or": parts}


_NEGATE = {Op.EQ: Op.NE, Op.NE: Op.EQ, Op.LT: Op.GTE, Op.LTE: Op.GT, Op.GT: Op.LTE, Op.GTE: Op.LT}
_DURABLE_OP = {Op.NE: "$neq", Op.LT: "$lt", Op.LTE: "$lte", Op.GT: "$gt", Op.GTE: "$gte"}


def _binary(op: Op, name: str, right: Any) -> Expr:
    if op is Op.EQ:
        return {"$eq": {name: right}} if isinstance(right, dict) else {name: right}
    return {_DURABLE_OP[op]: {name: right}}


def _compare(condition: Compare, positive: bool) -> Expr:
    """The durable pattern for ``condition`` being true (``positive``) or false."""
    name, op = condition.fact, condition.op
    if op is Op.EXISTS:
        return _exists(name) if positive else {"$nex": {name: 1}}
    if op is Op.MISSING:
        return {"$nex": {name: 1}} if positive else _exists(name)
    guards = [_exists(name)] + ([_exists(condition.ref)] if condition.ref else [])
    if op in _NEGATE:
        right = {"$m": condition.ref} if condition.ref else _literal(condition.value)
        return _and([*guards, _binary(op if positive else _NEGATE[op], name, right)])
    values = condition.value if isinstance(condition.value, list) else [condition.value]
    values = [_literal(v) for v in values]
    if op is Op.BETWEEN:
        low, high = values
        test = (
            _and([{"$gte": {name: low}}, {"$lte": {name: high}}])
            if positive
            else _or([{"$lt": {name: low}}, {"$gt": {name: high}}])
        )
        return _and([*guards, test])
    if op in (Op.IN, Op.NOT_IN):
        member = (op is Op.IN) == positive
        if member:
            return _and([*guards, _or([{name: v} for v in values])])
        return _and([*guards, *({"$neq": {name: v}} for v in values)])
    # contains: the list holds the value / every item differs from it
    if positive:
        return _and([*guards, {"$iany": {name: {"$i": values[0]}}}])
    return _and([*guards, {"$iall": {name: {"$neq": {"$i": values[0]}}}}])


def compile_condition(condition: Condition, positive: bool = True) -> Expr:
    """``condition`` (or its negation) in negation normal form, as a durable expression."""
    if isinstance(condition, Not):
        return compile_condition(condition.not_, not positive)
    if isinstance(condition, All):
        parts = [compile_condition(c, positive) for c in condition.all]
        return _and(parts) if positive else _or(parts)
    if isinstance(condition, Any_):
        parts = [compile_condition(c, positive) for c in condition.any]
        return _or(parts) if positive else _and(parts)
    return _compare(condition, positive)


def _pattern(*parts: Expr | None) -> list[dict[str, Expr]]:
    return [{"m": _and([{"kind": KIND}, *(p for p in parts if p is not None)])}]


def compile_rule(rule: Rule) -> dict[str, Expr]:
    """The compiled durable rules for one rule, by name."""
    when_true = compile_condition(rule.when) if rule.when is not None else None
    compiled: dict[str, Expr] = {}
    if rule.when is not None:
        compiled[f"{rule.id}$na"] = {"all": _pattern(compile_condition(rule.when, False))}
    if rule.kind is RuleKind.SCORE:
        compiled[f"{rule.id}$pass"] = {"all": _pattern(when_true)}
        return compiled
    assert rule.require is not None
    compiled[f"{rule.id}$pass"] = {"all": _pattern(when_true, compile_condition(rule.require))}
    compiled[f"{rule.id}$fail"] = {"all": _pattern(when_true, compile_condition(rule.require, False))}
    return compiled


def compile_packs(packs: list[RulePack]) -> dict[str, Expr]:
    """One ruleset definition for ``packs``, with a catch-all rule and ``run`` names set."""
    rules: dict[str, Expr] = {}
    for pack in packs:
        for rule in pack.rules:
            rules.update(compile_rule(rule))
    rules["seimbang$catch_all"] = {"all": [{"m": {"kind": KIND}}]}
    for name, body in rules.items():
        body["run"] = name
    return rules


def ruleset_name(packs: list[RulePack], definition: dict[str, Expr]) -> str:
    """A name unique to the packs' content: durable can't replace a registered ruleset."""
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True, default=str).encode()).hexdigest()[:12]
    ids = "_".join(re.sub(r"\W", "_", f"{p.pack}_{p.version}") for p in packs)
    return f"seimbang_{ids}_{digest}"


# -- facts -----------------------------------------------------------------------------------


def to_durable(facts: Facts, sid: str) -> dict[str, Any]:
    """Nest ``group.name`` facts into objects and encode dates and lists for the engine."""
    message: dict[str, Any] = {"id": "candidate", "sid": sid, "kind": KIND}
    for name, value in facts.items():
        group, field = name.split(".", 1)
        kind = FACTS[name].type
        if kind is FactType.DATE:
            value = value.toordinal()
        elif kind is FactType.STRINGS:
            value = [SENTINEL, *value]
        message.setdefault(group, {})[field] = value
    return message


# -- the engine ------------------------------------------------------------------------------


class DurableEngine:
    """Evaluates rule packs with durable_rules; one instance (one Host) per process."""

    name = "durable"
    _instance: DurableEngine | None = None
    _instance_lock = threading.Lock()

    def __init__(self) -> None:
        from durable import engine  # imported here: only this engine needs the C extension

        fired = self._fired = threading.local()

        class _Host(engine.Host):
            def get_action(self, action_name: str) -> Any:
                def record(c: Any) -> None:
                    fired.names.append(action_name)

                return record

        self._host = _Host()
        #: ids of the packs -> (the packs, kept alive so their ids are never reused; ruleset name)
        self._registered: dict[tuple[int, ...], tuple[list[RulePack], str]] = {}
        self._lock = threading.Lock()
        self._counter = 0

    @classmethod
    def instance(cls) -> DurableEngine:
        """The process's one engine (created on first use)."""
        with cls._instance_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def register(self, packs: list[RulePack]) -> str:
        """Register ``packs`` once; return the ruleset name."""
        key = tuple(id(p) for p in packs)
        if key not in self._registered:
            definition = compile_packs(packs)
            name = ruleset_name(packs, definition)
            if name not in {n for _packs, n in self._registered.values()}:
                self._host.set_rulesets({name: copy.deepcopy(definition)})
            self._registered[key] = (list(packs), name)
        return self._registered[key][1]

    def evaluate(self, packs: list[RulePack], facts: Facts) -> dict[str, Outcome]:
        """Rule id -> outcome for every rule of ``packs``."""
        with self._lock:
            ruleset = self.register(packs)
            self._counter += 1
            sid = f"e{self._counter}"
            self._fired.names = []
            try:
                self._host.assert_fact(ruleset, to_durable(facts, sid))
                state = self._host.get_state(ruleset, sid)
            finally:
                self._host.delete_state(ruleset, sid)
            fired = set(self._fired.names)
        if state and state.get("exception"):
            raise EngineError(f"durable_rules failed while evaluating: {state['exception']}")
        return {rule.id: _outcome(rule, fired) for pack in packs for rule in pack.rules}


def _outcome(rule: Rule, fired: set[str]) -> Outcome:
    passed, failed, na = (f"{rule.id}${x}" in fired for x in ("pass", "fail", "na"))
    if passed + failed + na > 1:
        raise EngineError(f"rule {rule.id}: durable_rules reported contradictory outcomes")
    if na:
        return Outcome.NOT_APPLICABLE
    if passed:
        return Outcome.PASS
    if failed:
        return Outcome.FAIL
    return Outcome.UNKNOWN
