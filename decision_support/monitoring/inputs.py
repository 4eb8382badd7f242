"""Read and cross-check the files of one monitoring run, collecting every problem before raising.

The moves come from the plan or scenario file when given, else from the projection; when both are given
they must name the same moves (a projection of another proposal says nothing about this one).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..errors import InputError, Location, Problem, did_you_mean, display_path
from ..i18n import _
from ..models import Dataset
from ..models.monitoring import Projection
from ..sources.observations import PlannedMove, load_moves, load_observations, load_projection
from ..sources.references import nip_suggestion
from .engine import Inputs, Move, follow_up
from .results import MonitoringReport

T = TypeVar("T")


def _collect(problems: list[Problem], load: Callable[[], T]) -> T | None:
    """``load()``, or ``None`` with its problems added: every file is read before anything is raised."""
    try:
        return load()
    except InputError as exc:
        problems += exc.problems
        return None


def _resolve(
    dataset: Dataset, planned: tuple[PlannedMove, ...], shown: str, problems: list[Problem]
) -> tuple[Move, ...]:
    """Each planned move with names and units from the dataset (the one the plan was made on)."""
    people = {e.nip: e for e in dataset.employees}
    positions = {p.id: p for p in dataset.positions}
    moves = []
    for move in planned:
        where = move.location or Location(shown)
        person, target = people.get(move.nip), positions.get(move.to)
        if person is None:
            hint = nip_suggestion(move.nip, people)
            message = _("NIP {nip} of a move is not in the dataset").format(nip=move.nip)
            problems.append(Problem(where, message, entity=_("NIP {id}").format(id=move.nip), hint=hint))
        if target is None:
            message = _("position {position} of a move is not in the dataset").format(position=move.to)
            problems.append(
                Problem(
                    where,
                    message,
                    entity=_("NIP {id}").format(id=move.nip),
                    hint=did_you_mean(move.to, list(positions)),
                )
            )
        if person is None or target is None:
            continue
        if person.position == target.id:
            message = _(
                "NIP {nip} already holds {position} in the dataset, so the position before the move is unknown"
            ).format(nip=move.nip, position=target.id)
            hint = _("Give the dataset the plan was made on, from before the moves.")
            problems.append(Problem(where, message, entity=_("NIP {id}").format(id=move.nip), hint=hint))
            continue
        origin = positions[person.position]
        moves.append(Move(person.nip, person.name, origin.id, origin.unit, target.id, target.unit))
    return tuple(moves)


def _planned(
    plan: str | Path | None, projection: Projection | None, projection_file: str | None, problems: list[Problem]
) -> tuple[tuple[PlannedMove, ...], str]:
    projected = tuple(PlannedMove(m.nip, m.to_position) for m in projection.moves) if projection is not None else None
    if plan is None:
        return projected or (), projection_file or ""
    from_plan = _collect(problems, lambda: load_moves(plan))
    if from_plan is None:
        return (), display_path(plan)
    if projected is not None and sorted((m.nip, m.to) for m in projected) != sorted((m.nip, m.to) for m in from_plan):
        message = _("the projection simulated other moves than the plan names, so it cannot serve as its projection")
        hint = _("Simulate the approved proposal ('simulate SCENARIO') and pass its .json file.")
        problems.append(Problem(Location(projection_file or ""), message, hint=hint))
    return from_plan, display_path(plan)


def monitor(
    dataset: Dataset,
    observations: str | Path,
    *,
    projection: str | Path | None = None,
    plan: str | Path | None = None,
    policy: str | Path | None = None,
) -> MonitoringReport:
    """The follow-up report of the approved moves; raises :class:`InputError` with every problem of every file."""
    problems: list[Problem] = []
    if projection is None and plan is None:
        message = _("name the approved moves: a projection (--projection) or a plan or scenario (--plan)")
        raise InputError([Problem(Location(display_path(observations)), message)])
    projected = _collect(problems, lambda: load_projection(projection)) if projection is not None else None
    projection_file = display_path(projection) if projection is not None else None
    planned, moves_file = _planned(plan, projected, projection_file, problems)
    moves = _resolve(dataset, planned, moves_file, problems)
    if projected is not None and projected.run.get("dataset") not in (None, dataset.manifest.name):
        message = _("the projection was simulated on the dataset '{other}', not on '{name}'").format(
            other=projected.run.get("dataset"), name=dataset.manifest.name
        )
        problems.append(Problem(Location(projection_file or ""), message, field="run.dataset"))
    units = [u.id for u in dataset.units]
    moved = [m.nip for m in planned]
    observed = _collect(problems, lambda: load_observations(observations, moved=moved, units=units, policy=policy))
    if problems or observed is None or (projection is not None and projected is None):
        raise InputError(problems)
    inputs = Inputs(
        dataset,
        moves,
        observed.employees,
        observed.units,
        observed.policy,
        observed.manifest.tmt,
        observed.manifest.as_of,
        projected,
    )
    employees, unit_results, flags, unjudged = follow_up(inputs)
    return MonitoringReport(
        name=observed.manifest.name,
        dataset=dataset.manifest.name,
        synthetic=dataset.manifest.synthetic or observed.manifest.synthetic,
        observations=observed.folder,
        projection=projection_file,
        scenario=str(projected.run.get("scenario_name")) if projected is not None else None,
        tmt=observed.manifest.tmt,
        as_of=observed.manifest.as_of,
        policy=observed.policy,
        policy_file=observed.policy_file,
        employees=employees,
        units=unit_results,
        flags=flags,
        unjudged=unjudged,
    )
