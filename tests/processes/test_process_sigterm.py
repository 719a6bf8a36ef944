"""SIGTERM with work in flight: the request being served finishes, the scheduler's job finishes or
stops, and the process exits 0 within seconds (tests/cli/test_cli.py covers a SIGTERM with nothing in flight).

The database is seeded in the test process through the services (a mentor, an ask, a held slot: one
``mentor_request`` notice queued); then ``python -m app run`` starts on it and the fake Slack holds the
calls the test wants in flight.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from bot_processes import Bots, HookedFakeSlack, answer_text, log_problems, wait_until
from clocks import ProcessClock
from coffee_setup import expire_leases
from sqlalchemy import select

from app.bootstrap import create_services
from app.config import load_settings
from app.db.engine import create_db_engine, create_session_factory
from app.db.models import MentorProfile, Notice
from app.services import notices, outbox
from app.services.people import Person

MENTOR = Person("USIGMENTR", "Mia Mentor", "Europe/Berlin")
ASKER = Person("USIGASKER", "Ash Asker", "America/New_York")
NEWCOMER = "USIGNEWCO"


def seed_a_mentor_request(url: str, fake: HookedFakeSlack, clock: ProcessClock) -> None:
    for person in (MENTOR, ASKER):
        fake.add_user(person.user_id, person.name.split()[0].lower(), real_name=person.name, tz=person.tz)
    fake.add_user(NEWCOMER, "nia", real_name="Nia Newcomer", tz="Asia/Tokyo")
    engine = create_db_engine(url)
    try:
        settings = load_settings(
            _env_file=None, slack_bot_token=fake.bot_token, slack_signing_secret="x" * 16, database_url=url
        )
        services = create_services(engine, settings, clock)
        services.register.join(MENTOR, ("python",))
        outcome = services.mentoring.ask(ASKER, "How do I review code kindly?", ("python",))
        slot = outcome.ranking.offers[0].slots[0]
        services.mentoring.request_slot(ASKER, outcome.ask_id, MENTOR.user_id, slot)
    finally:
        engine.dispose()


def arrival_event(fake: HookedFakeSlack, method: str) -> threading.Event:
    arrived = threading.Event()

    def hook(_args: dict[str, Any]) -> bool:
        arrived.set()
        return False

    fake.on_arrival(method, hook)
    return arrived


def notice_statuses(url: str) -> Counter[str]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return Counter(connection.scalars(select(Notice.status)))
    finally:
        engine.dispose()


def test_sigterm_lets_an_in_flight_request_and_delivery_finish_then_exits_0(bots: Bots, fake, sqlite_url):
    seed_a_mentor_request(sqlite_url, fake, bots.clock)
    # Slack is slow: start-up waits on auth.test (no request does: see test_startup), the request's
    # after-ack work waits on users.info, and the delivery job waits on chat.postMessage.
    fake.delay("auth.test", 1.5)
    fake.delay("users.info", 1.0)
    fake.delay("chat.postMessage", 2.0)
    posting = arrival_event(fake, "chat.postMessage")
    looking_up = threading.Event()

    def newcomer_looked_up(args: dict[str, Any]) -> bool:
        if args.get("user") == NEWCOMER:
            looking_up.set()
        return False  # let the call through

    fake.on_arrival("users.info", newcomer_looked_up)

    bot = bots.start(sqlite_url, name="bot")
    wait_until(posting.is_set, timeout=15, what="the delivery job's chat.postMessage", details=fake.dump)

    sender = bot.sender(fake, timeout=20)
    replies: list[Any] = []
    request = threading.Thread(target=lambda: replies.append(sender.command("join #rust", NEWCOMER)))
    request.start()
    wait_until(looking_up.is_set, timeout=10, what="the request reaching users.info", details=fake.dump)
    key = sender.last_response_key
    assert not any(c.args.get("user") == NEWCOMER for c in fake.ok_calls("users.info"))  # in flight

    signalled = time.monotonic()
    bot.sigterm()
    status = bot.wait(timeout=15)
    took = time.monotonic() - signalled
    request.join(timeout=5)
    output = bot.output()

    assert status == 0, output
    assert took < 6, f"{took:.1f}s from SIGTERM to exit"
    assert not log_problems(output), log_problems(output)
    assert '"msg": "stopped"' in output or " stopped" in output, output
    # The request in flight was answered (HTTP 200), and its after-ack work ran to the end.
    assert [r.status for r in replies] == [200], replies
    assert any(c.args.get("user") == NEWCOMER for c in fake.ok_calls("users.info"))
    answers = fake.responses_for(key)
    assert len(answers) == 1 and "Welcome to the mentor register" in answer_text(answers[0]), answers
    engine = create_db_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(MentorProfile.active).where(MentorProfile.user_id == NEWCOMER))
    finally:
        engine.dispose()
    # The delivery job in flight finished: the mentor's DM went out once and the outbox knows it.
    assert len(fake.dms_to(MENTOR.user_id)) == 1
    assert notice_statuses(sqlite_url) == Counter({outbox.SENT: 1})
    calls_at_exit = len(fake.calls)
    time.sleep(0.5)
    assert len(fake.calls) == calls_at_exit  # nothing of the bot is left calling Slack


LONG_QUEUE = 24


def test_sigterm_in_the_middle_of_a_long_delivery_drain_exits_within_seconds(bots: Bots, fake, sqlite_url):
    """24 DMs queued and Slack allowing two conversations.open a second (429 beyond): draining them takes
    over 10 s, as a real round of a few hundred intros at Slack's tiers takes minutes. A SIGTERM must not
    wait for the whole queue, as an orchestrator kills the process after its grace period (Docker 10 s,
    Kubernetes 30 s). What was not sent goes out, once, later."""
    people = [f"UQUEUE{i:03d}" for i in range(LONG_QUEUE)]
    for user_id in people:
        fake.add_user(user_id, user_id.lower())
    engine = create_db_engine(sqlite_url)
    try:
        now = bots.clock.now()
        with create_session_factory(engine).begin() as session:
            for user_id in people:
                outbox.enqueue(
                    session, notices.CoffeeLeftOut(key=f"test:left-out:{user_id}", to=user_id), now=now
                )
    finally:
        engine.dispose()

    fake.set_rate_limit("conversations.open", per_second=2, burst=2)
    bot = bots.start(sqlite_url, name="bot")
    wait_until(
        lambda: len(fake.ok_calls("chat.postMessage")) >= 6,
        timeout=20,
        what="delivery under way",
        details=fake.dump,
    )
    signalled = time.monotonic()
    bot.sigterm()
    status = bot.wait(timeout=60)
    took = time.monotonic() - signalled
    sent_before_stop = len(fake.ok_calls("chat.postMessage"))
    assert status == 0, bot.output()
    assert not log_problems(bot.output()), log_problems(bot.output())
    assert took < 5, f"{took:.1f}s from SIGTERM to exit; {sent_before_stop}/{LONG_QUEUE} sent by then"

    # Nothing is lost: a new process sends the rest, each exactly once.
    fake.clear_rate_limits()
    expire_leases(sqlite_url, bots.clock)
    bots.start(sqlite_url, name="bot-again")
    wait_until(
        lambda: notice_statuses(sqlite_url) == Counter({outbox.SENT: LONG_QUEUE}),
        timeout=60,
        what="every notice sent",
        details=lambda: str(notice_statuses(sqlite_url)),
    )
    assert all(len(fake.dms_to(user_id)) == 1 for user_id in people), {
        u: len(fake.dms_to(u)) for u in people if len(fake.dms_to(u)) != 1
    }
