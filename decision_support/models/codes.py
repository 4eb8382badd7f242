"""Official codes: NIP structure and golongan ruang.

NIP (Perka BKN 22/2007 and 43/2007): 18 digits, ``YYYYMMDD`` birth date,
``YYYYMM`` TMT CPNS, one digit for sex (1 male, 2 female) and a 3-digit
sequence, e.g. ``19860926 201505 1 001``.

Golongan: the BKN codes 11..45, first digit = golongan (I..IV), second = ruang
(a..e); ``III/b`` is code 32. See docs/glossary.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from ..i18n import _

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_ROMAN_OF = {v: k for k, v in _ROMAN.items()}
_RUANG = "abcde"
#: Digits 13-14 of an NI PPPK (where a PNS NIP has the TMT CPNS month).
PPPK_CODE = 21


class Golongan(IntEnum):
    """Golongan ruang; the value is the BKN code (``III/b`` = 32)."""

    I_A = 11
    I_B = 12
    I_C = 13
    I_D = 14
    II_A = 21
    II_B = 22
    II_C = 23
    II_D = 24
    III_A = 31
    III_B = 32
    III_C = 33
    III_D = 34
    IV_A = 41
    IV_B = 42
    IV_C = 43
    IV_D = 44
    IV_E = 45

    @property
    def label(self) -> str:
        """The form on an SK, e.g. ``III/b``."""
        return f"{_ROMAN_OF[self.value // 10]}/{_RUANG[self.value % 10 - 1]}"

    @property
    def rank(self) -> int:
        """Position in the ladder, 1 (I/a) to 17 (IV/e)."""
        return list(Golongan).index(self) + 1

    @classmethod
    def labels(cls) -> list[str]:
        return [g.label for g in cls]

    @classmethod
    def parse(cls, value: object) -> Golongan:
        """Read ``"III/b"``, ``"iii/B"``, ``"III b"``, ``32`` or ``"32"``.

        Raises ``ValueError`` with a message that lists the accepted forms.
        """
        if isinstance(value, Golongan):
            return value
        if isinstance(value, bool):
            raise ValueError(_golongan_expected(value))
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            code = int(value)
            try:
                return cls(code)
            except ValueError:
                raise ValueError(_golongan_expected(value)) from None
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(IV|III|II|I)\s*[/\s.-]?\s*([a-eA-E])\s*", value.upper())
            if match:
                return cls(_ROMAN[match.group(1)] * 10 + _RUANG.index(match.group(2).lower()) + 1)
        raise ValueError(_golongan_expected(value))


def _golongan_expected(value: object) -> str:
    return _("'{value}' is not a golongan; expected I/a to IV/e (e.g. III/b) or a BKN code 11 to 45").format(
        value=value
    )


GolonganField = Annotated[
    Golongan,
    BeforeValidator(Golongan.parse),
    PlainSerializer(lambda g: g.label, return_type=str),
]


@dataclass(frozen=True)
class NipParts:
    """What an 18-digit NIP encodes."""

    birth_date: date
    #: Year of TMT CPNS, or for an NI PPPK the year of appointment.
    tmt_cpns_year: int
    #: Month of TMT CPNS; None for an NI PPPK.
    tmt_cpns_month: int | None
    sex: str  # "L" (laki-laki, digit 1) or "P" (perempuan, digit 2)
    sequence: int
    #: An NI PPPK carries the code 21 where a PNS NIP has the TMT month (reported practice).
    pppk: bool = False


def parse_nip(value: str) -> NipParts:
    """Check the structure of an NIP and return its parts.

    Raises ``ValueError`` naming the first part that is wrong.
    """
    if not re.fullmatch(r"\d{18}", value):
        digits = re.sub(r"\D", "", value)
        if len(digits) == 18 and re.fullmatch(r"[\d\s.-]+", value):
            raise ValueError(
                _("NIP '{value}' must be 18 digits without spaces or separators: '{digits}'").format(
                    value=value, digits=digits
                )
            )
        raise ValueError(
            _("NIP '{value}' must have exactly 18 digits (it has {n})").format(
                value=value, n=len(digits) if digits == value else len(value)
            )
        )
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValueError(
            _("NIP {value}: digits 1-8 must be the birth date YYYYMMDD, '{part}' is not a date").format(
                value=value, part=value[0:8]
            )
        ) from None
    year, month = int(value[8:12]), int(value[12:14])
    pppk = month == PPPK_CODE
    if not pppk and not 1 <= month <= 12:
        raise ValueError(
            _(
                "NIP {value}: digits 9-14 must be the TMT CPNS as YYYYMM, month '{month}' is not 01-12 (or 21 for an NI PPPK)"
            ).format(value=value, month=value[12:14])
        )
    if year - birth.year < 15:
        raise ValueError(
            _("NIP {value}: TMT CPNS {year}-{month:02d} is impossible for a birth date of {birth}").format(
                value=value, year=year, month=month, birth=birth.isoformat()
            )
        )
    if value[14] not in "12":
        raise ValueError(
            _("NIP {value}: digit 15 must be the sex code 1 (male) or 2 (female), not '{digit}'").format(
                value=value, digit=value[14]
            )
        )
    sequence = int(value[15:18])
    if sequence == 0:
        raise ValueError(_("NIP {value}: the sequence number (digits 16-18) cannot be 000").format(value=value))
    sex = "L" if value[14] == "1" else "P"
    return NipParts(birth, year, None if pppk else month, sex, sequence, pppk=pppk)


def _nip_before(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        parse_nip(value)
    return value


Nip = Annotated[str, BeforeValidator(_nip_before)]
