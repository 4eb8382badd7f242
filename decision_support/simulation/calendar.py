"""The working calendar: which days are simulated, their day type, and each unit's hours on them.

Hours of a unit on a day, first match wins:

1. ``calendar.unit_hours[unit][day type]`` (units that keep other hours, e.g. a tourist office at weekends);
2. during Ramadan, ``calendar.ramadan.working_hours[day type]``;
3. ``calendar.working_hours[day type]`` (default Monday-Thursday 07:30-16:00 with a 12:00-13:00 break, Friday
   07:30-16:30 with an 11:30-13:30 break; Saturday, Sunday and holidays closed);
4. otherwise, if the unit's services have arrival slots on that day type, from the first slot's start to the
   last slot's end without a break (a puskesmas on Saturday, the tourist office on a holiday);
5. otherwise the unit is closed that day.

A holiday's day type is ``holiday`` whatever the weekday. Times are minutes after midnight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..models.base import minutes_of
from ..models.services import DayType
from .scenario import Calendar, Hours

WEEKDAY_TYPES = (DayType.MON_THU,) * 4 + (DayType.FRI, DayType.SAT, DayType.SUN)

#: (start, end) in minutes after midnight.
Span = tuple[float, float]


@dataclass(frozen=True)
class Day:
    """One calendar day of the run."""

    date: date
    day_type: DayType
    ramadan: bool
    #: Name of the holiday, if it is one.
    holiday: str | None
    #: True for a warm-up day (carry-over mode): simulated, not counted.
    warmup: bool = False


@dataclass(frozen=True)
class OpenHours:
    """A unit's hours on one day: the door span and the on-duty intervals (the span minus breaks)."""

    span: Span
    duty: tuple[Span, ...]

    @property
    def duty_minutes(self) -> float:
        return sum(end - start for start, end in self.duty)


def days_of(calendar: Calendar, start: date, count: int, warmup: int = 0) -> list[Day]:
    """The calendar days from ``start - warmup`` to ``start + count - 1``, in order."""
    holidays = {h.date: h.name for h in calendar.holidays}
    ramadan = calendar.ramadan
    days = []
    for offset in range(-warmup, count):
        day = start + timedelta(days=offset)
        in_ramadan = ramadan is not None and ramadan.start <= day <= ramadan.end
        day_type = DayType.HOLIDAY if day in holidays else WEEKDAY_TYPES[day.weekday()]
        days.append(Day(day, day_type, in_ramadan, holidays.get(day), warmup=offset < 0))
    return days


def office_hours(calendar: Calendar, day: Day) -> Hours | None:
    """The government working hours of ``day`` (Ramadan hours when they apply), or None if offices close."""
    if day.ramadan and calendar.ramadan is not None and day.day_type in calendar.ramadan.working_hours:
        return calendar.ramadan.working_hours[day.day_type]
    return calendar.working_hours.get(day.day_type)


def unit_hours(calendar: Calendar, unit: str, day: Day, slot_spans: Iterable[Span]) -> OpenHours | None:
    """A unit's hours on ``day`` by the rules of this module; ``slot_spans`` are its services' slots that day."""
    own = calendar.unit_hours.get(unit, {}).get(day.day_type)
    hours = own or office_hours(calendar, day)
    if hours is not None:
        return hours_to_open(hours)
    spans = list(slot_spans)
    if not spans:
        return None
    span = (min(s for s, _ in spans), max(e for _, e in spans))
    return OpenHours(span, (span,))


def hours_to_open(hours: Hours) -> OpenHours:
    """:class:`Hours` as a span and the on-duty intervals between its breaks."""
    start, end = minutes_of(hours.start), minutes_of(hours.end)
    duty, cursor = [], start
    for pause in hours.breaks:
        if minutes_of(pause.start) > cursor:
            duty.append((cursor, minutes_of(pause.start)))
        cursor = minutes_of(pause.end)
    if end > cursor:
        duty.append((cursor, end))
    return OpenHours((start, end), tuple(duty))


def clip(spans: Iterable[Span], window: Span) -> tuple[Span, ...]:
    """``spans`` cut to ``window``; empty pieces dropped."""
    low, high = window
    return tuple((max(s, low), min(e, high)) for s, e in spans if min(e, high) > max(s, low))
