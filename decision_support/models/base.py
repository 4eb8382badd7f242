"""Shared model configuration and field types.

Every model is an inert, frozen pydantic class that rejects unknown keys, so a
misspelled column or YAML key is an error with a location, never silently
dropped.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from ..i18n import _


class FieldError(ValueError):
    """A cross-field check failed; ``field`` names the field the user should fix.

    pydantic reports model-level errors without a location; the loader reads
    ``field`` from the exception to point at the right column or YAML key.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Model(BaseModel):
    """Base of all input models: frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


#: Identifiers (unit ids, position ids, codes): a non-empty string without spaces.
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")]

#: A lowercase slug such as a sector name (``pendidikan``, ``kesehatan``).
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")


def _parse_date(value: Any) -> Any:
    """Accept ISO dates and the dd-mm-yyyy / dd/mm/yyyy forms SIMPEG exports use."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, str):
        return value
    text = value.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(
            _("'{value}' is not a date; expected YYYY-MM-DD (or DD-MM-YYYY, DD/MM/YYYY)").format(value=value)
        )
    if not 1 <= month <= 12:
        raise ValueError(_("'{value}' is not a date: there is no month {month}").format(value=value, month=month))
    try:
        return date(year, month, day)
    except ValueError:
        message = _("'{value}' is not a date: {year}-{month:02d} has no day {day}")
        raise ValueError(message.format(value=value, year=year, month=month, day=day)) from None


#: A calendar date written as YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.
Date = Annotated[date, BeforeValidator(_parse_date)]


def normalise_choice(value: Any) -> Any:
    """Lowercase a categorical value and join words with underscores (``Sangat Baik`` -> ``sangat_baik``)."""
    if isinstance(value, str):
        return re.sub(r"[\s\-]+", "_", value.strip().lower())
    return value


_TRUE = {"ya", "y", "true", "yes", "1", "benar"}
_FALSE = {"tidak", "t", "false", "no", "0", "salah"}


def _boolean(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return value


#: true/false, also written ya/tidak (how Indonesian spreadsheets say it).
Flag = Annotated[bool, BeforeValidator(_boolean)]


def _clock(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 07:30 as the sexagesimal number 450.
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


#: A time of day ``HH:MM``.
Clock = Annotated[
    str,
    BeforeValidator(_clock),
    StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$"),
]


def minutes_of(clock: str) -> int:
    """Minutes after midnight of an ``HH:MM`` time."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)
