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


@pytest.fixture(scope="session")
def dask_cluster():
    """One ``dask.distributed.LocalCluster`` (2 worker processes, 1 thread each) for the whole run; its workers
    load entry-point plugins (``SEIMBANG_PLUGINS_AUTOLOAD=1`` while they start), unlike this process."""
    distributed = pytest.importorskip("distributed")
    saved = os.environ.get("SEIMBANG_PLUGINS_AUTOLOAD")
    os.environ["SEIMBANG_PLUGINS_AUTOLOAD"] = "1"
    try:
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", host="127.0.0.1"
        )
    finally:
        os.environ["SEIMBANG_PLUGINS_AUTOLOAD"] = saved if saved is not None else "0"
    yield cluster
    cluster.close()


@pytest.fixture
def dask_url(dask_cluster) -> str:
    """``dask://HOST:PORT`` of :func:`dask_cluster`'s scheduler."""
    return dask_cluster.scheduler_address.replace("tcp://", "dask://")
