"""Events: the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from app.services.container import Services
from app.slack import command_text
from app.slack.blocks.home import home_view
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)
    # Messages in the bot's DM tab need no answer; acknowledge them so Slack doesn't retry.
    app.event("message")(lambda: None)


def publish_home(
    event: dict[str, Any], client: WebClient, services: Services, people: PeopleDirectory
) -> None:
    if event.get("tab", "home") != "home":
        return
    person = people.get(event["user"])
    mine = services.mentoring.my_conversations(person)
    client.views_publish(user_id=person.user_id, view=home_view(mine, command_text.MENTORING_HELP_TEXT))
