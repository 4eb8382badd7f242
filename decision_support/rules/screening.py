"""Screening: who could fill an under-staffed position, ranked, with the reasons.

Screening every ASN against every under-staffed position is a few hundred
thousand pairs, but far fewer distinct situations: a rule's outcome depends only
on the facts it reads, and most pairs differ only in facts a given rule does not
read. :class:`Screener` decides each rule (through the selected engine,
durable_rules by default, never around it) once per distinct situation it sees
and shares the outcome between the pairs that present it (see
:mod:`.situations`); explanations are still built per pair, by a full
evaluation that must agree. A need's candidate lists are compact (:mod:`.candidates`): rows into one
roster shared by every need and the need's decision column, a candidate built only when read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..models import Dataset
from ..workload import WorkloadReport
from .candidates import ELIGIBLE, EXCLUDED, UNKNOWN, VERDICTS, Candidate, CandidateList, NeedCodes, Roster, SharedColumn
from .evaluation import Engine, PairFacts
from .facts import Facts
from .language import Rule, RuleKind, RulePack
from .outcomes import Decision, Outcome, Verdict, decide, referenced_facts, verdict_of
from .situations import Interner, PairStage, distinct_rows, group_rules, project, value_cuts

#: Single moves to targets that share a decision column decided row by row before the whole column is built.
ROWS_BEFORE_COLUMN = 64


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
class Screening:
    """Candidates for one need: eligible ranked by score, then undecided, then excluded (dataset order).

    The lists are compact (:class:`~.candidates.CandidateList`): a candidate is built when read.
    """

    need: Need
    eligible: CandidateList
    unknown: CandidateList
    excluded: CandidateList


class Screener:
    """Screens candidates for needs with one engine, each distinct situation decided once.

    Stages, each sound because a rule's outcome depends only on the facts it reads:

    1. rules that read only employee facts, once per distinct projection of an employee's facts
       (an employee one of them excludes is excluded whatever the target);
    2. rules that read only target facts, likewise once per target;
    3. every other rule, grouped by what it reads (:mod:`.situations`), once per distinct situation;
       a pair's verdict and score come from its outcomes, combined by :func:`.outcomes.decide` once
       per distinct combination of outcomes.

    Every outcome comes from the engine. Unknown and not-applicable outcomes are carried over like any
    other, never assumed to pass. :meth:`explain` evaluates a pair in full and checks it agrees.
    """

    def __init__(self, pairs: PairFacts, packs: list[RulePack], engine: Engine) -> None:
        self.pairs = pairs
        self.engine = engine
        self.packs = packs
        employee_rules, target_rules, self.groups = group_rules(packs)
        self._cuts = value_cuts(packs)
        self._employee_pack = _sub_pack(packs, employee_rules, "employee")
        self._target_pack = _sub_pack(packs, target_rules, "target")
        self._employee_reads = _read_set(employee_rules)
        self._target_reads = _read_set(target_rules)
        self._pair_pack = _sub_pack(packs, [r for g in self.groups for r in g.rules], "pair")
        self.nips = list(pairs.employees)
        self._side_memo: dict[tuple[str, tuple[Any, ...]], dict[str, Outcome]] = {}
        self._employee_stage: dict[str, dict[str, Outcome]] = {}
        self._target_stage: dict[str, dict[str, Outcome]] = {}
        self._stage_one: _StageOne | None = None
        self._employee_classes = Interner()
        self._target_classes = Interner()
        #: Per target class: (employee outcome class, group outcome classes...) -> decision id.
        self._decision_ids: dict[int, dict[tuple[int, ...], int]] = {}
        self._decisions: list[Decision] = []
        self._decision_columns: dict[tuple[Any, ...], np.ndarray] = {}
        self._column_keys: dict[str, tuple[Any, ...]] = {}
        self._shared_columns: dict[tuple[Any, ...], SharedColumn] = {}
        self._row_requests: dict[tuple[Any, ...], int] = {}
        #: Decisions of exclusions by one-sided rules (employee-only or target-only), by the failing rules.
        self._exclusions: dict[tuple[str, ...], int] = {}
        self._table_verdicts: list[int] = []
        self._table_scores: list[float] = []
        self.engine_calls = 0

    def _evaluate(self, packs: list[RulePack], facts: Facts) -> dict[str, Outcome]:
        """Verdict-grade outcomes: all that deciding who is excluded and the score needs."""
        self.engine_calls += 1
        return self.engine.evaluate(packs, facts, coarse=True)

    def _one_side(self, side: str, packs: list[RulePack], reads: tuple[str, ...], facts: Facts) -> dict[str, Outcome]:
        """The outcomes of one side's rules, once per distinct value of the facts they read."""
        if not packs:
            return {}
        key, projected = project(facts, reads, self._cuts)
        if (side, key) not in self._side_memo:
            self._side_memo[(side, key)] = self._evaluate(packs, projected)
        return self._side_memo[(side, key)]

    def employee_stage(self, nip: str) -> dict[str, Outcome]:
        if nip not in self._employee_stage:
            facts = self.pairs.employee_side(nip)
            self._employee_stage[nip] = self._one_side("employee", self._employee_pack, self._employee_reads, facts)
        return self._employee_stage[nip]

    def target_stage(self, position: str) -> dict[str, Outcome]:
        if position not in self._target_stage:
            facts = self.pairs.target_side(position)
            self._target_stage[position] = self._one_side("target", self._target_pack, self._target_reads, facts)
        return self._target_stage[position]

    def _first_stage(self) -> _StageOne:
        """Employees excluded whatever the target (built once), and the others with their pair stage."""
        if self._stage_one is None:
            early: dict[int, int] = {}
            standing: list[str] = []
            for row, nip in enumerate(self.nips):
                failed = self._failed(self.employee_stage(nip))
                if failed:
                    early[row] = self._exclusion(failed)
                else:
                    standing.append(nip)
            classes = [self._employee_classes.id(tuple(o.items()), o) for o in map(self.employee_stage, standing)]
            employees = [self.pairs.employees[nip] for nip in self.nips]
            years = [self.pairs.employee_side(nip).get("employee.years_in_position", 0.0) for nip in self.nips]
            roster = Roster(employees, years, self._decisions)
            roster.set_early(early)
            self._stage_one = _StageOne(
                roster,
                {self.nips[row]: decision for row, decision in early.items()},
                standing,
                {nip: i for i, nip in enumerate(standing)},
                np.array(classes, dtype=np.int64),
                PairStage(self.groups, self.pairs, standing, self._evaluate, self._cuts),
            )
        return self._stage_one

    def _decision_column(self, position: str) -> np.ndarray:
        """The decision id of every standing employee for a move to ``position`` (shared by like targets).

        Groups are decided in the order of how many employee classes they see, and a group is only asked
        about the pairs no earlier group excluded: an excluded pair's verdict and score (0) are then
        known, and its ``excluded_by`` lists the failing rules of the groups that were asked.
        """
        stage = self._first_stage()
        target = self.target_stage(position)
        target_class = self._target_classes.id(tuple(target.items()), target)
        key = self._column_key(position, target_class)
        if key not in self._decision_columns:
            alive = np.ones(len(stage.nips), dtype=bool)
            asked: dict[int, np.ndarray] = {}
            for g in self._group_order():
                group = self.groups[g]
                column = stage.pairs.codes(group, position, alive)
                # Outcome class c of a pair this group was asked about becomes c + 1; 0: not asked.
                asked[g] = np.where(alive, column + 1, 0)
                alive &= ~stage.pairs.fails(group)[np.maximum(column, 0)]
            columns = [stage.classes, *(asked[g] for g in range(len(self.groups)))]
            rows, inverse = distinct_rows(columns)
            ids = [self._decision(target_class, row) for row in rows]
            self._decision_columns[key] = np.asarray(ids, dtype=np.int32)[inverse]
        return self._decision_columns[key]

    def _decision_of(self, position: str, row: int) -> int:
        """The decision id of standing employee ``row`` moving to ``position``: read from the column when it is
        built, else decided for that row alone, exactly as the column would (groups in the same order, asked
        until one fails)."""
        stage = self._first_stage()
        target = self.target_stage(position)
        target_class = self._target_classes.id(tuple(target.items()), target)
        key = self._column_key(position, target_class)
        column = self._decision_columns.get(key)
        asked_before = self._row_requests[key] = self._row_requests.get(key, 0) + 1
        if column is None and asked_before > ROWS_BEFORE_COLUMN:  # many single moves to like targets
            column = self._decision_column(position)
        if column is not None:
            return int(column[row])
        asked = [0] * len(self.groups)
        for g in self._group_order():
            group = self.groups[g]
            code = stage.pairs.code(group, position, row)
            asked[g] = code + 1
            if Outcome.FAIL in group.outcomes.values[code]:
                break
        return self._decision(target_class, (int(stage.classes[row]), *asked))

    def _column_key(self, position: str, target_class: int) -> tuple[Any, ...]:
        key = self._column_keys.get(position)
        if key is None:
            stage = self._first_stage()
            key = self._column_keys[position] = (
                target_class,
                *(stage.pairs.column_key(g, position) for g in self.groups),
            )
        return key

    def _group_order(self) -> list[int]:
        """Groups by how many classes of employees they tell apart (fewest first): a fixed order."""
        return sorted(range(len(self.groups)), key=lambda g: len(self.groups[g].employees.values))

    def _decision(self, target_class: int, row: tuple[int, ...]) -> int:
        """The id of the decision for one combination of outcome classes (built once).

        ``row``: the employee-stage class, then each group's outcome class + 1 (0: not evaluated).
        """
        table = self._decision_ids.setdefault(target_class, {})
        found = table.get(row)
        if found is None:
            stage = self._first_stage().pairs
            outcomes = {**self._employee_classes.values[row[0]], **self._target_classes.values[target_class]}
            for group, code in zip(self.groups, row[1:], strict=True):
                if code:
                    outcomes.update(stage.outcomes(group, code - 1))
            found = table[row] = len(self._decisions)
            self._decisions.append(self._decide(outcomes))
        return found

    def _decide(self, outcomes: dict[str, Outcome]) -> Decision:
        """The decision from the outcomes of every rule, or of the rules asked before one failed."""
        if all(rule.id in outcomes for pack in self.packs for rule in pack.rules):
            return decide(self.packs, outcomes, {}, explain=False)
        asked = [rule for pack in self.packs for rule in pack.rules if rule.id in outcomes]
        failed = [r.id for r in asked if r.kind is not RuleKind.SCORE and outcomes[r.id] is Outcome.FAIL]
        if verdict_of(outcomes, asked) is not Verdict.EXCLUDED:  # only a failure may stop the asking
            raise AssertionError(f"a pair was left undecided with outcomes {outcomes}")
        return Decision(Verdict.EXCLUDED, 0.0, failed)

    def _exclusion(self, failed: list[str]) -> int:
        """The id of the decision "excluded by ``failed``" (one-sided rules, whatever the other side)."""
        key = tuple(failed)
        found = self._exclusions.get(key)
        if found is None:
            found = self._exclusions[key] = len(self._decisions)
            self._decisions.append(Decision(Verdict.EXCLUDED, 0.0, failed))
        return found

    def _candidate(self, nip: str, decision: int) -> Candidate:
        employee = self.pairs.employees[nip]
        return _candidate(nip, employee.name, employee.position, self._decisions[decision])

    # -- whole columns (planning) --------------------------------------------------------------

    def standing(self) -> dict[str, int]:
        """The row of each employee no employee-only rule excludes, in the columns of :meth:`decision_column`."""
        return self._first_stage().index

    def decision_column(self, position: str) -> np.ndarray | None:
        """The decision id of a move to ``position`` for every standing employee, or None when a target-only
        rule excludes every move there. Rows of employees holding ``position`` are not moves: not meaningful.
        """
        if self._failed(self.target_stage(position)):
            return None
        return self._decision_column(position)

    def decision_table(self) -> tuple[np.ndarray, np.ndarray]:
        """Verdict (index in ``VERDICTS``) and score of every decision id handed out so far."""
        known = len(self._table_verdicts)
        for decision in self._decisions[known:]:
            self._table_verdicts.append(VERDICTS.index(decision.verdict))
            self._table_scores.append(decision.score)
        return np.asarray(self._table_verdicts, dtype=np.int8), np.asarray(self._table_scores, dtype=float)

    # -- screening ---------------------------------------------------------------------------

    def screen_pair(self, nip: str, position: str) -> Candidate:
        """Screen one move, stopping at the first stage that excludes it (no explanations)."""
        employee = self.pairs.employee(nip)
        stage = self._first_stage()
        if nip in stage.early:
            return self._candidate(nip, stage.early[nip])
        target_failed = self._failed(self.target_stage(position))
        if target_failed:
            return self._candidate(nip, self._exclusion(target_failed))
        if employee.position == position:
            # Not a move: the single-move quota facts the groups assume do not hold. Evaluated in full.
            facts = self.pairs.pair(nip, position)
            outcomes = {**self.employee_stage(nip), **self.target_stage(position)}
            if self._pair_pack:
                outcomes.update(self._evaluate(self._pair_pack, facts))
            return _candidate(nip, employee.name, employee.position, decide(self.packs, outcomes, facts, explain=False))
        return self._candidate(nip, self._decision_of(position, stage.index[nip]))

    def explain(self, candidate: Candidate, position: str) -> Candidate:
        """``candidate`` with every rule's exact outcome, values read and reason."""
        facts = self.pairs.pair(candidate.nip, position)
        self.engine_calls += 1
        decision = decide(self.packs, self.engine.evaluate(self.packs, facts), facts)
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
        The lists are compact: they share the roster and the decision column, and build candidates when read.
        """
        stage = self._first_stage()
        target_failed = self._failed(self.target_stage(need.position))
        if target_failed:  # the same answer for everyone still standing
            source = NeedCodes(stage.roster, need.position, None, self._exclusion(target_failed))
        else:
            source = NeedCodes(stage.roster, need.position, self._shared_column(need.position), -1)
        eligible, unknown, excluded = (
            CandidateList(source, verdict, count) for verdict, count in zip(VERDICT_CODES, source.counts(), strict=True)
        )
        if explain_top:
            eligible = self._explained(eligible, need, explain_top)
            unknown = self._explained(unknown, need, explain_top)
        if explain_excluded:
            excluded = CandidateList.of([self.explain(c, need.position) for c in excluded])
        return Screening(need, eligible, unknown, excluded)

    def _shared_column(self, position: str) -> SharedColumn:
        """The decision column of ``position``, wrapped once per column for the needs' lists."""
        column = self._decision_column(position)
        key = self._column_keys[position]
        found = self._shared_columns.get(key)
        if found is None:
            found = self._shared_columns[key] = SharedColumn(column)
        return found

    def _explained(self, listed: CandidateList, need: Need, top: int) -> CandidateList:
        """``listed`` with its first ``top`` entries explained in full."""
        explained = [self.explain(c, need.position) for c in listed[:top]]
        return CandidateList(listed.source, listed.verdict, len(listed), explained)


#: Verdict codes in the order of a screening's lists.
VERDICT_CODES = (ELIGIBLE, UNKNOWN, EXCLUDED)


def verdict_changes(before: Screening, after: Screening) -> Iterator[tuple[Candidate, Candidate]]:
    """The candidates whose verdict differs between two screenings of one need on the same employees, as
    (before, after), in the order of ``after``'s lists. Only the changed candidates are built."""
    old, new = before.eligible.source, after.eligible.source
    if old is None or new is None or not (old.roster is new.roster or old.roster.nips == new.roster.nips):
        previous = {c.nip: c for c in [*before.eligible, *before.unknown, *before.excluded]}
        for c in [*after.eligible, *after.unknown, *after.excluded]:
            if previous[c.nip].verdict is not c.verdict:
                yield previous[c.nip], c
        return
    old_codes, new_codes = old.codes(), new.codes()
    changed = old.verdicts(old_codes) != new.verdicts(new_codes)
    for verdict in VERDICT_CODES:
        rows, _codes = new.rows(verdict)
        for row in rows[changed[rows]].tolist():
            yield old.roster.candidate(row, int(old_codes[row])), new.roster.candidate(row, int(new_codes[row]))


@dataclass(frozen=True)
class _StageOne:
    """The outcome of the employee-only stage, built once per screener."""

    #: Every employee (dataset order), with the decisions of those an employee-only rule excludes.
    roster: Roster
    #: The NIPs of those an employee-only rule excludes, with that decision.
    early: dict[str, int]
    #: The others (in dataset order), their index and employee-stage outcome classes.
    nips: list[str]
    index: dict[str, int]
    classes: np.ndarray
    pairs: PairStage


def _sub_pack(packs: list[RulePack], rules: list[Rule], name: str) -> list[RulePack]:
    """``rules`` (from any of ``packs``) as one pack for the engine, or nothing."""
    if not rules:
        return []
    first = packs[0]
    return [first.model_copy(update={"rules": rules, "pack": f"{first.pack}__{name}"})]


def _read_set(rules: list[Rule]) -> tuple[str, ...]:
    return tuple(sorted({f for rule in rules for f in referenced_facts(rule)}))


def _candidate(nip: str, name: str, origin: str, decision: Decision) -> Candidate:
    return Candidate(nip, name, origin, decision.verdict, decision.score, decision.failed, decision.results)


def rank(candidates: list[Candidate], pairs: PairFacts) -> list[Candidate]:
    """Highest score first; ties by longer tenure in the current post (due for rotation first), then NIP."""

    def key(c: Candidate) -> tuple[float, float, str]:
        years = pairs.employee_side(c.nip).get("employee.years_in_position", 0.0)
        return (-c.score, -years, c.nip)

    return sorted(candidates, key=key)
