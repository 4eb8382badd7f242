"""Review periods: a semester (``2027-S1``), a quarter (``2027-Q3``) or a month (``2027-03``), and their dates.

The tim penilai kinerja reviews staffing needs periodically; a period names the stretch of the year whose needs,
demand seasons and moves are reviewed together. Semester 1 is January-June, semester 2 July-December.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from ..errors import InputError, Location, Problem
from ..i18n import _

#: Years a period may name: generous for any plan, small enough to catch a typo such as ``207-S1``.
FIRST_YEAR, LAST_YEAR = 2000, 2100
PATTERN = re.compile(r"(?P<year>\d{4})-(?:(?P<kind>[SsQq])(?P<index>\d+)|(?P<month>\d{2}))")
#: Months each kind of period spans, and how many there are in a year.
SPAN = {"S": 6, "Q": 3, "M": 1}


@dataclass(frozen=True)
class Period:
    """A named stretch of one calendar year, first and last day inclusive."""

    year: int
    #: ``S`` (semester), ``Q`` (quarter) or ``M`` (month).
    kind: str
    #: 1-based: semester 1-2, quarter 1-4, month 1-12.
    index: int

    @property
    def label(self) -> str:
        """The canonical spelling: ``2027-S1``, ``2027-Q3``, ``2027-03``."""
        if self.kind == "M":
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}-{self.kind}{self.index}"

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * SPAN[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        month = self.index * SPAN[self.kind]
        return date(self.year, month, monthrange(self.year, month)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def expected_forms() -> str:
    return _("Expected YYYY-S1 or YYYY-S2 (semester), YYYY-Q1 to YYYY-Q4 (quarter) or YYYY-MM (month), e.g. 2027-S1")


def parse_period(text: str, where: str = "--period") -> Period:
    """The period ``text`` names; :class:`InputError` at ``where`` with the expected forms otherwise."""
    match = PATTERN.fullmatch(text.strip())
    if match is None:
        raise _bad(text, where, _("'{text}' is not a period").format(text=text))
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        message = _("year {year} is outside {first}-{last}").format(year=year, first=FIRST_YEAR, last=LAST_YEAR)
        raise _bad(text, where, message)
    if match["month"] is not None:
        kind, index = "M", int(match["month"])
    else:
        kind, index = match["kind"].upper(), int(match["index"])
    count = 12 // SPAN[kind]
    if not 1 <= index <= count:
        names = {
            "S": _("a year has semesters 1 and 2"),
            "Q": _("a year has quarters 1 to 4"),
            "M": _("months are 01 to 12"),
        }
        raise _bad(text, where, _("'{text}' is not a period: {why}").format(text=text, why=names[kind]))
    return Period(year, kind, index)


def _bad(text: str, where: str, message: str) -> InputError:
    return InputError([Problem(Location(where), message, hint=expected_forms() + ".")])
