"""The demand calendar of a review period: its seasons and holidays, whether they are known, the simulated window.

Seasonal demand (Lebaran, school holidays, the year-end peak) comes from the dataset's services and the scenario
template's ``demand.seasonal``; holidays and Ramadan from the template's calendar. Those lists are only known to be
complete for the dates the template's ``calendar.covers`` declares: a period outside them (a calendar not yet
updated for the new year) has an *unknown* seasonal demand, and the review refuses to judge its simulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Dataset
from ..simulation import Scenario
from .period import Period

DATASET, SCENARIO = "dataset", "scenario"


@dataclass(frozen=True)
class Season:
    """A stretch of extra (or lower) demand overlapping the period."""

    label: str
    start: date
    end: date
    multiplier: float
    #: The services it applies to (empty: every service).
    services: tuple[str, ...]
    #: Where it is declared: the dataset's services or the scenario template.
    source: str


@dataclass(frozen=True)
class PeriodDemand:
    """What the calendar says about a period, and the window the review simulates."""

    period: Period
    #: The dates the template's calendar declares complete; None when it declares nothing.
    covers: tuple[date, date] | None
    seasons: tuple[Season, ...]
    holidays: tuple[tuple[date, str], ...]
    ramadan: tuple[date, date] | None
    window_start: date
    window_days: int

    @property
    def covered(self) -> bool:
        """Whether the calendar is declared complete for every day of the period."""
        return self.covers is not None and self.covers[0] <= self.period.start and self.period.end <= self.covers[1]

    @property
    def window_end(self) -> date:
        return self.window_start + timedelta(days=self.window_days - 1)

    @property
    def peak(self) -> Season | None:
        """The strongest season of the period, which the simulated window starts at."""
        return max(self.seasons, key=lambda s: (s.multiplier, -s.start.toordinal()), default=None)


def period_demand(period: Period, dataset: Dataset, scenario: Scenario | None, days: int) -> PeriodDemand:
    """The seasons, holidays and Ramadan of ``period`` and a window of ``days`` days starting at its peak."""
    seasons = _dataset_seasons(period, dataset) + _scenario_seasons(period, scenario)
    seasons.sort(key=lambda s: (s.start, s.label))
    calendar = scenario.calendar if scenario is not None else None
    holidays = tuple((h.date, h.name) for h in calendar.holidays if h.date in period) if calendar else ()
    ramadan = None
    if calendar is not None and calendar.ramadan is not None:
        start, end = max(calendar.ramadan.start, period.start), min(calendar.ramadan.end, period.end)
        ramadan = (start, end) if start <= end else None
    covers = (calendar.covers.start, calendar.covers.end) if calendar is not None and calendar.covers else None
    demand = PeriodDemand(period, covers, tuple(seasons), holidays, ramadan, period.start, min(days, period.days))
    peak = demand.peak
    if peak is None:
        return demand
    latest = period.end - timedelta(days=demand.window_days - 1)
    start = min(max(peak.start, period.start), latest)
    return PeriodDemand(period, covers, tuple(seasons), holidays, ramadan, start, demand.window_days)


def _overlaps(period: Period, start: date, end: date) -> bool:
    return start <= period.end and period.start <= end


def _dataset_seasons(period: Period, dataset: Dataset) -> list[Season]:
    """The dataset's seasons in the period, one per (label, dates, multiplier) with the services it applies to."""
    grouped: dict[tuple[str, date, date, float], list[str]] = {}
    for service in dataset.services:
        for s in service.demand.seasonal:
            if _overlaps(period, s.start, s.end):
                grouped.setdefault((s.label, s.start, s.end, s.multiplier), []).append(service.id)
    return [Season(*key, tuple(services), DATASET) for key, services in grouped.items()]


def _scenario_seasons(period: Period, scenario: Scenario | None) -> list[Season]:
    if scenario is None:
        return []
    return [
        Season(s.label, s.start, s.end, s.multiplier, s.services, SCENARIO)
        for s in scenario.demand.seasonal
        if _overlaps(period, s.start, s.end)
    ]
