"""The tables of the records store (SQLAlchemy Core), one migration per change under ``migrations/``.

Timestamps are ISO-8601 UTC strings (``2026-12-06T03:40:00.123456Z``) and JSON documents are text: both read
back byte for byte on SQLite, PostgreSQL and MariaDB, which the audit hash chain and replay rely on.
Long documents (explanations, simulation results) are LONGTEXT on MariaDB, whose TEXT holds only 64 KiB.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

#: JSON documents and YAML texts of any size.
LongText = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
#: ISO-8601 UTC timestamp with microseconds.
Timestamp = sa.String(32)
#: MariaDB tables hold Indonesian names and reasons in full Unicode.
TABLE_OPTIONS: dict[str, Any] = {"mysql_charset": "utf8mb4", "mariadb_charset": "utf8mb4"}

metadata = sa.MetaData()

chain_head = sa.Table(
    "chain_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    **TABLE_OPTIONS,
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("entity_id", sa.String(64), nullable=False),
    sa.Column("payload", LongText, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    **TABLE_OPTIONS,
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("nip", sa.String(18), nullable=True),
    sa.Column("secret_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("revoked_at", Timestamp, nullable=True),
    sa.Column("revoked_by", sa.String(200), nullable=True),
    **TABLE_OPTIONS,
)

rule_files = sa.Table(
    "rule_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("pack", sa.String(100), nullable=True),
    sa.Column("version", sa.String(50), nullable=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("text", LongText, nullable=False),
    sa.Column("uploaded_at", Timestamp, nullable=False),
    sa.Column("uploaded_by", sa.String(200), nullable=False),
    **TABLE_OPTIONS,
)

rule_activations = sa.Table(
    "rule_activations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_ids", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("activated_at", Timestamp, nullable=False),
    sa.Column("activated_by", sa.String(200), nullable=False),
    **TABLE_OPTIONS,
)

proposals = sa.Table(
    "proposals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("content", LongText, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    **TABLE_OPTIONS,
)

proposal_versions = sa.Table(
    "proposal_versions",
    metadata,
    sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("content", LongText, nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    **TABLE_OPTIONS,
)

simulations = sa.Table(
    "simulations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False, index=True),
    sa.Column("proposal_version", sa.Integer, nullable=False),
    sa.Column("scenario_text", LongText, nullable=False),
    sa.Column("scenario_sha256", sa.String(64), nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("replications", sa.Integer, nullable=False),
    sa.Column("verdict", sa.String(32), nullable=False),
    sa.Column("results", LongText, nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    **TABLE_OPTIONS,
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False, index=True),
    sa.Column("proposal_version", sa.Integer, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("sk_number", sa.String(100), nullable=True),
    sa.Column("tmt", sa.String(10), nullable=True),
    sa.Column("corrects", sa.Integer, sa.ForeignKey("decisions.id"), nullable=True),
    # Canonical JSON {NIP: reason} for approved moves the rules did not find eligible (migration 0003).
    sa.Column("overrides", sa.Text, nullable=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    **TABLE_OPTIONS,
)

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("request", LongText, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=True),
    sa.Column("result", LongText, nullable=True),
    sa.Column("problem", sa.Text, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("started_at", Timestamp, nullable=True),
    sa.Column("finished_at", Timestamp, nullable=True),
    **TABLE_OPTIONS,
)

#: Employees' own views (wishes, objections, hopes) as they submit them over HTTP: every submission is a new
#: version of the employee's record, earlier versions kept (append-only).
participation_records = sa.Table(
    "participation_records",
    metadata,
    sa.Column("nip", sa.String(18), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("views", LongText, nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    **TABLE_OPTIONS,
)
