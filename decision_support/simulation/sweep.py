"""Scenario sweeps: one base scenario run over a grid of demand multipliers x plan variants x staffing options.

A sweep file (docs/sweeps.md) names a base scenario and the axes of the grid. Each grid point is the base
scenario with its demand multiplied, its proposal replaced by the variant's (inline moves or a plan file) and its
rosters replaced by the staffing option's; everything is validated like a scenario file, each problem located in
the sweep file (or the plan file) where it is written. All points share the master seed, so their replications
see the same customers (common random numbers across the grid too), and every replication of every point is one
job of the executor: the grid runs on all workers at once and the results do not depend on the executor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from ..errors import InputError, Location, Problem, display_path
from ..execution import Executor, Progress, SerialExecutor
from ..i18n import _
from ..models.base import Model
from ..planning.provenance import plan_dataset_problem
from ..sources.yaml_source import MarkedYaml, load_yaml
from .loader import LoadedScenario, References, load_scenario, validated_file
from .plan import ExperimentPlan, build_plan
from .replication import Results, run_replication
from .results import SimulationResult
from .scenario import MAX_MULTIPLIER, Move, Multiplier, PlanFile, Proposal, Roster

#: The key that makes a YAML file a sweep rather than a scenario.
SWEEP_KEY = "sweep"
#: Grid points in one sweep (each is a full experiment).
MAX_POINTS = 500


class PlanVariant(Model):
    """An alternative proposal: inline moves, a plan file (relative to the sweep file), or the base's own."""

    name: str = Field(min_length=1)
    proposal: Proposal | str | None = None


class StaffingOption(Model):
    """An alternative set of rosters (who staffs which unit, when); none: the base scenario's rosters."""

    name: str = Field(min_length=1)
    rosters: tuple[Roster, ...] | None = None


class Grid(Model):
    """The ``sweep:`` section."""

    name: str = Field(min_length=1)
    base: str = Field(min_length=1)
    demand_multipliers: tuple[Multiplier, ...] = Field(default=(1.0,), min_length=1)
    variants: tuple[PlanVariant, ...] = Field(default=(), min_length=0)
    staffing: tuple[StaffingOption, ...] = Field(default=(), min_length=0)
    replications: int | None = Field(default=None, ge=2, le=10_000)
    seed: int | None = Field(default=None, ge=0, lt=2**63)

    @model_validator(mode="after")
    def _distinct(self) -> Grid:
        for label, names in (
            ("demand_multipliers", [str(m) for m in self.demand_multipliers]),
            ("variants", [v.name for v in self.variants]),
            ("staffing", [s.name for s in self.staffing]),
        ):
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(
                    _("{axis}: each entry must be different; repeated: {names}").format(
                        axis=label, names=", ".join(repeated)
                    )
                )
        return self


class SweepFile(Model):
    """A sweep file: the schema version and the grid."""

    schema_version: int = Field(ge=1, le=1)
    sweep: Grid


@dataclass(frozen=True)
class SweepPoint:
    """One point of the grid: its coordinates and the scenario to simulate there."""

    variant: str
    staffing: str
    demand: float
    loaded: LoadedScenario


@dataclass(frozen=True)
class LoadedSweep:
    name: str
    path: str
    digest: str
    base: LoadedScenario
    points: tuple[SweepPoint, ...]
    #: The sweep's replications and seed (None: the base scenario's).
    replications: int | None
    seed: int | None

    @property
    def total_replications(self) -> int:
        """Replications over the whole grid (the number of executor jobs)."""
        return len(self.points) * (self.replications or self.base.scenario.replications)


@dataclass(frozen=True)
class SweepPointResult:
    variant: str
    staffing: str
    demand: float
    result: SimulationResult


@dataclass(frozen=True)
class SweepResult:
    """Every grid point's simulation result, in grid order (variant, staffing, demand)."""

    name: str
    path: str
    digest: str
    base_file: str
    variants: tuple[str, ...]
    staffing: tuple[str, ...]
    demands: tuple[float, ...]
    points: tuple[SweepPointResult, ...]

    @property
    def passed(self) -> tuple[SweepPointResult, ...]:
        return tuple(p for p in self.points if p.result.verdict.feasible)


def is_sweep_file(path: str | Path) -> bool:
    """Whether ``path`` is a YAML mapping with a top-level ``sweep`` key (else it is read as a scenario)."""
    marked, problems = load_yaml(Path(path), display_path(Path(path)))
    return not problems and marked is not None and isinstance(marked.data, dict) and SWEEP_KEY in marked.data


def load_sweep(path: str | Path, replications: int | None = None, seed: int | None = None) -> LoadedSweep:
    """Load the sweep file at ``path``, its base scenario and every variant; :class:`InputError` lists all
    problems (of the sweep, the base scenario and the plan files) at once. ``replications`` and ``seed``
    override the sweep's."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(Location(display_path(path)), _("sweep file not found"))])
    problems: list[Problem] = []
    spec, marked = validated_file(path, SweepFile, problems)
    if spec is None or marked is None:
        raise InputError(problems)
    grid: Grid = spec.sweep
    base_path = path.parent / grid.base
    if not base_path.is_file():
        message = _("base scenario {path} not found").format(path=display_path(base_path))
        raise InputError([*problems, Problem(marked.location(("sweep", "base")), message, field="sweep.base")])
    base = load_scenario(base_path)  # its own problems, located in the base scenario file
    digest = hashlib.sha256(base.digest.encode() + path.read_bytes())
    proposals = _variant_moves(grid, base, marked, path.parent, digest, problems)
    points = _points(grid, base, proposals, marked, problems, display_path(path))
    if problems:
        raise InputError(problems)
    return LoadedSweep(
        grid.name,
        display_path(path),
        digest.hexdigest(),
        base,
        points,
        replications or grid.replications,
        grid.seed if seed is None else seed,
    )


def _variant_moves(
    grid: Grid, base: LoadedScenario, marked: MarkedYaml, folder: Path, digest: Any, problems: list[Problem]
) -> list[tuple[str, tuple[Move, ...]]]:
    """Each variant's name and moves, checked against the base scenario's dataset."""
    variants = grid.variants or (PlanVariant(name=_("proposal of the base scenario")),)
    out = []
    for i, variant in enumerate(variants):
        at = ("sweep", "variants", i, "proposal")
        moves: tuple[Move, ...] | None = base.moves
        if isinstance(variant.proposal, Proposal):
            found = References(base.dataset, base.scenario, marked).check_moves(
                variant.proposal.moves, marked, (*at, "moves")
            )
            problems += found
            moves = None if found else variant.proposal.moves
        elif isinstance(variant.proposal, str):
            moves = _plan_moves(folder / variant.proposal, base, marked, at, digest, problems)
        if moves is not None:
            out.append((variant.name, moves))
    return out


def _plan_moves(
    plan: Path, base: LoadedScenario, marked: MarkedYaml, at: tuple[Any, ...], digest: Any, problems: list[Problem]
) -> tuple[Move, ...] | None:
    if not plan.is_file():
        message = _("plan file {path} not found").format(path=display_path(plan))
        problems.append(Problem(marked.location(at), message, field=".".join(map(str, at[1:]))))
        return None
    digest.update(plan.read_bytes())
    loaded, plan_marks = validated_file(plan, PlanFile, problems)
    if loaded is None or plan_marks is None:
        return None
    wrong = plan_dataset_problem(loaded.plan, [(m.nip, m.to) for m in loaded.moves], base.dataset)
    if wrong:
        problems.append(Problem(plan_marks.location(("plan", "provenance", "dataset")), wrong, field="plan"))
        return None
    found = References(base.dataset, base.scenario, plan_marks).check_moves(loaded.moves, plan_marks, ("moves",))
    problems += found
    return None if found else loaded.moves


def _points(
    grid: Grid,
    base: LoadedScenario,
    proposals: list[tuple[str, tuple[Move, ...]]],
    marked: MarkedYaml,
    problems: list[Problem],
    shown: str,
) -> tuple[SweepPoint, ...]:
    staffing = grid.staffing or (StaffingOption(name=_("rosters of the base scenario")),)
    demands = _demands(grid, base, marked, problems)
    count = len(proposals) * len(staffing) * len(demands)
    if count > MAX_POINTS:
        message = _("the grid has {count} points; the limit is {limit}").format(count=count, limit=MAX_POINTS)
        problems.append(Problem(marked.location(("sweep",)), message, field="sweep"))
        return ()
    points = []
    for k, option in enumerate(staffing):
        rosters = base.scenario.rosters if option.rosters is None else option.rosters
        for name, moves in proposals:
            scenario = base.scenario.model_copy(update={"rosters": rosters})
            if option.rosters is not None:
                check = References(base.dataset, scenario, marked)
                problems += check.check_rosters(moves, marked, ("sweep", "staffing", k, "rosters"))
            for factor, product in demands:
                demand = scenario.demand.model_copy(update={"multiplier": product})
                point = scenario.model_copy(update={"demand": demand})
                label = f"{shown}#{name} | {option.name} | x{factor:g}"
                loaded = replace(base, scenario=point, moves=moves, path=label)
                points.append(SweepPoint(name, option.name, factor, loaded))
    # Grid order: variant, then staffing, then demand (the order of the tables).
    order = {name: i for i, (name, _moves) in enumerate(proposals)}
    return tuple(sorted(points, key=lambda p: (order[p.variant], _index(staffing, p.staffing), p.demand)))


def _index(staffing: tuple[StaffingOption, ...], name: str) -> int:
    return next(i for i, option in enumerate(staffing) if option.name == name)


def _demands(
    grid: Grid, base: LoadedScenario, marked: MarkedYaml, problems: list[Problem]
) -> list[tuple[float, float]]:
    """(factor, the base scenario's multiplier x factor) per demand level within the scenario limit."""
    out = []
    for i, factor in enumerate(grid.demand_multipliers):
        product = base.scenario.demand.multiplier * factor
        if product > MAX_MULTIPLIER:
            message = _(
                "with the base scenario's demand.multiplier {base:g} this makes {product:g}; the limit is {limit:g}"
            )
            problems.append(
                Problem(
                    marked.location(("sweep", "demand_multipliers", i)),
                    message.format(base=base.scenario.demand.multiplier, product=product, limit=MAX_MULTIPLIER),
                    field=f"sweep.demand_multipliers.{i}",
                )
            )
            continue
        out.append((factor, product))
    return out


def plans(sweep: LoadedSweep) -> list[ExperimentPlan]:
    return [build_plan(p.loaded, sweep.replications, sweep.seed) for p in sweep.points]


def point_replication_job(plans: tuple[ExperimentPlan, ...], job: tuple[int, int]) -> Results:
    """One executor job: replication ``job[1]`` of grid point ``job[0]``."""
    point, replication = job
    return run_replication(plans[point], replication)


def stream_points(
    sweep: LoadedSweep,
    plans: list[ExperimentPlan],
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Iterator[Iterator[Results]]:
    """Per grid point in order, its replications' results as they arrive (consume each before the next); every
    replication of every point is one job of the executor."""
    jobs = [(i, r) for i, plan in enumerate(plans) for r in range(plan.replications)]
    total = len(jobs)

    def describe(job: tuple[int, int]) -> str:
        point = sweep.points[job[0]]
        return _("replication {number} of {variant} | {staffing} | x{demand:g}").format(
            number=job[1] + 1, variant=point.variant, staffing=point.staffing, demand=point.demand
        )

    results = (executor or SerialExecutor()).imap(point_replication_job, jobs, shared=tuple(plans), describe=describe)
    done = 0

    def replications(count: int) -> Iterator[Results]:
        nonlocal done
        for _r in range(count):
            results_of_job = next(results)
            done += 1
            if progress:
                progress(done, total)
            yield results_of_job

    try:
        for plan in plans:
            yield replications(plan.replications)
    finally:
        results.close()  # release the executor's shared data now, while it is still open
