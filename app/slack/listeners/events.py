"""Events: the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from app.services.container import Services
from app.slack.home import HomePublisher
from app.slack.people import PeopleDirectory


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)
    # Messages in the bot's DM tab need no answer; acknowledge them so Slack doesn't retry.
    app.event("message")(lambda: None)


def publish_home(
    event: dict[str, Any], services: Services, people: PeopleDirectory, home: HomePublisher
) -> None:
    if event.get("tab", "home") != "home":
        return
    services.mentoring.mark_home_seen(people.get(event["user"]))
    home.publish(event["user"])
