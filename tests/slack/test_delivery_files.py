"""A notice's calendar file across resends: with the operator's history check, a resend after a crash
uploads it only if the first try didn't; by default (no history scopes) a resend posts and uploads again,
at least once and never lost, as posting does."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from sqlalchemy import select, update

from app.bootstrap import create_services, create_web_client
from app.config import load_settings
from app.db.engine import create_session_factory
from app.db.models import Notice
from app.sandbox.standin import FakeSlack
from app.services import notices, outbox
from app.slack.delivery import Dispatcher
from app.slack.pacing import DOCUMENTED_LIMITS, Limit, Pacer

MENTOR, ASKER = "UMENTOR01", "UASKER01"
START = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
KEY = "meeting:9:confirmed"


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


def make_dispatcher(fake, engine, *, history_check: bool) -> Dispatcher:
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    fast = {m: Limit(50.0, burst=50, per_channel=lim.per_channel) for m, lim in DOCUMENTED_LIMITS.items()}
    return Dispatcher(
        create_services(engine, settings).outbox,
        create_web_client(settings, for_delivery=True),
        Pacer(fast),
        history_check=history_check,
    )


def enqueue_confirmation(engine) -> None:
    with create_session_factory(engine).begin() as session:
        outbox.enqueue(
            session,
            notices.Confirmation(
                key=KEY,
                users=(ASKER, MENTOR),
                asker_id=ASKER,
                mentor_id=MENTOR,
                meeting_id=9,
                goal="Talk about tests",
                topics=(),
                start=START,
                tzs={ASKER: "America/New_York", MENTOR: "Europe/Berlin"},
                at=datetime(2030, 3, 1, tzinfo=UTC),
            ),
            now=datetime.now(UTC),
        )


def crash_before_recording(engine) -> None:
    """What a process killed after Slack took the message and the file, before the outbox heard of it,
    leaves behind: the notice claimed once and due again (its lease ran out)."""
    with engine.begin() as connection:
        connection.execute(
            update(Notice)
            .where(Notice.key == KEY)
            .values(status="queued", due_at=datetime.now(UTC), claimed_until=None, channel_id=None)
        )


def make_queued_notices_due(engine) -> None:
    with engine.begin() as connection:
        connection.execute(update(Notice).where(Notice.status == "queued").values(due_at=datetime.now(UTC)))


def group(fake):
    return fake.messages_in(fake.dm_channel_for(ASKER, MENTOR))


def uids(fake) -> list[str]:
    shared = [f["id"] for m in group(fake) for f in m.get("files") or []]
    return [
        str(icalendar.Calendar.from_ical(fake.files[i]["content"]).walk("VEVENT")[0]["UID"]) for i in shared
    ]


def status(engine) -> str:
    with engine.connect() as connection:
        return connection.scalar(select(Notice.status).where(Notice.key == KEY))


def test_a_resend_after_a_crash_finds_the_message_and_its_file_and_sends_neither(fake, engine):
    dispatcher = make_dispatcher(fake, engine, history_check=True)
    enqueue_confirmation(engine)
    assert dispatcher.deliver_due() == 1
    assert [bool(m.get("files")) for m in group(fake)] == [False, True]
    crash_before_recording(engine)
    assert dispatcher.deliver_due() == 1 and status(engine) == "sent"
    assert len(group(fake)) == 2 and uids(fake) == ["meeting-9@mentorbot"]
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert len(fake.calls_to("files.completeUploadExternal")) == 1
    assert len(fake.calls_to("conversations.history")) == 2  # once for the message, once for the file


def test_a_message_posted_but_not_heard_of_still_gets_its_file_once(fake, engine):
    dispatcher = make_dispatcher(fake, engine, history_check=True)
    enqueue_confirmation(engine)
    fake.drop_next("chat.postMessage", after_processing=True)  # Slack posted it; we never heard back
    assert dispatcher.deliver_due() == 0
    assert fake.calls_to("files.getUploadURLExternal") == []  # the file comes after the message
    make_queued_notices_due(engine)
    assert dispatcher.deliver_due() == 1 and status(engine) == "sent"
    assert [bool(m.get("files")) for m in group(fake)] == [False, True]
    assert len(fake.calls_to("chat.postMessage")) == 1 and uids(fake) == ["meeting-9@mentorbot"]


def test_a_history_slack_cannot_show_yet_delays_the_resend_and_the_file_still_goes_once(fake, engine):
    dispatcher = make_dispatcher(fake, engine, history_check=True)
    enqueue_confirmation(engine)
    fake.drop_next("chat.postMessage", after_processing=True)
    assert dispatcher.deliver_due() == 0
    make_queued_notices_due(engine)
    fake.fail_next("conversations.history", "internal_error", status=500)  # can't tell yet: wait
    assert dispatcher.deliver_due() == 0
    make_queued_notices_due(engine)
    assert dispatcher.deliver_due() == 1
    assert len(fake.calls_to("chat.postMessage")) == 1 and uids(fake) == ["meeting-9@mentorbot"]


def test_by_default_a_resend_posts_and_uploads_again_at_least_once(fake, engine):
    dispatcher = make_dispatcher(fake, engine, history_check=False)
    enqueue_confirmation(engine)
    assert dispatcher.deliver_due() == 1
    crash_before_recording(engine)
    assert dispatcher.deliver_due() == 1 and status(engine) == "sent"
    assert [bool(m.get("files")) for m in group(fake)] == [False, True, False, True]
    assert uids(fake) == ["meeting-9@mentorbot"] * 2  # the same event twice: a calendar keeps one
    assert fake.calls_to("conversations.history") == []  # the bot reads no conversation
