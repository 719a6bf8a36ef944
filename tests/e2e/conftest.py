"""The bot as `mentorbot run` builds it, served over real HTTP on 127.0.0.1, talking to a fake Slack."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from clocks import TestClock
from e2e_support import ADMIN, ASKER, MENTOR, OTHER, SIGNING_SECRET
from fakeslack import FakeSlack
from slack_requests import Reply, SlackSender

from app.bootstrap import Bot, create_bot
from app.config import load_settings
from app.logs import ContextExecutor
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


@dataclass
class Harness:
    bot: Bot
    fake: FakeSlack
    sender: SlackSender
    base_url: str
    clock: TestClock

    def command(self, user_id: str, text: str) -> Reply:
        reply = self.sender.command(text, user_id=user_id)
        assert reply.status == 200, reply
        return reply

    def answer(self, user_id: str, text: str, timeout: float = 10.0) -> Any:
        """Run a command that answers through its response_url, and return that answer."""
        self.command(user_id, text)
        key = self.sender.last_response_key
        return self.fake.wait_for(lambda: self.fake.responses_for(key), timeout=timeout)[-1]

    def click(
        self,
        user_id: str,
        action_id: str,
        value: str,
        *,
        message: dict[str, Any] | None = None,
        timeout: float = 10.0,
    ) -> Any:
        """Click a button and return what the bot answered through the action's response_url."""
        reply = self.sender.action(user_id, action_id, value, message=message)
        assert reply.status == 200, reply
        key = self.sender.last_response_key
        return self.fake.wait_for(lambda: self.fake.responses_for(key), timeout=timeout)[-1]

    def deliver(self) -> int:
        """What the scheduler's delivery job does, once, until the outbox is drained."""
        total = 0
        while sent := self.bot.dispatcher.deliver_due():
            total += sent
        return total

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Wait until the bot has nothing left to do: no after-ack listener work running or queued, and
        no notice due in the outbox (delivered here, as the scheduler's job would). A check that nothing
        happened comes after this, so an effect that arrives late is still seen."""
        executor = self.bot.bolt_app.listener_runner.listener_executor
        assert isinstance(executor, ContextExecutor), executor
        deadline = time.monotonic() + timeout
        while True:
            while executor.in_flight:
                assert time.monotonic() < deadline, f"still busy after {timeout}s: {executor.in_flight} tasks"
                time.sleep(0.005)
            if not self.deliver() and not executor.in_flight:
                return


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
