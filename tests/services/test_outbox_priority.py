"""The outbox claims what a person is waiting for before bulk, and bulk keeps its share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from notice_examples import example
from sqlalchemy import select

from app.db.engine import create_session_factory
from app.db.models import Notice
from app.services import outbox

T0 = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)


def enqueue(engine, key: str, kind: str, *, at: datetime = T0) -> None:
    with create_session_factory(engine).begin() as session:
        outbox.enqueue(session, example(kind, key), now=at)


def claim(engine, limit: int, *, urgent_only: bool = False) -> list[str]:
    box = outbox.Outbox(create_session_factory(engine), clock=lambda: T0 + timedelta(hours=1))
    return [n.key for n in box.claim_due(limit, urgent_only=urgent_only)]


def test_the_priority_comes_with_the_kind(engine):
    enqueue(engine, "a", "mentor_request")
    enqueue(engine, "b", "coffee_intro")
    enqueue(engine, "c", "confirmation")
    with engine.connect() as connection:
        got = dict(connection.execute(select(Notice.kind, Notice.priority)).all())
    assert got == {"mentor_request": outbox.NOW, "coffee_intro": outbox.BULK, "confirmation": outbox.NOW}


def test_a_request_queued_after_a_round_is_claimed_before_its_intros(engine):
    for i in range(20):
        enqueue(engine, f"intro{i}", "coffee_intro")
    enqueue(engine, "request", "mentor_request", at=T0 + timedelta(minutes=5))
    assert claim(engine, 10)[0] == "request"


def test_bulk_keeps_a_quarter_of_every_claim_while_urgent_keeps_coming(engine):
    for i in range(20):
        enqueue(engine, f"intro{i:02d}", "coffee_intro")
    for i in range(20):
        enqueue(engine, f"request{i:02d}", "mentor_request", at=T0 + timedelta(seconds=i))
    keys = claim(engine, 8)
    assert keys == [f"request{i:02d}" for i in range(6)] + ["intro00", "intro01"]


def test_urgent_fill_the_claim_when_bulk_is_short_and_the_other_way_round(engine):
    enqueue(engine, "intro", "coffee_intro")
    for i in range(10):
        enqueue(engine, f"request{i}", "mentor_request")
    assert sorted(claim(engine, 8)) == sorted(["intro"] + [f"request{i}" for i in range(7)])
    for i in range(10):
        enqueue(engine, f"late-intro{i}", "coffee_intro")
    keys = claim(engine, 8)
    assert keys[:3] == ["request7", "request8", "request9"] and len(keys) == 8


def test_a_long_run_can_ask_for_the_urgent_only(engine):
    enqueue(engine, "intro", "coffee_intro")
    enqueue(engine, "expired", "request_expired")
    assert claim(engine, 5, urgent_only=True) == ["expired"]
    assert claim(engine, 5, urgent_only=True) == []
