"""The dataset manifest, analysis settings and the validated dataset as a whole."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Literal

from pydantic import Field, model_validator

from ..i18n import _
from .base import Date, FieldError, Flag, Identifier, Model
from .local_government import LocalGovernment, unit_local_governments
from .organisation import Position, RequiredCompetency, Unit
from .services import Service
from .workforce import Employee
from .workload import AbkTask, CurriculumEntry, School

#: Effective working hours per year (WKE) with their legal basis; 1,250 h is the default.
WKE_CHOICES = {
    1250: "PermenPAN-RB 1/2020",
    1200: "Perka BKN 19/2011",
    1300: "KepMenPAN 75/2004",
}

DEFAULT_SECTORS = (
    "pemerintahan",
    "kepegawaian",
    "keuangan",
    "perencanaan",
    "pendidikan",
    "kesehatan",
    "sosial",
    "kependudukan",
    "perizinan",
    "pariwisata",
    "pekerjaan_umum",
    "perhubungan",
    "lingkungan",
    "ketertiban",
    "ekonomi",
    "pertanian",
    "komunikasi",
    "kearsipan",
    "kewilayahan",
    "pengawasan",
)


class EjBand(Model):
    """A band of efisiensi jabatan: EJ at or above ``min`` (strictly above when ``strict``)."""

    band: str = Field(min_length=1, max_length=2)
    label: str
    min: float = Field(ge=0)
    strict: bool = False


DEFAULT_EJ_BANDS = (
    EjBand(band="A", label="sangat baik", min=1.00, strict=True),
    EjBand(band="B", label="baik", min=0.90),
    EjBand(band="C", label="cukup", min=0.70),
    EjBand(band="D", label="sedang", min=0.50),
    EjBand(band="E", label="kurang", min=0.0),
)


class TeacherLoad(Model):
    """Teaching-load rules (PP 74/2008 Pasal 52 and the SKB 5 Menteri juknis)."""

    #: JTM per week one teacher is counted for when computing need.
    standard_jtm: float = Field(default=24, gt=0)
    min_jtm: float = Field(default=24, gt=0)
    max_jtm: float = Field(default=40, gt=0)
    #: What to do in the juknis "case by case" zone (1.67-1.99): round up or down.
    case_by_case: Literal["up", "down"] = "up"
    #: Maximum pupils per rombel, per school level (SD 28, Permendikbud 22/2016).
    class_size_max: dict[str, int] = Field(default_factory=lambda: {"SD": 28, "SMP": 32})

    @model_validator(mode="after")
    def _ordered(self) -> TeacherLoad:
        if not self.min_jtm <= self.standard_jtm <= self.max_jtm:
            raise FieldError(
                "standard_jtm",
                _("expected min_jtm <= standard_jtm <= max_jtm, got {low} / {standard} / {high}").format(
                    low=self.min_jtm, standard=self.standard_jtm, high=self.max_jtm
                ),
            )
        return self


class Settings(Model):
    """Analysis settings; every default is documented with its legal basis in docs/dataset-format.md."""

    wke_hours: Literal[1200, 1250, 1300] = 1250
    #: How required staff (FTE) becomes a whole number of people.
    rounding: Literal["nearest", "up"] = "nearest"
    ej_bands: tuple[EjBand, ...] = DEFAULT_EJ_BANDS
    teacher: TeacherLoad = Field(default_factory=TeacherLoad)
    sectors: tuple[str, ...] = DEFAULT_SECTORS
    kecamatan: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _bands_descending(self) -> Settings:
        mins = [b.min for b in self.ej_bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise FieldError("ej_bands", _("ej_bands must be listed from the highest min to the lowest, each min once"))
        if not self.ej_bands or self.ej_bands[-1].min != 0:
            raise FieldError("ej_bands", _("the last EJ band must start at min 0 so that every EJ has a band"))
        return self


class Manifest(Model):
    """``dataset.yaml``: what the dataset is and the settings to analyse it with."""

    schema_version: Literal[1]
    name: str = Field(min_length=1)
    description: str | None = None
    #: Date of the data snapshot; tenure and ages are computed on this date.
    as_of: Date
    #: True for generated example data; shown in every report.
    synthetic: Flag = False
    source: str | None = None
    settings: Settings = Field(default_factory=Settings)
    #: The kabupaten/kota the dataset covers, each with its root unit; empty: one implicit local government.
    local_governments: tuple[LocalGovernment, ...] = ()


class Dataset(Model):
    """A whole validated dataset: every reference resolved, every NIP unique."""

    manifest: Manifest
    units: tuple[Unit, ...]
    positions: tuple[Position, ...]
    position_competencies: tuple[RequiredCompetency, ...] = ()
    employees: tuple[Employee, ...]
    workload: tuple[AbkTask, ...] = ()
    schools: tuple[School, ...] = ()
    curriculum: tuple[CurriculumEntry, ...] = ()
    services: tuple[Service, ...] = ()

    @property
    def as_of(self) -> date:
        return self.manifest.as_of

    @property
    def settings(self) -> Settings:
        return self.manifest.settings

    def unit_ids(self) -> set[Identifier]:
        return {u.id for u in self.units}

    @property
    def local_governments(self) -> tuple[LocalGovernment, ...]:
        return self.manifest.local_governments

    @cached_property
    def unit_local_government(self) -> dict[str, str]:
        """The local government (id) of each unit; empty when the dataset lists none."""
        return unit_local_governments(self.units, self.local_governments)

    @cached_property
    def position_local_government(self) -> dict[str, str]:
        """The local government (id) of each position; empty when the dataset lists none."""
        units = self.unit_local_government
        return {p.id: units[p.unit] for p in self.positions if p.unit in units}

    def local_government_of(self, nip: str) -> str | None:
        """The local government of the employee's current position (None: one implicit local government)."""
        return self.employee_local_government.get(nip)

    @cached_property
    def employee_local_government(self) -> dict[str, str]:
        positions = self.position_local_government
        return {e.nip: positions[e.position] for e in self.employees if e.position in positions}
