"""Who a Slack user is (name, time zone), read with users.info and cached for a while."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.services.people import Person

log = logging.getLogger(__name__)


class PeopleDirectory:
    """users.info is Tier 4; a short cache keeps busy people from costing a call per click."""

    def __init__(self, client: WebClient, *, default_tz: str, ttl_seconds: float = 900) -> None:
        self._client = client
        self._default_tz = default_tz
        self._ttl = ttl_seconds
        self._cache: dict[str, tuple[float, Person]] = {}
        self._lock = threading.Lock()

    def get(self, user_id: str) -> Person:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(user_id)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        person = self._fetch(user_id)
        with self._lock:
            self._cache[user_id] = (now, person)
        return person

    def forget(self, user_id: str) -> None:
        with self._lock:
            self._cache.pop(user_id, None)

    def _fetch(self, user_id: str) -> Person:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except (SlackApiError, OSError) as exc:
            # Still serve the person: their own zone is a nicety, not a reason to fail their command.
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
            log.warning("users.info failed for %s: %s", user_id, reason)
            return Person(user_id, user_id, self._default_tz)
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or user_id
        )
        return Person(user_id, name, user.get("tz") or self._default_tz)
