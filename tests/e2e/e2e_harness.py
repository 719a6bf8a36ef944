"""The bot under test, the fake Slack it talks to, and a sender of Slack's requests (HTTP or Socket Mode)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fakeslack import FakeSlack
from slack_requests import Reply, SlackSender

from app.bootstrap import Bot


@dataclass
class Harness:
    bot: Bot
    fake: FakeSlack
    sender: SlackSender
    base_url: str

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
