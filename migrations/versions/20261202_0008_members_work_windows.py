"""members.work_windows: a person's own working hours, so offers fall inside both people's day

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:15:00.000000

NULL (every existing row) means weekday 09:00-17:00 in the member's time zone, as before they could say.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_windows", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("work_windows")
