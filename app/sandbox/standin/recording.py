"""Reading what happened: calls, messages, ephemerals, views, waiting."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

from app.sandbox.standin.common import (
    Call,
    ResponsePost,
    T,
)
from app.sandbox.standin.faults import _Faults


class _Recording(_Faults):
    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """Recorded calls of a method, oldest first; ok=True/False keeps only (un)successful ones."""
        with self._lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        """Messages currently in a channel (deleted ones gone, updates applied), oldest first.

        Each is the Slack message object plus "channel", like a message event.
        """
        with self._lock:
            return copy.deepcopy(self._messages.get(channel, []))

    def all_messages(self) -> list[dict[str, Any]]:
        with self._lock:
            msgs = [m for ms in self._messages.values() for m in ms]
            return copy.deepcopy(sorted(msgs, key=lambda m: float(m["ts"])))

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        """Messages in the bot's 1:1 DM with this user."""
        return self.messages_in(self.dm_channel_for(user_id))

    def ephemerals_for(self, user_id: str, channel: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy(
                [e for e in self.ephemerals if e["user"] == user_id and channel in (None, e["channel"])]
            )

    def responses_for(self, key: str) -> list[ResponsePost]:
        with self._lock:
            return [r for r in self.responses if r.key == key]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab last published for a user."""
        with self._lock:
            view_id = self._home_views.get(user_id)
            return copy.deepcopy(self.views[view_id]) if view_id else None

    def modals_for(self, user_id: str) -> list[dict[str, Any]]:
        """Modals opened with a trigger_id issued for this user (see new_trigger_id), oldest first."""
        with self._lock:
            return copy.deepcopy([v for vid, v in self.views.items() if self._view_users.get(vid) == user_id])

    def new_modal(self, user_id: str, before: int, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for a modal opened for this user after ``before`` of them were open, and return it.

        Take ``before = len(modals_for(user))`` before the click: the bot opens its modal after it acks,
        so right after the click the newest modal may still be the previous one."""
        return self.wait_for(lambda: self.modals_for(user_id)[before:], timeout=timeout)[-1]

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.01) -> T:
        """Poll ``predicate`` until it returns something truthy and return that; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(f"wait_for timed out after {timeout}s\n{self.dump()}")
            time.sleep(interval)

    def dump(self, last: int = 25) -> str:
        """A readable summary of recent calls and response_url posts, for failure messages."""
        with self._lock:
            lines = [f"last {min(last, len(self.calls))} of {len(self.calls)} Web API calls:"]
            for c in self.calls[-last:]:
                outcome = "dropped" if c.response is None else ("ok" if c.ok else f"error={c.error}")
                args = json.dumps(c.args, default=str)
                lines.append(f"  {c.method} [{c.status} {outcome}] {args[:300]}")
            lines.append(f"{len(self.responses)} response_url posts:")
            for r in self.responses[-last:]:
                lines.append(f"  {r.key}: {json.dumps(r.body, default=str)[:300]}")
        return "\n".join(lines)
