"""Validated input models: frozen pydantic classes that reject unknown keys; no I/O, no behaviour."""

from .base import Model
from .codes import Golongan, NipParts, parse_nip
from .dataset import DEFAULT_EJ_BANDS, WKE_CHOICES, Dataset, EjBand, Manifest, Settings, TeacherLoad
from .monitoring import (
    EmployeeObservation,
    MonitoringManifest,
    MonitoringPolicy,
    Projection,
    UnitObservation,
)
from .organisation import Dimension, Eselon, Position, PositionType, RequiredCompetency, Unit, UnitKind
from .participation import Reason, Stance, StatedView, ViewKind
from .services import Service
from .workforce import (
    EducationLevel,
    Employee,
    EmployeeCompetency,
    EmployeeRecord,
    EmploymentStatus,
    Preference,
    PreferenceKind,
    Sanction,
    SkpPredicate,
    SkpRecord,
    Training,
)
from .workload import AbkTask, CurriculumEntry, School, SchoolLevel

__all__ = [
    "DEFAULT_EJ_BANDS",
    "WKE_CHOICES",
    "AbkTask",
    "CurriculumEntry",
    "Dataset",
    "Dimension",
    "EducationLevel",
    "EjBand",
    "Employee",
    "EmployeeCompetency",
    "EmployeeObservation",
    "EmployeeRecord",
    "EmploymentStatus",
    "Eselon",
    "Golongan",
    "Manifest",
    "Model",
    "MonitoringManifest",
    "MonitoringPolicy",
    "NipParts",
    "Position",
    "PositionType",
    "Preference",
    "PreferenceKind",
    "Projection",
    "Reason",
    "RequiredCompetency",
    "Sanction",
    "School",
    "SchoolLevel",
    "Service",
    "Settings",
    "SkpPredicate",
    "SkpRecord",
    "Stance",
    "StatedView",
    "TeacherLoad",
    "Training",
    "Unit",
    "UnitKind",
    "UnitObservation",
    "ViewKind",
    "parse_nip",
]
