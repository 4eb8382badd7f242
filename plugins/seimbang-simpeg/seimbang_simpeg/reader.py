"""Reading a SIMPEG database through SQLAlchemy: read-only, streamed, dialect-neutral SQL.

The queries are built with SQLAlchemy Core from the mapping (no SQL text from the mapping reaches the server), so
the same mapping runs on MariaDB/MySQL, PostgreSQL and SQLite. Every connection is read-only twice over: the
transaction is declared read-only (``SET TRANSACTION READ ONLY``, ``PRAGMA query_only`` on SQLite), and a guard
refuses to send any statement that is not a read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .mapping import Source, referenced_columns

#: Statements a read-only import may send; anything else is refused before it reaches the server.
READ_PREFIXES = ("select", "set transaction read only", "pragma query_only", "show ", "with ")
#: Rows fetched per round trip: memory stays bounded whatever the size of the table.
BATCH = 2000


class WriteRefused(RuntimeError):
    """A statement that is not a read was about to be sent on a read-only import connection."""


def _refuse_writes(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    if not statement.lstrip().lower().startswith(READ_PREFIXES):
        raise WriteRefused(f"refused on a read-only SIMPEG connection: {statement.split()[0]}")


def make_engine(url: str) -> Engine:
    engine = sa.create_engine(url)
    sa.event.listen(engine, "before_cursor_execute", _refuse_writes)
    return engine


@contextmanager
def read_only(engine: Engine) -> Iterator[Connection]:
    """A connection inside a read-only transaction, rolled back at the end (nothing to commit)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA query_only = ON")
        else:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        try:
            yield conn
        finally:
            conn.rollback()


def _label(column: str) -> str:
    alias, name = column.split(".")
    return f"{alias}__{name}"


def build_select(source: Source) -> tuple[sa.Select[Any], list[str], sa.Select[Any]]:
    """The SELECT for ``source`` (ordered by its key), the ``alias.column`` names it returns, and a row count."""
    columns = sorted({source.key, *referenced_columns(source.columns)})
    join_columns = {c for j in source.joins for pair in j.match.items() for c in referenced_columns(list(pair))}
    join_columns |= {j.latest for j in source.joins if j.latest}
    per_alias: dict[str, set[str]] = {}
    for column in {*columns, *join_columns}:
        alias, name = column.split(".")
        per_alias.setdefault(alias, set()).add(name)
    tables = {source.alias: sa.table(source.table, *[sa.column(c) for c in sorted(per_alias[source.alias])])}
    tables[source.alias] = tables[source.alias].alias(source.alias)  # type: ignore[assignment]
    joined: Any = tables[source.alias]
    for join in source.joins:
        table = sa.table(join.table, *[sa.column(c) for c in sorted(per_alias.get(join.alias, ()))]).alias(join.alias)
        tables[join.alias] = table  # type: ignore[assignment]
        conditions = []
        for left, right in join.match.items():
            lhs = tables[left.split(".")[0]].c[left.split(".")[1]]
            if isinstance(right, dict) and "value" in right:
                conditions.append(lhs == sa.literal(right["value"]))
            else:
                conditions.append(lhs == tables[right.split(".")[0]].c[right.split(".")[1]])
        if join.latest:
            conditions.append(_latest(join, per_alias[join.alias], table))
        joined = joined.outerjoin(table, sa.and_(*conditions))
    selected = [tables[c.split(".")[0]].c[c.split(".")[1]].label(_label(c)) for c in columns]
    key = tables[source.alias].c[source.key.split(".")[1]]
    query = sa.select(*selected).select_from(joined).order_by(key)
    count = sa.select(sa.func.count()).select_from(tables[source.alias])
    return query, columns, count


def _latest(join: Any, columns: set[str], table: Any) -> Any:
    """``table.latest = (SELECT MAX(latest) FROM same table WHERE same match columns)``: the newest history row."""
    other = sa.table(join.table, *[sa.column(c) for c in sorted(columns)]).alias(f"{join.alias}_latest")
    own = [left.split(".")[1] for left in join.match if left.split(".")[0] == join.alias]
    column = join.latest.split(".")[1]
    newest = sa.select(sa.func.max(other.c[column])).where(*[other.c[c] == table.c[c] for c in own])
    return table.c[column] == newest.scalar_subquery()


def stream_rows(conn: Connection, source: Source) -> tuple[int, Iterator[dict[str, Any]]]:
    """The number of rows of the source table, and its rows as ``{alias.column: value}``, fetched in batches."""
    query, columns, count = build_select(source)
    total = int(conn.execute(count).scalar_one())

    def rows() -> Iterator[dict[str, Any]]:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for row in result:
            yield {column: row._mapping[_label(column)] for column in columns}

    return total, rows()
