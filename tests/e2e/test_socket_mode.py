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
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import test_mentoring_flow as flow
from conftest import Harness
from e2e_support import ADMIN, ASKER, MENTOR, SIGNING_SECRET, button, text_of
from fake_socket_mode import FakeSocketMode, SocketSender
from fakeslack import FakeSlack
from freezegun import freeze_time
from sqlalchemy import func, select

from app.bootstrap import create_bot
from app.config import load_settings
from app.db.models import Ask, Feedback, Meeting
from app.slack.http import serve
from app.slack.socket_mode import PING_INTERVAL, PING_TIMEOUT, AppTokenRefused, SocketMode

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


@pytest.fixture
def socket_harness(fake: FakeSlack, database_url: str) -> Iterator[SocketHarness]:
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
    bot = create_bot(settings)
    with FakeSocketMode(fake) as socket_end:
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
            yield SocketHarness(bot, fake, sender, f"http://127.0.0.1:{server.port}", socket_end, socket_mode)
        finally:
            socket_mode.close()
            server.stop()
            thread.join(timeout=5)
            bot.engine.dispose()
    assert not fake.crashes, fake.crashes


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
    assert len(h.socket.links) == 1  # nothing dropped, nothing re-delivered
    assert all(d.envelope.retry_attempt == 0 for d in h.socket.deliveries)
