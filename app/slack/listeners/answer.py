"""Answer a click where it happened: replace the message it came from, or refresh the App Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond

from app.slack.blocks.messages import Message
from app.slack.home import HomePublisher


def from_home(body: dict[str, Any]) -> bool:
    return (body.get("container") or {}).get("type") == "view" and not body.get("response_url")


def answer(body: dict[str, Any], respond: Respond, home: HomePublisher, message: Message) -> None:
    """A button on a message gets that message replaced; one on the Home gets the Home republished."""
    if from_home(body):
        home.publish(body["user"]["id"])
    else:
        respond(replace_original=True, **message.as_kwargs())
