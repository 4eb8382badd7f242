"""The built-in source: dataset folders, registered like any third-party plugin."""

from __future__ import annotations

from pathlib import Path

from ..models import Dataset
from ..sources import load_dataset
from .spec import SourceRequest, hookimpl

NAME = "dataset-folder"


@hookimpl(trylast=True)
def seimbang_source(request: SourceRequest) -> Dataset | None:
    """A location without ``://`` and without a mapping file is a dataset folder (problems: InputError)."""
    if request.mapping is not None or "://" in request.location:
        return None
    return load_dataset(Path(request.location))
