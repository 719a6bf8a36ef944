"""Socket Mode, the default install, driven as Slack drives it: envelopes over a WebSocket the bot opened
with its app-level token, acked by envelope_id; Web API calls land on the fake Slack as in HTTP mode.

The requests are the HTTP tests' own payloads (``SocketSender`` is ``SlackSender`` delivering envelopes),
so the main story here is test_mentoring_flow's, plus what only Socket Mode has: refreshes, drops,
envelopes delivered again, and /healthz following the connection.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import test_mentoring_flow as flow
from clocks import TestClock
from e2e_harness import Harness
from e2e_support import ADMIN, ASKER, MENTOR, SIGNING_SECRET, button, slot_buttons, slot_of, text_of
from fake_socket_mode import FakeSocketMode
from slack_requests import app_home_opened_event
from socket_requests import SocketSender
from sqlalchemy import func, select

from app.bootstrap import create_bot
from app.config import load_settings
from app.db.models import Ask, Feedback, Meeting
from app.sandbox.standin import FakeSlack
from app.slack.http import serve
from app.slack.socket_mode import PING_INTERVAL, AppTokenRefused, SocketMode

# Slack's limits these tests hold the bot to: an ack within 3 s ("Acknowledge the event", Socket Mode
# docs), and our own target of a new connection within 5 s of losing one.
ACK_LIMIT_SECONDS = 3.0
RECONNECT_LIMIT_SECONDS = 5.0


@dataclass
class SocketHarness(Harness):
    socket: FakeSocketMode
    socket_mode: SocketMode

    def healthz(self) -> tuple[int, dict[str, object]]:
        parts = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            return response.status, json.loads(response.read())
        finally:
            connection.close()

    def get(self, path: str) -> str:
        parts = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            connection.request("GET", path)
            return connection.getresponse().read().decode()
        finally:
            connection.close()


@contextmanager
def socket_mode_bot(
    fake: FakeSlack, database_url: str, *, relay: bool = False, clock: TestClock | None = None
) -> Iterator[SocketHarness]:
    """The bot as ``mentorbot run`` builds it in Socket Mode, connected to a stand-in of Slack's end."""
    settings = load_settings(
        _env_file=None,
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=fake.app_token,
        slack_api_url=fake.api_url,
        database_url=database_url,
        mentorbot_admins=ADMIN,
        default_timezone="UTC",
        http_threads=4,
    )
    clock = clock or TestClock()
    bot = create_bot(settings, clock=clock)
    with FakeSocketMode(fake, relay=relay) as socket_end:
        socket_mode = SocketMode(bot.bolt_app, fake.app_token, bot.metrics, concurrency=4)
        socket_mode.start()
        server = serve(
            bot.wsgi_app(socket_connected=socket_mode.connected), host="127.0.0.1", port=0, threads=2
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            socket_end.wait_connected()
            sender = SocketSender(socket_end, fake)
            url = f"http://127.0.0.1:{server.port}"
            yield SocketHarness(bot, fake, sender, url, clock, socket_end, socket_mode)
        finally:
            socket_mode.close()
            server.stop()
            thread.join(timeout=5)
            bot.engine.dispose()
    assert not fake.crashes, fake.crashes


@pytest.fixture
def socket_harness(fake: FakeSlack, database_url: str) -> Iterator[SocketHarness]:
    with socket_mode_bot(fake, database_url) as harness:
        yield harness


def count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


# --- the main story -----------------------------------------------------------------------------------------


def test_the_main_story_runs_over_socket_mode(socket_harness, engine):
    """ask -> slot -> accept -> confirmation -> feedback, the HTTP test's own steps and assertions."""
    flow.test_full_path_accept_confirm_and_feedback(socket_harness, engine)
    h = socket_harness
    assert h.fake.calls_to("apps.connections.open")[0].token == h.fake.app_token
    assert all(ack.seconds < ACK_LIMIT_SECONDS for ack in h.socket.acks), h.socket.acks
    assert h.socket.acks and all(not ack.lost for ack in h.socket.acks)


def test_a_refresh_and_a_drop_midway_lose_nothing_and_a_redelivery_has_no_second_effect(
    socket_harness, engine
):
    h = socket_harness
    flow.join_as_mentor(h)

    # Slack asks for a new connection: the bot opens one before the old one goes.
    old = h.socket.refresh()
    new = h.socket.wait_connected(after=old)
    h.socket.wait_closed(old, timeout=2)  # the bot closes its side; it does not linger
    refresh_seconds = new.hello_at - old.refresh_requested_at
    assert refresh_seconds < RECONNECT_LIMIT_SECONDS

    _, chosen, sent = flow.ask_and_pick(h)
    assert "Request sent" in text_of(sent.blocks, sent.text)
    request = flow.mentor_request_dm(h)

    # Accept: the ack is lost with its connection (TCP closed, no close frame). The bot reconnects, Slack
    # delivers the same envelope again on the new connection, and the meeting is confirmed once.
    h.sender.lose_next_ack = h.sender.drop_with_it = True
    accept_value = button(request["blocks"], "accept_request")["value"]
    accepted = h.click(MENTOR, "accept_request", accept_value, message=request)
    assert "accepted" in text_of(accepted.blocks, accepted.text)
    envelope = h.sender.last_envelope
    dropped = next(link for link in h.socket.links if link.dropped_at)
    after_drop = h.socket.wait_connected(after=dropped)
    drop_seconds = after_drop.hello_at - dropped.dropped_at
    assert drop_seconds < RECONNECT_LIMIT_SECONDS
    deliveries = h.socket.deliveries_of(envelope.envelope_id)
    assert [d.envelope.retry_attempt for d in deliveries] == [0, 1]
    assert deliveries[1].link == after_drop.number
    assert len(h.socket.acks_for(envelope.envelope_id)) == 1
    assert len(h.fake.responses_for(h.sender.last_response_key)) == 1  # one "accepted", not two

    h.deliver()
    group = h.fake.messages_in(h.fake.dm_channel_for(ASKER, MENTOR))
    assert len(group) == 2 and "15 minutes" in text_of(group[0]["blocks"], group[0]["text"])
    assert group[1]["files"][0]["name"].endswith(".ics")  # one calendar file, not two
    with engine.connect() as connection:
        assert connection.execute(select(Meeting.status)).scalars().all() == ["confirmed"]

    # An envelope right after a reconnect's hello is acked well within Slack's 3 s.
    dropped_again = h.socket.drop()
    fresh = h.socket.wait_connected(after=dropped_again)
    listing = h.command(MENTOR, "list")
    first_ack = h.socket.acks_for(h.sender.last_envelope.envelope_id)[0]
    assert listing.status == 200 and first_ack.link == fresh.number
    assert first_ack.seconds < ACK_LIMIT_SECONDS

    # Feedback after the conversation, over the newest connection.
    _, _, start = slot_of(chosen)
    h.clock.set(start + timedelta(minutes=16))
    assert h.bot.services.feedback.request_due_feedback() == 1
    h.deliver()
    asker_dm = h.fake.messages_in(h.fake.dm_channel_for(ASKER))[-1]
    rated = h.click(ASKER, "rate_4", button(asker_dm["blocks"], "rate_4")["value"], message=asker_dm)
    assert "rating ★★★★" in text_of(rated.blocks, rated.text)
    with engine.connect() as connection:
        ratings = {r.user_id: r.rating for r in connection.execute(select(Feedback))}
    assert ratings == {ASKER: 4, MENTOR: None}
    assert all(ack.seconds < ACK_LIMIT_SECONDS for ack in h.socket.acks), h.socket.acks
    print(
        f"\nreconnect after refresh {refresh_seconds * 1000:.0f} ms, "
        f"after drop {drop_seconds * 1000:.0f} ms; "
        f"ack right after hello {first_ack.seconds * 1000:.1f} ms; "
        f"slowest ack {max(a.seconds for a in h.socket.acks) * 1000:.1f} ms over {len(h.socket.acks)}"
    )


def test_an_ask_delivered_again_opens_one_ask_and_answers_once(socket_harness, engine, log_records):
    """The two ways Slack sends a command again: the same envelope after a lost ack, and a retry
    (retry_attempt 1) in a new envelope with the same trigger_id."""
    h = socket_harness
    flow.join_as_mentor(h)
    h.sender.lose_next_ack = True
    offers = h.answer(ASKER, "ask How do I review code kindly? #python")
    assert slot_buttons(offers.blocks)
    first = h.sender.last_envelope
    assert [d.envelope.retry_attempt for d in h.socket.deliveries_of(first.envelope_id)] == [0, 1]

    retry = replace(first, envelope_id=str(uuid.uuid4()), retry_attempt=1, retry_reason="timeout")
    assert h.sender.wait_reply(h.socket.deliver(retry)).status == 200

    def repeats() -> list[logging.LogRecord]:
        return [r for r in log_records if "already handled" in r.getMessage()]

    h.fake.wait_for(lambda: len(repeats()) == 2)
    assert {r.fields["envelope_id"] for r in repeats()} == {first.envelope_id, retry.envelope_id}
    assert count(engine, Ask) == 1
    assert len(h.fake.responses_for(h.sender.last_response_key)) == 1


def test_each_envelope_gets_the_log_line_and_the_metrics_of_an_http_request(socket_harness, log_records):
    h = socket_harness
    flow.join_as_mentor(h)
    h.answer(ASKER, "ask How do I prepare for on-call? #python")
    lines = [
        r for r in log_records if r.name == "app.slack.socket_mode" and "slack request" in r.getMessage()
    ]
    assert len(lines) == 2
    assert [r.getMessage().split(" in ")[0] for r in lines] == ["slack request command -> 200"] * 2
    line = lines[1].fields
    assert line["what"] == "/mentor ask" and line["user"] == ASKER and len(line["request_id"]) == 12
    assert line["envelope_id"] == h.sender.last_envelope.envelope_id and line["ack_ms"] >= 0
    metrics = h.get("/metrics")
    assert 'mentorbot_slack_requests_total{kind="command",status="200"} 2.0' in metrics
    assert 'mentorbot_slack_ack_seconds_count{kind="command"} 2.0' in metrics


def test_healthz_says_whether_the_socket_is_connected(socket_harness):
    h = socket_harness
    assert h.healthz() == (200, {"ok": True})
    # Slack can't hand out a new URL for a while: the bot is disconnected and says so.
    h.fake.fail_next("apps.connections.open", "internal_error", status=500, times=10_000)
    cpu, wall = time.process_time(), time.monotonic()
    dropped = h.socket.drop()
    assert h.fake.wait_for(lambda: h.healthz()[0] == 503, timeout=10)
    assert h.healthz() == (503, {"ok": False, "error": "socket_disconnected"})
    # It keeps trying, every PING_INTERVAL, without spinning a core while it waits.
    h.fake.wait_for(lambda: len(h.fake.calls_to("apps.connections.open", ok=False)) >= 6, timeout=10)
    busy = (time.process_time() - cpu) / (time.monotonic() - wall)
    assert busy < 0.5, f"{busy:.0%} of a core while disconnected"
    h.fake.clear_faults("apps.connections.open")
    h.socket.wait_connected(after=dropped, timeout=PING_INTERVAL + RECONNECT_LIMIT_SECONDS)
    assert h.fake.wait_for(lambda: h.healthz() == (200, {"ok": True}), timeout=5)
    print(f"\nwhile disconnected: {busy:.1%} of a core (this whole test process)")


def test_a_wrong_app_token_is_refused_by_name(socket_harness):
    h = socket_harness
    for token, error in (("xapp-1-A0MENTOR-1-revoked", "invalid_auth"), (h.fake.bot_token, "not_allowed")):
        refused = SocketMode(h.bot.bolt_app, token, h.bot.metrics)
        try:
            with pytest.raises(AppTokenRefused, match=f"SLACK_APP_TOKEN was refused by Slack \\({error}"):
                refused.start()
        finally:
            refused.close()
    assert [c.error for c in h.fake.calls_to("apps.connections.open")[-2:]] == [
        "invalid_auth",
        "not_allowed_token_type",
    ]


def test_a_connection_gone_silent_is_replaced_within_5_seconds(fake, database_url):
    """No FIN, no close frame, no pongs: only the bot's pings can tell. It reconnects and goes on."""
    with socket_mode_bot(fake, database_url, relay=True) as h:
        flow.join_as_mentor(h)
        silent = h.socket.go_silent()
        fresh = h.socket.wait_connected(after=silent, timeout=RECONNECT_LIMIT_SECONDS + 5)
        seconds = fresh.hello_at - silent.dropped_at
        assert seconds < RECONNECT_LIMIT_SECONDS
        offers = h.answer(ASKER, "ask How do I estimate work? #python")
        assert slot_buttons(offers.blocks)
        assert h.socket.acks_for(h.sender.last_envelope.envelope_id)[0].link == fresh.number
        print(f"\nreconnect after the link went silent: {seconds * 1000:.0f} ms")


def test_an_event_delivered_again_runs_once(socket_harness, log_records):
    h = socket_harness
    h.sender.lose_next_ack = True
    assert h.sender.event(app_home_opened_event(ASKER)).status == 200
    envelope = h.sender.last_envelope
    assert [d.envelope.retry_attempt for d in h.socket.deliveries_of(envelope.envelope_id)] == [0, 1]
    h.fake.wait_for(lambda: h.fake.calls_to("views.publish", ok=True))
    h.fake.wait_for(lambda: [r for r in log_records if "already handled" in r.getMessage()])
    assert len(h.fake.calls_to("views.publish")) == 1
