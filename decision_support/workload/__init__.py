"""Workload (ABK) analysis: who is over- and under-staffed, per position, unit, OPD and school subject."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Dataset
from .abk import (
    PositionWithoutAbk,
    PositionWorkload,
    UnitWorkload,
    analyse_positions,
    band_of,
    positions_without_abk,
    round_staff,
    summarise_units,
)
from .teachers import SchoolTeachers, TeacherNeed, analyse_teachers, juknis_round, summarise_schools


@dataclass(frozen=True)
class WorkloadReport:
    """The staffing-needs analysis of one dataset."""

    dataset_name: str
    as_of: str
    synthetic: bool
    wke_hours: int
    #: The EJ bands used, highest first: band, label, min, strict.
    ej_bands: list[dict[str, object]]
    #: The teaching-load rules used: standard_jtm, min_jtm, max_jtm, case_by_case, class_size_max.
    teacher_load: dict[str, object]
    positions: list[PositionWorkload]
    units: list[UnitWorkload]
    opds: list[UnitWorkload]
    teachers: list[TeacherNeed]
    schools: list[SchoolTeachers]
    #: Held non-teaching positions without ABK lines: not in the position, unit and OPD views.
    without_abk: list[PositionWithoutAbk]


def analyse_workload(dataset: Dataset, *, wke_hours: int | None = None) -> WorkloadReport:
    """Run the ABK and teacher-need analysis on ``dataset`` (a pure function)."""
    wke = wke_hours or dataset.settings.wke_hours
    positions = analyse_positions(dataset, wke)
    teachers = analyse_teachers(dataset)
    return WorkloadReport(
        dataset_name=dataset.manifest.name,
        as_of=dataset.as_of.isoformat(),
        synthetic=dataset.manifest.synthetic,
        wke_hours=wke,
        ej_bands=[band.model_dump() for band in dataset.settings.ej_bands],
        teacher_load=dataset.settings.teacher.model_dump(),
        positions=positions,
        units=summarise_units(dataset, positions),
        opds=summarise_units(dataset, positions, by_opd=True),
        teachers=teachers,
        schools=summarise_schools(teachers),
        without_abk=positions_without_abk(dataset),
    )


__all__ = [
    "PositionWithoutAbk",
    "PositionWorkload",
    "SchoolTeachers",
    "TeacherNeed",
    "UnitWorkload",
    "WorkloadReport",
    "analyse_workload",
    "band_of",
    "juknis_round",
    "round_staff",
]
