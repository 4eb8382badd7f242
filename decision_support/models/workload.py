"""Workload inputs: ABK tasks per position, and schools with their curriculum hours."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field

from .base import Identifier, Model


class AbkTask(Model):
    """One ABK line (Form A): a task of a position with its yearly volume and norma waktu.

    ``workload minutes per year = volume x norma_waktu``.
    """

    position: Identifier
    task: str = Field(min_length=1)
    #: Satuan hasil: what one unit of output is (berkas, dokumen, pasien...).
    output: str = Field(min_length=1)
    #: Outputs per year.
    volume: float = Field(ge=0)
    #: Minutes to produce one output.
    norma_waktu: float = Field(gt=0)


class SchoolLevel(StrEnum):
    """Jenjang of a school."""

    SD = "SD"
    SMP = "SMP"


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


class School(Model):
    """A school unit with its pupils and rombel (study groups).

    When ``rombel`` is empty it is derived as pupils / maximum class size,
    rounded up (the Dapodik rule).
    """

    unit: Identifier
    level: Annotated[SchoolLevel, BeforeValidator(_upper)]
    pupils: int = Field(ge=0)
    rombel: int | None = Field(default=None, ge=0)


class CurriculumEntry(Model):
    """Curriculum hours (JTM per week) one rombel needs in one subject at one level.

    For SD, the class teacher (guru kelas) is a subject with 24 hours per rombel,
    so that the juknis rule "one guru kelas per rombel" falls out of the formula.
    """

    level: Annotated[SchoolLevel, BeforeValidator(_upper)]
    subject: Identifier
    name: str = Field(min_length=1)
    hours_per_rombel: float = Field(gt=0, le=40)
