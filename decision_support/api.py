"""The public API: the one place the CLI, the HTTP API and SIMPEG plugins call into.

Each function is a stage of the pipeline
``dataset folder -> validated Dataset -> workload analysis -> report``;
stages downstream of these (rules, plans, simulation) are added here as they land.
"""

from __future__ import annotations

from pathlib import Path

from .models import WKE_CHOICES, Dataset
from .report.workload_report import SORTS, VIEWS, render
from .sources import load_dataset as _load_dataset
from .workload import WorkloadReport
from .workload import analyse_workload as _analyse_workload

FORMATS = ("table", "json", "csv")


def load_dataset(folder: str | Path) -> Dataset:
    """Load and validate a dataset folder; raises :class:`InputError` listing every problem."""
    return _load_dataset(folder)


def analyse_workload(dataset: Dataset, *, wke_hours: int | None = None) -> WorkloadReport:
    """ABK per position, unit and OPD, and teacher need per school and subject.

    ``wke_hours`` overrides the dataset's effective working hours; it must be one of
    :data:`~decision_support.models.WKE_CHOICES` (1200, 1250, 1300). Raises ``ValueError`` otherwise.
    """
    if wke_hours is not None and wke_hours not in WKE_CHOICES:
        raise ValueError(f"wke_hours must be one of {sorted(WKE_CHOICES)}, not {wke_hours!r}")
    return _analyse_workload(dataset, wke_hours=wke_hours)


def render_workload(report: WorkloadReport, *, view: str = "unit", fmt: str = "table", sort: str = "ej") -> str:
    """Render ``report`` for people (``table``, in the active language) or machines (``json``, ``csv``).

    Raises ``ValueError`` for a ``view``, ``fmt`` or ``sort`` not in :data:`VIEWS`, :data:`FORMATS`, :data:`SORTS`.
    """
    for name, value, allowed in (("view", view, VIEWS), ("fmt", fmt, FORMATS), ("sort", sort, SORTS)):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    return render(report, view, fmt, sort)


__all__ = ["FORMATS", "SORTS", "VIEWS", "analyse_workload", "load_dataset", "render_workload"]
