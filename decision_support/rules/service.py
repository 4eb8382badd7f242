"""The rule stage's operations, as the public API exposes them: check, test, explain, screen, diff.

Every result records which packs decided it (id, version, SHA-256 of the file),
the date the rules were selected for, and the engine, so a decision can be
replayed and audited.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, did_you_mean
from ..execution import Executor, ProcessExecutor, Progress, SerialExecutor, Setup
from ..i18n import _
from ..models import Dataset
from ..sources.references import nip_suggestion
from ..workload import WorkloadReport
from .evaluation import Move, PairFacts, ProposalError, UnknownEntity, get_engine, proposal_quota
from .language import RulePack
from .loading import RuleSet, load_rules
from .local import BETWEEN_LOCAL_GOVERNMENTS, Scope, legal_path, local_scopes, scope_packs, scope_pairs
from .outcomes import Decision, Verdict, decide
from .screening import Need, Screener, Screening, under_staffed, verdict_changes
from .testing import TestReport, run_tests


@dataclass(frozen=True)
class PackRecord:
    """Which pack decided: enough to find the exact file again."""

    pack: str
    version: str
    sha256: str
    path: str


@dataclass(frozen=True)
class Provenance:
    """Recorded with every decision."""

    as_of: str
    engine: str
    packs: list[PackRecord]
    #: The election calendar the rules read (path and SHA-256), if any.
    calendar: dict[str, str] | None = None
    #: The dataset decided on: its name and the date of its data.
    dataset: dict[str, str] | None = None


def provenance(
    ruleset: RuleSet, packs: list[RulePack], as_of: date, engine: str, dataset: Dataset | None = None
) -> Provenance:
    records = []
    for pack in packs:
        loaded = ruleset.loaded(pack)
        records.append(PackRecord(pack.pack, pack.version, loaded.sha256, loaded.path))
    calendar = None
    if ruleset.calendar_path is not None:
        calendar = {"path": ruleset.calendar_path, "sha256": ruleset.calendar_sha256 or ""}
    data = {"name": dataset.manifest.name, "as_of": dataset.as_of.isoformat()} if dataset is not None else None
    return Provenance(as_of.isoformat(), engine, records, calendar, data)


@dataclass(frozen=True)
class LocalProvenance(Provenance):
    """Provenance of a decision on a dataset with local governments: which packs and calendar decided each."""

    #: Per local government: its id, the packs that apply there and its calendar (path and SHA-256), if any.
    local_governments: list[dict[str, Any]] = field(default_factory=list)
    #: Moves between local governments were considered too.
    across_local_governments: bool = False


def local_provenance(
    ruleset: RuleSet,
    scopes: dict[str | None, Scope],
    packs: list[RulePack],
    as_of: date,
    engine: str,
    dataset: Dataset | None = None,
    across: bool = False,
) -> Provenance:
    """:func:`provenance`, with the packs and calendar of each local government when the dataset lists them."""
    record = provenance(ruleset, packs, as_of, engine, dataset)
    if list(scopes) == [None]:
        return record
    per_lg = [
        {
            "id": lg,
            "packs": [p.pack for p in scope.packs],
            "calendar": {"path": scope.calendar.path, "sha256": scope.calendar.sha256} if scope.calendar else None,
        }
        for lg, scope in scopes.items()
    ]
    known = {f.name: getattr(record, f.name) for f in fields(record)}
    return LocalProvenance(**known, local_governments=per_lg, across_local_governments=across)


def packs_in_force(ruleset: RuleSet, as_of: date) -> list[RulePack]:
    """The packs in force on ``as_of``; an error if there are none."""
    packs = ruleset.in_force(as_of)
    if not packs:
        where = ", ".join(sorted({lp.path for lp in ruleset.packs}))
        message = _("no rule pack is in force on {day}").format(day=as_of.isoformat())
        raise InputError([Problem(Location(where), message)])
    return packs


def check_rules(paths: list[Path]) -> RuleSet:
    """Load and check every rule file under ``paths``; raises InputError with every problem."""
    return load_rules(paths)


def test_rules(paths: list[Path], engine: str = "durable") -> TestReport:
    """Run the tests next to the rules."""
    return run_tests(load_rules(paths), get_engine(engine))


test_rules.__test__ = False  # type: ignore[attr-defined]  # pytest: not a test


@dataclass(frozen=True)
class Explanation:
    """Why one employee is or is not eligible for one position."""

    nip: str
    name: str
    origin: str
    target: str
    decision: Decision
    provenance: Provenance
    #: The proposal's other moves (NIP, target position) the quotas were judged with.
    proposal: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CrossingExplanation(Explanation):
    """An explanation of a move between two local governments, with its legal path (PP 11/2017 Pasal 192)."""

    legal_path: str = ""


def explain_move(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    nip: str,
    position: str,
    *,
    as_of: date | None = None,
    engine: str = "durable",
    others: Sequence[Move] = (),
    across_local_governments: bool = False,
) -> Explanation:
    """Every rule for moving ``nip`` to ``position``: outcome, values read, threshold and reason.

    ``others`` are the proposal's other moves (NIP, target position): the quotas are then judged after
    all of them together (a rotation of two officials keeps both posts filled).
    """
    return explain_proposal(
        dataset, report, ruleset, [(nip, position), *others], as_of=as_of, engine=engine,
        across_local_governments=across_local_governments,
    )[0]  # fmt: skip


def explain_proposal(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    moves: Sequence[Move],
    *,
    as_of: date | None = None,
    engine: str = "durable",
    across_local_governments: bool = False,
) -> list[Explanation]:
    """Every move of a proposal explained, the quotas counted after all of its moves together.

    Each move is decided with the packs and the calendar of the target's local government; a move between
    two local governments only with ``across_local_governments`` (else an error saying why).
    """
    day = as_of or dataset.as_of
    packs = packs_in_force(ruleset, day)
    scopes = local_scopes(ruleset, packs, dataset)
    pairs = PairFacts(dataset, report, day, ruleset.calendar)
    rule_engine = get_engine(engine)
    record = local_provenance(ruleset, scopes, packs, day, engine, dataset)
    explanations: list[Explanation] = []
    local: dict[str | None, PairFacts] = {}
    try:
        quota = proposal_quota(pairs, moves)
        _check_crossings(dataset, moves, across_local_governments)
        for nip, position in moves:
            lg = dataset.position_local_government.get(position)
            scope = scopes[lg]
            if lg not in local:
                local[lg] = scope_pairs(dataset, report, day, scope, True, pairs) if lg is not None else pairs
            employee = pairs.employee(nip)
            facts = local[lg].pair(nip, position, quota[nip] if len(moves) > 1 else None)
            scoped = scope_packs(scope, day)
            decision = decide(scoped, rule_engine.evaluate(scoped, facts), facts)
            others = [m for m in moves if m[0] != nip]
            found = (nip, employee.name, employee.position, position, decision, record, others)
            path = legal_path(dataset, nip, position)
            explanations.append(CrossingExplanation(*found, legal_path=path) if path else Explanation(*found))
    except UnknownEntity as exc:
        raise InputError([_unknown_entity_problem(dataset, pairs, moves, exc)]) from None
    except ProposalError as exc:
        raise InputError([Problem(Location(dataset.manifest.name), str(exc))]) from None
    return explanations


def _check_crossings(dataset: Dataset, moves: Sequence[Move], across: bool) -> None:
    """Moves between local governments are not screened unless asked for: an error that says how."""
    if across or not dataset.local_governments:
        return
    problems = []
    for nip, position in moves:
        origin = dataset.local_government_of(nip)
        target = dataset.position_local_government.get(position)
        if origin != target:
            message = _(
                "NIP {nip} works in local government {origin} and position {position} is in {target}: moves "
                "between local governments are not screened by default (inside one local government the PPK "
                "decides, PP 11/2017 Pasal 191; between two, the Gubernur, Pasal 192)"
            ).format(nip=nip, origin=origin, position=position, target=target)
            hint = _("Add --across-local-governments (across_local_governments=True in the API) to screen it.")
            problems.append(Problem(Location(dataset.manifest.name), message, hint=hint))
    if problems:
        raise InputError(problems)


def _unknown_entity_problem(dataset: Dataset, pairs: PairFacts, moves: Sequence[Move], exc: UnknownEntity) -> Problem:
    known_positions = [p.id for p in dataset.positions]
    for nip, position in moves:
        if nip not in pairs.employees:
            return Problem(
                Location(dataset.manifest.name), str(exc), hint=nip_suggestion(nip, dict.fromkeys(pairs.employees))
            )
        if position not in pairs.ctx.positions:
            return Problem(Location(dataset.manifest.name), str(exc), hint=did_you_mean(position, known_positions))
    return Problem(Location(dataset.manifest.name), str(exc))


@dataclass(frozen=True)
class ScreeningReport:
    """Screenings of one or more needs, with provenance."""

    screenings: list[Screening]
    provenance: Provenance
    engine_calls: int = 0
    pairs: int = 0
    #: Moves between local governments were screened too (each then carries its legal path).
    across_local_governments: bool = False
    #: The local government of each position and each employee (empty: the dataset lists none).
    position_local_government: dict[str, str] = field(default_factory=dict, repr=False)
    employee_local_government: dict[str, str] = field(default_factory=dict, repr=False)

    def local_government(self, position: str) -> str | None:
        """The local government of a need's position (None: the dataset lists none)."""
        return self.position_local_government.get(position)

    def legal_path(self, position: str, nip: str) -> str | None:
        """The legal path of moving ``nip`` to ``position`` when it crosses local governments, else None."""
        if not self.position_local_government:
            return None
        if self.employee_local_government.get(nip) == self.position_local_government.get(position):
            return None
        return _(BETWEEN_LOCAL_GOVERNMENTS)


def screen_needs(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    *,
    positions: list[str] | None = None,
    as_of: date | None = None,
    engine: str = "durable",
    explain_top: int = 0,
    explain_excluded: bool = False,
    workers: int | None = None,
    executor: Executor | None = None,
    setup: Setup | None = None,
    progress: Progress | None = None,
    across_local_governments: bool = False,
) -> ScreeningReport:
    """Screen candidates for ``positions`` (default: every under-staffed position).

    The first ``explain_top`` eligible candidates of each need (and with ``explain_excluded`` every
    excluded one) carry full explanations. The needs are cut into shards of consecutive needs, each one
    job of ``executor`` (default: this process, or ``workers`` local processes); ``progress(done, total)``
    after each shard. A need's screening depends only on the need and the data, and shards come back in
    order, so the result is the same on any executor and any number of workers. ``setup`` runs once in each
    local worker process before its first shard (the API passes one that loads the plugins).

    In a dataset that lists local governments, a need is screened with the packs and the calendar of its
    local government (:mod:`.local`), over that local government's employees, or over every employee with
    ``across_local_governments``.
    """
    day = as_of or dataset.as_of
    packs = packs_in_force(ruleset, day)
    needs = select_needs(dataset, report, positions)
    scopes = local_scopes(ruleset, packs, dataset)
    spec = _ScreeningSpec(dataset, report, day, scopes, engine, explain_top, explain_excluded, across_local_governments)
    if executor is None:
        if workers is None:
            # A worker process costs a few seconds to start, load the data and redo the per-employee stage;
            # measured on the example (137 needs) one process is as fast as two, and on the province (1,422
            # needs, 43 million pairs) one process took 17 s against 41 s of CPU for two (docs/province-scale.md).
            workers = min(default_workers(), max(1, len(needs) // NEEDS_PER_WORKER))
        workers = max(1, min(workers, len(needs)))
        # Separate processes each have their own durable Host (not thread-safe), started by spawn because a
        # forked Host would inherit a half-copied C engine.
        local = SerialExecutor() if workers <= 1 else ProcessExecutor(workers, setup=setup, start_method="spawn")
        with local:
            return screen_needs(
                dataset, report, ruleset, positions=positions, as_of=day, engine=engine, explain_top=explain_top,
                explain_excluded=explain_excluded, executor=local, progress=progress,
                across_local_governments=across_local_governments,
            )  # fmt: skip
    shards = local_shards(dataset, needs, executor.workers)
    results = executor.map(_screen_shard, shards, shared=spec, progress=progress, describe=_describe_shard)
    flat = [found for part in results for found in part]
    ordered: list[tuple[Screening, int]] = [flat[0]] * len(flat)
    for k, i in enumerate(_shard_order(dataset, needs)):
        ordered[i] = flat[k]
    screenings = [screening for screening, _calls in ordered]
    calls = sum(c for _screening, c in ordered)
    pairs = sum(len(s.eligible) + len(s.unknown) + len(s.excluded) for s in screenings)
    record = local_provenance(ruleset, scopes, packs, day, engine, dataset, across_local_governments)
    return ScreeningReport(
        screenings, record, calls, pairs, across_local_governments,
        dataset.position_local_government, dataset.employee_local_government,
    )  # fmt: skip


def local_shards(dataset: Dataset, needs: list[Need], workers: int) -> list[tuple[str | None, list[Need]]]:
    """Shards of consecutive needs of one local government each (local governments in the order their first
    need comes), cut as :func:`shard` cuts them; for one implicit local government exactly :func:`shard`'s."""
    owner = dataset.position_local_government
    by_lg: dict[str | None, list[Need]] = {}
    for need in needs:
        by_lg.setdefault(owner.get(need.position), []).append(need)
    if len(by_lg) <= 1:
        return [(lg, part) for lg, group in by_lg.items() for part in shard(group, workers)]
    size = len(needs) if workers <= 1 else max(1, -(-len(needs) // (workers * SHARDS_PER_WORKER)))
    return [(lg, group[i : i + size]) for lg, group in by_lg.items() for i in range(0, len(group), size)]


def _shard_order(dataset: Dataset, needs: list[Need]) -> list[int]:
    """The index in ``needs`` of each need in the order :func:`local_shards` lays them out."""
    owner = dataset.position_local_government
    rank: dict[str | None, int] = {}
    for need in needs:
        rank.setdefault(owner.get(need.position), len(rank))
    return sorted(range(len(needs)), key=lambda i: (rank[owner.get(needs[i].position)], i))


def shard(needs: list[Need], workers: int) -> list[list[Need]]:
    """Consecutive needs in shards: one for a single worker, else several per worker (needs differ a lot in
    how many candidates survive the cheap stages), never depending on anything but the needs and ``workers``."""
    if workers <= 1 or len(needs) <= 1:
        return [needs] if needs else []
    size = max(1, -(-len(needs) // (workers * SHARDS_PER_WORKER)))
    return [needs[i : i + size] for i in range(0, len(needs), size)]


def _describe_shard(part: tuple[str | None, list[Need]]) -> str:
    needs = part[1]
    return _("screening of positions {first} to {last}").format(first=needs[0].position, last=needs[-1].position)


def default_workers() -> int:
    """Worker processes for screening: the cores available (2 on the reference machines)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


#: Needs a worker process should have at least before starting one pays off (by default).
NEEDS_PER_WORKER = 5000
#: Shards per worker when the needs are spread over several.
SHARDS_PER_WORKER = 4


@dataclass(frozen=True)
class _ScreeningSpec:
    """What a screening job needs: sent to each worker once per call."""

    dataset: Dataset
    report: WorkloadReport
    day: date
    scopes: dict[str | None, Scope]
    engine: str
    explain_top: int
    explain_excluded: bool
    across: bool


@dataclass
class _ScreeningJob:
    """One screening call's screener (for one local government) and explanation options."""

    screener: Screener
    explain_top: int
    explain_excluded: bool

    @classmethod
    def build(cls, spec: _ScreeningSpec, local_government: str | None, shared: PairFacts | None) -> _ScreeningJob:
        scope = spec.scopes[local_government]
        pairs = scope_pairs(spec.dataset, spec.report, spec.day, scope, spec.across, shared)
        screener = Screener(pairs, scope_packs(scope, spec.day), get_engine(spec.engine))
        return cls(screener, spec.explain_top, spec.explain_excluded)

    def screen(self, need: Need) -> tuple[Screening, int]:
        before = self.screener.engine_calls
        screening = self.screener.screen(need, explain_top=self.explain_top, explain_excluded=self.explain_excluded)
        return screening, self.screener.engine_calls - before


#: Per thread, the screening jobs of the current call, by local government (a worker keeps them between the
#: shards of one call; calls on other threads, e.g. of the HTTP service, never share a screener).
_JOBS = threading.local()


def _screen_shard(spec: _ScreeningSpec, part: tuple[str | None, list[Need]]) -> list[tuple[Screening, int]]:
    """One executor job: the screenings of a shard of needs of one local government, with the engine calls."""
    found: tuple[_ScreeningSpec, dict[Hashable, _ScreeningJob]] | None = getattr(_JOBS, "job", None)
    if found is None or found[0] is not spec:
        # Only the current call's screeners are kept: an earlier call's are not needed again.
        found = _JOBS.job = (spec, {})
    local_government, needs = part
    jobs, key = found[1], _job_key(spec, local_government)
    if key not in jobs:
        shared = next(iter(jobs.values())).screener.pairs if jobs else None  # one position context per call
        jobs[key] = _ScreeningJob.build(spec, local_government, shared)
    return [jobs[key].screen(need) for need in needs]


def _job_key(spec: _ScreeningSpec, local_government: str | None) -> Hashable:
    """Which screener decides a local government's needs. Across local governments every screener considers
    every employee, so local governments with the same packs and calendar share one: its decisions depend on
    nothing else. Inside them each has its own (its own employees)."""
    if not spec.across:
        return local_government
    scope = spec.scopes[local_government]
    return (tuple(id(pack) for pack in scope.packs), id(scope.calendar))


def select_needs(dataset: Dataset, report: WorkloadReport, positions: list[str] | None) -> list[Need]:
    """The needs to screen: the given positions (under-staffed or not), or all under-staffed ones."""
    needs = under_staffed(dataset, report)
    if positions is None:
        return needs
    known = {p.id: p for p in dataset.positions}
    by_position = {n.position: n for n in needs}
    problems = []
    chosen = []
    for position in positions:
        if position not in known:
            message = _("position '{id}' is not in the dataset").format(id=position)
            problems.append(Problem(Location(dataset.manifest.name), message, hint=did_you_mean(position, list(known))))
            continue
        p = known[position]
        chosen.append(by_position.get(position) or Need(p.id, p.name, p.unit, _gap(report, dataset, p.id), "requested"))
    if problems:
        raise InputError(problems)
    return chosen


def _gap(report: WorkloadReport, dataset: Dataset, position: str) -> int:
    """Holders minus need of a position, from the ABK or the teacher analysis (0 when neither covers it)."""
    for row in report.positions:
        if row.position == position:
            return row.gap
    post = next((p for p in dataset.positions if p.id == position), None)
    for teacher in report.teachers:
        if post is not None and (teacher.school, teacher.subject) == (post.unit, post.subject):
            return teacher.gap
    return 0


@dataclass(frozen=True)
class VerdictChange:
    """A candidate whose verdict or rank-relevant score differs between two rule versions."""

    position: str
    nip: str
    name: str
    old_verdict: str
    new_verdict: str
    old_excluded_by: list[str]
    new_excluded_by: list[str]
    old_score: float
    new_score: float


@dataclass(frozen=True)
class RuleDiff:
    old: Provenance
    new: Provenance
    changes: list[VerdictChange] = field(default_factory=list)
    pairs: int = 0


def diff_rules(
    dataset: Dataset,
    report: WorkloadReport,
    old: RuleSet,
    new: RuleSet,
    *,
    as_of: date | None = None,
    engine: str = "durable",
    positions: list[str] | None = None,
) -> RuleDiff:
    """Candidates whose verdict changes from ``old`` to ``new`` rules, for ``positions`` (default: every
    under-staffed position)."""
    before = screen_needs(dataset, report, old, positions=positions, as_of=as_of, engine=engine)
    after = screen_needs(dataset, report, new, positions=positions, as_of=as_of, engine=engine)
    changes = []
    for a, b in zip(before.screenings, after.screenings, strict=True):
        for o, c in verdict_changes(a, b):
            changes.append(
                VerdictChange(
                    a.need.position,
                    c.nip,
                    c.name,
                    o.verdict.value,
                    c.verdict.value,
                    o.excluded_by,
                    c.excluded_by,
                    o.score,
                    c.score,
                )
            )
    return RuleDiff(before.provenance, after.provenance, changes, before.pairs)


__all__ = [
    "Explanation",
    "PackRecord",
    "Provenance",
    "RuleDiff",
    "ScreeningReport",
    "Verdict",
    "VerdictChange",
    "check_rules",
    "diff_rules",
    "explain_move",
    "explain_proposal",
    "screen_needs",
    "test_rules",
]
