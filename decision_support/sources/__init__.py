"""Data sources: dataset folders of YAML, CSV and XLSX files, read with the location of every value."""

from .dataset_loader import load_dataset, load_dataset_with_notices

__all__ = ["load_dataset", "load_dataset_with_notices"]
