"""offices (kept by admins, each with its time zone); members.office_id and office_days

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:20:00.000000

Existing members have no office (NULL): nothing changes for them until they say where they work.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offices")),
        sa.UniqueConstraint("name", name=op.f("uq_offices_name")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("office_days", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_members_office_id"), ["office_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_members_office_id_offices"), "offices", ["office_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_members_office_id_offices"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_members_office_id"))
        batch_op.drop_column("office_days")
        batch_op.drop_column("office_id")
    op.drop_table("offices")
