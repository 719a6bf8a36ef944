"""mentor_profiles.meeting_link: a mentor's optional personal https meeting link, for online 1:1s and
the online sessions they host; asks.lunch and meetings.minutes: in-person lunch asks and their length

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-03 06:30:00.000000

Plain ADD COLUMNs, never a batch rebuild: mentor_profiles and meetings carry the register's change
triggers, which SQLite drops when a table is rebuilt; ADD COLUMN keeps them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0020"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("mentor_profiles", sa.Column("meeting_link", sa.String(length=500), nullable=True))
    op.add_column("asks", sa.Column("lunch", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("meetings", sa.Column("minutes", sa.Integer(), nullable=True))
    # CREATE INDEX doesn't rebuild the table, so the triggers stay.
    op.create_index("ix_meetings_minutes_start_at", "meetings", ["minutes", "start_at"])


def downgrade() -> None:
    # A plain DROP COLUMN, not a batch rebuild, for the same reason (SQLite >= 3.35 drops it in place).
    op.drop_index("ix_meetings_minutes_start_at", table_name="meetings")
    op.drop_column("meetings", "minutes")
    op.drop_column("asks", "lunch")
    op.drop_column("mentor_profiles", "meeting_link")
