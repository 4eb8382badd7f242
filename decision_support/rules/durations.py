"""Calendar-exact durations: anniversaries, never days divided by 365.25.

PP 11/2017 Pasal 190 ayat 3 counts the two (and five) years of a posting in whole
years from the TMT: the period is complete on the anniversary. Every duration
fact (years in position, years of service, age, months to the pension TMT) is
computed here by calendar arithmetic.

**Month-end rule.** Adding months to a day keeps the day of the month; when the
target month is shorter, the period ends on that month's last day: 31 January
plus one month is 28 (or 29) February, and the anniversary of 29 February in a
year without one is 28 February. This is the usual rule for periods counted in
months and years (the period ends "on the last day of that month" when the
corresponding day does not exist, as in the European Convention on the
Calculation of Time Limits 1972, Art. 4(3), and EU Regulation 1182/71 Art.
3(2)(c)); Indonesian regulations give no other rule. It keeps a February
birthday in February, which is what the pension TMT of PP 11/2017 Pasal 239
(first day of the month after the BUP is reached) needs, and it never ends a
period before the same number of days as the common-year period has passed
(29 February 2024 + 2 years = 28 February 2026, exactly 730 days).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The ``years``-th anniversary of ``day`` (29 February -> 28 February in a common year)."""
    return add_months(day, 12 * years)


@dataclass(frozen=True, order=True)
class Span:
    """Whole years, months and days from one date to a later one."""

    years: int
    months: int
    days: int


def span_between(start: date, end: date) -> Span:
    """The calendar duration from ``start`` to ``end`` (``end`` not before ``start``).

    Years and months are counted by anniversaries (:func:`add_months`); the days are those left
    after the last whole month.
    """
    if end < start:
        raise ValueError(f"{end} is before {start}")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    days = (end - add_months(start, months)).days
    return Span(months // 12, months % 12, days)


def whole_months(start: date, end: date) -> int:
    """Completed calendar months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -whole_months(end, start)
    span = span_between(start, end)
    return span.years * 12 + span.months


class Duration(float):
    """A number of years that keeps the exact calendar span it came from.

    Its value is ``years + months / 12 + days / 372``: a comparison with a whole number of years
    (``gte 2``) holds from the anniversary on and not a day earlier (months and days add less than
    one year), and whole months read exactly (1 year 6 months = 1.5). Explanations show the span
    ("1 tahun 11 bulan 30 hari"), not the number. A negative duration (a TMT after the evaluation
    date) keeps the span of the distance and a minus sign.
    """

    span: Span
    negative: bool

    def __new__(cls, span: Span, negative: bool = False) -> Duration:
        value = span.years + span.months / 12 + span.days / 372
        self = super().__new__(cls, -value if negative else value)
        self.span = span
        self.negative = negative
        return self

    @classmethod
    def between(cls, start: date, end: date) -> Duration:
        """The duration from ``start`` to ``end``."""
        if end < start:
            return cls(span_between(end, start), negative=True)
        return cls(span_between(start, end))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Duration, (self.span, self.negative))

    def __repr__(self) -> str:
        sign = "-" if self.negative else ""
        return f"Duration({sign}{self.span.years}y{self.span.months}m{self.span.days}d={float(self)!r})"
