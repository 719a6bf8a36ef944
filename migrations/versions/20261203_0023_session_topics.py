"""session_topics: one row per topic of a hosted session, with its start, indexed (topic, start_at), so
``/mentor sessions #topic`` finds a rare topic's sessions without reading the calendar; the existing
sessions' topics (``hosted_sessions.topics``, ",python,sre,", which stays what is shown) are carried over.
hosted_sessions' (status, start_at) index gains ``id``: the lists order by (start_at, id), which
PostgreSQL could only serve by sorting every upcoming session.

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-03 11:30:00.000000

CREATE TABLE and CREATE/DROP INDEX only, never a batch rebuild (SQLite would drop tables' triggers).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0023"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "session_topics",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=30), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["hosted_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", "topic"),
    )
    op.create_index("ix_session_topics_topic_start_at", "session_topics", ["topic", "start_at", "session_id"])
    op.drop_index("ix_hosted_sessions_status_start_at", table_name="hosted_sessions")
    op.create_index("ix_hosted_sessions_status_start_at_id", "hosted_sessions", ["status", "start_at", "id"])
    _carry_topics()


def _carry_topics() -> None:
    bind = op.get_bind()
    sessions = sa.table(
        "hosted_sessions", sa.column("id", sa.Integer()), sa.column("topics", sa.String()),
        sa.column("start_at", sa.DateTime()),
    )  # fmt: skip
    topics = sa.table(
        "session_topics", sa.column("session_id", sa.Integer()), sa.column("topic", sa.String()),
        sa.column("start_at", sa.DateTime()),
    )  # fmt: skip
    rows = []
    query = sa.select(sessions.c.id, sessions.c.topics, sessions.c.start_at).order_by(sessions.c.id)
    for session_id, text, start_at in bind.execute(query).all():
        for topic in dict.fromkeys(t for t in (text or "").split(",") if t):
            rows.append({"session_id": session_id, "topic": topic, "start_at": start_at})
        if len(rows) >= BATCH:
            bind.execute(sa.insert(topics), rows)
            rows = []
    if rows:
        bind.execute(sa.insert(topics), rows)


def downgrade() -> None:
    op.drop_index("ix_hosted_sessions_status_start_at_id", table_name="hosted_sessions")
    op.create_index("ix_hosted_sessions_status_start_at", "hosted_sessions", ["status", "start_at"])
    op.drop_index("ix_session_topics_topic_start_at", table_name="session_topics")
    op.drop_table("session_topics")
