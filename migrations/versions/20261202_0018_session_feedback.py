"""session_feedback: after a hosted session each seat holder's answers; hosted_sessions.feedback_asked_at;
session_seats.offer_expires_at (a freed seat is offered to the first waiting for a few hours)

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-02 20:00:00.000000

Plain ADD COLUMNs (no batch rebuild): hosted_sessions and session_seats carry no triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("hosted_sessions", sa.Column("feedback_asked_at", sa.DateTime(), nullable=True))
    op.add_column("session_seats", sa.Column("offer_expires_at", sa.DateTime(), nullable=True))
    op.create_table(
        "session_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("got_it", sa.String(length=8), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["hosted_sessions.id"],
            name=op.f("fk_session_feedback_session_id_hosted_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["members.user_id"],
            name=op.f("fk_session_feedback_user_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_feedback")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_session_feedback_session_id_user_id")),
    )
    op.create_index(op.f("ix_session_feedback_user_id"), "session_feedback", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_session_feedback_user_id"), table_name="session_feedback")
    op.drop_table("session_feedback")
    with op.batch_alter_table("session_seats") as batch:
        batch.drop_column("offer_expires_at")
    with op.batch_alter_table("hosted_sessions") as batch:
        batch.drop_column("feedback_asked_at")
