"""Open the records database (migrating it to the current schema) and write to it one transaction at a time.

``open_store(url)``: a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://...``,
``mysql+pymysql://...``), a plain file path (SQLite), or None for ``$SEIMBANG_DB``, else
``seimbang-data/seimbang.db`` in the working directory. The schema is brought to the newest Alembic revision
shipped in ``migrations/`` before the store is returned.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from ..i18n import _
from . import audit
from .errors import StoreUnavailable

DB_ENV_VAR = "SEIMBANG_DB"
DEFAULT_PATH = Path("seimbang-data") / "seimbang.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(url: str | os.PathLike[str] | None = None) -> str:
    """The database URL to use: ``url``, else ``$SEIMBANG_DB``, else the SQLite file in ``seimbang-data/``."""
    chosen = str(url) if url is not None else os.environ.get(DB_ENV_VAR) or str(DEFAULT_PATH)
    if "://" in chosen:
        return chosen
    path = Path(chosen).expanduser()
    return f"sqlite:///{path.absolute()}"


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _engine(url: str) -> sa.Engine:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreUnavailable(_("not a database URL: {url}").format(url=url)) from None
    if parsed.get_backend_name() != "sqlite":
        try:
            return sa.create_engine(parsed, pool_pre_ping=True)
        except (sa.exc.ArgumentError, ImportError) as exc:
            reason = str(exc).splitlines()[0]
            message = _("cannot use the database URL {url}: {reason}")
            raise StoreUnavailable(message.format(url=redacted(url), reason=reason)) from None
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, connect_args={"timeout": 60, "check_same_thread": False})
    _serialise_sqlite_writers(engine)
    return engine


#: Execution option marking a connection that writes (SQLite then takes the write lock when it begins).
WRITE_OPTION = "seimbang_write"


def _serialise_sqlite_writers(engine: sa.Engine) -> None:
    """pysqlite's own BEGIN comes late and deferred; ours comes at once, IMMEDIATE for a writer so that two
    writers never interleave, and deferred for a reader, which then sees one snapshot (SQLAlchemy's documented
    recipe). Foreign keys are on, as on the other databases."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest revision (``alembic upgrade head``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn, conn.execution_options(**{WRITE_OPTION: True}).begin():
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class Database:
    """The engine and the one way to write: a transaction that holds the audit chain's head lock."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A transaction for a state change: the chain head is locked first, so writers queue up here."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                audit.lock_head(conn)
                yield conn

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn


def connect(url: str | os.PathLike[str] | None = None, *, upgrade: bool = True) -> Database:
    """The database at ``url`` (see :func:`resolve_url`), migrated to the newest schema unless ``upgrade`` is off."""
    resolved = resolve_url(url)
    engine = _engine(resolved)
    try:
        if upgrade:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreUnavailable(
            _("cannot open the records database {url}: {reason}").format(url=redacted(resolved), reason=reason)
        ) from None
    return Database(engine)


def new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key an INSERT generated."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
