"""Batas usia pensiun (BUP) by post, and the pension TMT it gives.

The table (docs/rules-reference.md, "Retirement age"):

=============================================  ====  ==============================================
Post                                           BUP   Basis
=============================================  ====  ==============================================
administrative (administrator, pengawas,       58    UU 5/2014 Pasal 90 huruf a; PP 11/2017 Pasal
pelaksana)                                           239 ayat 2 huruf a
JPT                                            60    UU 5/2014 Pasal 90 huruf b; PP 11/2017 Pasal
                                                     239 ayat 2 huruf b
functional, ahli utama (golongan IV/d-IV/e)    65    PP 11/2017 Pasal 239 ayat 2 huruf c
functional, ahli madya (golongan IV/a-IV/c)    60    PP 11/2017 Pasal 239 ayat 2 huruf b
functional, ahli muda/pertama, keterampilan    58    PP 11/2017 Pasal 239 ayat 2 huruf a
guru (a teacher post or kepala sekolah) and    60    BUP set by law for the jabatan fungsional
pengawas sekolah                                     (UU 5/2014 Pasal 90 huruf c; guru: UU 14/2005,
                                                     as the project's domain notes record; article
                                                     unconfirmed)
=============================================  ====  ==============================================

A functional post does not record its jenjang, so the jenjang is read from the holder's golongan
ruang by the usual pangkat range of each jenjang (ahli madya IV/a-IV/c, ahli utama IV/d-IV/e).
Without a golongan ruang (a PPPK) the jenjang, and so the BUP, is unknown unless the dataset gives
the employee's ``bup``: a ``bup`` in the data always wins (for a post the table does not describe,
or a BKN decision). The pension TMT is the first day of the month after the month in which the BUP
is reached (the PNS is honourably discharged at the end of that month, PP 11/2017 Pasal 239 ayat 1
jo BKN practice for TMT pensiun); a 29 February birthday reaches the BUP in February
(see :mod:`.durations`).
"""

from __future__ import annotations

from datetime import date

from ..models import Employee, Golongan, Position
from ..models.organisation import PositionType
from .durations import add_months, add_years

#: Golongan from which a functional holder is at least ahli madya, and ahli utama (BKN codes).
AHLI_MADYA_FROM = Golongan(41)  # IV/a
AHLI_UTAMA_FROM = Golongan(44)  # IV/d

#: The table is in force from UU 5/2014 (promulgated 15 January 2014); before that day it tells nothing,
#: so the BUP is unknown unless the dataset gives it. No end is known (UU 20/2023 keeps BUP to a PP that has
#: not replaced this one; unconfirmed).
BUP_TABLE_SINCE = date(2014, 1, 15)

_ADMINISTRATIVE = {PositionType.ADMINISTRATOR, PositionType.PENGAWAS, PositionType.PELAKSANA}


def _teaching_post(position: Position) -> bool:
    name = position.name.lower()
    return position.subject is not None or name.startswith("guru") or "sekolah" in name


def bup_of_post(position: Position, golongan: Golongan | None) -> int | None:
    """The BUP the table gives for ``position`` held by someone of ``golongan`` (None: cannot tell)."""
    if position.type in _ADMINISTRATIVE:
        return 58
    if position.type is PositionType.JPT:
        return 60
    if _teaching_post(position):
        return 60
    if golongan is None:
        return None
    if golongan >= AHLI_UTAMA_FROM:
        return 65
    return 60 if golongan >= AHLI_MADYA_FROM else 58


def bup_of(employee: Employee, position: Position | None, as_of: date | None = None) -> int | None:
    """The employee's BUP: the dataset's own value, else the table's for the current post (on ``as_of``)."""
    if employee.bup is not None:
        return employee.bup
    if position is None or (as_of is not None and as_of < BUP_TABLE_SINCE):
        return None
    return bup_of_post(position, employee.golongan)


def pension_tmt(birth: date, bup: int) -> date:
    """First day of the month after the BUP birthday (29 February: the birthday month is February)."""
    reached = add_years(birth, bup)
    return add_months(reached.replace(day=1), 1)
