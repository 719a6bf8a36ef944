"""The bot under test, the fake Slack it talks to, and a sender of Slack's requests (HTTP or Socket Mode)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from clocks import TestClock
from slack_requests import Reply, SlackSender

from app.bootstrap import Bot
from app.logs import ContextExecutor
from app.sandbox.standin import FakeSlack


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
        after_ack = self.bot.after_ack

        def busy() -> int:
            # A listener hands its after-ack work on before it returns, so this order misses nothing.
            return executor.in_flight + after_ack.in_flight

        deadline = time.monotonic() + timeout
        while True:
            while busy():
                assert time.monotonic() < deadline, f"still busy after {timeout}s: {busy()} tasks"
                time.sleep(0.005)
            if not self.deliver() and not busy():
                return
