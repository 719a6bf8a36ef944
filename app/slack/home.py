"""Publish a person's App Home from the services' current state (views.publish)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.services.container import Services
from app.slack.blocks.home import HomeData, home_view
from app.slack.people import PeopleDirectory

log = logging.getLogger(__name__)


class HomePublisher:
    def __init__(self, client: WebClient, services: Services, people: PeopleDirectory) -> None:
        self._client, self._services, self._people = client, services, people

    def publish(self, user_id: str) -> None:
        person = self._people.get(user_id)
        s = self._services
        profile = s.register.profile(person)
        data = HomeData(
            mine=s.mentoring.my_conversations(person),
            coffee=s.roulette.status(person),
            profile=profile if profile is not None and profile.active else None,
            week_load=s.mentoring.week_load(person),
            stats=s.insight.stats(person, 30) if s.insight.is_admin(person) else None,
            sessions=s.hosting.mine(person),
            boards=s.programs.home_boards(person),
            programs=s.programs.home(person),
            open_sessions=s.hosting.open_for(person),
        )
        try:
            self._client.views_publish(user_id=user_id, view=home_view(data))
        except SlackApiError as exc:  # the Home is a convenience; the action itself already happened
            log.warning("views.publish failed for %s: %s", user_id, exc.response.get("error"))
