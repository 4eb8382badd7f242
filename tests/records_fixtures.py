"""Databases for the records tests: SQLite always; PostgreSQL and MariaDB on 127.0.0.1 when they run.

Each server test creates its own uniquely named database and drops it afterwards. A server that is down skips
its tests with the reason, except in CI (``CI=true``), where the servers are part of the setup and a missing
one fails the run instead of quietly skipping it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

SERVERS = {
    "mariadb": os.environ.get("SEIMBANG_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306"),
    "postgresql": os.environ.get("SEIMBANG_TEST_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432"),
}
KINDS = ("sqlite", "postgresql", "mariadb")


def _unreachable(kind: str, reason: str) -> None:
    message = f"{kind} server at {SERVERS[kind].split('@')[-1]} is not reachable: {reason}"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{message} (CI=true: the server must run)")
    pytest.skip(message)


def server_database(kind: str) -> Iterator[str]:
    """The URL of a fresh database on the ``kind`` server, dropped afterwards."""
    base = SERVERS[kind]
    admin_url = base + ("/postgres" if kind == "postgresql" else "/")
    name = f"seimbang_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            suffix = " CHARACTER SET utf8mb4" if kind == "mariadb" else ""
            conn.exec_driver_sql(f"CREATE DATABASE {name}{suffix}")
    except sa.exc.OperationalError as exc:
        admin.dispose()
        _unreachable(kind, str(exc.orig).splitlines()[0])
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            if kind == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.db'}"
    else:
        yield from server_database(kind)


@pytest.fixture(params=KINDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty records database on each of SQLite, PostgreSQL and MariaDB."""
    yield from database_url(request.param, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'records.db'}"
