"""hosted_sessions (group mentoring, group lunches, coworking) and session_seats (taken, waitlisted, left)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 16:30:00.000000

Tables of their own; members is not touched (it carries the register's change triggers, migration 0005).
``hosted_sessions.taken`` counts taken seats so a join is one conditional UPDATE on both databases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hosted_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("host_id", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("topics", sa.String(length=400), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("seats", sa.SmallInteger(), nullable=False),
        sa.Column("taken", sa.SmallInteger(), nullable=False),
        sa.Column("where", sa.String(length=12), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("gathered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["members.user_id"],
            name=op.f("fk_hosted_sessions_host_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
            name=op.f("fk_hosted_sessions_office_id_offices"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hosted_sessions")),
    )
    op.create_index(op.f("ix_hosted_sessions_host_id"), "hosted_sessions", ["host_id"], unique=False)
    op.create_index(
        "ix_hosted_sessions_status_start_at", "hosted_sessions", ["status", "start_at"], unique=False
    )
    op.create_table(
        "session_seats",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["hosted_sessions.id"],
            name=op.f("fk_session_seats_session_id_hosted_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["members.user_id"],
            name=op.f("fk_session_seats_user_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_seats")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_session_seats_session_id_user_id")),
    )
    op.create_index(
        "ix_session_seats_session_id_status_since",
        "session_seats",
        ["session_id", "status", "since"],
        unique=False,
    )
    op.create_index(op.f("ix_session_seats_user_id"), "session_seats", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_session_seats_user_id"), table_name="session_seats")
    op.drop_index("ix_session_seats_session_id_status_since", table_name="session_seats")
    op.drop_table("session_seats")
    op.drop_index("ix_hosted_sessions_status_start_at", table_name="hosted_sessions")
    op.drop_index(op.f("ix_hosted_sessions_host_id"), table_name="hosted_sessions")
    op.drop_table("hosted_sessions")
