"""The rule engines: what the durable compiler emits, three-valued semantics, and safe use of durable_rules.

- the durable expression for every operator, true and negated, with its ``$ex`` guards;
- Kleene logic on both engines: a missing fact is *unknown*, never a silent pass;
- lists (the sentinel that makes "does not contain" decidable on an empty list), dates, refs;
- durable_rules' traps (docs: shared design note "rules-engine" §3-5): facts identified by content,
  sessions that must be deleted, many evaluations, threads, errors that must fail closed.

Known bugs are strict xfails at the end, each with a minimal reproduction.
"""

from __future__ import annotations

import gc
import os
import threading
from datetime import date
from typing import Any

import pytest

from decision_support.i18n import set_language
from decision_support.rules.checking import coerce, typed_packs
from decision_support.rules.durable_engine import (
    KIND,
    SENTINEL,
    DurableEngine,
    EngineError,
    compile_condition,
    compile_packs,
    compile_rule,
    to_durable,
)
from decision_support.rules.evaluation import get_engine
from decision_support.rules.facts import FactType, check_types
from decision_support.rules.language import Compare, RulePack
from decision_support.rules.outcomes import Outcome
from decision_support.rules.reference import ReferenceEngine, evaluate_condition

PASS, FAIL, NA, UNKNOWN = Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE, Outcome.UNKNOWN
YEARS = "employee.years_in_position"
AGE = "employee.age_years"
STATUS = "employee.status"
SANCTION = "employee.has_active_sanction"
COMPETENCIES = "employee.competencies"
AS_OF = "context.as_of"


def make_pack(*rules: dict[str, Any], pack: str = "engine_test") -> list[RulePack]:
    """A typed one-pack list; rules get ids r0, r1... unless they have one."""
    raw = {
        "pack": pack,
        "version": "1",
        "title": "test",
        "effective_from": "2024-01-01",
        "legal_basis": ["test"],
        "owner": "test",
        "rules": [{"id": f"r{i}", "title": "t", "legal_basis": "test", **r} for i, r in enumerate(rules)],
    }
    return typed_packs([RulePack.model_validate(raw)])


def filter_rule(require: dict[str, Any], when: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"kind": "filter", "require": require, **({"when": when} if when else {})}


def compare(fact: str, op: str, value: Any = None, ref: str | None = None) -> Compare:
    """A typed comparison, as the checker leaves it."""
    body: dict[str, Any] = {"fact": fact, "op": op}
    if value is not None:
        body["value"] = value
    if ref is not None:
        body["ref"] = ref
    require = make_pack(filter_rule(body))[0].rules[0].require
    assert isinstance(require, Compare)
    return require


def ex(name: str) -> dict[str, Any]:
    return {"$ex": {name: 1}}


ENGINES = ["reference", "durable"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Any:
    return get_engine(request.param)


# -- the compiler ----------------------------------------------------------------------------------

OPERATOR_CASES = [
    # (fact, op, value, ref, true form without guards, false form without guards)
    (YEARS, "eq", 2, None, [{YEARS: 2.0}], [{"$neq": {YEARS: 2.0}}]),
    (YEARS, "ne", 2, None, [{"$neq": {YEARS: 2.0}}], [{YEARS: 2.0}]),
    (YEARS, "lt", 2, None, [{"$lt": {YEARS: 2.0}}], [{"$gte": {YEARS: 2.0}}]),
    (YEARS, "lte", 2, None, [{"$lte": {YEARS: 2.0}}], [{"$gt": {YEARS: 2.0}}]),
    (YEARS, "gt", 2, None, [{"$gt": {YEARS: 2.0}}], [{"$lte": {YEARS: 2.0}}]),
    (YEARS, "gte", 2, None, [{"$gte": {YEARS: 2.0}}], [{"$lt": {YEARS: 2.0}}]),
    (
        YEARS,
        "between",
        [2, 5],
        None,
        [{"$and": [{"$gte": {YEARS: 2.0}}, {"$lte": {YEARS: 5.0}}]}],
        [{"$or": [{"$lt": {YEARS: 2.0}}, {"$gt": {YEARS: 5.0}}]}],
    ),
    (
        STATUS,
        "in",
        ["PNS", "PPPK"],
        None,
        [{"$or": [{STATUS: "PNS"}, {STATUS: "PPPK"}]}],
        [
            {"$neq": {STATUS: "PNS"}},
            {"$neq": {STATUS: "PPPK"}},
        ],
    ),
    (STATUS, "in", ["PNS"], None, [{STATUS: "PNS"}], [{"$neq": {STATUS: "PNS"}}]),
    (
        STATUS,
        "not_in",
        ["PNS", "PPPK"],
        None,
        [{"$neq": {STATUS: "PNS"}}, {"$neq": {STATUS: "PPPK"}}],
        [{"$or": [{STATUS: "PNS"}, {STATUS: "PPPK"}]}],
    ),
    (
        COMPETENCIES,
        "contains",
        "K1",
        None,
        [{"$iany": {COMPETENCIES: {"$i": "K1"}}}],
        [{"$iall": {COMPETENCIES: {"$neq": {"$i": "K1"}}}}],
    ),
    (SANCTION, "eq", False, None, [{SANCTION: False}], [{"$neq": {SANCTION: False}}]),
    (AS_OF, "lt", "2024-07-01", None, [{"$lt": {AS_OF: 739068}}], [{"$gte": {AS_OF: 739068}}]),
    (AGE, "gt", None, YEARS, [{"$gt": {AGE: {"$m": YEARS}}}], [{"$lte": {AGE: {"$m": YEARS}}}]),
    (AGE, "eq", None, YEARS, [{"$eq": {AGE: {"$m": YEARS}}}], [{"$neq": {AGE: {"$m": YEARS}}}]),
    (AGE, "ne", None, YEARS, [{"$neq": {AGE: {"$m": YEARS}}}], [{"$eq": {AGE: {"$m": YEARS}}}]),
]


@pytest.mark.parametrize(
    ("fact", "op", "value", "ref", "true_form", "false_form"),
    OPERATOR_CASES,
    ids=[f"{c[1]}-{'ref' if c[3] else type(c[2]).__name__}" for c in OPERATOR_CASES],
)
def test_compiled_operator(
    fact: str, op: str, value: Any, ref: str | None, true_form: list[Any], false_form: list[Any]
) -> None:
    """Each comparison is guarded by $ex on every fact it reads, in its true and its negated form."""
    cmp = compare(fact, op, value, ref)
    guards = [ex(fact)] + ([ex(ref)] if ref else [])
    assert compile_condition(cmp) == {"$and": [*guards, *true_form]}
    assert compile_condition(cmp, positive=False) == {"$and": [*guards, *false_form]}


def test_compiled_exists_and_missing_need_no_guard() -> None:
    assert compile_condition(compare(YEARS, "exists")) == ex(YEARS)
    assert compile_condition(compare(YEARS, "exists"), positive=False) == {"$nex": {YEARS: 1}}
    assert compile_condition(compare(YEARS, "missing")) == {"$nex": {YEARS: 1}}
    assert compile_condition(compare(YEARS, "missing"), positive=False) == ex(YEARS)


def test_compiled_negation_normal_form() -> None:
    """not(all(a, not b)) becomes (not a) or b: the negation is pushed down to the comparisons."""
    rule = make_pack(
        filter_rule(
            {
                "not": {
                    "all": [
                        {"fact": YEARS, "op": "gte", "value": 2},
                        {"not": {"fact": SANCTION, "op": "eq", "value": True}},
                    ]
                }
            }
        )
    )[0].rules[0]
    assert rule.require is not None
    a_false = {"$and": [ex(YEARS), {"$lt": {YEARS: 2.0}}]}
    a_true = {"$and": [ex(YEARS), {"$gte": {YEARS: 2.0}}]}
    b_true = {"$and": [ex(SANCTION), {SANCTION: True}]}
    b_false = {"$and": [ex(SANCTION), {"$neq": {SANCTION: True}}]}
    assert compile_condition(rule.require) == {"$or": [a_false, b_true]}
    assert compile_condition(rule.require, positive=False) == {"$and": [a_true, b_false]}


def flat(expr: Any) -> Any:
    """``expr`` with nested $and lists flattened: ``a and (b and c)`` is ``a and b and c`` to durable too."""
    if isinstance(expr, list):
        return [flat(e) for e in expr]
    if not isinstance(expr, dict):
        return expr
    if set(expr) == {"$and"}:
        parts: list[Any] = []
        for part in (flat(p) for p in expr["$and"]):
            parts += part["$and"] if isinstance(part, dict) and set(part) == {"$and"} else [part]
        return {"$and": parts}
    return {key: flat(value) for key, value in expr.items()}


def test_compiled_rules_and_catch_all() -> None:
    """In full mode each rule gets pass, fail (filters and quotas) and not-applicable (with ``when``) patterns."""
    packs = make_pack(
        filter_rule({"fact": YEARS, "op": "gte", "value": 2}),
        filter_rule({"fact": YEARS, "op": "gte", "value": 2}, when={"fact": SANCTION, "op": "eq", "value": False}),
        {"kind": "score", "points": 3},
        {"kind": "score", "points": 3, "when": {"fact": SANCTION, "op": "eq", "value": False}},
        {"kind": "quota", "require": {"fact": "quota.target_holders_after", "op": "lte", "value": 4}},
    )
    rules = packs[0].rules
    kind = {"kind": KIND}
    holds = [ex(YEARS), {"$gte": {YEARS: 2.0}}]
    fails = [ex(YEARS), {"$lt": {YEARS: 2.0}}]
    applies = [ex(SANCTION), {SANCTION: False}]
    not_applies = [ex(SANCTION), {"$neq": {SANCTION: False}}]

    def pattern(*parts: dict[str, Any]) -> dict[str, Any]:
        return {"all": [{"m": {"$and": [kind, *parts]} if parts else kind}]}

    assert flat(compile_rule(rules[0])) == {"r0$pass": pattern(*holds), "r0$fail": pattern(*fails)}
    assert flat(compile_rule(rules[1])) == {
        "r1$na": pattern(*not_applies),
        "r1$pass": pattern(*applies, *holds),
        "r1$fail": pattern(*applies, *fails),
    }
    assert flat(compile_rule(rules[2])) == {"r2$pass": pattern()}
    assert flat(compile_rule(rules[3])) == {"r3$na": pattern(*not_applies), "r3$pass": pattern(*applies)}
    assert set(compile_rule(rules[4])) == {"r4$pass", "r4$fail"}
    definition = compile_packs(packs)
    assert definition["seimbang$catch_all"] == {"all": [{"m": kind}], "run": "seimbang$catch_all"}
    assert all(body["run"] == name for name, body in definition.items())
    # Every compiled rule has one pattern: several patterns would join different facts (the PR #171 trap).
    assert all(len(body["all"]) == 1 for body in definition.values())


def test_facts_sent_to_durable() -> None:
    """Facts are nested by group, dates become day ordinals, lists start with the sentinel."""
    facts = {YEARS: 2.5, AS_OF: date(2024, 7, 1), COMPETENCIES: [], "target.required_competencies": ["K1"]}
    message = to_durable(facts, "s1")
    assert message == {
        "id": "candidate",
        "sid": "s1",
        "kind": KIND,
        "employee": {"years_in_position": 2.5, "competencies": [SENTINEL]},
        "context": {"as_of": 739068},
        "target": {"required_competencies": [SENTINEL, "K1"]},
    }


# -- three-valued logic, on both engines -------------------------------------------------------------

TRUE = {"fact": YEARS, "op": "gte", "value": 2}  # true with YEARS_OK
FALSE = {"fact": SANCTION, "op": "eq", "value": True}  # false with SANCTION_NO
UNDECIDED = {"fact": AGE, "op": "gt", "value": 30}  # unknown: AGE is missing
FACTS = {YEARS: 3, SANCTION: False}

KLEENE = [
    ("true", TRUE, PASS),
    ("false", FALSE, FAIL),
    ("missing fact", UNDECIDED, UNKNOWN),
    ("not unknown", {"not": UNDECIDED}, UNKNOWN),
    ("not not unknown", {"not": {"not": UNDECIDED}}, UNKNOWN),
    ("not false", {"not": FALSE}, PASS),
    ("any(true, unknown)", {"any": [TRUE, UNDECIDED]}, PASS),
    ("any(unknown, true)", {"any": [UNDECIDED, TRUE]}, PASS),
    ("any(false, unknown)", {"any": [FALSE, UNDECIDED]}, UNKNOWN),
    ("any(false, false)", {"any": [FALSE, FALSE]}, FAIL),
    ("all(false, unknown)", {"all": [FALSE, UNDECIDED]}, FAIL),
    ("all(unknown, false)", {"all": [UNDECIDED, FALSE]}, FAIL),
    ("all(true, unknown)", {"all": [TRUE, UNDECIDED]}, UNKNOWN),
    ("all(true, true)", {"all": [TRUE, TRUE]}, PASS),
    ("not all(false, unknown)", {"not": {"all": [FALSE, UNDECIDED]}}, PASS),
    ("not any(true, unknown)", {"not": {"any": [TRUE, UNDECIDED]}}, FAIL),
    ("not any(false, unknown)", {"not": {"any": [FALSE, UNDECIDED]}}, UNKNOWN),
    ("exists on missing", {"fact": AGE, "op": "exists"}, FAIL),
    ("missing on missing", {"fact": AGE, "op": "missing"}, PASS),
    ("any(missing, compare on it)", {"any": [{"fact": AGE, "op": "missing"}, UNDECIDED]}, PASS),
]


@pytest.mark.parametrize(("require", "expected"), [c[1:] for c in KLEENE], ids=[c[0] for c in KLEENE])
def test_three_valued_require(engine: Any, require: dict[str, Any], expected: Outcome) -> None:
    packs = make_pack(filter_rule(require))
    assert engine.evaluate(packs, FACTS) == {"r0": expected}


def test_reference_condition_truth_values() -> None:
    """The reference evaluator's own truth values: None is unknown."""
    rule = make_pack(filter_rule({"any": [FALSE, UNDECIDED]}))[0].rules[0]
    assert rule.require is not None
    assert evaluate_condition(rule.require, FACTS) is None
    assert evaluate_condition(rule.require, {**FACTS, AGE: 31}) is True
    assert evaluate_condition(rule.require, {**FACTS, AGE: 30}) is False


WHEN_CASES = [
    ("when true, require true", TRUE, TRUE, PASS, PASS),
    ("when true, require false", TRUE, FALSE, FAIL, PASS),
    ("when false", FALSE, TRUE, NA, NA),
    ("when false, require unknown", FALSE, UNDECIDED, NA, NA),
    ("when unknown", UNDECIDED, TRUE, UNKNOWN, UNKNOWN),
    ("when true, require unknown", TRUE, UNDECIDED, UNKNOWN, PASS),
]


@pytest.mark.parametrize(
    ("when", "require", "filter_outcome", "score_outcome"),
    [c[1:] for c in WHEN_CASES],
    ids=[c[0] for c in WHEN_CASES],
)
def test_when_applies_the_rule(
    engine: Any, when: dict[str, Any], require: dict[str, Any], filter_outcome: Outcome, score_outcome: Outcome
) -> None:
    """A false ``when`` makes a rule not applicable; an unknown one makes it unknown (also for scores)."""
    packs = make_pack(
        filter_rule(require, when=when),
        {"kind": "quota", "when": when, "require": require},
        {"kind": "score", "points": 2, "when": when},
    )
    assert engine.evaluate(packs, FACTS) == {"r0": filter_outcome, "r1": filter_outcome, "r2": score_outcome}


def test_score_without_when_always_passes(engine: Any) -> None:
    assert engine.evaluate(make_pack({"kind": "score", "points": 1}), {}) == {"r0": PASS}


# -- lists, dates, refs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("competencies", "contains", "not_contains"),
    [
        ([], FAIL, PASS),
        (["K2"], FAIL, PASS),
        (["K1"], PASS, FAIL),
        (["K2", "K1"], PASS, FAIL),
        (["K1", "K1"], PASS, FAIL),
        ([""], FAIL, PASS),
        (["k1"], FAIL, PASS),  # codes are case-sensitive
        (None, UNKNOWN, UNKNOWN),  # the list itself is missing
    ],
)
def test_contains_and_empty_lists(
    engine: Any, competencies: list[str] | None, contains: Outcome, not_contains: Outcome
) -> None:
    """An empty list contains nothing, so 'does not contain' holds on it (durable needs the sentinel for that)."""
    packs = make_pack(
        filter_rule({"fact": COMPETENCIES, "op": "contains", "value": "K1"}),
        filter_rule({"not": {"fact": COMPETENCIES, "op": "contains", "value": "K1"}}),
    )
    facts = {} if competencies is None else {COMPETENCIES: competencies}
    assert engine.evaluate(packs, facts) == {"r0": contains, "r1": not_contains}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 6, 30), [PASS, FAIL, FAIL, PASS, PASS, FAIL]),
        (date(2024, 7, 1), [FAIL, PASS, PASS, PASS, FAIL, PASS]),
        (date(2024, 7, 2), [FAIL, PASS, FAIL, PASS, FAIL, PASS]),
        (date(2025, 1, 1), [FAIL, PASS, FAIL, FAIL, FAIL, PASS]),
        (date(1999, 12, 31), [PASS, FAIL, FAIL, FAIL, PASS, FAIL]),
    ],
)
def test_date_comparisons(engine: Any, as_of: date, expected: list[Outcome]) -> None:
    """Dates compare as days, ties included; a quoted date in a rule is typed by typed_packs."""
    packs = make_pack(
        filter_rule({"fact": AS_OF, "op": "lt", "value": "2024-07-01"}),
        filter_rule({"fact": AS_OF, "op": "gte", "value": date(2024, 7, 1)}),
        filter_rule({"fact": AS_OF, "op": "eq", "value": "2024-07-01"}),
        filter_rule({"fact": AS_OF, "op": "between", "value": ["2024-01-01", "2024-12-31"]}),
        filter_rule({"not": {"fact": AS_OF, "op": "gte", "value": "2024-07-01"}}),
        filter_rule({"fact": AS_OF, "op": "gt", "value": "2024-06-30"}),
    )
    assert list(engine.evaluate(packs, {AS_OF: as_of}).values()) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({AGE: 40, YEARS: 3}, [PASS, FAIL, PASS, FAIL]),
        ({AGE: 3, YEARS: 3}, [FAIL, PASS, FAIL, PASS]),
        ({AGE: 3.0, YEARS: 3}, [FAIL, PASS, FAIL, PASS]),
        ({AGE: -1, YEARS: 0}, [FAIL, PASS, PASS, FAIL]),
        ({AGE: 40}, [UNKNOWN] * 4),  # the ref is missing: unknown, not a pass (nor a pass and a fail)
        ({YEARS: 3}, [UNKNOWN] * 4),  # the fact itself is missing
        ({}, [UNKNOWN] * 4),
    ],
)
def test_ref_comparisons(engine: Any, facts: dict[str, Any], expected: list[Outcome]) -> None:
    packs = make_pack(
        filter_rule({"fact": AGE, "op": "gt", "ref": YEARS}),
        filter_rule({"not": {"fact": AGE, "op": "gt", "ref": YEARS}}),
        filter_rule({"fact": AGE, "op": "ne", "ref": YEARS}),
        filter_rule({"fact": AGE, "op": "eq", "ref": YEARS}),
    )
    assert list(engine.evaluate(packs, facts).values()) == expected


def test_ref_comparisons_of_strings_booleans_and_dates(engine: Any) -> None:
    packs = make_pack(
        filter_rule({"fact": "origin.sector", "op": "eq", "ref": "target.sector"}),
        filter_rule({"fact": "move.same_opd", "op": "ne", "ref": SANCTION}),
        filter_rule({"fact": AS_OF, "op": "lte", "ref": AS_OF}),
    )
    facts = {"origin.sector": "pendidikan", "target.sector": "pendidikan", "move.same_opd": True, SANCTION: False}
    assert engine.evaluate(packs, {**facts, AS_OF: date(2024, 1, 1)}) == {"r0": PASS, "r1": PASS, "r2": PASS}
    facts = {"origin.sector": "pendidikan", "target.sector": "kesehatan", "move.same_opd": True, SANCTION: True}
    assert engine.evaluate(packs, facts) == {"r0": FAIL, "r1": FAIL, "r2": UNKNOWN}
    assert engine.evaluate(packs, {"origin.sector": "x"}) == {"r0": UNKNOWN, "r1": UNKNOWN, "r2": UNKNOWN}


def raw_ruleset(durable: DurableEngine, name: str, rules: dict[str, Any]) -> str:
    """Register a hand-written ruleset (once per process) on the engine's host, to pin upstream behaviour."""
    definition = {
        rule: {"all": [{"m": {"$and": [{"kind": KIND}, pattern]}}], "run": rule} for rule, pattern in rules.items()
    }
    definition["catch_all"] = {"all": [{"m": {"kind": KIND}}], "run": "catch_all"}
    with durable._lock:
        if name not in durable._host._ruleset_directory:
            durable._host.set_rulesets({name: definition})
    return name


def test_unguarded_ref_fires_pass_and_fail_in_durable() -> None:
    """Why refs are guarded: durable_rules alone matches both `x > y` and `x <= y` when y is missing.

    Registers a hand-written ruleset on the engine's host (one extra ruleset) to pin the upstream behaviour.
    """
    durable = DurableEngine.instance()
    name = raw_ruleset(
        durable,
        "test_unguarded_ref",
        {"pass": {"$gt": {"a.x": {"$m": "a.y"}}}, "fail": {"$lte": {"a.x": {"$m": "a.y"}}}},
    )
    with durable._lock:
        durable._fired.names = []
        try:
            durable._host.assert_fact(name, {"id": "c", "sid": "unguarded", "kind": KIND, "a": {"x": 1}})
        finally:
            durable._host.delete_state(name, "unguarded")
        fired = sorted(durable._fired.names)
    assert fired == ["catch_all", "fail", "pass"]
    # Our compiled rule, with the guard, says unknown.
    packs = make_pack(filter_rule({"fact": AGE, "op": "gt", "ref": YEARS}))
    assert durable.evaluate(packs, {AGE: 1}) == {"r0": UNKNOWN}


NUMBER_CASES = [
    # value, fact, lt, lte, eq, gte, gt
    (2, 2, [FAIL, PASS, PASS, PASS, FAIL]),
    (2, 2.0, [FAIL, PASS, PASS, PASS, FAIL]),
    (2, 1.99, [PASS, PASS, FAIL, FAIL, FAIL]),
    (2, 2.01, [FAIL, FAIL, FAIL, PASS, PASS]),
    (0, 0, [FAIL, PASS, PASS, PASS, FAIL]),
    (0, -0.0, [FAIL, PASS, PASS, PASS, FAIL]),
    (0, -0.01, [PASS, PASS, FAIL, FAIL, FAIL]),
    (-2.5, -2.5, [FAIL, PASS, PASS, PASS, FAIL]),
    (-2.5, -3, [PASS, PASS, FAIL, FAIL, FAIL]),
    (0.3, 0.1 + 0.2, [FAIL, FAIL, FAIL, PASS, PASS]),  # 0.30000000000000004 is not 0.3
    (0.0001, 0.0001, [FAIL, PASS, PASS, PASS, FAIL]),
    (999_999_999_999_999, 999_999_999_999_999, [FAIL, PASS, PASS, PASS, FAIL]),
    (-0.0001, -0.0001, [FAIL, PASS, PASS, PASS, FAIL]),
]


@pytest.mark.parametrize(("value", "fact", "expected"), NUMBER_CASES)
def test_number_ties_and_signs(engine: Any, value: float, fact: float, expected: list[Outcome]) -> None:
    packs = make_pack(
        *(filter_rule({"fact": YEARS, "op": op, "value": value}) for op in ("lt", "lte", "eq", "gte", "gt"))
    )
    assert list(engine.evaluate(packs, {YEARS: fact}).values()) == expected


# -- durable_rules' traps ------------------------------------------------------------------------------


def test_identical_facts_for_two_candidates() -> None:
    """durable identifies a fact by its content; two candidates with identical facts are both evaluated."""
    durable = DurableEngine.instance()
    packs = make_pack(filter_rule(TRUE), {"kind": "score", "points": 1}, filter_rule(FALSE))
    expected = {"r0": PASS, "r1": PASS, "r2": FAIL}
    for _ in range(3):
        assert durable.evaluate(packs, dict(FACTS)) == expected
    # The same facts through two different packs (two rulesets) in a row.
    other = make_pack(filter_rule(FALSE), pack="engine_test_other")
    assert durable.evaluate(other, dict(FACTS)) == {"r0": FAIL}
    assert durable.evaluate(packs, dict(FACTS)) == expected


def test_same_message_twice_in_one_session_is_refused_by_durable() -> None:
    """The upstream behaviour the one-session-per-evaluation rule avoids (MessageObservedException)."""
    from durable.engine import MessageObservedException

    durable = DurableEngine.instance()
    name = raw_ruleset(durable, "test_observed_twice", {"young": {"$lt": {"a.x": 30}}})
    message = {"id": "candidate", "sid": "observed-twice", "kind": KIND, "a": {"x": 1}}
    with durable._lock:
        try:
            durable._host.assert_fact(name, dict(message))
            with pytest.raises(MessageObservedException):
                durable._host.assert_fact(name, dict(message))
        finally:
            durable._host.delete_state(name, "observed-twice")


def rss_bytes() -> int:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc to read memory use")
def test_many_sequential_evaluations(monkeypatch: pytest.MonkeyPatch) -> None:
    """20,000 evaluations: no false MessageObservedException, right outcomes, every session deleted, flat memory."""
    durable = DurableEngine.instance()
    reference = ReferenceEngine()
    packs = make_pack(
        filter_rule({"fact": YEARS, "op": "gte", "value": 2}),
        filter_rule({"not": {"fact": COMPETENCIES, "op": "contains", "value": "K1"}}, when=FALSE),
        {"kind": "score", "points": 1, "when": {"fact": AGE, "op": "between", "value": [30, 50]}},
    )
    fact_sets = [
        {YEARS: (i % 97) / 10, AGE: 20 + i % 40, SANCTION: i % 3 == 0, COMPETENCIES: ["K1"] * (i % 2)}
        for i in range(500)
    ]
    fact_sets += [{}, {YEARS: 2}, {SANCTION: True}]
    expected = [reference.evaluate(packs, facts) for facts in fact_sets]

    asserted: list[str] = []
    deleted: list[str] = []
    host = durable._host
    real_assert, real_delete = host.assert_fact, host.delete_state

    def spy_assert(ruleset: str, message: dict[str, Any], *args: Any) -> Any:
        asserted.append(message["sid"])
        return real_assert(ruleset, message, *args)

    def spy_delete(ruleset: str, sid: str | None = None) -> None:
        deleted.append(str(sid))
        real_delete(ruleset, sid)

    monkeypatch.setattr(host, "assert_fact", spy_assert)
    monkeypatch.setattr(host, "delete_state", spy_delete)

    def run(count: int, start: int) -> None:
        for i in range(start, start + count):
            k = i % len(fact_sets)
            assert durable.evaluate(packs, fact_sets[k]) == expected[k], (i, fact_sets[k])

    run(2_000, 0)  # warm up
    gc.collect()
    before = rss_bytes()
    run(18_000, 2_000)
    gc.collect()
    growth = rss_bytes() - before
    assert len(asserted) >= 20_000  # at least one session per evaluation
    assert len(set(asserted)) == len(asserted)  # each session new
    assert deleted == asserted  # and deleted right after its evaluation
    assert growth < 4_000_000, f"memory grew by {growth / 1e6:.1f} MB over 18,000 evaluations"


def test_threads_give_the_sequential_outcomes() -> None:
    """A smoke test: 4 threads evaluating at once get exactly the outcomes of a sequential run."""
    durable = DurableEngine.instance()
    packs = make_pack(
        filter_rule({"fact": YEARS, "op": "gte", "value": 2}),
        filter_rule({"fact": AGE, "op": "lt", "ref": YEARS}),
        {"kind": "score", "points": 1, "when": {"fact": COMPETENCIES, "op": "contains", "value": "K1"}},
        pack="engine_threads",
    )
    fact_sets = [
        {YEARS: i / 10, **({AGE: i % 7} if i % 5 else {}), COMPETENCIES: ["K1", "K2"][: i % 3]} for i in range(300)
    ]
    sequential = [durable.evaluate(packs, facts) for facts in fact_sets]
    results: dict[int, list[dict[str, Outcome]]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            start.wait()
            order = fact_sets if n % 2 == 0 else fact_sets[::-1]
            got = [durable.evaluate(packs, facts) for facts in order]
            results[n] = got if n % 2 == 0 else got[::-1]
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 4
    for got in results.values():
        assert got == sequential


def test_an_exception_in_the_session_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """durable reports an action's exception in the session state: the evaluation must raise, not decide."""
    durable = DurableEngine.instance()
    packs = make_pack(filter_rule(TRUE))
    real_get_state = durable._host.get_state

    def with_exception(ruleset: str, sid: str | None = None) -> dict[str, Any]:
        state = real_get_state(ruleset, sid)
        return {**state, "exception": "exception caught boom"}

    monkeypatch.setattr(durable._host, "get_state", with_exception)
    with pytest.raises(EngineError, match="boom"):
        durable.evaluate(packs, FACTS)
    monkeypatch.undo()
    assert durable.evaluate(packs, FACTS) == {"r0": PASS}


def test_a_durable_error_raises_and_the_engine_recovers(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error inside durable_rules never yields outcomes; the lock is released and later evaluations work."""
    import durable_rules_engine

    durable = DurableEngine.instance()
    packs = make_pack(filter_rule(TRUE))

    def broken(*args: Any, **kwargs: Any) -> None:
        raise durable_rules_engine.error("Could not assert fact, error code: 999")

    monkeypatch.setattr(durable._host, "assert_fact", broken)
    with pytest.raises(Exception):  # noqa: B017 - which class is the subject of the xfail below
        durable.evaluate(packs, FACTS)
    monkeypatch.undo()
    assert durable.evaluate(packs, FACTS) == {"r0": PASS}


# -- known bugs (strict xfails: remove the mark with the fix) -------------------------------------------


@pytest.mark.parametrize("value", [1e-05, 7e-05, -1e-05, 1e15, 1e16, 1e22, 2**53 + 1])
def test_a_fact_outside_the_comparable_numbers_fails_closed(value: float) -> None:
    """durable's JSON reader refuses 1e-05 and 1e+16, and compares as doubles: such a fact is never decided."""
    packs = make_pack(filter_rule({"fact": YEARS, "op": "gt", "value": 0}))
    with pytest.raises(EngineError, match="cannot be compared exactly"):
        DurableEngine.instance().evaluate(packs, {YEARS: value})
    assert check_types({YEARS: value}) == [YEARS]  # and seimbang's own facts never carry one


@pytest.mark.parametrize("value", [0.00001, 1e16, 2**53 + 1])
def test_a_rule_value_outside_the_comparable_numbers_is_a_check_error(value: float) -> None:
    set_language("en")
    try:
        with pytest.raises(ValueError, match="outside the numbers rules compare"):
            coerce(value, FactType.NUMBER)
    finally:
        set_language(None)


def test_a_durable_error_is_an_engine_error_with_the_real_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    import durable_rules_engine

    durable = DurableEngine.instance()
    packs = make_pack(filter_rule(TRUE))

    def broken(*args: Any, **kwargs: Any) -> None:  # as durable fails on a fact 1e-05 (error 204)
        raise durable_rules_engine.error("Could not assert fact, error code: 204")

    monkeypatch.setattr(durable._host, "assert_fact", broken)
    with pytest.raises(EngineError, match="error code: 204"):
        durable.evaluate(packs, FACTS)


@pytest.mark.parametrize("value", ["", "   "])
def test_contains_the_empty_string_never_matches_the_list_sentinel(value: str) -> None:
    packs = make_pack(filter_rule({"fact": COMPETENCIES, "op": "contains", "value": value}))
    for competencies in ([], ["K1"]):
        facts = {COMPETENCIES: competencies}
        assert (
            DurableEngine.instance().evaluate(packs, facts) == ReferenceEngine().evaluate(packs, facts) == {"r0": FAIL}
        )
