"""From a dataset, its workload analysis and rule packs to an :class:`~.instance.Instance`.

Eligible arcs come from the rule engine through the staged :class:`~decision_support.rules.screening.Screener`
(employee-only filters once per employee, target-only filters once per position, two-sided filters once per
signature class, then every rule for the pairs still standing). Only pairs that can matter are screened:
holders of over-staffed positions and applicants, towards under-staffed positions and the positions of the
units applicants wish for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..models import Dataset, Stance
from ..models.participation import any_move_objection, stances, wishes_of
from ..rules.evaluation import PairFacts, get_engine
from ..rules.facts import position_facts
from ..rules.language import RulePack
from ..rules.loading import RuleSet
from ..rules.outcomes import Outcome, Verdict
from ..rules.screening import Candidate, Screener
from ..workload import WorkloadReport
from .instance import Arc, Instance, band, forced_cost, wish_cost
from .quotas import LOWER_FACT, UNIT_IN_FACT, UNIT_OUT_FACT, UPPER_FACT, QuotaModel, quota_model


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
) -> Built:
    """Screen the candidate pairs and assemble the instance."""
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
    screener = Screener(pairs, packs, get_engine(engine))
    arcs: list[Arc] = []
    scores: dict[tuple[int, int], float] = {}
    wishes: dict[int, list[int]] = {}
    screened = 0
    undecided: dict[tuple[str, str], int] = {}
    pairs_undecided = 0
    for e, employee in enumerate(dataset.employees):
        wished = wishes_of(employee)
        general = any_move_objection(employee)
        unit_stances = stances(employee)
        rank_of: dict[str, int] = {}
        for view in wished:
            rank_of.setdefault(view.unit or "", len(rank_of) + 1)
        candidates: list[int] = list(short) if current[e] in surplus else []
        for view in wished:
            candidates += by_unit.get(view.unit or "", [])
        seen: set[int] = set()
        mine: list[Arc] = []
        for p in candidates:
            if p in seen or p == current[e]:
                continue
            seen.add(p)
            screened += 1
            candidate = screener.screen_pair(employee.nip, positions[p])
            if candidate.verdict is Verdict.UNKNOWN:
                pairs_undecided += 1
                _count_undecided(screener.explain(candidate, positions[p]), undecided)
            if candidate.verdict is not Verdict.ELIGIBLE:
                continue
            unit = dataset.positions[p].unit
            rank = rank_of.get(unit)
            objected = general is not None or unit_stances.get(unit, Stance()).objected
            cost = wish_cost(rank) if rank is not None else forced_cost(forced_offset(candidate.score), objected)
            mine.append(Arc(e, p, cost, rank, candidate.score))
            scores[(e, p)] = candidate.score
        arcs += mine
        if wished:
            ranked = sorted(
                (a for a in mine if a.wish_rank is not None),
                key=lambda a: (a.wish_rank, -a.score, positions[a.position]),
            )
            wishes[e] = [a.position for a in ranked]
    priority = [priority_of(pairs.employee_side(nip)) for nip in employees]
    quotas = quota_model(packs)
    lower, upper, arcs, wishes = _apply_quotas(quotas, dataset, pairs, positions, holders, current, arcs, wishes)
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
        unit_in_cap=_unit_caps(quotas.of(UNIT_IN_FACT), by_unit),
        unit_out_cap=_unit_caps(quotas.of(UNIT_OUT_FACT), by_unit),
    )
    return Built(
        instance, pairs, packs, engine, quotas, scores, screened, dict(sorted(undecided.items())), pairs_undecided
    )


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


def _apply_quotas(
    quotas: QuotaModel,
    dataset: Dataset,
    pairs: PairFacts,
    positions: list[str],
    holders: list[int],
    current: list[int],
    arcs: list[Arc],
    wishes: dict[int, list[int]],
) -> tuple[list[int], list[int], list[Arc], dict[int, list[int]]]:
    """Hard bounds per position; arcs the bounds forbid outright are dropped.

    A position already above its cap takes nobody (the rule binds only when someone joins); one already below
    its minimum loses nobody (the rule binds only when someone leaves).
    """
    ctx = pairs.ctx
    lower, upper = [], []
    closed_in, closed_out = set(), set()
    for i, pid in enumerate(positions):
        target_facts = pairs.target_side(pid)
        origin_facts = position_facts("origin", ctx.positions[pid], ctx)
        caps = [b.limit(target_facts) for b in quotas.of(UPPER_FACT)]
        floors = [b.limit(origin_facts) for b in quotas.of(LOWER_FACT)]
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
