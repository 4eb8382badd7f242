"""seimbang: decision support for balanced transfers (mutasi) of ASN.

The package's public API is :mod:`decision_support.api`; everything it lists is re-exported here, so
``decision_support.__all__ == decision_support.api.__all__``. Everything else may change between
versions; see docs/api.md.
"""

from . import api
from .api import *  # noqa: F403 (the public surface, listed once in api.__all__)
from .api import __version__  # noqa: F401 (also in __all__, via api)

__all__ = list(api.__all__)
