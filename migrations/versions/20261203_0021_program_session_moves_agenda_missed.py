"""program_sessions: moves, skips, the mentor's agenda, a missed session; program_endings.left_workspace

Revision ID: 0021
Revises: 0022
Create Date: 2026-12-03 06:20:00.000000

Plain ADD COLUMNs (no batch rebuild): neither table carries triggers, and a rebuild of program_sessions
would cascade-delete its answers on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0021"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SESSION_COLUMNS = (
    "missed_at",
    "agenda_asked_at",
    "agenda_version",
    "agenda",
    "skipped_at",
    "skipped_by",
    "moved_by",
    "moves",
)


def upgrade() -> None:
    op.add_column(
        "program_endings",
        sa.Column("left_workspace", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "program_sessions", sa.Column("moves", sa.SmallInteger(), server_default="0", nullable=False)
    )
    op.add_column("program_sessions", sa.Column("moved_by", sa.String(length=32), nullable=True))
    op.add_column("program_sessions", sa.Column("skipped_by", sa.String(length=32), nullable=True))
    op.add_column("program_sessions", sa.Column("skipped_at", sa.DateTime(), nullable=True))
    op.add_column("program_sessions", sa.Column("agenda", sa.Text(), nullable=True))
    op.add_column(
        "program_sessions", sa.Column("agenda_version", sa.SmallInteger(), server_default="0", nullable=False)
    )
    op.add_column("program_sessions", sa.Column("agenda_asked_at", sa.DateTime(), nullable=True))
    op.add_column("program_sessions", sa.Column("missed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMNs (SQLite 3.35+ has them): a batch rebuild of program_sessions would cascade-delete
    # its answers through the foreign key.
    for name in SESSION_COLUMNS:
        op.drop_column("program_sessions", name)
    op.drop_column("program_endings", "left_workspace")
