"""The periodic review: workload, screening, a plan, its explanations and its simulation for one period.

Each step is the pipeline's own (the same functions ``seimbang workload``, ``screen``, ``plan``, ``explain`` and
``simulate`` run); the review only chains them for one period and collects what the tim penilai kinerja needs:
the participation of the employees the plan moves, and, when follow-up observations are given, the monitoring of
past moves. Nothing is judged that the inputs cannot support: a period the demand calendar does not cover is not
judged (:mod:`.seasons`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..i18n import _
from ..models import Dataset
from ..monitoring import MonitoringReport, monitor
from ..participation import ConsultationSummary, ProposedMove, consultation_summary
from ..planning import Plan, PlanOptions, make_plan
from ..planning.provenance import dataset_hash
from ..plugins import Plugins
from ..rules.loading import RuleSet
from ..rules.service import Explanation, ScreeningReport, explain_proposal, screen_needs
from ..simulation import LoadedScenario, Progress, Scenario, SimulationResult, simulate
from ..simulation.scenario import Horizon, Move, Proposal
from ..workload import WorkloadReport, analyse_workload
from .period import Period
from .seasons import PeriodDemand, period_demand

#: Days simulated when no template says: two weeks, enough for a weekly pattern twice.
DEFAULT_WINDOW_DAYS = 14
DEFAULT_REPLICATIONS = 10
#: The criteria of a review without a template: service may not get worse, and the imbalance must fall.
DEFAULT_CRITERIA = ({"kind": "service_level_drop", "max_points": 5}, {"kind": "imbalance_improves"})

NOT_COVERED = "not_covered"
NO_MOVES = "no_moves"


@dataclass(frozen=True)
class Review:
    """Everything the meeting pack shows, with where it came from."""

    period: Period
    dataset: Dataset
    dataset_sha256: str
    workload: WorkloadReport
    screening: ScreeningReport
    plan: Plan
    explanations: tuple[Explanation, ...]
    demand: PeriodDemand
    #: The scenario template (as shown to the user) and its SHA-256, if one was given.
    template: tuple[str, str] | None
    simulation: SimulationResult | None
    participation: ConsultationSummary | None
    monitoring: MonitoringReport | None
    #: The observations folder monitored (None: no follow-up data was given).
    observations: str | None
    prepared_on: date
    version: str

    @property
    def judgement(self) -> str:
        """``LAYAK``, ``TIDAK LAYAK`` or ``TIDAK DAPAT DINILAI`` (also when the period's demand is unknown);
        an empty string when the plan proposes no moves."""
        if self.simulation is None:
            return "" if not self.plan.moves else "TIDAK DAPAT DINILAI"
        if not self.demand.covered:
            return "TIDAK DAPAT DINILAI"
        return self.simulation.verdict.label

    @property
    def feasible(self) -> bool:
        """Whether the review can recommend the plan: simulated LAYAK on a period its calendar covers."""
        return self.judgement == "LAYAK"


@dataclass(frozen=True)
class ReviewSettings:
    """How to run the review; each field defaults as in the single commands."""

    options: PlanOptions
    as_of: date | None = None
    source: Path | None = None
    template: LoadedScenario | None = None
    observations: Path | None = None
    projection: Path | None = None
    replications: int | None = None
    seed: int | None = None
    workers: int = 1
    prepared_on: date | None = None


def run_review(
    dataset: Dataset,
    ruleset: RuleSet,
    period: Period,
    settings: ReviewSettings,
    *,
    version: str,
    plugins: Plugins,
    phase: Callable[[str], None] = lambda label: None,
    progress: Progress | None = None,
) -> Review:
    """Run every step of the review of ``period``; raises :class:`InputError` for bad inputs."""
    template = settings.template
    phase(_("Analysing the workload"))
    workload = analyse_workload(dataset)
    phase(_("Screening the under-staffed positions"))
    screening = screen_needs(dataset, workload, ruleset, as_of=settings.as_of, engine=settings.options.engine)
    plugins.publish("seimbang_after_screening", report=screening, dataset=dataset)
    phase(_("Planning"))
    plan = make_plan(dataset, workload, ruleset, settings.options, as_of=settings.as_of, source=settings.source)
    plugins.publish("seimbang_after_plan", plan=plan, dataset=dataset)
    pairs = [(m.nip, m.to) for m in plan.moves]
    phase(_("Explaining the moves"))
    explanations = tuple(
        explain_proposal(dataset, workload, ruleset, pairs, as_of=settings.as_of, engine=settings.options.engine)
        if pairs
        else ()
    )
    days = template.scenario.horizon.days if template is not None else DEFAULT_WINDOW_DAYS
    demand = period_demand(period, dataset, template.scenario if template else None, days)
    simulation = None
    if plan.moves:
        phase(_("Simulating the plan"))
        loaded = period_scenario(template, dataset, period, demand, plan)
        simulation = simulate(
            loaded,
            version=version,
            replications=settings.replications,
            seed=settings.seed,
            workers=settings.workers,
            progress=progress,
        )
        plugins.publish("seimbang_after_simulation", result=simulation)
    participation = consultation_summary(
        dataset,
        [ProposedMove(nip=m.nip, to=m.to, reasons=tuple(m.reasons), stage=m.stage) for m in plan.moves],
        proposal=_("Plan for {period}").format(period=period.label),
    )
    monitoring = None
    if settings.observations is not None:
        phase(_("Monitoring past moves"))
        monitoring = monitor(dataset, settings.observations, projection=settings.projection)
    return Review(
        period=period,
        dataset=dataset,
        dataset_sha256=dataset_hash(dataset),
        workload=workload,
        screening=screening,
        plan=plan,
        explanations=explanations,
        demand=demand,
        template=(template.path, template.digest) if template is not None else None,
        simulation=simulation,
        participation=participation,
        monitoring=monitoring,
        observations=str(settings.observations) if settings.observations is not None else None,
        prepared_on=settings.prepared_on or date.today(),
        version=version,
    )


def period_scenario(
    template: LoadedScenario | None, dataset: Dataset, period: Period, demand: PeriodDemand, plan: Plan
) -> LoadedScenario:
    """The template (or the default review scenario) with the plan's moves over the period's simulated window."""
    moves = tuple(Move(nip=m.nip, to=m.to, note=m.stage) for m in plan.moves)
    horizon = Horizon(start=demand.window_start, days=demand.window_days)
    name = _("Plan for {period}").format(period=period.label)
    if template is None:
        scenario = Scenario.model_validate(
            {
                "schema_version": 1,
                "name": name,
                "dataset": dataset.manifest.name,
                "proposal": {"moves": [m.model_dump(exclude_none=True) for m in moves]},
                "horizon": horizon.model_dump(),
                "replications": DEFAULT_REPLICATIONS,
                "seed": period.year * 100 + {"S": 10, "Q": 20, "M": 30}[period.kind] + period.index,
                "criteria": list(DEFAULT_CRITERIA),
            }
        )
        digest = hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()
        return LoadedScenario(scenario, dataset, moves, _("(default review scenario)"), digest, ())
    base = template.scenario
    units = _units(base, dataset, moves)
    scenario = base.model_copy(
        update={
            "name": f"{base.name} ({period.label})",
            "proposal": Proposal(moves=moves),
            "horizon": horizon,
            "units": units,
        }
    )
    digest = hashlib.sha256((template.digest + scenario.model_dump_json()).encode()).hexdigest()
    return replace(template, scenario=scenario, moves=moves, digest=digest, marked=None)


def _units(scenario: Scenario, dataset: Dataset, moves: tuple[Move, ...]) -> tuple[str, ...]:
    """The template's units (or none), every unit a move leaves or joins, and every unit a roster names."""
    if not scenario.units and not scenario.rosters:
        return ()
    position_unit = {p.id: p.unit for p in dataset.positions}
    current = {e.nip: e.position for e in dataset.employees}
    wanted = set(scenario.units) | {r.unit for r in scenario.rosters}
    wanted |= {position_unit[current[m.nip]] for m in moves} | {position_unit[m.to] for m in moves}
    return tuple(u.id for u in dataset.units if u.id in wanted)
