"""The sandbox's clock: it stands still until the page moves it (the bot is handed it as its ``Clock``)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

# A Wednesday morning, so the default coffee round (Mondays 09:00) is not due the moment the sandbox starts.
SANDBOX_START = datetime(2031, 1, 8, 9, 0, tzinfo=UTC)


class SandboxClock:
    """A ``Clock`` (``() -> aware datetime``) the sandbox moves: by an hour, a day, or to an instant."""

    def __init__(self, start: datetime = SANDBOX_START) -> None:
        if start.tzinfo is None:
            raise ValueError("the sandbox clock shows aware datetimes")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, by: timedelta) -> datetime:
        with self._lock:
            self._now += by
            return self._now

    def set(self, instant: datetime) -> datetime:
        with self._lock:
            self._now = max(self._now, instant.astimezone(UTC))  # the sandbox's time never runs backwards
            return self._now
