"""notices.priority (what a person waits for before bulk); coffee_participants.first_in_line_since

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 02:30:00.000000

Rows queued before this revision get the priority of their kind, so they still deliver, in the right
lane, after the upgrade. The kinds are those of ``app.services.outbox.PRIORITY_BY_KIND`` at this revision
(copied, not imported: a migration must not change when the app does).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW_KINDS = (
    "mentor_request",
    "request_closed",
    "confirmation",
    "request_declined",
    "request_expired",
    "meeting_cancelled",
    "home_refresh",
)


def upgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.SmallInteger(), server_default="0", nullable=False))
        batch_op.drop_index("ix_notices_status_due_at")
        batch_op.create_index(
            "ix_notices_status_priority_due_at", ["status", "priority", "due_at"], unique=False
        )
    notices = sa.table("notices", sa.column("kind", sa.String()), sa.column("priority", sa.SmallInteger()))
    op.execute(notices.update().where(notices.c.kind.in_(NOW_KINDS)).values(priority=1))

    with op.batch_alter_table("coffee_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_in_line_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("coffee_participants", schema=None) as batch_op:
        batch_op.drop_column("first_in_line_since")

    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_status_priority_due_at")
        batch_op.create_index("ix_notices_status_due_at", ["status", "due_at"], unique=False)
        batch_op.drop_column("priority")
