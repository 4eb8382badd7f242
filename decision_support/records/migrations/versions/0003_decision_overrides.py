"""Per-move override reasons of a decision (approved moves the active rules did not find eligible).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: decisions taken before this revision overrode nothing and keep their audited payload unchanged.
    op.add_column("decisions", sa.Column("overrides", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("decisions", "overrides")
