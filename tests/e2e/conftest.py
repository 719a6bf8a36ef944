"""The bot as `mentorbot run` builds it, served over real HTTP on 127.0.0.1, talking to a fake Slack."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from clocks import TestClock
from e2e_harness import Harness
from e2e_support import ADMIN, ASKER, MENTOR, OTHER, SIGNING_SECRET
from slack_requests import SlackSender

from app.bootstrap import create_bot
from app.config import load_settings
from app.logs import ContextFilter
from app.sandbox.standin import FakeSlack
from app.slack.http import serve


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeSlack) -> FakeSlack:
    fake_server.reset()
    fake_server.add_user(MENTOR, "mia", real_name="Mia Mentor", tz="Europe/Berlin")
    fake_server.add_user(ASKER, "ash", real_name="Ash Asker", tz="America/New_York")
    fake_server.add_user(OTHER, "omar", real_name="Omar Other", tz="Asia/Kolkata")
    fake_server.add_user(ADMIN, "ada", real_name="Ada Admin", tz="UTC")
    return fake_server


@pytest.fixture
def clock() -> TestClock:
    """The bot's clock: fixed (``clocks.WEDNESDAY_MORNING``), moving only when a test moves it."""
    return TestClock()


@pytest.fixture
def harness(fake: FakeSlack, database_url: str, clock: TestClock) -> Iterator[Harness]:
    settings = load_settings(
        _env_file=None,
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        database_url=database_url,
        mentorbot_admins=ADMIN,
        default_timezone="UTC",
    )
    bot = create_bot(settings, clock=clock)
    server = serve(bot.wsgi_app(), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.port}"
    try:
        yield Harness(bot, fake, SlackSender(base_url, SIGNING_SECRET, fake=fake), base_url, clock)
    finally:
        server.stop()
        thread.join(timeout=5)
        bot.engine.dispose()
    assert not fake.crashes, fake.crashes


class _Records(logging.Handler):
    """Every record at INFO and above, with the bound fields (request id, kind, …) the real handler adds."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.addFilter(ContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_records() -> Iterator[list[logging.LogRecord]]:
    handler = _Records()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
