"""Make a transfer plan: voluntary exchange (TTC, with DA* as the baseline), then the balance optimiser.

The plan is checked move by move with the rule engine, quota facts computed for the whole plan. A move a filter
rejects is removed from the eligible arcs; a move a quota rule rejects teaches the balance stage a constraint
(:mod:`.cuts`), or, when the exchange alone breaks the rule, is taken off the applicant's list; then the stages
run again (at most :data:`MAX_REPAIRS` rounds; after that, or when the constraints leave no plan, the result is
:class:`~.cuts.PlanNotFound`, exit code 1).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from ..models import Dataset
from ..models.participation import stance_on
from ..rules.evaluation import PairFacts, get_engine
from ..rules.language import RuleKind, RulePack
from ..rules.loading import RuleSet
from ..rules.local import legal_path, local_scopes
from ..rules.outcomes import Outcome
from ..rules.service import local_provenance, packs_in_force, provenance
from ..workload import WorkloadReport
from . import metrics as m
from .balance import DEFAULT_LAMBDA, BalanceResult, Infeasible, solve_balance
from .build import Built, build_instance
from .cuts import Cut, PlanNotFound, Probe, learn_cut
from .instance import Instance
from .mechanisms import deferred_acceptance_star, market, top_trading_cycles
from .provenance import dataset_provenance
from .quotas import monotone_quota_fact
from .verify import CheckedMove, check_moves

MODES = ("voluntary", "balance", "both")
#: Rounds of plan, check and learn before the planner gives up (a result: exit 1, the rules named).
MAX_REPAIRS = 30


@dataclass(frozen=True)
class PlanOptions:
    """How to plan (the options of ``seimbang plan``)."""

    mode: str = "both"
    band: float = 10.0
    max_moves: int | None = None
    lam: int = DEFAULT_LAMBDA
    engine: str = "durable"
    time_limit: float = 30.0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if not 0 <= self.band < 100:
            raise ValueError(f"band must be in [0, 100), not {self.band!r}")
        if self.max_moves is not None and self.max_moves < 0:
            raise ValueError(f"max_moves must be at least 0, not {self.max_moves!r}")
        if self.lam < 0:
            raise ValueError(f"lam must be at least 0, not {self.lam!r}")


@dataclass(frozen=True)
class PlannedMove:
    """One move of the plan with its reasons."""

    nip: str
    name: str
    origin: str
    to: str
    stage: str
    voluntary: bool
    wish_rank: int | None
    score: float
    rules_passed: list[str]
    reasons: list[str]
    #: The employee objected to this move (to the target unit or to any move): flagged in the plan and in the
    #: consultation summary; the balance stage made it only where no move without an objection did as well.
    against_objection: bool = False
    #: The reason code of that objection (health, spouse, family, competence, other), when given.
    objection_reason: str | None = None
    #: The reasons of the score rules that passed: why the plan ranks this move as it does.
    score_reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CrossingMove(PlannedMove):
    """A planned move between two local governments, with its legal path (PP 11/2017 Pasal 192)."""

    legal_path: str = ""


@dataclass
class Plan:
    """A checked plan with its metrics."""

    options: PlanOptions
    moves: list[PlannedMove]
    metrics: dict[str, Any]
    mechanisms: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Stages:
    assignment: list[int]
    voluntary: set[int]
    balance: BalanceResult | None
    mechanisms: dict[str, Any]


def run_stages(instance: Instance, options: PlanOptions, cuts: Sequence[Cut] = ()) -> _Stages:
    """The voluntary stage (TTC; DA* computed as the baseline) and then the balance stage."""
    assignment = list(instance.current)
    mechanisms: dict[str, Any] = {}
    if options.mode in ("voluntary", "both"):
        mkt = market(instance)
        runs = (
            ("ttc", lambda: top_trading_cycles(instance, mkt, options.max_moves)),
            ("da_star", lambda: deferred_acceptance_star(instance, mkt)),  # the baseline: no budget
        )
        for name, mechanism in runs:
            start = time.perf_counter()
            result = mechanism()
            mechanisms[name] = {
                "movers": m.movement(instance, result),
                **m.bound_violations(instance, result),
                **m.fairness(instance, result),
                **{k: v for k, v in m.wishes_summary(instance, result).items() if k != "applicants"},
                "seconds": round(time.perf_counter() - start, 4),
            }
            if name == "ttc":
                assignment = result
    voluntary = {e for e, p in enumerate(assignment) if p != instance.current[e]}
    balance = None
    if options.mode in ("balance", "both"):
        stage = instance.moved_to(assignment).frozen(voluntary)
        budget = None if options.max_moves is None else max(0, options.max_moves - len(voluntary))
        fixed = frozenset((e, assignment[e]) for e in voluntary)
        balance = solve_balance(
            stage, lam=options.lam, max_moves=budget, time_limit=options.time_limit, cuts=cuts, fixed=fixed
        )
        assignment = balance.assignment
    return _Stages(assignment, voluntary, balance, mechanisms)


def make_plan(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    options: PlanOptions | None = None,
    *,
    as_of: date | None = None,
    source: Path | None = None,
    built: Built | None = None,
    progress: Callable[[int, int], None] | None = None,
    across_local_governments: bool = False,
) -> Plan:
    """Plan, check every move with the engine, and measure the plan; ``progress(done, total)`` while screening
    the under-staffed positions (``done == total``: screening is over, solving starts).

    In a dataset with local governments the moves stay inside each local government unless
    ``across_local_governments``; a move between two then carries its legal path (PP 11/2017 Pasal 192)."""
    options = options or PlanOptions()
    day = as_of or dataset.as_of
    packs = packs_in_force(ruleset, day)
    start = time.perf_counter()
    built = built or build_instance(
        dataset, report, ruleset, packs, band_pct=options.band, engine=options.engine, as_of=day, progress=progress,
        across_local_governments=across_local_governments,
    )  # fmt: skip
    build_seconds = time.perf_counter() - start
    instance = built.instance
    stages, checked, repairs = _checked_stages(built, packs, options)
    total = time.perf_counter() - start
    planned = _planned(instance, built, stages, checked)
    rules = plan_provenance(ruleset, packs, day, options.engine, dataset, built.across_local_governments)
    metrics = _metrics(instance, built, stages, planned)
    metrics["undecided"] = [
        {"rule": rule, "reason": reason, "moves": count}
        for (rule, reason), count in sorted(built.undecided.items(), key=lambda item: (-item[1], item[0]))
    ]
    metrics["operational"] = {
        "solver": stages.balance.solver if stages.balance else "ttc",
        **_status(stages.balance, repairs["inexact_constraints"]),
        "balance_seconds": round(stages.balance.seconds, 4) if stages.balance else 0.0,
        "build_seconds": round(build_seconds, 3),
        "total_seconds": round(total, 3),
        "pairs_screened": built.pairs_screened,
        "pairs_undecided": built.pairs_undecided,
        "eligible_arcs": len(instance.arcs),
        **repairs,
        "seed": None,
        "input_hash": input_hash(dataset, source, rules, options),
    }
    record = dataset_provenance(dataset, [(mv.nip, mv.to) for mv in planned])
    return Plan(
        options, planned, metrics, stages.mechanisms, {"as_of": day.isoformat(), **asdict(rules), "dataset": record}
    )


Pair = tuple[int, int]


def _status(balance: BalanceResult | None, inexact: int) -> dict[str, Any]:
    """The solver's claim: "optimal" only when every learned constraint is exact (else no gap is known)."""
    if balance is None:
        return {"status": "complete", "gap": 0.0}
    if inexact and balance.status == "optimal":
        return {"status": "feasible", "gap": None}
    return {"status": balance.status, "gap": balance.gap}


@dataclass
class _Repairs:
    """What the rule checks taught the planner so far."""

    #: Arcs a filter rejects, or a rule cannot decide (missing facts): never proposed again.
    banned: set[Pair] = field(default_factory=set)
    #: Trades the voluntary exchange cannot make within the quota rules (taken off the applicants' lists).
    unwished: set[Pair] = field(default_factory=set)
    #: Constraints learned from quota rules the model does not encode.
    cuts: list[Cut] = field(default_factory=list)
    #: Engine answers to "does the rule pass for this move at this count?".
    probes: dict[tuple, bool] = field(default_factory=dict)
    #: Per quota rule, a pack of that rule alone: a probe asks about one rule, and its outcome depends on nothing
    #: but the facts that rule reads.
    rule_packs: dict[str, list[RulePack]] = field(default_factory=dict)
    #: Full checks of a move by (NIP, target, its quota facts): its other facts do not change between rounds.
    checks: dict[tuple, CheckedMove] = field(default_factory=dict)


def _checked_stages(
    built: Built, packs: list[RulePack], options: PlanOptions
) -> tuple[_Stages, list[CheckedMove], dict[str, int]]:
    """Plan, check every move with the engine, learn from the rejections and plan again until none is left."""
    instance = built.instance
    seen = _Repairs()
    for rounds in range(MAX_REPAIRS + 1):
        try:
            stages = run_stages(instance.without(seen.banned).unwished(seen.unwished), options, seen.cuts)
        except Infeasible:
            raise PlanNotFound(sorted({c.rule for c in seen.cuts}), rounds) from None
        voluntary = [(e, stages.assignment[e]) for e in sorted(stages.voluntary)]
        alone = _rejected(built, packs, options.engine, voluntary) if options.mode == "both" else []
        if alone:  # the exchange alone breaks a rule: the balance stage cannot repair that
            seen.unwished |= {pair for pair, _ in alone}
            continue
        moves = [(e, p) for e, p in enumerate(stages.assignment) if p != instance.current[e]]
        checked = check_moves(
            built.pairs, packs, options.engine, _named(instance, moves), _scope_of(built), seen.checks
        )
        rejected = [(pair, c) for pair, c in zip(moves, checked, strict=True) if not c.ok]
        if not rejected:
            inexact = sum(1 for c in seen.cuts if not c.exact)
            counts = {"repairs": rounds, "learned_constraints": len(seen.cuts), "inexact_constraints": inexact}
            return stages, checked, {**counts, "banned_arcs": len(seen.banned | seen.unwished)}
        _learn(built, packs, options, seen, set(moves), rejected)
    raise PlanNotFound(sorted({r for _, c in rejected for r in c.decision.failed}), MAX_REPAIRS)


def _named(instance: Instance, moves: list[Pair]) -> list[tuple[str, str]]:
    return [(instance.employees[e], instance.positions[p]) for e, p in moves]


def _rejected(built: Built, packs: list[RulePack], engine: str, moves: list[Pair]) -> list[tuple[Pair, CheckedMove]]:
    if not moves:
        return []
    checked = check_moves(built.pairs, packs, engine, _named(built.instance, moves), _scope_of(built))
    return [(pair, c) for pair, c in zip(moves, checked, strict=True) if not c.ok]


def _scope_of(built: Built) -> Callable[[str], tuple[PairFacts, list[RulePack]]]:
    """The pair facts and packs of a move's target's local government."""

    def scope_of(position: str) -> tuple[PairFacts, list[RulePack]]:
        scope = built.scope_of(position)
        return scope.pairs, scope.packs

    return scope_of


def _learn(
    built: Built,
    packs: list[RulePack],
    options: PlanOptions,
    seen: _Repairs,
    moves: set[Pair],
    rejected: list[tuple[Pair, CheckedMove]],
) -> None:
    """Ban arcs that fail regardless of the plan; learn a constraint for each quota rule that failed."""
    quota_rules = {r.id for pack in packs for r in pack.rules if r.kind is RuleKind.QUOTA}
    monotone = {r.id: monotone_quota_fact(r) for pack in packs for r in pack.rules}
    for pair, c in rejected:
        failed = [r for r in c.decision.results if r.kind != "score" and r.outcome is not Outcome.PASS]
        failed = [r for r in failed if r.outcome is not Outcome.NOT_APPLICABLE]
        if any(r.outcome is Outcome.UNKNOWN or r.rule not in quota_rules for r in failed):
            seen.banned.add(pair)
            continue
        if options.mode == "voluntary":  # no balance stage to constrain: the exchange drops the trade
            seen.unwished.add(pair)
            continue
        probe = _probe(built, packs, options.engine, seen)
        for r in failed:
            cut = learn_cut(built.instance, r.rule, monotone[r.rule], moves, pair, probe(r.rule))
            if cut not in seen.cuts:
                seen.cuts.append(cut)


def _probe(built: Built, packs: list[RulePack], engine: str, seen: _Repairs) -> Callable[[str], Probe]:
    """For a rule: does it pass for a move when one quota fact takes a value (the others as for it alone)?"""
    rule_engine = get_engine(engine)
    instance = built.instance
    cache = seen.probes

    def for_rule(rule: str) -> Probe:
        own = seen.rule_packs.get(rule)
        if own is None:
            own = seen.rule_packs[rule] = [
                pack.model_copy(update={"rules": [r for r in pack.rules if r.id == rule]})
                for pack in packs
                if any(r.id == rule for r in pack.rules)
            ]

        def probe(pair: Pair, fact: str, value: int) -> bool:
            key = (rule, pair, fact, value)
            if key not in cache:
                nip, target = instance.employees[pair[0]], instance.positions[pair[1]]
                quota = {**built.pairs.single_move_quota(nip, target), fact: value}
                facts = built.scope_of(target).pairs.pair(nip, target, quota)
                outcomes = rule_engine.evaluate(own, facts)
                cache[key] = outcomes.get(rule) in (Outcome.PASS, Outcome.NOT_APPLICABLE)
            return cache[key]

        return probe

    return for_rule


def plan_provenance(
    ruleset: RuleSet, packs: list[RulePack], day: date, engine: str, dataset: Dataset, across: bool
) -> Any:
    """The rules' provenance (without the dataset, as before local governments); with local governments, which
    packs and calendar decided each, and whether moves between them were planned."""
    if not dataset.local_governments:
        return provenance(ruleset, packs, day, engine)
    return local_provenance(ruleset, local_scopes(ruleset, packs, dataset), packs, day, engine, across=across)


def _planned(instance: Instance, built: Built, stages: _Stages, checked: list[CheckedMove]) -> list[PlannedMove]:
    index = {nip: i for i, nip in enumerate(instance.employees)}
    out = []
    for c in checked:
        e = index[c.nip]
        p = stages.assignment[e]
        rank = m.wish_rank(instance, e, p)
        passed = [r.rule for r in c.decision.results if r.outcome.value == "pass" and r.kind != "score"]
        reasons = [r.reason for r in c.decision.results if r.outcome.value == "pass" and r.reason]
        objection = stance_on(built.pairs.employee(c.nip), built.pairs.ctx.positions[c.target].unit).objection
        path = legal_path(built.pairs.dataset, c.nip, c.target)
        made = partial(CrossingMove, legal_path=path) if path else PlannedMove
        out.append(
            made(
                c.nip,
                built.pairs.employee(c.nip).name,
                c.origin,
                c.target,
                "voluntary" if e in stages.voluntary else "balance",
                rank is not None,
                rank,
                c.decision.score,
                passed,
                reasons,
                objection is not None and rank is None,
                objection.reason.value if objection is not None and objection.reason is not None else None,
                [r.reason for r in c.decision.results if r.outcome.value == "pass" and r.kind == "score" and r.reason],
            )
        )
    return out


def _metrics(instance: Instance, built: Built, stages: _Stages, planned: list[PlannedMove]) -> dict[str, Any]:
    years = [float(built.pairs.employee_side(nip).get("employee.years_of_service", 0.0)) for nip in instance.employees]
    hard = m.hard_to_staff_units(instance)
    fairness = m.fairness(instance, stages.assignment)
    voluntary_stage = [e for e in stages.voluntary]
    fairness["ir_violations_voluntary"] = sum(
        1 for e in voluntary_stage if m.wish_rank(instance, e, stages.assignment[e]) is None
    )
    return {
        "transfers": {
            "total": len(planned),
            "voluntary": sum(1 for p in planned if p.voluntary),
            "forced": sum(1 for p in planned if not p.voluntary),
            "share_moved": round(len(planned) / len(instance.employees), 4) if instance.employees else 0.0,
            "against_objection": sum(1 for p in planned if p.against_objection),
        },
        "wishes": m.wishes_summary(instance, stages.assignment),
        "imbalance_before": m.imbalance(instance, instance.current),
        "imbalance_after": m.imbalance(instance, stages.assignment),
        "fairness": fairness,
        "experience_gap": {
            "hard_to_staff_units": len(hard),
            "before": m.experience_gap(instance, instance.current, years, hard),
            "after": m.experience_gap(instance, stages.assignment, years, hard),
        },
    }


def input_hash(dataset: Dataset, source: Path | None, rules: Any, options: PlanOptions) -> str:
    """SHA-256 of the dataset (its files when known), the rule packs' hashes and the options."""
    digest = hashlib.sha256()
    if source is not None and source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(source).as_posix().encode())
                digest.update(path.read_bytes())
    else:
        # A dataset without local governments hashes as it did before they existed.
        unlisted = {"manifest": {"local_governments"}} if not dataset.local_governments else None
        digest.update(dataset.model_dump_json(exclude=unlisted).encode())
    digest.update(json.dumps([p.sha256 for p in rules.packs]).encode())
    digest.update(json.dumps(asdict(options), sort_keys=True).encode())
    if getattr(rules, "across_local_governments", False):
        digest.update(b"across_local_governments")
    return digest.hexdigest()
