"""The ASN workforce: employees and their histories (competencies, diklat, SKP, sanctions, wishes)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from ..i18n import _
from .base import Date, FieldError, Identifier, Model, normalise_choice
from .codes import GolonganField, Nip, PppkGrade, parse_nip
from .organisation import CompetencyLevel, Dimension
from .participation import StatedView


class EmploymentStatus(StrEnum):
    """Kedudukan: PNS, CPNS (probation) or PPPK (contract)."""

    PNS = "PNS"
    CPNS = "CPNS"
    PPPK = "PPPK"


class EducationLevel(StrEnum):
    """Highest education (tingkat pendidikan), in ascending order."""

    SD = "SD"
    SMP = "SMP"
    SMA = "SMA"
    D1 = "D1"
    D2 = "D2"
    D3 = "D3"
    D4 = "D4"
    S1 = "S1"
    S2 = "S2"
    S3 = "S3"

    @property
    def rank(self) -> int:
        return list(EducationLevel).index(self) + 1


class Sex(StrEnum):
    """Jenis kelamin: L (laki-laki), P (perempuan); NIP digit 15 is 1 or 2."""

    L = "L"
    P = "P"


# Spellings found in SIMPEG exports, after upper-casing and removing '-' and spaces.
_EDUCATION_ALIASES = {
    "SLTA": "SMA", "SMU": "SMA", "SMK": "SMA", "MA": "SMA", "STM": "SMA", "SMEA": "SMA", "SLTP": "SMP", "MTS": "SMP",
    "SMPLB": "SMP", "MI": "SD", "DI": "D1", "DII": "D2", "DIII": "D3", "DIV": "D4", "SARJANA": "S1",
}  # fmt: skip


def _upper(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().upper().replace("-", "").replace(" ", "")
        return _EDUCATION_ALIASES.get(text, text)
    return value


def _sex(value: object) -> object:
    if isinstance(value, str):
        return {"1": "L", "2": "P", "M": "L", "F": "P"}.get(value.strip().upper(), value.strip().upper())
    if isinstance(value, int) and not isinstance(value, bool):
        return {1: "L", 2: "P"}.get(value, value)
    return value


class EmployeeRecord(Model):
    """One ASN as a SIMPEG export row: the scalar facts, one row per NIP."""

    nip: Nip
    name: str = Field(min_length=1)
    status: Annotated[EmploymentStatus, BeforeValidator(_upper)]
    #: Golongan ruang of a PNS or CPNS (III/b or BKN code 32).
    golongan: GolonganField | None = None
    #: Golongan of a PPPK, I to XVII (Perpres 98/2020); PPPK have no golongan ruang.
    golongan_pppk: PppkGrade | None = None
    position: Identifier
    #: Optional; when given it must be the unit of ``position``.
    unit: Identifier | None = None
    #: TMT of the current posting (tmt_jabatan): tenure counts from here.
    tmt_position: Date
    birth_date: Date | None = None
    sex: Annotated[Sex, BeforeValidator(_sex)] | None = None
    education_level: Annotated[EducationLevel, BeforeValidator(_upper)]
    education_field: str | None = None
    #: Batas usia pensiun (retirement age in years) when it differs from the table for the post
    #: (decision_support/rules/retirement.py); empty: derived from the post.
    bup: int | None = Field(default=None, ge=50, le=70)
    #: Kecamatan where the spouse works, for co-location; empty if none or outside the city.
    spouse_kecamatan: str | None = None

    @model_validator(mode="after")
    def _matches_nip(self) -> EmployeeRecord:
        parts = parse_nip(self.nip)
        if self.birth_date and self.birth_date != parts.birth_date:
            raise FieldError(
                "birth_date",
                _("birth_date {given} contradicts the NIP, which encodes {encoded}").format(
                    given=self.birth_date.isoformat(), encoded=parts.birth_date.isoformat()
                ),
            )
        if self.sex and self.sex.value != parts.sex:
            raise FieldError(
                "sex",
                _("sex {given} contradicts the NIP, whose digit 15 encodes {encoded}").format(
                    given=self.sex.value, encoded=parts.sex
                ),
            )
        if self.status is EmploymentStatus.PNS and self.golongan is None:
            raise FieldError("golongan", _("a PNS must have a golongan"))
        if self.status is EmploymentStatus.PPPK and self.golongan is not None:
            raise FieldError(
                "golongan", _("a PPPK has no golongan ruang; write the PPPK golongan (I to XVII) in golongan_pppk")
            )
        if self.status is not EmploymentStatus.PPPK and self.golongan_pppk is not None:
            raise FieldError(
                "golongan_pppk",
                _("golongan_pppk is only for PPPK; this employee is {status}").format(status=self.status.value),
            )
        return self


class EmployeeCompetency(Model):
    """A competency an employee holds, at a level 1-5 (from assessment or uji kompetensi)."""

    nip: Nip
    dimension: Annotated[Dimension, BeforeValidator(normalise_choice)]
    code: Identifier
    level: CompetencyLevel


class TrainingKind(StrEnum):
    """Kind of diklat."""

    TEKNIS = "teknis"
    FUNGSIONAL = "fungsional"
    KEPEMIMPINAN = "kepemimpinan"
    PRAJABATAN = "prajabatan"


class Training(Model):
    """A completed diklat or course."""

    nip: Nip
    name: str = Field(min_length=1)
    kind: Annotated[TrainingKind, BeforeValidator(normalise_choice)]
    year: int = Field(ge=1950, le=2100)
    hours: int | None = Field(default=None, ge=0)
    #: Competency code the training builds, if any.
    competency: Identifier | None = None


class SkpPredicate(StrEnum):
    """Yearly performance predicate (SKP, PermenPAN-RB 6/2022), best first."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


class SkpRecord(Model):
    """The SKP predicate of one year."""

    nip: Nip
    year: int = Field(ge=2000, le=2100)
    predicate: Annotated[SkpPredicate, BeforeValidator(normalise_choice)]


class SanctionLevel(StrEnum):
    """Hukuman disiplin level (PP 94/2021)."""

    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"


class Sanction(Model):
    """A disciplinary sanction; it is active from ``start`` up to and including ``end``."""

    nip: Nip
    level: Annotated[SanctionLevel, BeforeValidator(normalise_choice)]
    start: Date
    end: Date | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Sanction:
        if self.end is not None and self.end < self.start:
            raise FieldError(
                "end",
                _("end {end} is before start {start}").format(end=self.end.isoformat(), start=self.start.isoformat()),
            )
        return self


class PreferenceKind(StrEnum):
    """Whether the employee wishes to go to a unit or to avoid it."""

    WISH = "wish"
    AVOID = "avoid"


class Preference(Model):
    """A stated wish (ranked) or an avoided unit, with the employee's reason."""

    nip: Nip
    kind: Annotated[PreferenceKind, BeforeValidator(normalise_choice)]
    unit: Identifier
    rank: int | None = Field(default=None, ge=1, le=20)
    reason: str | None = None

    @model_validator(mode="after")
    def _rank_for_wishes(self) -> Preference:
        if self.kind is PreferenceKind.WISH and self.rank is None:
            raise FieldError("rank", _("a wish needs a rank (1 = most wanted)"))
        return self


class Employee(EmployeeRecord):
    """An ASN with every history attached: what engines downstream receive."""

    competencies: tuple[EmployeeCompetency, ...] = ()
    trainings: tuple[Training, ...] = ()
    skp: tuple[SkpRecord, ...] = ()
    sanctions: tuple[Sanction, ...] = ()
    preferences: tuple[Preference, ...] = ()
    #: Views stated in participation.csv (wishes, hopes, objections); see participation.views_of.
    participation: tuple[StatedView, ...] = ()
