"""Run the tests written next to rule packs, with coverage per rule.

A test file ``*.test.yaml`` tests the packs in its own folder: each test gives
facts (over the file's ``defaults``) and expects a verdict, a score, and rules
that pass, fail, don't apply or can't be decided. A rule is *covered* when the
tests show it both passing and not passing (failing, or not applying for a
score), so a rule nobody could ever fail still counts as untested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import _
from .checking import coerce
from .evaluation import Engine
from .facts import FACTS, Facts
from .language import RuleKind, RulePack, RuleTest
from .loading import LoadedTests, RuleSet
from .outcomes import Outcome, decide, referenced_facts


@dataclass
class TestResult:
    """One test: where it is, whether it passed, and what differed."""

    name: str
    location: str
    passed: bool
    differences: list[str] = field(default_factory=list)


@dataclass
class TestReport:
    results: list[TestResult] = field(default_factory=list)
    #: rule id -> outcomes the tests produced for it.
    seen: dict[str, set[Outcome]] = field(default_factory=dict)
    kinds: dict[str, RuleKind] = field(default_factory=dict)

    @property
    def failed(self) -> list[TestResult]:
        return [r for r in self.results if not r.passed]

    def covered(self, rule_id: str) -> bool:
        seen = self.seen.get(rule_id, set())
        if self.kinds[rule_id] is RuleKind.SCORE:
            return Outcome.PASS in seen and bool(seen - {Outcome.PASS, Outcome.UNKNOWN})
        return {Outcome.PASS, Outcome.FAIL} <= seen

    @property
    def coverage(self) -> float:
        """Share of rules covered, 0 to 1."""
        if not self.kinds:
            return 0.0
        return sum(self.covered(r) for r in self.kinds) / len(self.kinds)

    def uncovered(self) -> list[str]:
        return [r for r in self.kinds if not self.covered(r)]


def typed_facts(raw: dict[str, Any]) -> Facts:
    """Test facts converted to their fact types (dates from text, and so on)."""
    facts: Facts = {}
    for name, value in raw.items():
        if value is None:
            continue  # a test writes null to leave out a fact the defaults give
        kind = FACTS[name].type
        if kind.value == "strings":
            facts[name] = [str(v) for v in value]
        else:
            facts[name] = coerce(value, kind)
    return facts


def packs_for(tests: LoadedTests, ruleset: RuleSet, as_of: Any) -> list[RulePack]:
    """The packs a test file tests: those in its folder, in force on the test's date."""
    folder = Path(tests.path).parent
    in_folder = {(lp.pack.pack, lp.pack.version) for lp in ruleset.packs if Path(lp.path).parent == folder}
    return [p for p in ruleset.in_force(as_of) if (p.pack, p.version) in in_folder]


def run_tests(ruleset: RuleSet, engine: Engine) -> TestReport:
    """Run every test of ``ruleset`` with ``engine``."""
    report = TestReport()
    # Every rule counts, also those in a folder without tests: an untested pack is not 100% covered.
    for loaded in ruleset.packs:
        for rule in loaded.pack.rules:
            report.kinds[rule.id] = rule.kind
    for tests in ruleset.tests:
        for index, test in enumerate(tests.tests):
            report.results.append(_run_one(test, index, tests, ruleset, engine, report))
    return report


def _run_one(
    test: RuleTest, index: int, tests: LoadedTests, ruleset: RuleSet, engine: Engine, report: TestReport
) -> TestResult:
    raw = {**tests.defaults, **test.given}
    facts = typed_facts(raw)
    as_of = test.as_of or facts.get("context.as_of")
    if as_of is None:
        return TestResult(test.name, tests.location(index).render(), False, [_("the test gives no date: set as_of")])
    facts.setdefault("context.as_of", as_of)
    packs = packs_for(tests, ruleset, as_of)
    outcomes = engine.evaluate(packs, facts)
    for rule_id, outcome in outcomes.items():
        report.seen.setdefault(rule_id, set()).add(outcome)
    decision = decide(packs, outcomes, facts, explain=False)
    differences = _compare(test, decision.verdict.value, decision.score, outcomes)
    if differences:
        differences += _undecided(packs, outcomes, facts)
    return TestResult(test.name, tests.location(index).render(), not differences, differences)


def _undecided(packs: list[RulePack], outcomes: dict[str, Outcome], facts: Facts) -> list[str]:
    """Why each undecided rule is undecided: a test failing with "unknown" must say which rule and fact."""
    lines = []
    for rule in (r for p in packs for r in p.rules):
        if outcomes.get(rule.id) is not Outcome.UNKNOWN:
            continue
        missing = [name for name in referenced_facts(rule) if facts.get(name) is None]
        if missing:
            lines.append(
                _("rule {id} is unknown: the test gives no value for {facts}").format(
                    id=rule.id, facts=", ".join(missing)
                )
            )
        else:
            lines.append(_("rule {id} is unknown although every fact it reads is given").format(id=rule.id))
    return lines


def _compare(test: RuleTest, verdict: str, score: float, outcomes: dict[str, Outcome]) -> list[str]:
    expect = test.expect
    differences = []
    if expect.eligible is not None:
        wanted = {True: "eligible", False: "excluded", "unknown": "unknown"}[expect.eligible]
        if wanted != verdict:
            differences.append(_("expected verdict {wanted}, got {got}").format(wanted=wanted, got=verdict))
    if expect.score is not None and abs(expect.score - score) > 1e-9:
        differences.append(_("expected score {wanted}, got {got}").format(wanted=expect.score, got=score))
    for outcome, names in (
        (Outcome.PASS, expect.passed),
        (Outcome.FAIL, expect.failed),
        (Outcome.UNKNOWN, expect.unknown),
        (Outcome.NOT_APPLICABLE, expect.not_applicable),
    ):
        for rule_id in names:
            got = outcomes.get(rule_id)
            if got is None:
                differences.append(_("rule {id} is not in force for this test").format(id=rule_id))
            elif got is not outcome:
                differences.append(
                    _("expected rule {id} to be {wanted}, got {got}").format(
                        id=rule_id, wanted=outcome.value, got=got.value
                    )
                )
    return differences
