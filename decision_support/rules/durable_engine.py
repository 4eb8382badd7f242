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

A pass needs positive evidence in every compile mode: the pass (or, in the coarse
mode, "did not exclude") action must have fired. durable_rules is known to lose
matches; a filter whose facts are all present but for which no action fired is a
lost match and raises :class:`EngineError` (fail closed), never a pass.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import SeimbangError
from .facts import FACTS, Facts, FactType, representable
from .language import All, Any_, Compare, Condition, Not, Op, Rule, RuleKind, RulePack
from .operators import SYNTHETIC_GROUP, plugin_compares, synthetic_facts, synthetic_name
from .outcomes import Outcome, referenced_facts

#: Marks the facts this module asserts (the catch-all matches on it).
KIND = "seimbang_candidate"
#: First element of every list fact: durable's "all items" test is false on an empty list. A character
#: no code or name uses, so "contains" can never match it.
SENTINEL = "\u241f"

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
    if not isinstance(op, Op):
        # A plugin's operator: its predicate ran before the facts were asserted (see .operators); the
        # synthetic fact is absent when the fact it reads is, so the comparison is then unknown.
        synthetic = synthetic_name(condition)
        return _and([_exists(synthetic), {synthetic: positive}])
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


#: Compile modes: exact outcomes ("full"; "fast" is the same set of patterns, kept as a name for the
#: single-pair path) and verdict-grade outcomes for bulk screening ("coarse", see
#: :func:`~.outcomes.coarsen`). Every mode has a pattern that must fire for a pass: an earlier "fast"
#: mode decided a filter that read only always-present facts as "neither fail nor not applicable",
#: so a match durable_rules lost would have become a pass.
MODES = ("full", "fast", "coarse")


def compile_rule(rule: Rule, mode: str = "full") -> dict[str, Expr]:
    """The compiled durable rules for one rule, by name."""
    when_true = compile_condition(rule.when) if rule.when is not None else None
    when_false = compile_condition(rule.when, False) if rule.when is not None else None
    compiled: dict[str, Expr] = {}
    if rule.kind is RuleKind.SCORE:
        compiled[f"{rule.id}$pass"] = {"all": _pattern(when_true)}
        if when_false is not None and mode != "coarse":
            compiled[f"{rule.id}$na"] = {"all": _pattern(when_false)}
        return compiled
    assert rule.require is not None
    passes = _and([p for p in (when_true, compile_condition(rule.require)) if p is not None])
    compiled[f"{rule.id}$fail"] = {"all": _pattern(when_true, compile_condition(rule.require, False))}
    if mode == "coarse":
        # "did not exclude": applies and passes, or does not apply. Two rules, not one with an
        # $or: durable expands $or into every combination and refuses large ones (error 113).
        compiled[f"{rule.id}$ok"] = {"all": _pattern(passes)}
        if when_false is not None:
            compiled[f"{rule.id}$ok_na"] = {"all": _pattern(when_false)}
        return compiled
    if when_false is not None:
        compiled[f"{rule.id}$na"] = {"all": _pattern(when_false)}
    compiled[f"{rule.id}$pass"] = {"all": _pattern(passes)}
    return compiled


def compile_packs(packs: list[RulePack], mode: str = "full") -> dict[str, Expr]:
    """One ruleset definition for ``packs``, with a catch-all rule and ``run`` names set."""
    rules: dict[str, Expr] = {}
    for pack in packs:
        for rule in pack.rules:
            rules.update(compile_rule(rule, mode))
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


def to_durable(facts: Facts, sid: str, names: frozenset[str] | None = None) -> dict[str, Any]:
    """Nest ``group.name`` facts into objects and encode dates and lists for the engine.

    With ``names``, only those facts are sent: durable copies the whole message into every
    action's state as JSON, so unused facts cost time on every rule that fires.
    """
    message: dict[str, Any] = {"id": "candidate", "sid": sid, "kind": KIND}
    for name, value in facts.items():
        if names is not None and name not in names:
            continue
        group, field = name.split(".", 1)
        kind = FACTS[name].type
        if kind is FactType.NUMBER and not representable(value):
            raise EngineError(f"{name} = {value!r} cannot be compared exactly by durable_rules")
        if kind is FactType.DATE:
            value = value.toordinal()
        elif kind is FactType.STRINGS:
            value = [SENTINEL, *value]
        message.setdefault(group, {})[field] = value
    return message


# -- the engine ------------------------------------------------------------------------------


class _Fired:
    """The compiled rules that fired during the current evaluation (one evaluation at a time, under a lock)."""

    def __init__(self) -> None:
        self.names: list[str] = []


class DurableEngine:
    """Evaluates rule packs with durable_rules; one instance (one Host) per process."""

    name = "durable"
    _instance: DurableEngine | None = None
    _instance_lock = threading.Lock()

    def __init__(self) -> None:
        from durable import engine  # imported here: only this engine needs the C extension

        fired = self._fired = _Fired()

        class _Host(engine.Host):
            def _run(self) -> None:
                # The stock Host starts timer threads that dispatch pending actions in the background.
                # One of them can pick up an action of the evaluation running on the caller's thread,
                # run it elsewhere and race with delete_state (seen as error 307 and lost outcomes).
                # Actions here only record, and we use no durable timers: all actions run inside
                # assert_fact, on the caller's thread, so the background loops are not started.
                return

            def get_action(self, action_name: str) -> Any:
                def record(c: Any) -> None:
                    fired.names.append(action_name)

                return record

        self._host = _Host()
        self._registered: dict[tuple[int, ...], Registered] = {}
        self._known: set[str] = set()
        self._lock = threading.Lock()
        self._counter = 0

    @classmethod
    def instance(cls) -> DurableEngine:
        """The process's one engine (created on first use)."""
        with cls._instance_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def register(self, packs: list[RulePack]) -> Registered:
        """Register ``packs`` once, in every compile mode; return what evaluation needs."""
        key = tuple(id(p) for p in packs)
        if key not in self._registered:
            names = {}
            for mode in MODES:
                definition = compile_packs(packs, mode)
                name = ruleset_name(packs, definition)
                if name not in self._known:
                    self._host.set_rulesets({name: copy.deepcopy(definition)})
                    self._known.add(name)
                names[mode] = name
            read = frozenset(f for pack in packs for rule in pack.rules for f in referenced_facts(rule))
            rules = [rule for pack in packs for rule in pack.rules]
            plugin = [(rule.id, c) for rule in rules for c in plugin_compares(rule)]
            self._registered[key] = Registered(list(packs), rules, names, read, plugin)
        return self._registered[key]

    def _fire(self, ruleset: str, facts: Facts, registered: Registered) -> set[str]:
        """Assert ``facts`` in a fresh session of ``ruleset``; the compiled rules that fired."""
        message = to_durable(facts, "", registered.read)
        # Plugin operators' results as boolean facts (a failing predicate raises here: nothing asserted).
        for name, value in synthetic_facts(registered.plugin_compares, facts).items():
            message.setdefault(SYNTHETIC_GROUP, {})[name.split(".", 1)[1]] = value
        self._counter += 1
        sid = message["sid"] = f"e{self._counter}"
        self._fired.names = []
        try:
            self._host.assert_fact(ruleset, message)
            state = self._host.get_state(ruleset, sid)
        except EngineError:
            raise
        except Exception as exc:  # durable_rules raises its own error class and others; never decide then
            _forget(self._host, ruleset, sid)
            raise EngineError(f"durable_rules failed while evaluating: {exc}") from exc
        self._host.delete_state(ruleset, sid)
        if state and state.get("exception"):
            raise EngineError(f"durable_rules failed while evaluating: {state['exception']}")
        return set(self._fired.names)

    def evaluate(self, packs: list[RulePack], facts: Facts, *, coarse: bool = False) -> dict[str, Outcome]:
        """Rule id -> outcome for every rule of ``packs`` (verdict-grade outcomes with ``coarse``)."""
        mode = "coarse" if coarse else "fast"
        with self._lock:
            registered = self.register(packs)
            fired = self._fire(registered.names[mode], facts, registered)
        return {rule.id: _outcome(rule, fired, mode, facts) for rule in registered.rules}


@dataclass(frozen=True)
class Registered:
    """The rulesets registered for one list of packs."""

    packs: list[RulePack]  # kept alive so the ids in the registry key are never reused
    rules: list[Rule]
    names: dict[str, str]  # compile mode -> ruleset name
    read: frozenset[str]
    #: (rule id, comparison) for every comparison with a plugin's operator.
    plugin_compares: list[tuple[str, Compare]]


def _forget(host: Any, ruleset: str, sid: str) -> None:
    """Delete a session after a failure; it may never have been created, which is no new error."""
    with contextlib.suppress(Exception):  # the original error is what matters; the caller raises it
        host.delete_state(ruleset, sid)


def _outcome(rule: Rule, fired: set[str], mode: str, facts: Facts) -> Outcome:
    """The outcome the fired compiled rules give ``rule`` under compile ``mode``.

    Only a fired action gives an outcome. A filter whose facts are all present is decided in
    three-valued logic, so exactly one of its actions must fire; none is a lost match.
    """
    passed, failed, na, ok, ok_na = (f"{rule.id}${x}" in fired for x in ("pass", "fail", "na", "ok", "ok_na"))
    ok = ok or ok_na
    if passed + failed + na + ok > 1:
        raise EngineError(f"rule {rule.id}: durable_rules reported contradictory outcomes")
    if rule.kind is RuleKind.SCORE:
        if passed:
            return Outcome.PASS
        return Outcome.NOT_APPLICABLE if na or mode == "coarse" else Outcome.UNKNOWN
    if failed:
        return Outcome.FAIL
    if na:
        return Outcome.NOT_APPLICABLE
    if passed or ok:
        return Outcome.PASS
    if all(name in facts for name in referenced_facts(rule)):
        raise EngineError(f"rule {rule.id}: durable_rules decided nothing although every fact it reads is present")
    return Outcome.UNKNOWN
