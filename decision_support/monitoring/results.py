"""What monitoring reports: per unit and per moved employee, projected against observed, and the flags.

Plain frozen dataclasses holding codes and numbers; the renderers (decision_support/report/monitoring_*.py)
put them into words in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models.monitoring import MonitoringPolicy

# Statuses of a checkpoint (:attr:`EmployeeCheckpoint.status`, :attr:`UnitCheckpoint.status`).
OBSERVED, MISSING, NOT_DUE = "observed", "missing", "not_due"

# Outcomes of comparing one observed value with its projection (:attr:`Comparison.status`).
AS_PROJECTED = "as_projected"  # inside the projection's 95 % interval
WORSE = "worse_than_projected"  # outside the interval, on the worse side
BETTER = "better_than_projected"  # outside the interval, on the better side
DIFFERENT = "not_as_projected"  # outside the interval, for a metric with no better side (utilisation)
NO_PROJECTION = "no_projection"  # observed, but the projection has no value for it: cannot be judged
NO_INTERVAL = "no_interval"  # the projection has a mean but no interval: cannot be judged
NOT_OBSERVED = "not_observed"  # projected, but the observation is empty: cannot be judged

# Kinds of flag (:attr:`Flag.kind`).
LOW_SATISFACTION = "low_satisfaction"
SKP_DROP = "skp_drop"
LOW_ATTENDANCE = "low_attendance"
EJ_OUT_OF_BAND = "ej_out_of_band"
SERVICE_WORSE = "service_worse"

# Why something could not be judged (:attr:`Unjudged.reason`).
NO_PRE_MOVE_SKP = "no_pre_move_skp"

EMPLOYEE, UNIT = "employee", "unit"


@dataclass(frozen=True)
class Comparison:
    """One observed value against the projection's mean and 95 % interval."""

    metric: str
    observed: float | None
    projected: float | None
    low: float | None
    high: float | None
    status: str


@dataclass(frozen=True)
class EmployeeCheckpoint:
    """One moved employee at one checkpoint: observed values, or why there are none."""

    checkpoint: int
    due: date
    status: str
    observed_on: date | None = None
    satisfaction: float | None = None
    skp_predicate: str | None = None
    attendance_pct: float | None = None
    overtime: Comparison | None = None


@dataclass(frozen=True)
class EmployeeFollowUp:
    """A moved employee, where they came from and went, their pre-move SKP and every checkpoint."""

    nip: str
    name: str
    from_position: str
    from_unit: str
    to_position: str
    to_unit: str
    skp_before: str | None
    skp_before_year: int | None
    checkpoints: tuple[EmployeeCheckpoint, ...]


@dataclass(frozen=True)
class UnitCheckpoint:
    """One unit at one checkpoint: observed EJ and service metrics against their projections."""

    checkpoint: int
    due: date
    status: str
    observed_on: date | None = None
    ej: Comparison | None = None
    #: Whether the observed EJ is inside the policy's efficiency band; ``None`` when not observed.
    ej_in_band: bool | None = None
    metrics: tuple[Comparison, ...] = ()


@dataclass(frozen=True)
class UnitFollowUp:
    """A unit touched by the moves: its ABK EJ before and after the moves (projected) and every checkpoint."""

    unit: str
    name: str
    ej_before: float | None
    ej_projected: float | None
    band_projected: str | None
    #: Whether the simulation projected this unit (its service metrics have a projection).
    simulated: bool
    checkpoints: tuple[UnitCheckpoint, ...]


@dataclass(frozen=True)
class Flag:
    """A poor adaptation the evidence supports, and the proposed follow-up review."""

    kind: str
    subject: str  # EMPLOYEE or UNIT
    id: str  # NIP or unit id
    name: str
    checkpoint: int
    metric: str
    observed: float | str
    #: The threshold, band bound or interval bound crossed, or the pre-move SKP predicate.
    limit: float | str
    projected: float | None = None
    low: float | None = None
    high: float | None = None
    #: The year of the pre-move SKP predicate (SKP drops only).
    before_year: int | None = None
    #: Review the case no later than the end of this month.
    review_by: date | None = None


@dataclass(frozen=True)
class Unjudged:
    """Something the monitoring could not judge, and why (a missing observation is never "fine")."""

    subject: str
    id: str
    name: str
    checkpoint: int
    metric: str
    reason: str  # MISSING, NOT_OBSERVED, NO_PROJECTION, NO_INTERVAL, NO_PRE_MOVE_SKP


@dataclass(frozen=True)
class MonitoringReport:
    """The follow-up of one approved proposal."""

    name: str
    dataset: str
    synthetic: bool
    observations: str
    projection: str | None
    scenario: str | None
    tmt: date
    as_of: date
    policy: MonitoringPolicy
    policy_file: str | None
    employees: tuple[EmployeeFollowUp, ...]
    units: tuple[UnitFollowUp, ...]
    flags: tuple[Flag, ...]
    unjudged: tuple[Unjudged, ...]

    @property
    def flagged(self) -> bool:
        """Whether any poor adaptation was flagged (the CLI's exit code 1)."""
        return bool(self.flags)

    @property
    def missing(self) -> tuple[Unjudged, ...]:
        """Checkpoints that are due but have no observation row at all."""
        return tuple(u for u in self.unjudged if u.reason == MISSING)
