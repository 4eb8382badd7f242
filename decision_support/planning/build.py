"""From a dataset, its workload analysis and rule packs to an :class:`~.instance.Instance`.

Eligible arcs come from the rule engine through the staged :class:`~decision_support.rules.screening.Screener`
(employee-only filters once per employee, target-only filters once per position, two-sided filters once per
signature class, then every rule for the pairs still standing). Only pairs that can matter are screened:
holders of over-staffed positions and applicants, towards under-staffed positions and the positions of the
units applicants wish for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np

from ..models import Dataset, Employee, Stance
from ..models.participation import any_move_objection, stances, wishes_of
from ..rules.evaluation import PairFacts, get_engine
from ..rules.facts import position_facts
from ..rules.language import RulePack
from ..rules.loading import RuleSet
from ..rules.local import local_scopes, scope_packs, scope_pairs
from ..rules.outcomes import Outcome, Verdict
from ..rules.screening import VERDICTS, Candidate, Screener
from ..workload import WorkloadReport
from .instance import Arc, Instance, band, forced_cost, wish_cost
from .quotas import LOWER_FACT, UNIT_IN_FACT, UNIT_OUT_FACT, UPPER_FACT, QuotaModel, quota_model


@dataclass(frozen=True)
class ScopedRules:
    """What decides the moves into one local government's positions (:mod:`..rules.local`)."""

    local_government: str | None
    pairs: PairFacts
    packs: list[RulePack]
    quotas: QuotaModel


@dataclass
class Built:
    """An instance with what is needed to explain and check its moves."""

    instance: Instance
    pairs: PairFacts
    packs: list[RulePack]
    engine: str
    quotas: QuotaModel
    #: Rule score of every screened eligible arc.
    scores: dict[tuple[int, int], float] = field(default_factory=dict)
    pairs_screened: int = 0
    #: Moves left out because a rule could not decide them (missing data, a calendar that does not cover the
    #: date): (rule, reason) -> how many screened moves it left undecided.
    undecided: dict[tuple[str, str], int] = field(default_factory=dict)
    pairs_undecided: int = 0
    #: Per local government (None: the dataset lists none) the pair facts, packs and quotas of its moves.
    scopes: dict[str | None, ScopedRules] = field(default_factory=dict)
    #: Local government of each position (empty: the dataset lists none).
    position_local_government: dict[str, str] = field(default_factory=dict)
    across_local_governments: bool = False

    def scope_of(self, position: str) -> ScopedRules:
        """The rules that decide a move into ``position``."""
        return self.scopes[self.position_local_government.get(position)]


def priority_of(facts: dict) -> float:
    """The published priority (DUK order): golongan rank first, then years of service."""
    return float(facts.get("employee.golongan_rank", 0)) * 100 + float(facts.get("employee.years_of_service", 0.0))


def forced_offset(score: float) -> int:
    """Forced moves are ordered by the rule score: the higher the score, the cheaper (0 .. 49)."""
    return 25 - round(score / 2)


def build_instance(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    packs: list[RulePack],
    *,
    band_pct: float = 10.0,
    engine: str = "durable",
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    across_local_governments: bool = False,
) -> Built:
    """Screen the candidate pairs and assemble the instance; ``progress(done, total)`` after each under-staffed
    position screened.

    In a dataset with local governments each local government's positions are screened with its own packs and
    calendar, over its own employees (over everyone with ``across_local_governments``)."""
    day = as_of or dataset.as_of
    pairs = PairFacts(dataset, report, day, ruleset.calendar)
    ctx = pairs.ctx
    positions = [p.id for p in dataset.positions]
    index = {p: i for i, p in enumerate(positions)}
    employees = [e.nip for e in dataset.employees]
    current = [index[e.position] for e in dataset.employees]
    holders = [ctx.holders[p] for p in positions]
    target = [ctx.need.get(p) for p in positions]
    bands = [band(t, band_pct) if t is not None else (0, 0) for t in target]
    by_unit: dict[str, list[int]] = {}
    for i, post in enumerate(dataset.positions):
        by_unit.setdefault(post.unit, []).append(i)
    short = [i for i, t in enumerate(target) if t is not None and holders[i] < t]
    surplus = {i for i, t in enumerate(target) if t is not None and holders[i] > t}
    scopes = _scoped_rules(dataset, report, ruleset, packs, day, pairs, across_local_governments)
    owner = dataset.position_local_government
    by_pairs: dict[int, _Screened] = {}  # local governments that share pair facts share their screener
    screened = {}
    for lg, scope in scopes.items():
        if id(scope.pairs) not in by_pairs:
            screener = Screener(scope.pairs, scope.packs, get_engine(engine))
            by_pairs[id(scope.pairs)] = _Screened(screener, positions, employees)
        screened[lg] = by_pairs[id(scope.pairs)]
    movers = np.flatnonzero(np.isin(np.asarray(current, dtype=np.int64), sorted(surplus)))
    short_arcs = _local_short_arcs(screened, short, movers, positions, owner, progress)
    arcs: list[Arc] = []
    wishes: dict[int, list[int]] = {}
    for e, employee in enumerate(dataset.employees):
        stated = _Stated(employee)
        wished = stated.wished
        # Under-staffed positions first (for holders of over-staffed ones), then those of the wished units.
        seen: set[int] = set(short) if current[e] in surplus else set()
        mine = [stated.arc(e, p, dataset.positions[p].unit, score) for p, score in short_arcs.get(e, ())]
        for view in wished:
            for p in by_unit.get(view.unit or "", []):
                if p in seen or p == current[e]:
                    continue
                seen.add(p)
                local = screened[owner.get(positions[p])]
                if employee.nip not in local.screener.pairs.employees:
                    continue  # a wish for another local government: not screened without the option
                score = local.pair(employee.nip, p)
                if score is not None:
                    mine.append(stated.arc(e, p, dataset.positions[p].unit, score))
        arcs += mine
        if wished:
            ranked = sorted(
                (a for a in mine if a.wish_rank is not None),
                key=lambda a: (a.wish_rank, -a.score, positions[a.position]),
            )
            wishes[e] = [a.position for a in ranked]
    scores = {(a.employee, a.position): a.score for a in arcs}
    priority = [priority_of(pairs.employee_side(nip)) for nip in employees]
    quotas = quota_model(packs)
    scope_of = [scopes[owner.get(p)] for p in positions]
    lower, upper, arcs, wishes = _apply_quotas(scope_of, dataset, positions, holders, current, arcs, wishes)
    instance = Instance(
        positions=positions,
        units=[p.unit for p in dataset.positions],
        employees=employees,
        current=current,
        target=target,
        low=[b[0] for b in bands],
        high=[b[1] for b in bands],
        lower=lower,
        upper=upper,
        arcs=arcs,
        priority=priority,
        wishes=wishes,
        unit_in_cap=_local_unit_caps(scopes, UNIT_IN_FACT, by_unit, dataset),
        unit_out_cap=_local_unit_caps(scopes, UNIT_OUT_FACT, by_unit, dataset),
    )
    undecided: dict[tuple[str, str], int] = {}
    distinct = list(by_pairs.values())  # a shared screener counts its pairs once
    for part in distinct:
        for key, count in part.undecided.items():
            undecided[key] = undecided.get(key, 0) + count
    return Built(
        instance, pairs, packs, engine, quotas, scores,
        sum(part.pairs for part in distinct), dict(sorted(undecided.items())),
        sum(part.pairs_undecided for part in distinct),
        scopes, owner, across_local_governments,
    )  # fmt: skip


def _scoped_rules(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    packs: list[RulePack],
    day: date,
    pairs: PairFacts,
    across: bool,
) -> dict[str | None, ScopedRules]:
    """The rules of each local government; for a dataset without local governments the plan's own pairs."""
    scopes = local_scopes(ruleset, packs, dataset)
    if list(scopes) == [None]:
        return {None: ScopedRules(None, pairs, packs, quota_model(packs))}
    out = {}
    # Across local governments every scope considers every employee: those with the same packs and calendar
    # decide every move alike and share one set of pair facts (and so one screener) instead of a copy each.
    alike: dict[tuple[Any, ...], ScopedRules] = {}
    for lg, scope in scopes.items():
        chosen = scope_packs(scope, day)
        key = (tuple(id(pack) for pack in chosen), id(scope.calendar)) if across else (lg,)
        if key in alike:
            out[lg] = replace(alike[key], local_government=lg)
            continue
        local = scope_pairs(dataset, report, day, scope, across, pairs)
        out[lg] = alike[key] = ScopedRules(lg, local, chosen, quota_model(chosen))
    return out


def _local_short_arcs(
    screened: dict[str | None, _Screened],
    short: list[int],
    movers: np.ndarray,
    positions: list[str],
    owner: dict[str, str],
    progress: Callable[[int, int], None] | None,
) -> dict[int, list[tuple[int, float]]]:
    """:func:`_short_arcs` for each local government: its under-staffed positions, its screener's movers."""
    done = 0
    found: dict[int, list[tuple[int, float]]] = {}
    for lg, part in screened.items():
        mine = [p for p in short if owner.get(positions[p]) == lg]
        considered = part.screener.pairs.employees
        local_movers = np.asarray([e for e in movers.tolist() if part.nips[e] in considered], dtype=np.int64)
        rows = part.screener.standing()
        row_of = np.array([rows.get(nip, -1) for nip in part.nips], dtype=np.int64)

        def step(i: int, total: int, offset: int = done) -> None:
            if progress is not None:
                progress(offset + i, len(short))

        for e, arcs in _short_arcs(part, mine, local_movers, row_of, step).items():
            found.setdefault(e, []).extend(arcs)
        done += len(mine)
    # Per employee in the order of ``short`` (as one screener gives them).
    order = {p: i for i, p in enumerate(short)}
    return {e: sorted(arcs, key=lambda a: order[a[0]]) for e, arcs in found.items()}


class _Stated:
    """What one employee stated (participation): ranked wishes and objections, which set a move's cost."""

    def __init__(self, employee: Employee) -> None:
        self.wished = wishes_of(employee)
        self.general = any_move_objection(employee)
        self.stances = stances(employee)
        self.rank_of: dict[str, int] = {}
        for view in self.wished:
            self.rank_of.setdefault(view.unit or "", len(self.rank_of) + 1)

    def arc(self, e: int, p: int, unit: str, score: float) -> Arc:
        rank = self.rank_of.get(unit)
        objected = self.general is not None or self.stances.get(unit, Stance()).objected
        cost = wish_cost(rank) if rank is not None else forced_cost(forced_offset(score), objected)
        return Arc(e, p, cost, rank, score)


class _Screened:
    """Counts the screened moves and the undecided ones (with the rules and reasons that left them open)."""

    def __init__(self, screener: Screener, positions: list[str], nips: list[str]) -> None:
        self.screener = screener
        self.positions = positions
        self.nips = nips
        self.pairs = 0
        self.pairs_undecided = 0
        self.undecided: dict[tuple[str, str], int] = {}

    def pair(self, nip: str, p: int) -> float | None:
        """The score of the move of ``nip`` to position ``p`` if it is eligible, else None."""
        self.pairs += 1
        candidate = self.screener.screen_pair(nip, self.positions[p])
        if candidate.verdict is Verdict.UNKNOWN:
            self.count_undecided(candidate, p)
        return candidate.score if candidate.verdict is Verdict.ELIGIBLE else None

    def count_undecided(self, candidate: Candidate, p: int) -> None:
        self.pairs_undecided += 1
        _count_undecided(self.screener.explain(candidate, self.positions[p]), self.undecided)


def _short_arcs(
    screened: _Screened,
    short: list[int],
    movers: np.ndarray,
    row_of: np.ndarray,
    progress: Callable[[int, int], None] | None,
) -> dict[int, list[tuple[int, float]]]:
    """The eligible moves of the holders of over-staffed positions (``movers``) to the under-staffed ones.

    One decision column per position, over every standing employee, shared by positions that present the
    rules with the same facts (:meth:`Screener.decision_column`); the movers' rows are then read from it.
    Returns, per employee, (position, score) in the order of ``short``.
    """
    screener = screened.screener
    rows = row_of[movers]
    standing = rows >= 0
    found: list[tuple[np.ndarray, int, np.ndarray]] = []
    eligible_code, unknown_code = VERDICTS.index(Verdict.ELIGIBLE), VERDICTS.index(Verdict.UNKNOWN)
    for done, p in enumerate(short, 1):
        screened.pairs += len(movers)  # an over-staffed position is never under-staffed: every pair is a move
        column = screener.decision_column(screened.positions[p])
        if column is not None:
            who, ids = movers[standing], column[rows[standing]]
            verdicts, scores = screener.decision_table()
            verdict = verdicts[ids]
            keep = verdict == eligible_code
            found.append((who[keep], p, scores[ids[keep]]))
            for e in who[verdict == unknown_code].tolist():
                screened.count_undecided(screener.screen_pair(screened.nips[e], screened.positions[p]), p)
        if progress is not None:
            progress(done, len(short))
    by_employee: dict[int, list[tuple[int, float]]] = {}
    for who, p, scores in found:
        for e, score in zip(who.tolist(), scores.tolist(), strict=True):
            by_employee.setdefault(e, []).append((p, score))
    return by_employee


def _count_undecided(candidate: Candidate, counts: dict[tuple[str, str], int]) -> None:
    """Each filter a move could not be decided on, with its reason (an undecided move is never planned)."""
    for result in candidate.results:
        if result.outcome is Outcome.UNKNOWN and result.kind != "score":
            key = (result.rule, result.reason or "")
            counts[key] = counts.get(key, 0) + 1


def _unit_caps(bounds: list, by_unit: dict[str, list[int]]) -> dict[str, int]:
    caps: dict[str, int] = {}
    for bound in bounds:
        limit = bound.limit({})
        if limit is not None:
            for unit in by_unit:
                caps[unit] = min(caps.get(unit, limit), limit)
    return caps


def _local_unit_caps(
    scopes: dict[str | None, ScopedRules], fact: str, by_unit: dict[str, list[int]], dataset: Dataset
) -> dict[str, int]:
    """Caps on moves into (or out of) each unit, from the quota rules of the unit's local government."""
    if list(scopes) == [None]:
        return _unit_caps(scopes[None].quotas.of(fact), by_unit)
    owner = dataset.unit_local_government
    caps: dict[str, int] = {}
    for lg, scope in scopes.items():
        caps.update(_unit_caps(scope.quotas.of(fact), {u: ps for u, ps in by_unit.items() if owner.get(u) == lg}))
    return caps


def _apply_quotas(
    scope_of: list[ScopedRules],
    dataset: Dataset,
    positions: list[str],
    holders: list[int],
    current: list[int],
    arcs: list[Arc],
    wishes: dict[int, list[int]],
) -> tuple[list[int], list[int], list[Arc], dict[int, list[int]]]:
    """Hard bounds per position (from the quota rules of its local government); arcs the bounds forbid outright
    are dropped.

    A position already above its cap takes nobody (the rule binds only when someone joins); one already below
    its minimum loses nobody (the rule binds only when someone leaves).
    """
    lower, upper = [], []
    closed_in, closed_out = set(), set()
    for i, pid in enumerate(positions):
        scope = scope_of[i]
        ctx = scope.pairs.ctx
        target_facts = scope.pairs.target_side(pid)
        origin_facts = position_facts("origin", ctx.positions[pid], ctx)
        caps = [b.limit(target_facts) for b in scope.quotas.of(UPPER_FACT)]
        floors = [b.limit(origin_facts) for b in scope.quotas.of(LOWER_FACT)]
        cap = min((c for c in caps if c is not None), default=None)
        floor = max((f for f in floors if f is not None), default=0)
        if cap is not None and holders[i] > cap:
            closed_in.add(i)
            cap = holders[i]
        if holders[i] < floor:
            closed_out.add(i)
            floor = holders[i]
        upper.append(cap if cap is not None else len(current))
        lower.append(max(0, floor))
    kept = [a for a in arcs if a.position not in closed_in and current[a.employee] not in closed_out]
    allowed = {(a.employee, a.position) for a in kept}
    wishes = {e: [p for p in ps if (e, p) in allowed] for e, ps in wishes.items()}
    return lower, upper, kept, wishes
