"""coffee_previews: the seed of a pool's last preview and a fingerprint of what it planned from

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-02 20:05:00.000000

A new table (nothing existing is altered): the round uses the kept seed while the fingerprint holds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coffee_previews",
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["pool_id"], ["coffee_pools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pool_id"),
    )


def downgrade() -> None:
    op.drop_table("coffee_previews")
