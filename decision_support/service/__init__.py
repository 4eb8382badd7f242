"""The HTTP service (``seimbang serve``): an outer layer over :mod:`decision_support.api` and the records store.

Nothing in the core imports it; it uses the core only through the public API (import-linter contracts in
pyproject.toml). Reference: docs/http-api.md.
"""

from __future__ import annotations

from .app import PREFIX, create_app
from .settings import ServiceSettings

__all__ = ["PREFIX", "ServiceSettings", "create_app"]
