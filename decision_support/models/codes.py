"""Official codes: NIP structure and golongan ruang.

NIP (Perka BKN 22/2007 and 43/2007): 18 digits, ``YYYYMMDD`` birth date,
``YYYYMM`` TMT CPNS, one digit for sex (1 male, 2 female) and a 3-digit
sequence, e.g. ``19860926 201505 1 001``.

Golongan: the BKN codes 11..45, first digit = golongan (I..IV), second = ruang
(a..e); ``III/b`` is code 32. See docs/glossary.md.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer

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
                code = _ROMAN[match.group(1)] * 10 + _RUANG.index(match.group(2).lower()) + 1
                if code in cls._value2member_map_:
                    return cls(code)
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


@functools.lru_cache(maxsize=64)  # one row's validators parse its NIP three times; errors are not cached
def parse_nip(value: str) -> NipParts:
    """Check the structure of an NIP and return its parts.

    Raises ``ValueError`` naming the first part that is wrong. Messages do not
    repeat the NIP: the caller shows it as the entity.
    """
    if not re.fullmatch(r"[0-9]{18}", value):
        digits = re.sub(r"[^0-9]", "", value)
        if len(digits) == 18 and re.fullmatch(r"[0-9\s.-]+", value):
            raise ValueError(
                _("an NIP is 18 digits without spaces or separators: write '{digits}'").format(digits=digits)
            )
        stray = next((c for c in value if not "0" <= c <= "9"), None)
        if stray is not None:
            raise ValueError(
                _("an NIP has only the digits 0-9; '{char}' at position {pos} is not one").format(
                    char=stray, pos=value.index(stray) + 1
                )
            )
        raise ValueError(_("an NIP has exactly 18 digits, this one has {n}").format(n=len(value)))
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValueError(
            _("digits 1-8 of an NIP are the birth date YYYYMMDD, and '{part}' is not a date").format(part=value[0:8])
        ) from None
    year, month = int(value[8:12]), int(value[12:14])
    pppk = month == PPPK_CODE
    if not pppk and not 1 <= month <= 12:
        raise ValueError(
            _(
                "digits 9-14 of an NIP are the TMT CPNS as YYYYMM, and month '{month}' is not 01-12 (nor 21 for an NI PPPK)"
            ).format(month=value[12:14])
        )
    if year - birth.year < 15:
        raise ValueError(
            _(
                "the TMT CPNS {year}-{month:02d} in digits 9-14 is impossible for the birth date {birth} in digits 1-8"
            ).format(year=year, month=month, birth=birth.isoformat())
        )
    if value[14] not in "12":
        raise ValueError(
            _("digit 15 of an NIP is the sex code 1 (male) or 2 (female), not '{digit}'").format(digit=value[14])
        )
    sequence = int(value[15:18])
    if sequence == 0:
        raise ValueError(_("the sequence number in digits 16-18 of an NIP cannot be 000"))
    sex = "L" if value[14] == "1" else "P"
    return NipParts(birth, year, None if pppk else month, sex, sequence, pppk=pppk)


def _nip_before(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        parse_nip(value)
    return value


Nip = Annotated[str, BeforeValidator(_nip_before)]


_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10}
PPPK_GRADES = tuple(range(1, 18))


def parse_pppk_grade(value: object) -> object:
    """Read a PPPK golongan (Perpres 98/2020): I to XVII, as a Roman numeral or a number 1-17."""
    if isinstance(value, str):
        text = value.strip().upper().removeprefix("PPPK").strip()
        if text.isdigit():
            return int(text)
        if text and set(text) <= set(_ROMAN_DIGITS):
            total = 0
            for i, char in enumerate(text):
                digit = _ROMAN_DIGITS[char]
                following = _ROMAN_DIGITS[text[i + 1]] if i + 1 < len(text) else 0
                total += -digit if digit < following else digit
            if _roman(total) == text:  # IIII or VX are not numerals
                return total
        raise ValueError(_("'{value}' is not a PPPK golongan; expected I to XVII").format(value=value))
    return value


def _roman(number: int) -> str:
    """The canonical Roman numeral of 1-39."""
    tens, units = divmod(number, 10)
    ones = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    return "X" * tens + ones[units]


def _pppk_grade_range(value: int) -> int:
    if value not in PPPK_GRADES:
        raise ValueError(_("a PPPK golongan is I to XVII (1 to 17), not {value}").format(value=value))
    return value


PppkGrade = Annotated[int, BeforeValidator(parse_pppk_grade), AfterValidator(_pppk_grade_range)]
