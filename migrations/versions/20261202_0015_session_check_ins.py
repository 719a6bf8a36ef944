"""hosted_sessions.check_ins: a coworking session's host asked for a check-in prompt every 30 minutes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 19:40:00.000000

A plain ADD COLUMN (no batch rebuild): hosted_sessions carries no triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "hosted_sessions", sa.Column("check_ins", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("hosted_sessions") as batch:
        batch.drop_column("check_ins")
