"""Post-transfer monitoring input: what was observed after the moves, and when to raise a flag.

An observations folder (docs/monitoring.md) holds ``monitoring.yaml`` (:class:`MonitoringManifest`),
``employees`` (:class:`EmployeeObservation`, one row per moved employee and checkpoint) and ``units``
(:class:`UnitObservation`, one row per unit and checkpoint), and optionally ``policy.yaml``
(:class:`MonitoringPolicy`). Unit metrics use the ids and units of the simulation's JSON output, so an
observation and its projection are compared number for number.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..i18n import _
from .base import Date, FieldError, Identifier, Model, normalise_choice
from .codes import Nip
from .workforce import SkpPredicate

#: Months after the TMT at which observations are collected (the seed's periodic evaluation).
CHECKPOINTS = (3, 6, 12)
#: The satisfaction survey scale: the mean of 1-5 Likert items (1 very dissatisfied, 5 very satisfied).
SATISFACTION_SCALE = (1.0, 5.0)


def _whole_number(value: Any) -> Any:
    """A checkpoint written as '6', 6.0 (a spreadsheet number) or 6."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Checkpoint = Annotated[Literal[3, 6, 12], BeforeValidator(_whole_number)]


class MonitoringManifest(Model):
    """``monitoring.yaml``: which moves are followed up, from which TMT, and until when data was collected."""

    schema_version: Literal[1]
    name: str = Field(min_length=1)
    #: The TMT of the moves (the date they took effect); checkpoints count months from here.
    tmt: Date
    #: The date of the latest collection: a checkpoint after it is not yet due, one before it must have data.
    as_of: Date
    description: str | None = None
    synthetic: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> MonitoringManifest:
        if self.as_of < self.tmt:
            raise FieldError(
                "as_of",
                _("as_of {as_of} is before the TMT {tmt}").format(
                    as_of=self.as_of.isoformat(), tmt=self.tmt.isoformat()
                ),
            )
        return self


class EmployeeObservation(Model):
    """What was observed about one moved employee at one checkpoint; empty cells are not observed."""

    nip: Nip
    checkpoint: Checkpoint
    observed_on: Date | None = None
    #: Job-satisfaction survey: the mean of the 1-5 Likert items.
    satisfaction: float | None = Field(default=None, ge=SATISFACTION_SCALE[0], le=SATISFACTION_SCALE[1])
    #: The SKP predicate of the appraisal period ending at (or nearest before) the checkpoint.
    skp_predicate: Annotated[SkpPredicate, BeforeValidator(normalise_choice)] | None = None
    #: Days present / working days, in per cent.
    attendance_pct: float | None = Field(default=None, ge=0, le=100)
    #: Overtime hours per working day at work (the simulation's staff ``overtime_hours``).
    overtime_hours: float | None = Field(default=None, ge=0, le=24)
    note: str | None = None


class UnitObservation(Model):
    """What was observed about one unit at one checkpoint, in the simulation's units; empty is not observed."""

    unit: Identifier
    checkpoint: Checkpoint
    observed_on: Date | None = None
    #: Efisiensi jabatan from an ABK update: workload / (holders x WKE).
    ej: float | None = Field(default=None, ge=0)
    #: Mean wait of served customers until service starts, minutes.
    wait_mean: float | None = Field(default=None, ge=0)
    #: Per cent of arrivals served within the service's target wait.
    service_level: float | None = Field(default=None, ge=0, le=100)
    #: Back-office work left at the end of the day, hours per day.
    backlog_hours: float | None = Field(default=None, ge=0)
    #: Busy time / on-duty time, a share from 0 to 1.
    utilisation: float | None = Field(default=None, ge=0, le=1)
    #: Work after the end of shifts, staff-hours per day.
    overtime_hours: float | None = Field(default=None, ge=0)
    #: Schools: class-hours per week without a teacher.
    uncovered_hours_week: float | None = Field(default=None, ge=0)
    note: str | None = None


#: The observed unit metrics compared with a projection, and which way is worse ("up", "down", or "" for none).
UNIT_METRICS: dict[str, str] = {
    "wait_mean": "up",
    "service_level": "down",
    "backlog_hours": "up",
    "utilisation": "",
    "overtime_hours": "up",
    "uncovered_hours_week": "up",
}


class MonitoringPolicy(Model):
    """``policy.yaml``: the thresholds of the flags (defaults as documented in docs/monitoring.md)."""

    schema_version: Literal[1] = 1
    #: Flag an employee whose satisfaction is strictly below this (on the 1-5 scale).
    satisfaction_min: float = Field(default=3.0, ge=SATISFACTION_SCALE[0], le=SATISFACTION_SCALE[1])
    #: Flag an SKP predicate this many levels or more below the pre-move one.
    skp_drop_levels: int = Field(default=1, ge=1, le=4)
    #: The efficiency band a unit should reach (Permendagri 12/2008 band B: 0.90-1.00, both ends inside).
    ej_min: float = Field(default=0.90, ge=0)
    ej_max: float = Field(default=1.00, ge=0)
    #: Checkpoints at which a unit outside the band is flagged (at 3 months the ABK has rarely been updated).
    ej_checkpoints: tuple[Checkpoint, ...] = (6, 12)
    #: Widen each projection's 95 % interval by this per cent of its mean on both sides before judging (0: the
    #: interval as simulated; the interval is that of the simulated mean, narrower than month-to-month spread).
    service_tolerance_pct: float = Field(default=0.0, ge=0, le=100)
    #: Flag attendance strictly below this per cent; empty: no attendance flag.
    attendance_min_pct: float | None = Field(default=None, ge=0, le=100)
    #: A flag's review is proposed at the next checkpoint still to come, else this many months after as_of.
    review_within_months: int = Field(default=3, ge=1, le=12)

    @model_validator(mode="after")
    def _band(self) -> MonitoringPolicy:
        if self.ej_min > self.ej_max:
            raise FieldError(
                "ej_max", _("ej_max {high} is below ej_min {low}").format(high=self.ej_max, low=self.ej_min)
            )
        return self


# The projection: the JSON ``simulate`` writes (schema seimbang.simulation/1, decision_support/report/
# simulation_data.py). Only the parts monitoring reads are typed; the rest is kept as it is.


class ProjectedEstimate(Model):
    """A simulated mean with its 95 % interval (``None`` where the simulation could not estimate it)."""

    mean: float | None
    ci: tuple[float | None, float | None]
    n: int = Field(ge=0)


class ProjectedComparison(Model):
    """One KPI in both arms; monitoring compares observations with the ``proposal`` arm."""

    baseline: ProjectedEstimate
    proposal: ProjectedEstimate
    difference: ProjectedEstimate
    worse_share: float | None = None


class ProjectedMove(Model):
    nip: Nip
    name: str
    from_position: str
    from_unit: str
    to_position: str
    to_unit: str
    note: str | None = None


class ProjectedUnit(Model):
    id: str
    name: str
    kind: str
    services: tuple[str, ...] = ()
    metrics: dict[str, ProjectedComparison]
    queue_profile: tuple[Any, ...] = ()


class ProjectedStaff(Model):
    nip: Nip
    name: str
    baseline: dict[str, str]
    proposal: dict[str, str]
    metrics: dict[str, ProjectedComparison]


class Projection(Model):
    """A simulation result file, as far as monitoring needs it."""

    schema_: Literal["seimbang.simulation/1"] = Field(alias="schema")
    run: dict[str, Any]
    moves: tuple[ProjectedMove, ...]
    verdict: dict[str, Any]
    overall: dict[str, Any]
    units: tuple[ProjectedUnit, ...]
    services: tuple[Any, ...] = ()
    staff: tuple[ProjectedStaff, ...] = ()
