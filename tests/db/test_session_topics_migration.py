"""Migration 0023 carries the topics of the sessions already on the calendar into ``session_topics``
(rows as revision 0020 wrote them), on SQLite and PostgreSQL, and the lists by topic then find them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db import session_queries as sq
from app.db.engine import create_db_engine, create_session_factory, normalise_url
from app.db.migrate import alembic_config
from app.db.types import UTCDateTime

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
WRITTEN = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'at_0020.sqlite3'}"
        return
    assert POSTGRES_URL is not None
    schema = f"mentorbot_topics_migration_{os.getpid()}"
    admin = create_db_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(normalise_url(POSTGRES_URL)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def _table(table_name: str, /, **columns: sa.types.TypeEngine) -> sa.TableClause:
    return sa.table(table_name, *(sa.column(c, t) for c, t in columns.items()))


def write_sessions_at_0020(url: str) -> None:
    command.upgrade(alembic_config(url), "0020")
    s, i, b, d = sa.String(), sa.Integer(), sa.Boolean(), UTCDateTime()
    members = _table("members", user_id=s, display_name=s, tz=s, created_at=d, updated_at=d)
    sessions = _table(
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
