"""The first records schema: audit chain, tokens, rule files and activations, proposals with their versions,
simulation evidence, decisions and jobs.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LONG = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
OPTIONS: dict[str, Any] = {"mysql_charset": "utf8mb4", "mariadb_charset": "utf8mb4"}
GENESIS = "0" * 64


def _actor(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(200), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(32), nullable=nullable)


def upgrade() -> None:
    head = op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        **OPTIONS,
    )
    # The one row every writer locks: appends to the audit chain are serialised through it.
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        _time("at"),
        _actor("actor"),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("payload", LONG, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        **OPTIONS,
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("nip", sa.String(18), nullable=True),
        sa.Column("secret_sha256", sa.String(64), nullable=False, unique=True),
        _time("created_at"),
        _actor("created_by"),
        _time("revoked_at", True),
        _actor("revoked_by", True),
        **OPTIONS,
    )
    op.create_table(
        "rule_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("pack", sa.String(100), nullable=True),
        sa.Column("version", sa.String(50), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", LONG, nullable=False),
        _time("uploaded_at"),
        _actor("uploaded_by"),
        **OPTIONS,
    )
    op.create_table(
        "rule_activations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_ids", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        _time("activated_at"),
        _actor("activated_by"),
        **OPTIONS,
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("content", LONG, nullable=False),
        _time("created_at"),
        _actor("created_by"),
        _time("updated_at"),
        _actor("updated_by"),
        **OPTIONS,
    )
    op.create_table(
        "proposal_versions",
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("content", LONG, nullable=False),
        _time("at"),
        _actor("actor"),
        **OPTIONS,
    )
    op.create_table(
        "simulations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
        sa.Column("proposal_version", sa.Integer, nullable=False),
        sa.Column("scenario_text", LONG, nullable=False),
        sa.Column("scenario_sha256", sa.String(64), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("replications", sa.Integer, nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("results", LONG, nullable=False),
        _time("at"),
        _actor("actor"),
        **OPTIONS,
    )
    op.create_index("ix_simulations_proposal_id", "simulations", ["proposal_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
        sa.Column("proposal_version", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("sk_number", sa.String(100), nullable=True),
        sa.Column("tmt", sa.String(10), nullable=True),
        sa.Column("corrects", sa.Integer, sa.ForeignKey("decisions.id"), nullable=True),
        _time("at"),
        _actor("actor"),
        **OPTIONS,
    )
    op.create_index("ix_decisions_proposal_id", "decisions", ["proposal_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("request", LONG, nullable=False),
        _actor("actor"),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=True),
        sa.Column("result", LONG, nullable=True),
        sa.Column("problem", sa.Text, nullable=True),
        _time("created_at"),
        _time("started_at", True),
        _time("finished_at", True),
        **OPTIONS,
    )
    op.create_index("ix_jobs_state", "jobs", ["state"])


def downgrade() -> None:
    for index, table in (
        ("ix_jobs_state", "jobs"),
        ("ix_decisions_proposal_id", "decisions"),
        ("ix_simulations_proposal_id", "simulations"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "jobs",
        "decisions",
        "simulations",
        "proposal_versions",
        "proposals",
        "rule_activations",
        "rule_files",
        "tokens",
        "audit_log",
        "chain_head",
    ):
        op.drop_table(table)
