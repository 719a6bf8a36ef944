"""The register change log (migration 0005): written by triggers, gapless, in commit order, pruned.

The in-memory register of every bot process (app.services.register_cache) is only as good as this log,
so these tests pin down what it promises, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, text, update

from app.db.engine import create_session_factory
from app.db.models import Member, MentorProfile, RegisterChange

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TABLES = ("members", "mentor_profiles", "mentor_topics", "meetings")


def _mentor(session, user_id: str) -> None:
    session.add(Member(user_id=user_id, display_name=user_id, tz="UTC", created_at=NOW, updated_at=NOW))
    session.flush()
    session.add(
        MentorProfile(
            user_id=user_id,
            bio="",
            windows={},
            capacity_per_week=2,
            available=True,
            joined_at=NOW,
            updated_at=NOW,
        )
    )


def _log(engine) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(RegisterChange.version, RegisterChange.user_id).order_by(RegisterChange.version)
            )
        ]


SQLITE_TRIGGERS = (
    "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'register_changes_%'"
)
PG_TRIGGERS = (
    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "WHERE t.tgname LIKE 'register_changes_%' AND c.relnamespace = to_regnamespace(current_schema())::oid"
)


def test_every_table_matching_reads_has_its_triggers(engine, backend):
    """A migration that rebuilds one of these tables on SQLite (batch mode) drops its triggers."""
    with engine.connect() as connection:
        rows = connection.execute(text(SQLITE_TRIGGERS if backend == "sqlite" else PG_TRIGGERS))
        tables = {row[0] for row in rows}
    assert set(TABLES) <= tables, f"register_changes triggers missing on {set(TABLES) - tables}"


def test_what_matching_reads_is_logged_and_nothing_else(engine):
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        _mentor(session, "UM1")
    with sessions.begin() as session:
        session.execute(
            update(Member).where(Member.user_id == "UM1").values(display_name="Mia", home_seen_at=NOW)
        )
        session.execute(update(MentorProfile).where(MentorProfile.user_id == "UM1").values(bio="Hello"))
    assert _log(engine) == [(1, "UM1")]  # the profile row; names, bios and Home visits don't matter
    with sessions.begin() as session:
        session.execute(update(Member).where(Member.user_id == "UM1").values(tz="Asia/Tokyo"))
        session.execute(update(MentorProfile).where(MentorProfile.user_id == "UM1").values(available=False))
    assert _log(engine) == [(1, "UM1"), (2, "UM1"), (3, "UM1")]


def test_a_rolled_back_change_leaves_no_row_and_no_gap(engine):
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        _mentor(session, "UM1")
    session = sessions()
    with session.begin():
        session.execute(update(MentorProfile).values(available=False))
        session.flush()
        session.rollback()
    session.close()
    with sessions.begin() as session:
        session.execute(update(MentorProfile).values(capacity_per_week=3))
    assert [version for version, _ in _log(engine)] == [1, 2]


def test_versions_stay_gapless_under_concurrent_writers(engine):
    sessions = create_session_factory(engine)
    writers, rounds = 6, 15
    with sessions.begin() as session:
        for n in range(writers):
            _mentor(session, f"UM{n}")
    start = len(_log(engine))
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def toggle(n: int) -> None:
        barrier.wait()
        try:
            for i in range(rounds):
                with sessions.begin() as session:
                    session.execute(
                        update(MentorProfile)
                        .where(MentorProfile.user_id == f"UM{n}")
                        .values(capacity_per_week=3 + i % 2)
                    )
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=toggle, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    versions = [version for version, _ in _log(engine)]
    assert versions == list(range(1, start + writers * rounds + 1))


def test_old_rows_are_pruned_every_thousandth_version(engine):
    sessions = create_session_factory(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(RegisterChange), [dict(version=1, user_id="old"), dict(version=19_999, user_id="recent")]
        )
    with sessions.begin() as session:
        _mentor(session, "UM1")  # version 20,000: rows 10,000 versions older go
    with engine.connect() as connection:
        assert connection.scalar(select(func.min(RegisterChange.version))) == 19_999
    assert _log(engine) == [(19_999, "recent"), (20_000, "UM1")]
