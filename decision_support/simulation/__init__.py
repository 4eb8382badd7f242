"""Discrete-event simulation of service queues and staff workload, baseline vs proposed transfers.

The only package that imports SimPy. Pipeline: :func:`load_scenario` (YAML -> validated scenario, dataset and
moves) -> :func:`simulate` (plan, replications in parallel with common random numbers, paired intervals,
verdict) -> :class:`SimulationResult`, which :mod:`decision_support.report` renders.
Randomness is always passed in (:mod:`.streams`); there is no global random state.
"""

from __future__ import annotations

import math

from ..errors import InputError, Problem
from ..execution import Executor, ProcessExecutor, SerialExecutor
from ..i18n import _, format_number
from .engine import SEMANTICS
from .experiment import Progress, stream_replications
from .gate import verdict
from .loader import LoadedScenario, load_scenario
from .plan import ExperimentPlan, build_plan
from .replication import slot_edges
from .results import (
    Check,
    Comparison,
    MoveInfo,
    RunInfo,
    ServiceInfo,
    SimulationResult,
    UnitInfo,
    Verdict,
    comparisons,
    headline,
    staff_infos,
    unit_infos,
)
from .scenario import Scenario
from .stats import CONFIDENCE, Estimate
from .sweep import (
    LoadedSweep,
    SweepPointResult,
    SweepResult,
    is_sweep_file,
    load_sweep,
    stream_points,
)
from .sweep import plans as sweep_plans
from .tally import slot_label
from .work import MAX_JOBS, WorkEstimate, estimate_work


def simulate(
    loaded: LoadedScenario,
    *,
    version: str,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Run the scenario's experiment and judge it; ``replications`` and ``seed`` override the scenario's.

    The replications run on ``executor`` (default: ``workers`` local processes, or this process for one); the
    result is the same on any executor.
    """
    plan = build_plan(loaded, replications, seed)
    refuse_too_large(loaded, estimate_work(plan))
    if executor is not None:
        return _result(loaded, plan, comparisons(stream_replications(plan, executor, progress)), version)
    local = SerialExecutor() if workers <= 1 or plan.replications == 1 else ProcessExecutor(workers)
    with local:
        return _result(loaded, plan, comparisons(stream_replications(plan, local, progress)), version)


def check_sweep_work(sweep: LoadedSweep) -> None:
    """:class:`InputError` when one of the sweep's grid points would exceed the work limit (before any run)."""
    for point, plan in zip(sweep.points, sweep_plans(sweep), strict=True):
        refuse_too_large(point.loaded, estimate_work(plan))


def simulate_sweep(
    sweep: LoadedSweep, *, version: str, executor: Executor | None = None, progress: Progress | None = None
) -> SweepResult:
    """Simulate every grid point of ``sweep`` and judge each; one executor job per replication of each point."""
    plans = sweep_plans(sweep)
    for point, plan in zip(sweep.points, plans, strict=True):
        refuse_too_large(point.loaded, estimate_work(plan))
    results = []
    for point, plan, reps in zip(sweep.points, plans, stream_points(sweep, plans, executor, progress), strict=True):
        result = _result(point.loaded, plan, comparisons(reps), version)
        results.append(SweepPointResult(point.variant, point.staffing, point.demand, result))
    return SweepResult(
        name=sweep.name,
        path=sweep.path,
        digest=sweep.digest,
        base_file=sweep.base.path,
        variants=tuple(dict.fromkeys(p.variant for p in sweep.points)),
        staffing=tuple(dict.fromkeys(p.staffing for p in sweep.points)),
        demands=tuple(dict.fromkeys(p.demand for p in sweep.points)),
        points=tuple(results),
    )


def _count(x: float) -> str:
    """A count in the active language's style; beyond 10^15 (or not finite) in scientific notation."""
    return format_number(round(x)) if math.isfinite(x) and abs(x) < 1e15 else f"{x:.3g}"


def check_work(loaded: LoadedScenario, replications: int | None = None) -> WorkEstimate:
    """The estimated work of simulating ``loaded``; :class:`InputError` beyond the limit (before any run)."""
    work = estimate_work(build_plan(loaded, replications), replications)
    refuse_too_large(loaded, work)
    return work


def refuse_too_large(loaded: LoadedScenario, work: WorkEstimate) -> None:
    """Raise :class:`InputError` (exit 2), located at the scenario's replications, for a run beyond the limit."""
    if not work.too_large:
        return
    message = _(
        "this run would simulate about {jobs} customer visits and back-office jobs ({per_day} a day x {days} days "
        "x {arms} arms x {replications} replications); the limit is {limit}"
    ).format(
        jobs=_count(work.total),
        per_day=_count(work.per_arm / max(work.days, 1)),
        days=format_number(work.days),
        arms=work.arms,
        replications=format_number(work.replications),
        limit=format_number(MAX_JOBS),
    )
    hint = _(
        "The largest part is {source} (about {jobs} per day). Reduce replications, horizon.days or the demand "
        "(demand.multiplier), simulate fewer units, or check the dataset's rates and ABK volumes."
    ).format(source=work.largest[0], jobs=_count(work.largest[1] / max(work.days, 1)))
    where = loaded.locate("replications", "horizon")
    raise InputError([Problem(where, message, field="replications", hint=hint)])


def _result(loaded: LoadedScenario, plan: ExperimentPlan, metrics: dict, version: str) -> SimulationResult:
    s, data = loaded.scenario, loaded.dataset
    kpi, relative = headline(metrics)
    run = RunInfo(
        scenario_name=s.name,
        scenario_file=loaded.path,
        scenario_sha256=loaded.digest,
        dataset=data.manifest.name,
        dataset_as_of=data.as_of.isoformat(),
        synthetic=data.manifest.synthetic,
        seed=plan.seed,
        replications=plan.replications,
        mode=plan.mode,
        shift_change=plan.semantics,
        horizon_start=s.horizon.start.isoformat(),
        horizon_end=s.last_day.isoformat(),
        days_counted=sum(1 for d in plan.days if not d.warmup),
        warmup_days=s.warmup_days,
        confidence=CONFIDENCE,
        rule_packs=loaded.rule_packs,
        version=version,
        headline=kpi,
        relative_half_width=relative,
    )
    slots = {u.id: tuple(slot_label(t) for t in slot_edges(plan, u)[:-1]) for u in plan.units if u.services}
    base, prop = plan.arms
    moves = tuple(
        MoveInfo(
            m.nip,
            base.people[m.nip].name,
            base.people[m.nip].position,
            base.people[m.nip].unit,
            m.to,
            prop.people[m.nip].unit,
            m.note,
        )
        for m in loaded.moves
    )
    services = tuple(
        ServiceInfo(sv.id, sv.name, u.id, sv.target.wait_minutes, sv.target.share)
        for u in plan.units
        for sv in u.services
    )
    return SimulationResult(
        run=run,
        moves=moves,
        units=unit_infos(plan, slots),
        services=services,
        staff=staff_infos(plan, metrics),
        metrics=metrics,
        verdict=verdict(s.criteria, metrics, plan.replications),
        unit_names={u.id: u.name for u in data.units},
    )


__all__ = [
    "CONFIDENCE",
    "SEMANTICS",
    "Check",
    "Comparison",
    "Estimate",
    "LoadedScenario",
    "LoadedSweep",
    "MoveInfo",
    "Progress",
    "RunInfo",
    "Scenario",
    "ServiceInfo",
    "SimulationResult",
    "SweepPointResult",
    "SweepResult",
    "UnitInfo",
    "Verdict",
    "check_sweep_work",
    "check_work",
    "is_sweep_file",
    "load_scenario",
    "load_sweep",
    "simulate",
    "simulate_sweep",
]
