"""Public services a unit delivers: demand, service time, who can serve, and the target.

These are inputs for the simulation: arrivals per time slot and day type,
seasonal multipliers (the Lebaran tourism peak), a service-time distribution,
the positions or competencies that can serve, and a service-level target.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..i18n import _
from .base import Clock, Date, FieldError, Identifier, Model, minutes_of, normalise_choice
from .organisation import CompetencyLevel, Dimension


class DayType(StrEnum):
    """Kinds of day with their own arrival profile."""

    MON_THU = "mon_thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"
    HOLIDAY = "holiday"


#: Bounds of a service's numbers (docs/dataset-format.md): infinity and NaN are rejected, and no counter
#: receives more than this many customers an hour or takes longer than a day to serve one.
MAX_PER_HOUR = 10_000.0
MAX_SERVICE_MINUTES = 1440.0
MAX_FACTOR = 100.0
Minutes = Annotated[float, Field(gt=0, le=MAX_SERVICE_MINUTES, allow_inf_nan=False)]
Factor = Annotated[float, Field(gt=0, le=MAX_FACTOR, allow_inf_nan=False)]


class ArrivalSlot(Model):
    """Poisson arrivals at ``per_hour`` between ``start`` and ``end`` on days of ``day_type``."""

    day_type: Annotated[DayType, BeforeValidator(normalise_choice)]
    start: Clock
    end: Clock
    per_hour: float = Field(ge=0, le=MAX_PER_HOUR, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> ArrivalSlot:
        if minutes_of(self.end) <= minutes_of(self.start):
            raise FieldError("end", _("end {end} must be after start {start}").format(end=self.end, start=self.start))
        return self


class SeasonalMultiplier(Model):
    """Demand multiplied by ``multiplier`` from ``start`` to ``end`` inclusive (e.g. Lebaran)."""

    label: str = Field(min_length=1)
    start: Date
    end: Date
    multiplier: Factor

    @model_validator(mode="after")
    def _ordered(self) -> SeasonalMultiplier:
        if self.end < self.start:
            raise FieldError(
                "end",
                _("end {end} is before start {start}").format(end=self.end.isoformat(), start=self.start.isoformat()),
            )
        return self


class Demand(Model):
    """Arrival profile of a service."""

    slots: tuple[ArrivalSlot, ...] = Field(min_length=1)
    #: Month (1-12) -> multiplier; months not listed use 1.0.
    monthly: dict[Annotated[int, Field(ge=1, le=12)], Factor] = Field(default_factory=dict)
    seasonal: tuple[SeasonalMultiplier, ...] = ()


class Exponential(Model):
    distribution: Literal["exponential"]
    mean_minutes: Minutes


class Deterministic(Model):
    distribution: Literal["deterministic"]
    minutes: Minutes


class Lognormal(Model):
    """Lognormal given by its mean and coefficient of variation (sd / mean)."""

    distribution: Literal["lognormal"]
    mean_minutes: Minutes
    cv: float = Field(gt=0, le=10, allow_inf_nan=False)


class Gamma(Model):
    """Gamma given by its mean and coefficient of variation (sd / mean)."""

    distribution: Literal["gamma"]
    mean_minutes: Minutes
    cv: float = Field(gt=0, le=10, allow_inf_nan=False)


class Empirical(Model):
    """Resampled observed service times (e.g. from queue-ticket data)."""

    distribution: Literal["empirical"]
    minutes: tuple[Minutes, ...] = Field(min_length=1)


ServiceTime = Annotated[
    Exponential | Deterministic | Lognormal | Gamma | Empirical,
    Field(discriminator="distribution"),
]


class CompetencyRequirement(Model):
    """A competency (at a minimum level) that qualifies an employee to serve."""

    dimension: Annotated[Dimension, BeforeValidator(normalise_choice)]
    code: Identifier
    level: CompetencyLevel = 1


class Servers(Model):
    """Who can serve: holders of any listed position, or anyone with a listed competency."""

    positions: tuple[Identifier, ...] = ()
    competencies: tuple[CompetencyRequirement, ...] = ()

    @model_validator(mode="after")
    def _someone(self) -> Servers:
        if not self.positions and not self.competencies:
            raise FieldError("positions", _("list at least one position or competency that can serve"))
        return self


class ServiceTarget(Model):
    """Service-level target: ``share`` of customers wait at most ``wait_minutes``."""

    wait_minutes: float = Field(gt=0, le=MAX_SERVICE_MINUTES, allow_inf_nan=False)
    share: float = Field(gt=0, le=1, allow_inf_nan=False)


class Service(Model):
    """A service type delivered at a unit (KTP-el recording, tourist information, a poli at a puskesmas)."""

    id: Identifier
    unit: Identifier
    name: str = Field(min_length=1)
    demand: Demand
    service_time: ServiceTime
    servers: Servers
    target: ServiceTarget
