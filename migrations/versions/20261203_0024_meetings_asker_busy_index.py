"""meetings (status, start_at, asker_id): every ask reads the 1:1s that mentors hold as askers in the
offers' horizon (their busy time, issue #12) from this index alone, not ~6,600 table rows

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-03 11:40:00.000000

CREATE INDEX doesn't rebuild the table, so the register's change triggers on meetings stay.
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0024"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_meetings_status_start_at_asker_id", "meetings", ["status", "start_at", "asker_id"])


def downgrade() -> None:
    op.drop_index("ix_meetings_status_start_at_asker_id", table_name="meetings")
