"""Compare what was observed after the moves with what was projected, and flag poor adaptation.

A pure function of validated models: the dataset the plan was made on, the moves, the observations and
policy, and the simulation result of the approved proposal (optional: without it no service metric can be
judged, and the report says so). Rules (docs/monitoring.md):

- an observed value outside the projection's 95 % interval is "not as projected" (worse or better where the
  metric has a worse side); a projection without an interval, or no projection at all, cannot be judged;
- flags: satisfaction strictly below ``satisfaction_min``; an SKP predicate ``skp_drop_levels`` or more below
  the latest pre-move one; attendance strictly below ``attendance_min_pct`` (when set); a unit's observed EJ
  outside ``[ej_min, ej_max]`` at the ``ej_checkpoints``; a service metric worse than projected;
- a checkpoint that is due (TMT + months <= as_of) without an observation is listed as missing.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..models import Dataset, Employee, SkpPredicate
from ..models.monitoring import (
    CHECKPOINTS,
    UNIT_METRICS,
    EmployeeObservation,
    MonitoringPolicy,
    ProjectedComparison,
    Projection,
    UnitObservation,
)
from ..workload import analyse_workload
from ..workload.abk import UnitWorkload
from . import results as r

SKP_ORDER = tuple(SkpPredicate)


@dataclass(frozen=True)
class Move:
    """A move of the approved proposal, resolved against the dataset."""

    nip: str
    name: str
    from_position: str
    from_unit: str
    to_position: str
    to_unit: str


@dataclass(frozen=True)
class Inputs:
    """Everything :func:`follow_up` reads, already validated."""

    dataset: Dataset
    moves: tuple[Move, ...]
    employees: tuple[EmployeeObservation, ...]
    units: tuple[UnitObservation, ...]
    policy: MonitoringPolicy
    tmt: date
    as_of: date
    projection: Projection | None


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, on the last day of a shorter month (Jan 31 + 1 = Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def compare(
    metric: str, observed: float | None, projected: ProjectedComparison | None, worse: str, tolerance_pct: float = 0.0
) -> r.Comparison:
    """``observed`` against the proposal arm of ``projected``; ``worse`` is "up", "down" or "" (no side).

    The interval is widened by ``tolerance_pct`` per cent of the mean on each side.
    """
    estimate = projected.proposal if projected is not None else None
    mean = estimate.mean if estimate is not None else None
    low, high = estimate.ci if estimate is not None else (None, None)
    if mean is not None and low is not None and high is not None and tolerance_pct:
        margin = abs(mean) * tolerance_pct / 100
        low, high = low - margin, high + margin
    if observed is None:
        status = r.NOT_OBSERVED
    elif mean is None:
        status = r.NO_PROJECTION
    elif low is None or high is None:
        status = r.NO_INTERVAL
    elif low <= observed <= high:
        status = r.AS_PROJECTED
    elif not worse:
        status = r.DIFFERENT
    else:
        status = r.WORSE if (observed > high) == (worse == "up") else r.BETTER
    return r.Comparison(metric, observed, mean, low, high, status)


def pre_move_skp(employee: Employee, tmt: date) -> tuple[str | None, int | None]:
    """The latest SKP predicate of a year that ended before the TMT, with its year."""
    earlier = [s for s in employee.skp if s.year < tmt.year]
    if not earlier:
        return None, None
    latest = max(earlier, key=lambda s: s.year)
    return latest.predicate.value, latest.year


def skp_drop(before: str, after: str) -> int:
    """Levels ``after`` stands below ``before`` (negative when it is better)."""
    return SKP_ORDER.index(SkpPredicate(after)) - SKP_ORDER.index(SkpPredicate(before))


def moved_dataset(dataset: Dataset, moves: Iterable[Move]) -> Dataset:
    """The dataset with every moved employee holding their new position."""
    target = {m.nip: (m.to_position, m.to_unit) for m in moves}
    employees = tuple(
        e.model_copy(update={"position": target[e.nip][0], "unit": target[e.nip][1]}) if e.nip in target else e
        for e in dataset.employees
    )
    return dataset.model_copy(update={"employees": employees})


def follow_up(
    inputs: Inputs,
) -> tuple[tuple[r.EmployeeFollowUp, ...], tuple[r.UnitFollowUp, ...], tuple[r.Flag, ...], tuple[r.Unjudged, ...]]:
    """Per moved employee and per unit: every checkpoint compared; the flags; what cannot be judged."""
    flags: list[r.Flag] = []
    unjudged: list[r.Unjudged] = []
    employees = tuple(_employee(inputs, move, flags, unjudged) for move in inputs.moves)
    abk = (
        {u.unit: u for u in analyse_workload(inputs.dataset).units},
        {u.unit: u for u in analyse_workload(moved_dataset(inputs.dataset, inputs.moves)).units},
    )
    units = tuple(_unit(inputs, abk, unit, name, flags, unjudged) for unit, name in _monitored_units(inputs))
    return employees, units, tuple(flags), tuple(unjudged)


def _review_by(inputs: Inputs, checkpoint: int) -> date:
    """When to review a flag raised at ``checkpoint``: at the next checkpoint still to come after the collection
    date, else ``review_within_months`` after it (a review is never proposed for a month already past)."""
    later = [add_months(inputs.tmt, c) for c in CHECKPOINTS if c > checkpoint]
    upcoming = [d for d in later if d > inputs.as_of]
    return upcoming[0] if upcoming else add_months(inputs.as_of, inputs.policy.review_within_months)


def _status(inputs: Inputs, checkpoint: int, observed: bool) -> tuple[date, str]:
    due = add_months(inputs.tmt, checkpoint)
    if observed:
        return due, r.OBSERVED
    return due, r.MISSING if due <= inputs.as_of else r.NOT_DUE


# -- employees ---------------------------------------------------------------------------------------------


def _employee(inputs: Inputs, move: Move, flags: list[r.Flag], unjudged: list[r.Unjudged]) -> r.EmployeeFollowUp:
    person = next((e for e in inputs.dataset.employees if e.nip == move.nip), None)
    before, before_year = pre_move_skp(person, inputs.tmt) if person is not None else (None, None)
    rows: dict[int, EmployeeObservation] = {o.checkpoint: o for o in inputs.employees if o.nip == move.nip}
    staff = _staff_metrics(inputs.projection, move.nip)
    checkpoints = []
    for months in CHECKPOINTS:
        row = rows.get(months)
        due, status = _status(inputs, months, row is not None)
        if row is None:
            if status == r.MISSING:
                unjudged.append(r.Unjudged(r.EMPLOYEE, move.nip, move.name, months, "", r.MISSING))
            checkpoints.append(r.EmployeeCheckpoint(months, due, status))
            continue
        tolerance = inputs.policy.service_tolerance_pct
        overtime = compare("overtime_hours", row.overtime_hours, staff.get("overtime_hours"), "up", tolerance)
        shown = overtime if row.overtime_hours is not None or overtime.projected is not None else None
        if shown is not None and shown.status in (r.NO_PROJECTION, r.NO_INTERVAL, r.NOT_OBSERVED):
            unjudged.append(r.Unjudged(r.EMPLOYEE, move.nip, move.name, months, "overtime_hours", shown.status))
        checkpoints.append(
            r.EmployeeCheckpoint(
                months,
                due,
                status,
                row.observed_on,
                row.satisfaction,
                row.skp_predicate.value if row.skp_predicate else None,
                row.attendance_pct,
                shown,
            )
        )
        _judge_employee(inputs, move, row, (before, before_year), flags, unjudged)
    return r.EmployeeFollowUp(
        move.nip,
        move.name,
        move.from_position,
        move.from_unit,
        move.to_position,
        move.to_unit,
        before,
        before_year,
        tuple(checkpoints),
    )


def _staff_metrics(projection: Projection | None, nip: str) -> dict[str, ProjectedComparison]:
    if projection is None:
        return {}
    return next((s.metrics for s in projection.staff if s.nip == nip), {})


def _judge_employee(
    inputs: Inputs,
    move: Move,
    row: EmployeeObservation,
    before: tuple[str | None, int | None],
    flags: list[r.Flag],
    unjudged: list[r.Unjudged],
) -> None:
    policy, months = inputs.policy, row.checkpoint

    def flag(kind: str, metric: str, observed: float | str, limit: float | str, year: int | None = None) -> None:
        review = _review_by(inputs, months)
        flags.append(
            r.Flag(
                kind,
                r.EMPLOYEE,
                move.nip,
                move.name,
                months,
                metric,
                observed,
                limit,
                before_year=year,
                review_by=review,
            )
        )

    def cannot(metric: str, reason: str) -> None:
        unjudged.append(r.Unjudged(r.EMPLOYEE, move.nip, move.name, months, metric, reason))

    if row.satisfaction is None:
        cannot("satisfaction", r.NOT_OBSERVED)
    elif row.satisfaction < policy.satisfaction_min:
        flag(r.LOW_SATISFACTION, "satisfaction", row.satisfaction, policy.satisfaction_min)
    if row.skp_predicate is None:
        cannot("skp_predicate", r.NOT_OBSERVED)
    elif before[0] is None:
        cannot("skp_predicate", r.NO_PRE_MOVE_SKP)
    elif skp_drop(before[0], row.skp_predicate.value) >= policy.skp_drop_levels:
        flag(r.SKP_DROP, "skp_predicate", row.skp_predicate.value, before[0], before[1])
    if policy.attendance_min_pct is not None:
        if row.attendance_pct is None:
            cannot("attendance_pct", r.NOT_OBSERVED)
        elif row.attendance_pct < policy.attendance_min_pct:
            flag(r.LOW_ATTENDANCE, "attendance_pct", row.attendance_pct, policy.attendance_min_pct)


# -- units ---------------------------------------------------------------------------------------------------


def _monitored_units(inputs: Inputs) -> list[tuple[str, str]]:
    """The units the moves left or joined, the simulated ones and the observed ones, in dataset order."""
    wanted = {m.from_unit for m in inputs.moves} | {m.to_unit for m in inputs.moves}
    wanted |= {u.id for u in inputs.projection.units} if inputs.projection is not None else set()
    wanted |= {o.unit for o in inputs.units}
    return [(u.id, u.name) for u in inputs.dataset.units if u.id in wanted]


def _unit(
    inputs: Inputs,
    abk: tuple[dict[str, UnitWorkload], dict[str, UnitWorkload]],
    unit: str,
    name: str,
    flags: list[r.Flag],
    unjudged: list[r.Unjudged],
) -> r.UnitFollowUp:
    before, after = abk[0].get(unit), abk[1].get(unit)
    simulated = next((u for u in inputs.projection.units if u.id == unit), None) if inputs.projection else None
    rows: dict[int, UnitObservation] = {o.checkpoint: o for o in inputs.units if o.unit == unit}
    checkpoints = []
    for months in CHECKPOINTS:
        row = rows.get(months)
        due, status = _status(inputs, months, row is not None)
        if row is None:
            if status == r.MISSING:
                unjudged.append(r.Unjudged(r.UNIT, unit, name, months, "", r.MISSING))
            checkpoints.append(r.UnitCheckpoint(months, due, status))
            continue
        projected_ej = after.ej if after is not None else None
        ej = r.Comparison("ej", row.ej, projected_ej, None, None, _ej_status(row.ej, projected_ej))
        in_band = None if row.ej is None else inputs.policy.ej_min <= row.ej <= inputs.policy.ej_max
        metrics = _unit_metrics(
            row, simulated.metrics if simulated is not None else {}, inputs.policy.service_tolerance_pct
        )
        checkpoints.append(r.UnitCheckpoint(months, due, status, row.observed_on, ej, in_band, metrics))
        _judge_unit(inputs, (unit, name), row, ej, metrics, flags, unjudged)
    return r.UnitFollowUp(
        unit,
        name,
        before.ej if before is not None else None,
        after.ej if after is not None else None,
        after.band if after is not None else None,
        simulated is not None,
        tuple(checkpoints),
    )


def _ej_status(observed: float | None, projected: float | None) -> str:
    """The ABK projection is a single number without an interval: shown, judged against the band only."""
    if observed is None:
        return r.NOT_OBSERVED
    return r.NO_PROJECTION if projected is None else r.NO_INTERVAL


def _unit_metrics(
    row: UnitObservation, projected: dict[str, ProjectedComparison], tolerance_pct: float
) -> tuple[r.Comparison, ...]:
    """Each service metric that was observed or projected, compared."""
    found = []
    for metric, worse in UNIT_METRICS.items():
        observed = getattr(row, metric)
        comparison = projected.get(metric)
        if observed is None and (comparison is None or comparison.proposal.mean is None):
            continue  # neither observed nor projected: the metric does not apply to this unit
        found.append(compare(metric, observed, comparison, worse, tolerance_pct))
    return tuple(found)


def _judge_unit(
    inputs: Inputs,
    unit: tuple[str, str],
    row: UnitObservation,
    ej: r.Comparison,
    metrics: tuple[r.Comparison, ...],
    flags: list[r.Flag],
    unjudged: list[r.Unjudged],
) -> None:
    policy, months = inputs.policy, row.checkpoint
    review = _review_by(inputs, months)
    if months in policy.ej_checkpoints:
        if row.ej is None and ej.projected is None:
            pass  # no ABK for this unit (a school counts teachers by JTM): the band does not apply
        elif row.ej is None:
            unjudged.append(r.Unjudged(r.UNIT, *unit, months, "ej", r.NOT_OBSERVED))
        elif not policy.ej_min <= row.ej <= policy.ej_max:
            limit = policy.ej_min if row.ej < policy.ej_min else policy.ej_max
            flags.append(
                r.Flag(
                    r.EJ_OUT_OF_BAND,
                    r.UNIT,
                    *unit,
                    months,
                    "ej",
                    row.ej,
                    limit,
                    ej.projected,
                    policy.ej_min,
                    policy.ej_max,
                    review_by=review,
                )
            )
    for c in metrics:
        if c.status == r.WORSE:
            assert c.observed is not None  # a comparison is WORSE only for an observed value
            bound = c.high if UNIT_METRICS[c.metric] == "up" else c.low
            assert bound is not None  # a comparison is WORSE only against an interval
            flags.append(
                r.Flag(
                    r.SERVICE_WORSE,
                    r.UNIT,
                    *unit,
                    months,
                    c.metric,
                    c.observed,
                    bound,
                    c.projected,
                    c.low,
                    c.high,
                    review_by=review,
                )
            )
        elif c.status in (r.NO_PROJECTION, r.NO_INTERVAL, r.NOT_OBSERVED):
            unjudged.append(r.Unjudged(r.UNIT, *unit, months, c.metric, c.status))
