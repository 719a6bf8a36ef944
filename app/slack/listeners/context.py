"""What a sub-command handler needs, gathered once per /mentor request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from app.config import Settings
from app.services.container import Services
from app.services.people import Person
from app.slack.blocks.messages import Message


@dataclass
class Ctx:
    person: Person
    respond: Respond
    client: WebClient
    services: Services
    command: dict[str, Any]
    settings: Settings

    def reply(self, message: Message) -> None:
        self.respond(response_type="ephemeral", **message.as_kwargs())
