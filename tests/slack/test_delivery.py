"""The outbox dispatcher against a fake Slack that misbehaves: 429s, 5xx, drops, users who left."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from fakeslack import FakeSlack
from sqlalchemy import select, update

from app.bootstrap import create_services, create_web_client
from app.config import load_settings
from app.db.engine import create_session_factory
from app.db.models import Notice
from app.services import outbox
from app.slack.delivery import Dispatcher
from app.slack.pacing import DOCUMENTED_LIMITS, Limit, Pacer

MENTOR, ASKER = "UMENTOR01", "UASKER01"
START = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def fake_server():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake(fake_server):
    fake_server.reset()
    fake_server.add_user(MENTOR, "mia", tz="Europe/Berlin")
    fake_server.add_user(ASKER, "ash", tz="America/New_York")
    return fake_server


@pytest.fixture
def dispatcher(fake, engine):
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    services = create_services(engine, settings)
    # Generous starting limits, so what these tests wait for is Slack's Retry-After, not the pace.
    fast = {m: Limit(50.0, burst=50, per_channel=lim.per_channel) for m, lim in DOCUMENTED_LIMITS.items()}
    return Dispatcher(services.outbox, create_web_client(settings, for_delivery=True), Pacer(fast))


def enqueue_cancellation(engine, key="meeting:1:cancelled", to=ASKER):
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        outbox.enqueue(
            session,
            key=key,
            kind="meeting_cancelled",
            now=datetime.now(UTC),
            payload={
                "to": to,
                "by": MENTOR,
                "meeting_id": 1,
                "goal": "Talk about tests",
                "start": START.isoformat(),
                "tz": "America/New_York",
                "ask_id": 1,
                "by_mentor": True,
            },
        )


def notice_row(engine, key="meeting:1:cancelled"):
    with engine.connect() as connection:
        return connection.execute(select(Notice).where(Notice.key == key)).one()


def test_a_notice_is_sent_once_and_marked_sent(fake, engine, dispatcher):
    enqueue_cancellation(engine)
    enqueue_cancellation(engine)  # the same key again: idempotent, still one notice
    assert dispatcher.deliver_due() == 1
    assert dispatcher.deliver_due() == 0
    messages = fake.messages_in(fake.dm_channel_for(ASKER))
    assert len(messages) == 1 and "cancelled your conversation" in messages[0]["text"]
    row = notice_row(engine)
    assert (
        row.status == "sent"
        and row.channel_id == fake.dm_channel_for(ASKER)
        and row.message_ts == messages[0]["ts"]
    )


def test_rate_limited_waits_as_told_then_sends_once(fake, engine, dispatcher):
    enqueue_cancellation(engine)
    fake.fail_next("chat.postMessage", "ratelimited", retry_after=1, times=2)
    started = time.monotonic()
    assert dispatcher.deliver_due() == 1
    assert time.monotonic() - started >= 2  # Retry-After honoured twice
    assert len(fake.messages_in(fake.dm_channel_for(ASKER))) == 1
    assert fake.rate_limited_count["chat.postMessage"] == 2
    assert notice_row(engine).status == "sent"


def test_rate_limited_beyond_patience_goes_back_to_the_outbox(fake, engine, dispatcher):
    enqueue_cancellation(engine)
    fake.fail_next("conversations.open", "ratelimited", retry_after=1, times=4)  # outlasts the patience
    assert dispatcher.deliver_due() == 0
    row = notice_row(engine)
    assert row.status == "queued" and row.last_error == "ratelimited"
    assert fake.messages_in(fake.dm_channel_for(ASKER)) == []


@pytest.mark.parametrize(
    "error", ["user_not_found", "account_inactive", "cannot_dm_bot", "channel_not_found"]
)
def test_permanent_errors_fail_the_notice_with_the_reason(fake, engine, dispatcher, error):
    enqueue_cancellation(engine)
    fake.fail_next("conversations.open", error)
    assert dispatcher.deliver_due() == 1
    row = notice_row(engine)
    assert row.status == "failed" and row.last_error == error
    assert fake.messages_in(fake.dm_channel_for(ASKER)) == []


def test_server_errors_are_retried_later_not_dropped(fake, engine, dispatcher):
    enqueue_cancellation(engine)
    fake.fail_next("conversations.open", "internal_error", status=500, times=3)
    for attempt in range(1, 4):  # the outbox retries, with a backoff, rather than the client at once
        assert dispatcher.deliver_due() == 0
        row = notice_row(engine)
        assert row.status == "queued" and row.attempts == attempt and row.last_error == "internal_error"
        make_queued_notices_due(engine)  # instead of sleeping through the backoff
    assert dispatcher.deliver_due() == 1
    assert len(fake.messages_in(fake.dm_channel_for(ASKER))) == 1


@pytest.mark.parametrize("fault", ["drop", "server_error"])
def test_a_message_whose_answer_was_lost_is_not_posted_twice(fake, engine, dispatcher, fault):
    """Slack posted it but we never heard back: the retry finds it by its metadata instead of reposting."""
    enqueue_cancellation(engine)
    if fault == "drop":
        fake.drop_next("chat.postMessage", after_processing=True)
        assert dispatcher.deliver_due() == 0
    else:
        fake.drop_next("chat.postMessage", after_processing=True)
        assert dispatcher.deliver_due() == 0
        fake.fail_next("conversations.history", "internal_error", status=500)
        make_queued_notices_due(engine)
        assert dispatcher.deliver_due() == 0  # can't tell yet whether it was posted: wait, don't guess
    assert len(fake.messages_in(fake.dm_channel_for(ASKER))) == 1
    make_queued_notices_due(engine)
    assert dispatcher.deliver_due() == 1
    row = notice_row(engine)
    assert row.status == "sent"
    posted = fake.messages_in(fake.dm_channel_for(ASKER))
    assert len(posted) == 1
    assert (row.channel_id, row.message_ts) == (fake.dm_channel_for(ASKER), posted[0]["ts"])
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_a_retry_after_a_failure_before_slack_posts_still_sends(fake, engine, dispatcher):
    enqueue_cancellation(engine)
    fake.drop_next("chat.postMessage")  # lost on the way in: nothing was posted
    assert dispatcher.deliver_due() == 0
    make_queued_notices_due(engine)
    assert dispatcher.deliver_due() == 1
    assert len(fake.messages_in(fake.dm_channel_for(ASKER))) == 1
    assert len(fake.calls_to("conversations.history")) == 1  # looked first, found nothing, then posted


def test_a_user_who_left_is_a_permanent_failure(fake, engine, dispatcher):
    fake.deactivate_user(ASKER)
    enqueue_cancellation(engine)
    assert dispatcher.deliver_due() == 1
    assert notice_row(engine).status == "failed"


def make_queued_notices_due(engine):
    with engine.begin() as connection:
        connection.execute(update(Notice).where(Notice.status == "queued").values(due_at=datetime.now(UTC)))
