"""program surveys, alumni channels, coach sends (programs part 2: coaches, the end of a wave)

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-03 06:30:00.000000

New tables only: no existing table is altered (so nothing is batch-rebuilt on SQLite). The lead
re-chains down_revision at merge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0022"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "program_surveys",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("goal", sa.String(length=8), nullable=True),
        sa.Column("experience", sa.String(length=8), nullable=True),
        sa.Column("business", sa.String(length=10), nullable=True),
        sa.Column("personal", sa.String(length=10), nullable=True),
        sa.Column("brand", sa.Boolean(), nullable=True),
        sa.Column("alumni", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["wave_id"],
            ["program_waves.id"],
            name=op.f("fk_program_surveys_wave_id_program_waves"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("wave_id", "user_id", name=op.f("pk_program_surveys")),
    )
    op.create_table(
        "program_alumni",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_program_alumni_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_program_alumni")),
    )
    op.create_table(
        "program_coach_sends",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_program_coach_sends")),
    )


def downgrade() -> None:
    op.drop_table("program_coach_sends")
    op.drop_table("program_alumni")
    op.drop_table("program_surveys")
