"""Read a coffee channel's human members from Slack (every page): the ``ChannelMembers`` port."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.services.people import Person

log = logging.getLogger(__name__)

PAGE_SIZE = 200


class SlackChannelMembers:
    """``app.services.ports.ChannelMembers`` over the Web API."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def humans_in(self, channel_id: str) -> list[Person] | None:
        """The channel's members, leaving out bots and deactivated users; None if unreadable.

        conversations.members lists ids only, so people are looked up with users.list (one paginated
        read of the directory, cheaper than a users.info call per member in a large channel).
        """
        try:
            member_ids: list[str] = []
            for page in self._client.conversations_members(channel=channel_id, limit=PAGE_SIZE):
                member_ids.extend(page["members"])
            humans = _humans(self._client)
        except SlackApiError as exc:
            log.warning("cannot read members of %s: %s", channel_id, exc.response.get("error"))
            return None
        return [humans[user_id] for user_id in member_ids if user_id in humans]


def _humans(client: WebClient) -> dict[str, Person]:
    humans: dict[str, Person] = {}
    for page in client.users_list(limit=PAGE_SIZE):
        for user in page["members"]:
            if user.get("deleted") or user.get("is_bot") or user.get("id") == "USLACKBOT":
                continue
            profile = user.get("profile") or {}
            name = profile.get("display_name") or profile.get("real_name") or user.get("name") or user["id"]
            humans[user["id"]] = Person(user["id"], name, user.get("tz") or "UTC")
    return humans


class SlackWorkspacePeople:
    """``app.services.ports.WorkspacePeople`` over ``users.info``: None for someone not in the workspace
    (``user_not_found``) or a deactivated account; other errors propagate."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def find(self, user_id: str) -> Person | None:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in ("user_not_found", "users_not_found"):
                return None
            raise
        if user.get("deleted"):
            return None
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("name") or user["id"]
        return Person(user["id"], name, user.get("tz") or "UTC")
