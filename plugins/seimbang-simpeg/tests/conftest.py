"""Databases for the adapter tests: SQLite always; MariaDB and PostgreSQL on this machine when they run.

Each server test creates its own uniquely named database and drops it afterwards; it never touches another one.
When a server is down the test is skipped with the reason (shown by pytest -ra), never passed.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

os.environ["SEIMBANG_PLUGINS_AUTOLOAD"] = "0"
REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "scripts"))

SERVERS = {
    "mariadb": os.environ.get("SEIMBANG_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306"),
    "postgresql": os.environ.get("SEIMBANG_TEST_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432"),
}


def server_database(kind: str) -> Iterator[str]:
    """The URL of a fresh database on the ``kind`` server, dropped afterwards; skip when the server is down."""
    base = SERVERS[kind]
    admin_url = base + ("/postgres" if kind == "postgresql" else "/")
    name = f"seimbang_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.OperationalError as exc:
        pytest.skip(f"{kind} server at {base.split('@')[-1]} is not reachable: {str(exc.orig).splitlines()[0]}")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            if kind == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


@pytest.fixture(params=["sqlite", "mariadb", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'simpeg.db'}"
    else:
        yield from server_database(request.param)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The core's messages inside the import's reasons, in English (the adapter's own reasons are English)."""
    from decision_support import api

    with api.language("en"):
        yield
