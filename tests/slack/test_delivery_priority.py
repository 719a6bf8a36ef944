"""A notice someone is waiting for overtakes a round's intros in the middle of a long, paced run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from app.bootstrap import create_services, create_web_client
from app.config import load_settings
from app.db.engine import create_session_factory
from app.sandbox.standin import FakeSlack
from app.services import notices, outbox
from app.slack.delivery import Dispatcher
from app.slack.pacing import Limit, Pacer

INTROS = 60
MENTOR = "UMENTOR01"


@pytest.fixture
def fake():
    with FakeSlack() as fake:
        yield fake


def test_a_mentor_request_queued_mid_round_goes_out_before_the_rest_of_the_round(fake, engine):
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    # conversations.open at 15 a second: the round takes about four seconds.
    pace = {
        "conversations.open": Limit(15.0, burst=1),
        "chat.postMessage": Limit(100.0, 10, per_channel=True),
    }
    dispatcher = Dispatcher(
        create_services(engine, settings).outbox, create_web_client(settings, for_delivery=True), Pacer(pace)
    )
    fake.add_user(MENTOR, "mia", tz="UTC")
    people = [f"UPEER{i:03d}" for i in range(2 * INTROS)]
    for person in people:
        fake.add_user(person, person.lower(), tz="UTC")
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        for i in range(INTROS):
            users = people[2 * i : 2 * i + 2]
            payload = {
                "users": users,
                "proposer": users[0],
                "icebreaker": "Tea?",
                "group_id": i,
                "people": {},
            }
            outbox.enqueue(
                session, notices.decode("coffee_intro", payload, key=f"intro:{i}"), now=datetime.now(UTC)
            )
    run = threading.Thread(target=dispatcher.drain)
    run.start()
    try:
        fake.wait_for(lambda: len(fake.calls_to("chat.postMessage", ok=True)) >= 5)
        with sessions.begin() as session:  # a mentor request comes in while the round is going out
            cancelled = {
                "to": MENTOR,
                "by": people[0],
                "meeting_id": 1,
                "goal": "Talk about tests",
                "start": "2030-03-04T10:00:00+00:00",
                "tz": "UTC",
                "ask_id": 1,
                "by_mentor": False,
            }
            outbox.enqueue(
                session,
                notices.decode("meeting_cancelled", cancelled, key="meeting:1:cancelled"),
                now=datetime.now(UTC),
            )
        fake.wait_for(lambda: fake.messages_in(fake.dm_channel_for(MENTOR)), timeout=10)
        intros_before = len(fake.calls_to("chat.postMessage", ok=True)) - 1
        assert intros_before < INTROS // 2, f"waited behind {intros_before} of {INTROS} intros"
    finally:
        run.join(timeout=30)
    assert len(fake.calls_to("chat.postMessage", ok=True)) == INTROS + 1  # and the round still finished
