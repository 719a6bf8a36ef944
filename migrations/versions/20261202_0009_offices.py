"""offices (kept by admins, each with its time zone) and member_offices (where a member works, which days)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:20:00.000000

A table of its own rather than columns on members: on SQLite a new foreign-key column makes Alembic
rebuild members, and a rebuilt table loses the register's change triggers (migration 0005).
Existing members have no office: nothing changes for them until they say where they work.
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
    op.create_table(
        "member_offices",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("days", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
            name=op.f("fk_member_offices_office_id_offices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["members.user_id"],
            name=op.f("fk_member_offices_user_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_member_offices")),
    )
    op.create_index(op.f("ix_member_offices_office_id"), "member_offices", ["office_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_member_offices_office_id"), table_name="member_offices")
    op.drop_table("member_offices")
    op.drop_table("offices")
