"""Many people clicking Join on the same session at once: exactly as many seats as it has, the rest on
the waitlist, no error. Real concurrent transactions (threads, each with its own connection), on SQLite
and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from clocks import TestClock
from sqlalchemy import func, select

from app.bootstrap import create_services
from app.config import load_settings
from app.db.models import HostedSession, SessionSeat
from app.domain.formats import Format, SessionPlan, Where
from app.services.people import Person

HOST = Person("UHOST", "Hana Host", "Europe/Berlin")


@pytest.fixture
def services(engine):
    settings = load_settings(
        _env_file=None, slack_bot_token="xoxb-test", slack_signing_secret="secret", database_url="sqlite://"
    )
    return create_services(engine, settings, TestClock())


def _session(services, seats: int) -> int:
    services.register.join(HOST, ("python",))
    start = TestClock().now() + timedelta(days=2)
    plan = SessionPlan(Format.COWORKING, "Coworking", start, timedelta(hours=2), seats, Where.ONLINE)
    return services.hosting.host(HOST, plan).session_id


def _click_at_once(services, session_id: int, people: list[Person]) -> dict[str, object]:
    barrier = threading.Barrier(len(people))
    results: dict[str, object] = {}

    def click(person: Person) -> None:
        barrier.wait()
        try:
            results[person.user_id] = services.hosting.join(person, session_id)
        except Exception as exc:
            results[person.user_id] = exc

    threads = [threading.Thread(target=click, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("attempt", range(2))
def test_the_last_seat_goes_to_exactly_one(services, engine, attempt):
    session_id = _session(services, seats=3)
    for i in range(2):
        assert services.hosting.join(Person(f"UEARLY{i}", "Early", "UTC"), session_id).seated
    people = [Person(f"URACE{i}", f"Racer {i}", "UTC") for i in range(12)]
    results = _click_at_once(services, session_id, people)
    errors = [r for r in results.values() if isinstance(r, Exception)]
    assert errors == []
    seated = [uid for uid, r in results.items() if r.seated]  # type: ignore[union-attr]
    assert len(seated) == 1 and len(results) == len(people)
    # Each is told a place on the waitlist as far as it could see (concurrent joiners don't see each other).
    assert all(r.position >= 1 for r in results.values() if not r.seated)  # type: ignore[union-attr]
    with engine.connect() as c:
        taken = c.scalar(select(HostedSession.taken).where(HostedSession.id == session_id))
        rows = c.scalar(select(func.count()).select_from(SessionSeat).where(SessionSeat.status == "taken"))
        waiting = c.scalar(
            select(func.count()).select_from(SessionSeat).where(SessionSeat.status == "waitlisted")
        )
    assert taken == rows == 3 and waiting == len(people) - 1


def test_a_crowd_fills_every_seat_and_no_more(services, engine):
    session_id = _session(services, seats=7)
    people = [Person(f"UCROWD{i}", f"Crowd {i}", "UTC") for i in range(20)]
    results = _click_at_once(services, session_id, people)
    assert [r for r in results.values() if isinstance(r, Exception)] == []
    assert sum(1 for r in results.values() if r.seated) == 7  # type: ignore[union-attr]
    with engine.connect() as c:
        by_status = dict(
            c.execute(select(SessionSeat.status, func.count()).group_by(SessionSeat.status)).all()
        )
    assert by_status == {"taken": 7, "waitlisted": 13}
