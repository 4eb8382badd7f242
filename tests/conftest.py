"""Shared pytest configuration for the seimbang test suite.

Keep this file additive: each helper adds its own option or fixture without
changing the others.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help=(
            "Rewrite golden files (tests/corpus/*/expected.txt) from the actual output instead of comparing. "
            "Cases marked with xfail.txt are never rewritten. Review the diff before committing."
        ),
    )
    parser.addoption(
        "--update-docs",
        action="store_true",
        default=False,
        help=(
            "Rewrite the examples in docs/*.md (```console blocks and marked file blocks) from the real output "
            "instead of comparing. Read the diff and the prose around each changed block before committing."
        ),
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files (``pytest --update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def update_docs(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite the docs examples (``pytest --update-docs``)."""
    return bool(request.config.getoption("--update-docs"))


# Tests never load plugins installed in the environment (entry-point group "seimbang"): each test that needs a
# plugin registers it itself, so the suite's results do not depend on what else is installed.
os.environ["SEIMBANG_PLUGINS_AUTOLOAD"] = "0"


# The HTTP service on SQLite, one server process shared by the service test files (tests/service_fixtures.py).
from service_fixtures import sqlite_server  # noqa: E402, F401
