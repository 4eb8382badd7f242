"""The scenario file (``simulate scenario.yaml``): validated input models, frozen, unknown keys rejected.

A scenario names a dataset, the proposed transfers (moves) and everything the simulation needs beyond the
dataset: the horizon, the calendar, what-if demand, rosters, absence, customer behaviour, replications, the
master seed and the approval criteria. Every field is documented in docs/scenario-format.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..i18n import _
from ..models.base import Clock, Date, FieldError, Identifier, Model, minutes_of, normalise_choice
from ..models.codes import Nip
from ..models.services import DayType, Servers, ServiceTime

#: Bounds of the scenario's numbers (docs/scenario-format.md "Limits"): generous for any real counter, and
#: small enough that every run stays computable. Infinity and NaN are rejected everywhere.
MAX_MULTIPLIER = 100.0
MAX_OVERTIME_MINUTES = 720.0
MAX_CAPACITY = 100_000
MAX_MINUTES = 1440.0
Multiplier = Annotated[float, Field(gt=0, le=MAX_MULTIPLIER, allow_inf_nan=False)]


class Interval(Model):
    """A stretch of a day, ``start`` to ``end`` (HH:MM)."""

    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if minutes_of(self.end) <= minutes_of(self.start):
            raise FieldError("end", _("end {end} must be after start {start}").format(end=self.end, start=self.start))
        return self


class Hours(Interval):
    """Working hours of one day type: from ``start`` to ``end`` with ``breaks`` (e.g. ISHOMA, Friday prayer)."""

    breaks: tuple[Interval, ...] = ()

    @model_validator(mode="after")
    def _breaks_inside(self) -> Hours:
        previous = minutes_of(self.start)
        for i, pause in enumerate(self.breaks):
            if minutes_of(pause.start) < previous or minutes_of(pause.end) > minutes_of(self.end):
                raise FieldError(
                    "breaks",
                    _("break {index} ({start}-{end}) must lie inside the working hours, in time order").format(
                        index=i + 1, start=pause.start, end=pause.end
                    ),
                )
            previous = minutes_of(pause.end)
        return self


DayTypeKey = Annotated[DayType, BeforeValidator(normalise_choice)]

DEFAULT_HOURS = {
    DayType.MON_THU: Hours(start="07:30", end="16:00", breaks=(Interval(start="12:00", end="13:00"),)),
    DayType.FRI: Hours(start="07:30", end="16:30", breaks=(Interval(start="11:30", end="13:30"),)),
}


class Holiday(Model):
    """A public holiday or cuti bersama: offices closed, services with ``holiday`` slots open."""

    date: Date
    name: str = Field(min_length=1)


class Ramadan(Model):
    """Shorter working hours from ``start`` to ``end`` inclusive."""

    start: Date
    end: Date
    working_hours: dict[DayTypeKey, Hours]

    @model_validator(mode="after")
    def _ordered(self) -> Ramadan:
        if self.end < self.start:
            raise FieldError(
                "end",
                _("end {end} is before start {start}").format(end=self.end.isoformat(), start=self.start.isoformat()),
            )
        return self


class Covers(Model):
    """The dates for which a calendar is complete: every holiday, Ramadan and demand season in them is listed."""

    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Covers:
        if self.end < self.start:
            raise FieldError(
                "end",
                _("end {end} is before start {start}").format(end=self.end.isoformat(), start=self.start.isoformat()),
            )
        return self


class Calendar(Model):
    """Government working hours per day type, holidays as data, optional Ramadan hours."""

    working_hours: dict[DayTypeKey, Hours] = Field(default_factory=lambda: dict(DEFAULT_HOURS))
    holidays: tuple[Holiday, ...] = ()
    ramadan: Ramadan | None = None
    #: Per unit and day type: hours of units that keep other hours (a tourist office open at weekends).
    unit_hours: dict[Identifier, dict[DayTypeKey, Hours]] = Field(default_factory=dict)
    #: Working days per year, to turn simulated days into annual workload (235 for a 5-day week).
    working_days_per_year: int = Field(default=235, ge=1, le=366)
    #: The dates this calendar (with the dataset's and the scenario's demand seasons) is complete for; a periodic
    #: review refuses to judge a period outside them (docs/review.md).
    covers: Covers | None = None


class Horizon(Model):
    """The simulated dates: ``days`` calendar days from ``start`` (closed days are skipped)."""

    start: Date
    days: int = Field(ge=1, le=366)


class Move(Model):
    """One proposed transfer: the employee ``nip`` to the position ``to``."""

    nip: Nip
    to: Identifier
    note: str | None = None


class Proposal(Model):
    """The proposed transfers."""

    moves: tuple[Move, ...]

    @model_validator(mode="after")
    def _some(self) -> Proposal:
        # Checked after the items, so that a broken move is not also reported as "no moves".
        if not self.moves:
            raise FieldError("moves", _("list at least one move"))
        return self


class PlanFile(Proposal):
    """A plan file written by ``seimbang plan``: the moves, and the plan's details (not read by the simulation)."""

    plan: dict[str, Any] | None = None


class AutoPlanOptions(Model):
    """Options of ``proposal: {auto: ...}``: plan first (as ``seimbang plan`` does), then simulate the plan."""

    #: Rule pack files or folders, relative to the scenario file; default: the scenario's ``rules``.
    rules: tuple[str, ...] = ()
    mode: Literal["voluntary", "balance", "both"] = "both"
    band: float = Field(default=10.0, ge=0, lt=100, allow_inf_nan=False)
    max_moves: int | None = Field(default=None, ge=0)
    lam: int = Field(default=100, ge=0, alias="lambda")


class AutoProposal(Model):
    """``proposal: {auto: {...}}``."""

    auto: AutoPlanOptions


class SeasonalDemand(Model):
    """Demand multiplied by ``multiplier`` from ``start`` to ``end``, for ``services`` (all when empty)."""

    label: str = Field(min_length=1)
    start: Date
    end: Date
    multiplier: Multiplier
    services: tuple[Identifier, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> SeasonalDemand:
        if self.end < self.start:
            raise FieldError(
                "end",
                _("end {end} is before start {start}").format(end=self.end.isoformat(), start=self.start.isoformat()),
            )
        return self


class DemandWhatIf(Model):
    """What-if demand on top of the dataset's: one factor for all, factors per service, extra seasons."""

    multiplier: Multiplier = 1.0
    services: dict[Identifier, Multiplier] = Field(default_factory=dict)
    seasonal: tuple[SeasonalDemand, ...] = ()


class FollowUp(Model):
    """After a service, a customer goes on to ``service`` with ``probability`` (e.g. to the cashier)."""

    service: Identifier
    probability: float = Field(gt=0, le=1, allow_inf_nan=False)


class Roster(Model):
    """Who works where and when: holders of ``position`` (the first ``count``, earlier holders first) or ``nips``.

    A person named by any roster entry works exactly the union of their entries; everyone else works the
    default (their own unit, its working hours).
    """

    unit: Identifier
    position: Identifier | None = None
    nips: tuple[Nip, ...] = ()
    count: int | None = Field(default=None, ge=1)
    days: tuple[DayTypeKey, ...] = ()
    shifts: tuple[Interval, ...] = ()

    @model_validator(mode="after")
    def _who(self) -> Roster:
        if (self.position is None) == (not self.nips):
            raise FieldError("position", _("give either a position or a list of nips, not both"))
        if self.count is not None and self.position is None:
            raise FieldError("count", _("count applies to a position, not to a list of nips"))
        return self


class BaulkRule(Model):
    """An arriving customer who finds at least ``present`` customers leaves at once with ``probability``."""

    present: int = Field(ge=1)
    probability: float = Field(ge=0, le=1, allow_inf_nan=False)


class Customers(Model):
    """Optional customer behaviour per unit: capacity (blocking), baulking, reneging (patience)."""

    capacity: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    baulking: tuple[BaulkRule, ...] = ()
    patience: ServiceTime | None = None


class Absence(Model):
    """Probability that a member of staff is away on a given working day, by reason."""

    leave: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    sick: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    training: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)

    @model_validator(mode="after")
    def _at_most_one(self) -> Absence:
        if self.leave + self.sick + self.training > 1:
            raise FieldError("training", _("leave + sick + training must not exceed 1"))
        return self

    @property
    def total(self) -> float:
        return self.leave + self.sick + self.training


class CounterTask(Model):
    """An ABK task done at the counter, so already simulated as customers and not again as back office."""

    position: Identifier
    task: str = Field(min_length=1)


class BackOffice(Model):
    """Back-office work from the ABK tasks (Form A): low-priority jobs of each position's holders."""

    enabled: bool = True
    counter_tasks: tuple[CounterTask, ...] = ()


class Schools(Model):
    """The school timetable model: school days, lesson periods per day, and who covers an absent teacher."""

    days: tuple[DayTypeKey, ...] = (DayType.MON_THU, DayType.FRI)
    periods_per_day: int = Field(default=8, ge=1, le=12)
    cover: Literal["same_subject", "any_teacher"] = "same_subject"


class ServiceLevelDrop(Model):
    """No unit's service level may drop by more than ``max_points`` percentage points (95 % confidence)."""

    kind: Literal["service_level_drop"]
    max_points: float = Field(ge=0, le=100, allow_inf_nan=False)


class ImbalanceImproves(Model):
    """The coefficient of variation of utilisation across units must fall (95 % confidence)."""

    kind: Literal["imbalance_improves"]


class MaxUtilisation(Model):
    """No unit's utilisation may exceed ``max`` in the proposal (upper 95 % bound)."""

    kind: Literal["max_utilisation"]
    max: float = Field(gt=0, le=1, allow_inf_nan=False)


class MaxWait(Model):
    """No unit's mean (or p90) wait may exceed ``minutes`` in the proposal (upper 95 % bound)."""

    kind: Literal["max_wait"]
    minutes: float = Field(gt=0, le=MAX_MINUTES, allow_inf_nan=False)
    statistic: Literal["mean", "p90"] = "mean"


class UncoveredHours(Model):
    """Uncovered class-hours must fall overall, and no school's may rise by more than ``max_school_increase``."""

    kind: Literal["uncovered_hours"]
    max_school_increase: float = Field(default=0.0, ge=0, le=1000, allow_inf_nan=False)


class BacklogIncrease(Model):
    """No unit's back-office backlog may grow by more than ``max_hours`` per day (95 % confidence)."""

    kind: Literal["max_backlog_increase"]
    max_hours: float = Field(ge=0, le=1000, allow_inf_nan=False)


Criterion = Annotated[
    ServiceLevelDrop | ImbalanceImproves | MaxUtilisation | MaxWait | UncoveredHours | BacklogIncrease,
    Field(discriminator="kind"),
]


def _shift_change_alias(value: Any) -> Any:
    """Accept the old name ``finish_current`` of ``finish_then_leave`` (scenarios written before the rename)."""
    return "finish_then_leave" if value == "finish_current" else value


class ReportSettings(Model):
    """How results are binned: the width of a time slot of the queue profile."""

    slot_minutes: Literal[15, 30, 60] = 30


class Scenario(Model):
    """A whole scenario file."""

    schema_version: Literal[1]
    name: str = Field(min_length=1)
    description: str | None = None
    #: The dataset folder, relative to the scenario file.
    dataset: str = Field(min_length=1)
    #: Rule packs the proposal was checked against (files, relative to the scenario file); listed in the report.
    rules: tuple[str, ...] = ()
    #: The moves, the path of a plan file holding ``moves:``, or ``{auto: {...}}`` to plan first.
    proposal: Proposal | AutoProposal | str
    #: Units to simulate; default: every unit a move leaves or joins.
    units: tuple[Identifier, ...] = ()
    horizon: Horizon
    mode: Literal["terminating", "carry_over"] = "terminating"
    warmup_days: int = Field(default=0, ge=0, le=365)
    calendar: Calendar = Field(default_factory=Calendar)
    demand: DemandWhatIf = Field(default_factory=DemandWhatIf)
    service_times: dict[Identifier, ServiceTime] = Field(default_factory=dict)
    servers: dict[Identifier, Servers] = Field(default_factory=dict)
    routing: dict[Identifier, tuple[FollowUp, ...]] = Field(default_factory=dict)
    rosters: tuple[Roster, ...] = ()
    #: docs/simulation.md "Shift changes"; ``finish_current`` is the old name of ``finish_then_leave``.
    shift_change: Annotated[Literal["finish_then_leave", "preempt_resume"], BeforeValidator(_shift_change_alias)] = (
        "finish_then_leave"
    )
    max_overtime_minutes: float = Field(default=120, ge=0, le=MAX_OVERTIME_MINUTES, allow_inf_nan=False)
    customers: Customers = Field(default_factory=Customers)
    absence: Absence = Field(default_factory=Absence)
    back_office: BackOffice = Field(default_factory=BackOffice)
    schools: Schools = Field(default_factory=Schools)
    replications: int = Field(default=30, ge=2, le=10_000)
    seed: int = Field(ge=0, lt=2**63)
    criteria: tuple[Criterion, ...]
    report: ReportSettings = Field(default_factory=ReportSettings)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not self.criteria:
            raise FieldError("criteria", _("list at least one approval criterion"))
        if self.warmup_days and self.mode != "carry_over":
            raise FieldError("warmup_days", _("warmup_days applies only to mode carry_over"))
        for service, steps in self.routing.items():
            if sum(step.probability for step in steps) > 1 + 1e-9:
                raise FieldError(
                    "routing",
                    _("the follow-up probabilities after {service} add up to more than 1").format(service=service),
                )
        return self

    @property
    def last_day(self) -> date:
        """The last calendar day of the horizon."""
        return self.horizon.start + timedelta(days=self.horizon.days - 1)
