"""The staged screening as it was before issue 14 (commit ffb52e5), kept as the benchmark's baseline.

It is not used by the product: ``benchmarks/screening_benchmark.py`` measures the product's screening
(:mod:`decision_support.rules.screening`) against it in the same run. The text below is its original
description.

Screening: who could fill an under-staffed position, ranked, with the reasons.

Screening every ASN against every under-staffed position is a few hundred
thousand pairs. Most are decided by a rule that reads one side only (a CPNS is
excluded wherever the post is) or by a cheap comparison of the two sides (a
teacher's sector against the target's). So the engine runs in stages, each stage
sound because a rule's outcome depends only on the facts it reads:

1. filters that read only employee facts, once per employee;
2. filters that read only target facts, once per target;
3. filters that read both sides but no pair-derived fact, once per distinct pair
   of the values they read (a signature index);
4. every rule, for the pairs still standing.

Every stage goes through the selected engine (durable_rules by default), never
around it. A pair is excluded by the first stage whose filter fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from decision_support.models import Dataset
from decision_support.rules.evaluation import Engine, PairFacts
from decision_support.rules.facts import DERIVED, MISSING, Facts
from decision_support.rules.language import RuleKind, RulePack
from decision_support.rules.outcomes import Decision, Outcome, RuleResult, Verdict, decide, referenced_facts
from decision_support.workload import WorkloadReport

EMPLOYEE_GROUPS = {"employee", "origin", "context"}
TARGET_GROUPS = {"target", "context"}


@dataclass(frozen=True)
class Need:
    """An under-staffed position to screen candidates for."""

    position: str
    position_name: str
    unit: str
    #: holders - need (negative: the shortage).
    gap: int
    source: str  # "abk" or "teacher"


def under_staffed(dataset: Dataset, report: WorkloadReport) -> list[Need]:
    """Positions with fewer holders than the ABK or teacher need, largest shortage first."""
    names = {p.id: p for p in dataset.positions}
    needs = [Need(p.position, p.position_name, p.unit, p.gap, "abk") for p in report.positions if p.gap < 0]
    posts = {(p.unit, p.subject): p.id for p in dataset.positions if p.subject}
    for row in report.teachers:
        post = posts.get((row.school, row.subject))
        if row.gap < 0 and post is not None:
            needs.append(Need(post, names[post].name, row.school, row.gap, "teacher"))
    return sorted(needs, key=lambda n: (n.gap, n.position))


@dataclass(frozen=True)
class Candidate:
    """A screened employee for one need."""

    nip: str
    name: str
    origin: str
    verdict: Verdict
    score: float
    #: Rules that excluded the candidate (empty when eligible).
    excluded_by: list[str]
    results: list[RuleResult] = field(default_factory=list)


@dataclass(frozen=True)
class Screening:
    """Candidates for one need: eligible ranked by score, then undecided, then (on request) excluded."""

    need: Need
    eligible: list[Candidate]
    unknown: list[Candidate]
    excluded: list[Candidate]


def _groups(names: list[str]) -> set[str]:
    return {name.split(".", 1)[0] for name in names}


#: Quota facts of a single move as functions of one side each. Screening never considers an
#: employee for the post they hold, so the move always leaves the origin and joins the target.
SINGLE_MOVE_QUOTA: dict[str, tuple[tuple[str, ...], Callable[[Facts], Any]]] = {
    "quota.target_holders_after": (("target.holders",), lambda f: f["target.holders"] + 1),
    "quota.origin_holders_after": (("origin.holders",), lambda f: f["origin.holders"] - 1),
    "quota.moves_into_target_unit": ((), lambda f: 1),
    "quota.moves_out_of_origin_unit": ((), lambda f: 1),
}
DERIVABLE = {**DERIVED, **SINGLE_MOVE_QUOTA}


@dataclass(frozen=True)
class IndexedRule:
    """A two-sided filter decided by the values of a few facts of each side."""

    pack: RulePack
    left: list[str]
    right: list[str]
    derived: list[str]

    def facts(self, emp: Facts, target: Facts) -> Facts:
        """The facts the rule reads, computed from the two sides."""
        sides = {**{n: emp[n] for n in self.left if n in emp}, **{n: target[n] for n in self.right if n in target}}
        for name in self.derived:
            inputs, function = DERIVABLE[name]
            # DERIVED functions handle missing inputs themselves; the quota ones need theirs present.
            if name in DERIVED or all(i in sides for i in inputs):
                value = function(sides)
                if value is not MISSING:
                    sides[name] = value
        return sides


def _side(name: str) -> str:
    group = name.split(".", 1)[0]
    return "left" if group in EMPLOYEE_GROUPS else "right"


@dataclass
class RulePlan:
    """The packs split by what their rules read, for staged evaluation."""

    packs: list[RulePack]
    employee_only: list[RulePack] = field(default_factory=list)
    target_only: list[RulePack] = field(default_factory=list)
    indexed: list[IndexedRule] = field(default_factory=list)
    #: Filters decided by the cheap stages, and the packs with every other rule (for the last stage).
    decided_early: set[str] = field(default_factory=set)
    remaining: list[RulePack] = field(default_factory=list)

    @classmethod
    def build(cls, packs: list[RulePack]) -> RulePlan:
        plan = cls(packs)
        employee_rules, target_rules = [], []
        for pack in packs:
            for rule in pack.rules:
                if rule.kind is RuleKind.SCORE:
                    continue
                facts = referenced_facts(rule)
                derived = [f for f in facts if f in DERIVABLE]
                base = [f for f in facts if f not in DERIVABLE] + [i for f in derived for i in DERIVABLE[f][0]]
                groups = _groups(base)
                if not derived and groups <= EMPLOYEE_GROUPS:
                    employee_rules.append(rule)
                elif not derived and groups <= TARGET_GROUPS:
                    target_rules.append(rule)
                elif groups <= EMPLOYEE_GROUPS | TARGET_GROUPS:
                    one = pack.model_copy(update={"rules": [rule], "pack": f"{pack.pack}__{rule.id}"})
                    left = sorted({f for f in base if _side(f) == "left"})
                    right = sorted({f for f in base if _side(f) == "right"})
                    plan.indexed.append(IndexedRule(one, left, right, derived))
        first = packs[0]
        if employee_rules:
            plan.employee_only = [first.model_copy(update={"rules": employee_rules, "pack": f"{first.pack}__employee"})]
        if target_rules:
            plan.target_only = [first.model_copy(update={"rules": target_rules, "pack": f"{first.pack}__target"})]
        decided = {r.id for p in plan.employee_only + plan.target_only for r in p.rules}
        decided |= {i.pack.rules[0].id for i in plan.indexed}
        plan.decided_early = decided
        plan.remaining = [
            p.model_copy(update={"rules": [r for r in p.rules if r.id not in decided], "pack": f"{p.pack}__rest"})
            for p in packs
            if any(r.id not in decided for r in p.rules)
        ]
        return plan


def _signature(facts: Facts, names: list[str]) -> tuple[Any, ...]:
    return tuple(tuple(v) if isinstance(v := facts.get(n), list) else v for n in names)


class Screener:
    """Screens candidates for needs with one engine; caches per-employee and per-target stages."""

    def __init__(self, pairs: PairFacts, packs: list[RulePack], engine: Engine) -> None:
        self.pairs = pairs
        self.engine = engine
        self.plan = RulePlan.build(packs)
        self._employee_stage: dict[str, dict[str, Outcome]] = {}
        self._target_stage: dict[str, dict[str, Outcome]] = {}
        self._index: dict[tuple[str, tuple[Any, ...], tuple[Any, ...]], Outcome] = {}
        self._left_class: dict[str, tuple[Any, ...]] = {}
        self._right_class: dict[str, tuple[Any, ...]] = {}
        self._class_outcome: dict[tuple[tuple[Any, ...], tuple[Any, ...]], list[str]] = {}
        self._excluded_early: dict[str, Candidate] = {}
        self._employee_failed: dict[str, list[str]] = {}
        self._stage_one: tuple[list[Candidate], list[tuple[str, str, str]]] | None = None
        self._order: dict[str, int] = {}
        self._target_failed: dict[str, list[str]] = {}
        self.engine_calls = 0

    def _evaluate(self, packs: list[RulePack], facts: Facts) -> dict[str, Outcome]:
        """Verdict-grade outcomes: all that deciding who is excluded and the score needs."""
        self.engine_calls += 1
        return self.engine.evaluate(packs, facts, coarse=True)

    def employee_stage(self, nip: str) -> dict[str, Outcome]:
        if nip not in self._employee_stage:
            packs = self.plan.employee_only
            facts = self.pairs.employee_side(nip)
            self._employee_stage[nip] = self._evaluate(packs, facts) if packs else {}
        return self._employee_stage[nip]

    def target_stage(self, position: str) -> dict[str, Outcome]:
        if position not in self._target_stage:
            packs = self.plan.target_only
            facts = self.pairs.target_side(position)
            self._target_stage[position] = self._evaluate(packs, facts) if packs else {}
        return self._target_stage[position]

    def indexed_stage(self, nip: str, position: str) -> list[str]:
        """The two-sided filters that exclude this pair (at most the first one), decided by signature.

        Employees with the same values of every fact these filters read form one class, and a
        target's values likewise; the outcome is computed once per (class, target values).
        """
        if nip not in self._left_class:
            emp = self.pairs.employee_side(nip)
            self._left_class[nip] = tuple(_signature(emp, rule.left) for rule in self.plan.indexed)
        if position not in self._right_class:
            target = self.pairs.target_side(position)
            self._right_class[position] = tuple(_signature(target, rule.right) for rule in self.plan.indexed)
        key = (self._left_class[nip], self._right_class[position])
        if key not in self._class_outcome:
            self._class_outcome[key] = self._first_failure(nip, position, *key)
        return self._class_outcome[key]

    def _first_failure(self, nip: str, position: str, left: tuple[Any, ...], right: tuple[Any, ...]) -> list[str]:
        for indexed, left_sig, right_sig in zip(self.plan.indexed, left, right, strict=True):
            rule = indexed.pack.rules[0]
            key = (rule.id, left_sig, right_sig)
            if key not in self._index:
                facts = indexed.facts(self.pairs.employee_side(nip), self.pairs.target_side(position))
                self._index[key] = self._evaluate([indexed.pack], facts)[rule.id]
            if self._index[key] is Outcome.FAIL:
                return [rule.id]
        return []

    def _first_stage(self) -> tuple[list[Candidate], list[tuple[str, str, str]]]:
        """Employees excluded whatever the target (built once), and the others as (NIP, name, position)."""
        if self._stage_one is None:
            early, standing = [], []
            for nip, employee in self.pairs.employees.items():
                if self._failed(self.employee_stage(nip)):
                    early.append(self.screen_pair(nip, employee.position))
                else:
                    standing.append((nip, employee.name, employee.position))
            self._stage_one = (early, standing)
            self._order = {nip: i for i, nip in enumerate(self.pairs.employees)}
        return self._stage_one

    def screen_pair(self, nip: str, position: str) -> Candidate:
        """Screen one move, stopping at the first stage that excludes it (no explanations)."""
        employee = self.pairs.employee(nip)
        if nip not in self._employee_failed:
            self._employee_failed[nip] = self._failed(self.employee_stage(nip))
            if self._employee_failed[nip]:
                # The same for every target: built once per employee.
                self._excluded_early[nip] = Candidate(
                    nip, employee.name, employee.position, Verdict.EXCLUDED, 0.0, self._employee_failed[nip]
                )
        if self._employee_failed[nip]:
            return self._excluded_early[nip]
        if position not in self._target_failed:
            self._target_failed[position] = self._failed(self.target_stage(position))
        failed = self._target_failed[position] or self.indexed_stage(nip, position)
        if failed:
            return Candidate(nip, employee.name, employee.position, Verdict.EXCLUDED, 0.0, failed)
        facts = self.pairs.pair(nip, position)
        # No filter of the earlier stages failed for this pair (it is still standing), but one may be
        # unknown (an election fact outside the calendar's period): their outcomes are carried over,
        # never assumed to pass. Only the rest goes to the engine.
        outcomes = self._early_outcomes(nip, position)
        outcomes.update(self._evaluate(self.plan.remaining, facts))
        decision = decide(self.plan.packs, outcomes, facts, explain=False)
        return _candidate(nip, employee.name, employee.position, decision)

    def _early_outcomes(self, nip: str, position: str) -> dict[str, Outcome]:
        """The outcomes the cheap stages found for a pair none of them excluded."""
        outcomes = {**self.employee_stage(nip), **self.target_stage(position)}
        left, right = self._left_class[nip], self._right_class[position]
        for indexed, left_sig, right_sig in zip(self.plan.indexed, left, right, strict=True):
            rule = indexed.pack.rules[0]
            outcomes[rule.id] = self._index[(rule.id, left_sig, right_sig)]
        return outcomes

    def explain(self, candidate: Candidate, position: str) -> Candidate:
        """``candidate`` with every rule's exact outcome, values read and reason."""
        facts = self.pairs.pair(candidate.nip, position)
        self.engine_calls += 1
        decision = decide(self.plan.packs, self.engine.evaluate(self.plan.packs, facts), facts)
        if decision.verdict is not candidate.verdict or abs(decision.score - candidate.score) > 1e-9:
            # Both come from the same engine and rules: a difference is a bug, never shown as a result.
            raise AssertionError(f"screening and explanation disagree for {candidate.nip} -> {position}")
        employee = self.pairs.employee(candidate.nip)
        return _candidate(candidate.nip, employee.name, employee.position, decision)

    @staticmethod
    def _failed(outcomes: dict[str, Outcome]) -> list[str]:
        return [rule for rule, outcome in outcomes.items() if outcome is Outcome.FAIL]

    def screen(self, need: Need, *, explain_top: int = 0, explain_excluded: bool = False) -> Screening:
        """All employees (except the current holders) screened for ``need``.

        The first ``explain_top`` eligible and undecided candidates (and, with ``explain_excluded``,
        every excluded one) get full explanations; the rest carry verdict, score and excluding rules.
        """
        eligible, unknown, excluded = [], [], []
        groups = {Verdict.ELIGIBLE: eligible, Verdict.UNKNOWN: unknown, Verdict.EXCLUDED: excluded}
        early, standing = self._first_stage()
        excluded += [c for c in early if c.origin != need.position]
        target_failed = self._failed(self.target_stage(need.position))
        for nip, name, origin in standing:
            if origin == need.position:
                continue
            if target_failed:  # the same answer for everyone still standing
                excluded.append(Candidate(nip, name, origin, Verdict.EXCLUDED, 0.0, target_failed))
                continue
            candidate = self.screen_pair(nip, need.position)
            groups[candidate.verdict].append(candidate)
        excluded.sort(key=lambda c: self._order[c.nip])
        eligible = rank(eligible, self.pairs)
        if explain_top:
            eligible[:explain_top] = [self.explain(c, need.position) for c in eligible[:explain_top]]
            unknown[:explain_top] = [self.explain(c, need.position) for c in unknown[:explain_top]]
        if explain_excluded:
            excluded = [self.explain(c, need.position) for c in excluded]
        return Screening(need, eligible, unknown, excluded)


def _candidate(nip: str, name: str, origin: str, decision: Decision) -> Candidate:
    return Candidate(nip, name, origin, decision.verdict, decision.score, decision.failed, decision.results)


def rank(candidates: list[Candidate], pairs: PairFacts) -> list[Candidate]:
    """Highest score first; ties by longer tenure in the current post (due for rotation first), then NIP."""

    def key(c: Candidate) -> tuple[float, float, str]:
        years = pairs.employee_side(c.nip).get("employee.years_in_position", 0.0)
        return (-c.score, -years, c.nip)

    return sorted(candidates, key=key)
