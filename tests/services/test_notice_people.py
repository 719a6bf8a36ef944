"""``notice_people``: whom each notice concerns, written with it; erasure and "what did we send to whom"
read it, never the payload's text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from clocks import TestClock
from notice_examples import example
from sqlalchemy import select, update

from app.bootstrap import create_services
from app.config import load_settings
from app.db.engine import create_session_factory
from app.db.models import Member, Notice, NoticePerson
from app.services import outbox
from app.services.people import Person

NOW = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def services(engine):
    settings = load_settings(
        _env_file=None, slack_bot_token="xoxb-test", slack_signing_secret="secret", database_url="sqlite://"
    )
    return create_services(engine, settings, TestClock(NOW))


def enqueue(engine, kind: str, key: str, **people: str) -> None:
    with create_session_factory(engine).begin() as session:
        outbox.enqueue(session, example(kind, key, **people), now=NOW)


def people_of(engine, key: str) -> set[tuple[str, bool]]:
    with engine.connect() as connection:
        return set(
            connection.execute(
                select(NoticePerson.user_id, NoticePerson.addressee)
                .join(Notice, Notice.id == NoticePerson.notice_id)
                .where(Notice.key == key)
            ).all()
        )


def keys(engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.scalars(select(Notice.key)))


def mark(engine, status: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(Notice).values(status=status, sent_at=NOW))


def add_member(engine, user_id: str) -> None:
    with create_session_factory(engine).begin() as session:
        session.add(Member(user_id=user_id, display_name=user_id, tz="UTC", created_at=NOW, updated_at=NOW))


def test_enqueue_writes_whom_a_notice_goes_to_and_whom_it_names_once(engine):
    enqueue(engine, "mentor_request", "meeting:1:request", to="UMIA", other="UASH")
    enqueue(engine, "mentor_request", "meeting:1:request", to="UMIA", other="UASH")  # idempotent
    enqueue(engine, "coffee_intro", "coffee:1:1:intro", to="UBO", other="UCY")
    assert people_of(engine, "meeting:1:request") == {("UMIA", True), ("UASH", False)}
    assert people_of(engine, "coffee:1:1:intro") == {("UBO", True), ("UCY", True)}
    with engine.connect() as connection:
        assert len(connection.execute(select(NoticePerson)).all()) == 4


def test_erasure_finds_a_persons_notices_by_who_they_concern_not_by_text(engine, services):
    """U1 is erased: their sent notices go, whether sent to them or naming them; U10's and U11's stay,
    though a text search for "U1" would have matched them too."""
    for user_id in ("U1", "U10", "U11"):
        add_member(engine, user_id)
    enqueue(engine, "coffee_left_out", "left-out:U1", to="U1")
    enqueue(engine, "meeting_cancelled", "cancelled:by-U1", to="U10", other="U1")
    enqueue(engine, "request_declined", "declined:U10", to="U10", other="U11")  # offers U3
    enqueue(engine, "coffee_intro", "intro:U10-U11", to="U10", other="U11")
    mark(engine, "sent")
    enqueue(engine, "confirmation", "queued:U1", to="U1", other="U11")  # still on its way: it stays
    services.erasure.forget(Person("U1", "U1", "UTC"))
    assert keys(engine) == {"declined:U10", "intro:U10-U11", "queued:U1"}
    with engine.connect() as connection:
        left = set(connection.scalars(select(NoticePerson.user_id)))
        orphans = connection.execute(
            select(NoticePerson).where(NoticePerson.notice_id.not_in(select(Notice.id)))
        ).all()
    assert orphans == []  # a deleted notice's people went with it
    assert left == {"U10", "U11", "U3", "U1"}  # U1 only on the queued confirmation


def test_what_was_sent_to_whom(engine, services):
    enqueue(engine, "coffee_left_out", "left-out:UBO", to="UBO")
    enqueue(engine, "meeting_cancelled", "cancelled:1", to="UCY", other="UBO")  # names UBO, to UCY
    mark(engine, "sent")
    enqueue(engine, "coffee_paused", "paused:UBO", to="UBO")  # queued: not sent yet
    assert [n.key for n in services.outbox.sent_to("UBO")] == ["left-out:UBO"]
    assert [(n.kind, n.key) for n in services.outbox.sent_to("UCY")] == [("meeting_cancelled", "cancelled:1")]
