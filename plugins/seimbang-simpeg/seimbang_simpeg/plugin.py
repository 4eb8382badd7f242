"""The hooks: ``seimbang import`` and ``--source URL --mapping FILE`` for SQLAlchemy URLs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from decision_support.api import Dataset, ImportSummary, InputError, Location, Problem, SourceRequest, hookimpl
from decision_support.api import load_dataset as _load_dataset

from .importer import import_database, is_csv_export

#: URL schemes (SQLAlchemy dialects) this plugin reads.
SCHEMES = ("sqlite", "mysql", "mariadb", "postgresql")


def _mine(request: SourceRequest) -> bool:
    if is_csv_export(request.location):
        return request.mapping is not None  # the SIASN CSV export, read through a mapping with a 'csv:' section
    scheme = request.location.split("://", 1)[0].split("+", 1)[0] if "://" in request.location else ""
    return scheme in SCHEMES


def _mapping(request: SourceRequest) -> Path:
    if request.mapping is None:
        raise InputError([Problem(Location(request.location), "a database source needs a mapping file (--mapping)")])
    return request.mapping


@hookimpl
def seimbang_import(request: SourceRequest, output: Path) -> ImportSummary | None:
    if not _mine(request):
        return None
    return import_database(request.location, _mapping(request), output, progress=request.progress)


@hookimpl
def seimbang_source(request: SourceRequest) -> Dataset | None:
    """The database as a validated dataset, through a temporary dataset folder (removed afterwards)."""
    if not _mine(request):
        return None
    with tempfile.TemporaryDirectory(prefix="seimbang-simpeg-") as folder:
        output = Path(folder) / "dataset"
        summary = import_database(request.location, _mapping(request), output, progress=request.progress, check=False)
        if summary.skipped:
            # Fail closed: decisions on a workforce with people silently missing would not be true.
            problems = [
                Problem(Location(f"{request.location} {row.table}"), row.reason, entity=row.key)
                for row in summary.skipped
            ]
            problems.append(
                Problem(
                    Location(request.location),
                    f"{len(summary.skipped)} rows cannot be mapped; fix them in the source or the mapping, or run "
                    "'seimbang import' to write a dataset folder without them",
                )
            )
            raise InputError(problems)
        return _load_dataset(output)
