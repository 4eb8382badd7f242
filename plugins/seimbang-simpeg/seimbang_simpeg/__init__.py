"""seimbang-simpeg: SIMPEG and SIASN databases as seimbang datasets, through a mapping file (docs/simpeg.md)."""

from .importer import import_database
from .mapping import Mapping, load_mapping

__all__ = ["Mapping", "import_database", "load_mapping"]
