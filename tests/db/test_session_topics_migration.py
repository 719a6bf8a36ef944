"""Migration 0023 carries the topics of the sessions already on the calendar into ``session_topics``
(rows as revision 0020 wrote them), on SQLite and PostgreSQL, and the lists by topic then find them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from old_rows import table_of
from sqlalchemy import text

from app.db import session_queries as sq
from app.db.engine import create_db_engine, create_session_factory
from app.db.migrate import alembic_config
from app.db.types import UTCDateTime

WRITTEN = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


def write_sessions_at_0020(url: str) -> None:
    command.upgrade(alembic_config(url), "0020")
    s, i, b, d = sa.String(), sa.Integer(), sa.Boolean(), UTCDateTime()
    members = table_of("members", user_id=s, display_name=s, tz=s, created_at=d, updated_at=d)
    sessions = table_of(
        "hosted_sessions", id=i, host_id=s, format=s, title=s, topics=s, start_at=d, minutes=i, seats=i,
        taken=i, where=s, description=s, status=s, sequence=i, check_ins=b, created_at=d, updated_at=d,
    )  # fmt: skip
    engine = create_db_engine(url)
    try:
        with engine.begin() as c:
            c.execute(sa.insert(members), [dict(user_id="UHOST", display_name="Hana", tz="UTC",
                                                created_at=WRITTEN, updated_at=WRITTEN)])  # fmt: skip
            rows = [
                (1, ",python,sre,", WRITTEN + timedelta(days=2), "open"),
                (2, ",haskell,", WRITTEN + timedelta(days=3), "open"),
                (3, "", WRITTEN + timedelta(days=1), "open"),
                (4, ",python,", WRITTEN + timedelta(days=1), "cancelled"),
            ]
            c.execute(
                sa.insert(sessions),
                [
                    dict(
                        id=n,
                        host_id="UHOST",
                        format="group",
                        title=f"Session {n}",
                        topics=topics,
                        start_at=start,
                        minutes=45,
                        seats=3,
                        taken=0,
                        where="online",
                        description="",
                        status=status,
                        sequence=0,
                        check_ins=False,
                        created_at=WRITTEN,
                        updated_at=WRITTEN,
                    )
                    for n, topics, start, status in rows
                ],
            )
    finally:
        engine.dispose()


def test_the_topics_of_sessions_already_hosted_are_carried_over(empty_database_url):
    write_sessions_at_0020(empty_database_url)
    command.upgrade(alembic_config(empty_database_url), "head")
    engine = create_db_engine(empty_database_url)
    try:
        with engine.connect() as c:
            carried = c.execute(
                text("SELECT session_id, topic FROM session_topics ORDER BY session_id, topic")
            ).all()
        assert [tuple(r) for r in carried] == [(1, "python"), (1, "sre"), (2, "haskell"), (4, "python")]
        with create_session_factory(engine)() as session:

            def listed(*topics: str) -> list[int]:
                page = sq.upcoming(session, now=WRITTEN, viewer="UASH", topics=topics)
                return [item.row.id for item in page]

            assert listed("python") == [1]  # 4 was cancelled
            assert listed("haskell") == [2]
            assert listed("sre", "haskell") == [1, 2]
            assert listed() == [3, 1, 2]
    finally:
        engine.dispose()
    command.downgrade(alembic_config(empty_database_url), "0020")
