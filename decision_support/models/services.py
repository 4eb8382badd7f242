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


class ArrivalSlot(Model):
    """Poisson arrivals at ``per_hour`` between ``start`` and ``end`` on days of ``day_type``."""

    day_type: Annotated[DayType, BeforeValidator(normalise_choice)]
    start: Clock
    end: Clock
    per_hour: float = Field(ge=0)

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
    multiplier: float = Field(gt=0)

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
    monthly: dict[Annotated[int, Field(ge=1, le=12)], Annotated[float, Field(gt=0)]] = Field(default_factory=dict)
    seasonal: tuple[SeasonalMultiplier, ...] = ()


class Exponential(Model):
    distribution: Literal["exponential"]
    mean_minutes: float = Field(gt=0)


class Deterministic(Model):
    distribution: Literal["deterministic"]
    minutes: float = Field(gt=0)


class Lognormal(Model):
    """Lognormal given by its mean and coefficient of variation (sd / mean)."""

    distribution: Literal["lognormal"]
    mean_minutes: float = Field(gt=0)
    cv: float = Field(gt=0)


class Gamma(Model):
    """Gamma given by its mean and coefficient of variation (sd / mean)."""

    distribution: Literal["gamma"]
    mean_minutes: float = Field(gt=0)
    cv: float = Field(gt=0)


class Empirical(Model):
    """Resampled observed service times (e.g. from queue-ticket data)."""

    distribution: Literal["empirical"]
    minutes: tuple[Annotated[float, Field(gt=0)], ...] = Field(min_length=1)


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

    wait_minutes: float = Field(gt=0)
    share: float = Field(gt=0, le=1)


class Service(Model):
    """A service type delivered at a unit (KTP-el recording, tourist information, a poli at a puskesmas)."""

    id: Identifier
    unit: Identifier
    name: str = Field(min_length=1)
    demand: Demand
    service_time: ServiceTime
    servers: Servers
    target: ServiceTarget
