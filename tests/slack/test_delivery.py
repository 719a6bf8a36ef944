"""The outbox dispatcher against a fake Slack that misbehaves: 429s, 5xx, drops, users who left."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

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
    # With the operator's opt-in check before a resend (SLACK_HISTORY_CHECK), as these tests were written.
    return Dispatcher(
        services.outbox, create_web_client(settings, for_delivery=True), Pacer(fast), history_check=True
    )


@pytest.fixture
def default_dispatcher(fake, engine):
    """As the bot is built by default: no history scopes, so no look before a resend."""
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    assert settings.slack_history_check is False
    fast = {m: Limit(50.0, burst=50, per_channel=lim.per_channel) for m, lim in DOCUMENTED_LIMITS.items()}
    return Dispatcher(
        create_services(engine, settings).outbox,
        create_web_client(settings, for_delivery=True),
        Pacer(fast),
        history_check=settings.slack_history_check,
    )


def enqueue_cancellation(engine, key="meeting:1:cancelled", to=ASKER):
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        outbox.enqueue(
            session,
            notices.MeetingCancelled(
                key=key,
                to=to,
                by=MENTOR,
                meeting_id=1,
                goal="Talk about tests",
                start=START,
                tz="America/New_York",
                ask_id=1,
                by_mentor=True,
            ),
            now=datetime.now(UTC),
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


def test_by_default_a_lost_answer_is_posted_again_at_least_once_never_lost(fake, engine, default_dispatcher):
    enqueue_cancellation(engine)
    fake.drop_next("chat.postMessage", after_processing=True)  # Slack posted it; we never heard back
    assert default_dispatcher.deliver_due() == 0
    make_queued_notices_due(engine)
    assert default_dispatcher.deliver_due() == 1
    assert notice_row(engine).status == "sent"
    assert len(fake.messages_in(fake.dm_channel_for(ASKER))) == 2  # at least once: posted again
    assert fake.calls_to("conversations.history") == []  # the bot reads no conversation


# Answers a retry cannot change (Slack's reference: missing_scope when the token lacks im:history /
# mpim:history; not_allowed_token_type; unknown_method where the method is unavailable).
@pytest.mark.parametrize(
    "error", ["missing_scope", "not_allowed_token_type", "unknown_method", "invalid_args"]
)
def test_a_history_check_slack_refuses_degrades_to_posting(fake, engine, dispatcher, error):
    enqueue_cancellation(engine)
    fake.drop_next("chat.postMessage")  # the first try never reached Slack
    assert dispatcher.deliver_due() == 0
    fake.fail_next("conversations.history", error)
    make_queued_notices_due(engine)
    assert dispatcher.deliver_due() == 1  # posted now, not retried forever
    assert notice_row(engine).status == "sent"
    assert len(fake.messages_in(fake.dm_channel_for(ASKER))) == 1
    assert len(fake.calls_to("conversations.history")) == 1


def test_a_user_who_left_is_a_permanent_failure(fake, engine, dispatcher):
    fake.deactivate_user(ASKER)
    enqueue_cancellation(engine)
    assert dispatcher.deliver_due() == 1
    assert notice_row(engine).status == "failed"


def make_queued_notices_due(engine):
    with engine.begin() as connection:
        connection.execute(update(Notice).where(Notice.status == "queued").values(due_at=datetime.now(UTC)))


def enqueue(engine, key, kind, payload):
    """A notice as today's code stores it: its kind's type, decoded from its payload."""
    with create_session_factory(engine).begin() as session:
        outbox.enqueue(session, notices.decode(kind, payload, key=key), now=datetime.now(UTC))


def enqueue_row(engine, key, kind, payload):
    """A row written by hand (one no notice type would write), as a bug or an old release might."""
    now = datetime.now(UTC)
    with create_session_factory(engine).begin() as session:
        session.add(
            Notice(
                key=key, kind=kind, payload=payload, status="queued", attempts=0, due_at=now, created_at=now
            )
        )


def add_people(fake, count, prefix="UPEER"):
    people = [f"{prefix}{i:03d}" for i in range(count)]
    for person in people:
        fake.add_user(person, person.lower(), tz="UTC")
    return people


def rows_by_key(engine):
    with engine.connect() as connection:
        return {r.key: r for r in connection.execute(select(Notice))}


def test_notices_to_many_people_go_out_side_by_side_each_once_in_order_per_person(fake, engine, dispatcher):
    people = add_people(fake, 30)
    for n in range(3):  # three notices per person, queued one after the other
        for i, person in enumerate(people):
            enqueue(engine, f"left-out:{i}:{n}", "coffee_left_out", {"to": person})
    assert dispatcher.drain(batch=7) == 90  # claims of 7 overlap with sending; a person's can span claims
    assert dispatcher.drain() == 0
    rows = rows_by_key(engine)
    assert {r.status for r in rows.values()} == {"sent"}
    for i, person in enumerate(people):
        posted = fake.messages_in(fake.dm_channel_for(person))
        assert [m["ts"] for m in posted] == [rows[f"left-out:{i}:{n}"].message_ts for n in range(3)]


def test_an_update_claimed_with_its_message_waits_for_it(fake, engine, dispatcher):
    """The mentor's request DM and the update that takes its buttons away, due together: the update goes
    once the DM is out and recorded, in the same run, instead of finding nothing and waiting 15 s."""
    enqueue(
        engine,
        "meeting:7:request",
        "mentor_request",
        {
            "to": MENTOR,
            "meeting_id": 7,
            "asker_id": ASKER,
            "goal": "Talk about tests",
            "topics": ["python"],
            "start": START.isoformat(),
            "tz": "Europe/Berlin",
            "expires_at": START.isoformat(),
        },
    )
    enqueue(
        engine,
        "meeting:7:closed",
        "request_closed",
        {"update_of": "meeting:7:request", "meeting_id": 7, "asker_id": ASKER, "why": "you accepted"},
    )
    assert dispatcher.deliver_due() == 2
    rows = rows_by_key(engine)
    assert rows["meeting:7:closed"].status == "sent"
    (update,) = fake.calls_to("chat.update", ok=True)
    assert update.args["ts"] == rows["meeting:7:request"].message_ts


def test_stopping_gives_back_what_was_not_tried_and_it_goes_out_later_once(fake, engine):
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    outbox_ = create_services(engine, settings).outbox
    client = create_web_client(settings, for_delivery=True)
    slow = {"conversations.open": Limit(0.2, burst=2)}  # two at once, then one every five seconds
    dispatcher = Dispatcher(outbox_, client, Pacer(slow))
    people = add_people(fake, 6)
    for i, person in enumerate(people):
        enqueue(engine, f"left-out:{i}", "coffee_left_out", {"to": person})
    settled: list[int] = []
    run = threading.Thread(target=lambda: settled.append(dispatcher.drain()))
    run.start()
    fake.wait_for(lambda: len(fake.calls_to("chat.postMessage", ok=True)) == 2)
    dispatcher.stop()
    run.join(timeout=30)  # not five seconds a notice: the waits for the pace are given up
    assert not run.is_alive() and settled == [2]
    rows = rows_by_key(engine)
    assert sorted(r.status for r in rows.values()) == ["queued"] * 4 + ["sent"] * 2
    assert {r.attempts for r in rows.values() if r.status == "queued"} == {0}  # not tried: no attempt
    assert dispatcher.drain() == 0  # a stopped dispatcher sends nothing more

    again = Dispatcher(outbox_, client, Pacer({}))
    assert again.drain() == 4
    assert all(len(fake.messages_in(fake.dm_channel_for(p))) == 1 for p in people)
    assert fake.calls_to("conversations.history") == []  # nothing to look for: none was tried before


def test_a_bug_in_rendering_puts_the_notice_back_for_later(fake, engine, dispatcher):
    enqueue_row(engine, "coffee:1:0:intro", "coffee_intro", {"users": [MENTOR, ASKER]})  # no proposer
    assert dispatcher.deliver_due() == 0
    row = notice_row(engine, "coffee:1:0:intro")
    assert row.status == "queued" and row.attempts == 1 and row.last_error == "bug: KeyError"


def test_a_run_keeps_the_leases_of_what_it_holds_and_can_give_them_back(engine):
    enqueue_cancellation(engine)
    now = [datetime(2030, 1, 1, tzinfo=UTC)]
    box = outbox.Outbox(create_session_factory(engine), clock=lambda: now[0])
    (claimed,) = box.claim_due()
    first = notice_row(engine).claimed_until
    now[0] += outbox.LEASE / 2
    box.renew([claimed.id])
    assert notice_row(engine).claimed_until - first == outbox.LEASE / 2
    box.release([claimed.id])
    row = notice_row(engine)
    assert (row.status, row.attempts, row.claimed_until) == ("queued", 0, None)
    assert [n.id for n in box.claim_due()] == [claimed.id]


def test_a_notice_is_marked_sent_only_while_it_is_being_sent(engine):
    enqueue_cancellation(engine)
    box = outbox.Outbox(create_session_factory(engine))
    (claimed,) = box.claim_due()
    assert box.mark_sent_many([(claimed.id, outbox.SentRef("D1", "1.000001"))]) == 1
    assert box.mark_sent_many([(claimed.id, outbox.SentRef("D1", "2.000002"))]) == 0  # already sent
    assert notice_row(engine).message_ts == "1.000001"


def test_against_slacks_limits_every_intro_goes_out_once(fake, engine):
    """A fake Slack that enforces its limits (conversations.open 40 a second, burst 3; one message a second
    per channel) and answers 429 beyond them: nothing is lost, nothing doubled. (The figures, at scale, come
    from benchmarks/delivery_throughput.py.)"""
    settings = load_settings(
        _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="s", slack_api_url=fake.api_url
    )
    fake.set_rate_limit("conversations.open", 40.0, burst=3)
    fake.set_rate_limit("chat.postMessage", 1.0, burst=1, per_channel=True)
    start = {"conversations.open": Limit(10.0, burst=10), "chat.postMessage": Limit(1.0, 3, per_channel=True)}
    dispatcher = Dispatcher(
        create_services(engine, settings).outbox, create_web_client(settings, for_delivery=True), Pacer(start)
    )
    people = add_people(fake, 80)
    for i in range(40):
        users = people[2 * i : 2 * i + 2]
        payload = {
            "users": users,
            "proposer": users[0],
            "icebreaker": "Tea or coffee?",
            "group_id": i,
            "people": {},
        }
        enqueue(engine, f"coffee:1:{i}:intro", "coffee_intro", payload)
    enqueue(engine, "left-out:0", "coffee_left_out", {"to": people[0]})  # shares a channel: paced per channel
    settled = 0
    while settled < 41:
        done = dispatcher.drain()
        if not done:
            make_queued_notices_due(engine)  # a notice that waited out too many 429s, instead of sleeping
        settled += done
    assert {r.status for r in rows_by_key(engine).values()} == {"sent"}
    for i in range(40):
        assert len(fake.messages_in(fake.dm_channel_for(*people[2 * i : 2 * i + 2]))) == 1
    assert len(fake.messages_in(fake.dm_channel_for(people[0]))) == 1
    assert fake.rate_limited_count["conversations.open"] >= 1  # our first burst of 10 met Slack's 3
