"""Alembic environment of the records store: run by :func:`decision_support.records.open_store` on the
connection it opened (``config.attributes["connection"]``), or by ``alembic`` with ``sqlalchemy.url`` set."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from decision_support.records.schema import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(connection: sa.Connection) -> None:
    # render_as_batch: SQLite alters a table by copying it; later migrations work there too.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
