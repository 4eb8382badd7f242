"""Units (OPD, schools, puskesmas, counters) and positions (jabatan)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from ..i18n import _
from .base import FieldError, Flag, Identifier, Model, Slug, normalise_choice
from .codes import GolonganField


class UnitKind(StrEnum):
    """What kind of organisational unit a row describes."""

    OPD = "opd"  # perangkat daerah: dinas, badan, sekretariat, kecamatan
    SUB_UNIT = "sub_unit"  # bidang, bagian, UPT without a service of its own
    SCHOOL = "school"  # SD, SMP
    PUSKESMAS = "puskesmas"
    SERVICE_COUNTER = "service_counter"  # loket, gerai MPP, tourist information desk


class Unit(Model):
    """An organisational unit. ``parent`` builds the tree (a school's parent is Dinas Pendidikan)."""

    id: Identifier
    name: str = Field(min_length=1)
    kind: Annotated[UnitKind, BeforeValidator(normalise_choice)]
    sector: Slug
    parent: Identifier | None = None
    kecamatan: str | None = None


class PositionType(StrEnum):
    """Jenis jabatan under PP 11/2017."""

    JPT = "jpt"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"


class Eselon(StrEnum):
    """Eselon of a structural post (PP 100/2000 jo PP 13/2002)."""

    I_A = "I.a"
    I_B = "I.b"
    II_A = "II.a"
    II_B = "II.b"
    III_A = "III.a"
    III_B = "III.b"
    IV_A = "IV.a"
    IV_B = "IV.b"
    V = "V"


class Dimension(StrEnum):
    """Competency dimension (PermenPAN-RB 38/2017)."""

    TEKNIS = "teknis"
    MANAJERIAL = "manajerial"
    SOSIAL_KULTURAL = "sosial_kultural"


def _eselon(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().replace("/", ".").replace(" ", ".")
        head, _sep, tail = text.partition(".")
        return f"{head.upper()}.{tail.lower()}" if tail else head.upper()
    return value


def _level_range(value: int) -> int:
    if not 1 <= value <= 5:
        raise ValueError(_("competency level must be 1 to 5, not {value}").format(value=value))
    return value


CompetencyLevel = Annotated[int, AfterValidator(_level_range)]


class Position(Model):
    """A jabatan in one unit, with its formasi from Anjab/ABK.

    ``formasi`` is the ideal headcount fixed by the Sekda (peta jabatan);
    ``min_staff`` the fewest holders the unit can run with.
    """

    id: Identifier
    name: str = Field(min_length=1)
    unit: Identifier
    type: Annotated[PositionType, BeforeValidator(normalise_choice)]
    eselon: Annotated[Eselon, BeforeValidator(_eselon)] | None = None
    golongan_min: GolonganField | None = None
    golongan_max: GolonganField | None = None
    formasi: int = Field(ge=0)
    min_staff: int = Field(default=0, ge=0)
    #: A functional post with a leadership duty (kepala sekolah, kepala puskesmas).
    leadership: Flag = False
    #: For teacher posts: the subject taught (matches ``curriculum.subject``).
    subject: Identifier | None = None

    @model_validator(mode="after")
    def _bands_ordered(self) -> Position:
        if self.golongan_min and self.golongan_max and self.golongan_min > self.golongan_max:
            raise FieldError(
                "golongan_max",
                _("golongan_min {low} is above golongan_max {high}").format(
                    low=self.golongan_min.label, high=self.golongan_max.label
                ),
            )
        if self.min_staff > self.formasi:
            raise FieldError(
                "min_staff",
                _("min_staff {min_staff} is larger than formasi {formasi}").format(
                    min_staff=self.min_staff, formasi=self.formasi
                ),
            )
        return self


class RequiredCompetency(Model):
    """One competency a position requires, at a minimum level (1-5)."""

    position: Identifier
    dimension: Annotated[Dimension, BeforeValidator(normalise_choice)]
    code: Identifier
    level: CompetencyLevel
