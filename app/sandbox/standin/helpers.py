"""Helpers the Web API methods use (called with the lock held): ids, channels, messages, triggers, views."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from app.sandbox.standin.checks import (
    check_blocks,
    check_view,
)
from app.sandbox.standin.common import (
    _TRIGGER_FORMAT,
    MAX_MESSAGE_BLOCKS,
    SlackError,
    _Channel,
    _hashed_id,
    _invalid_arguments,
    _Trigger,
)
from app.sandbox.standin.state import _State


class _Helpers(_State):
    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeSlack is not started; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self.port}"

    def dm_channel_for(self, *user_ids: str) -> str:
        """The id conversations.open gives for this set of users (order and the bot itself ignored)."""
        people = sorted(set(user_ids) - {self.bot_user_id})
        if not people:
            raise ValueError("a DM needs at least one user besides the bot")
        if len(people) == 1:
            return _hashed_id("D", self.team_id, "im", people[0])
        return _hashed_id("G", self.team_id, "mpim", *people)

    def _new_ts(self) -> str:
        ts = max(round(time.time(), 6), round(self._last_ts + 0.000001, 6))
        self._last_ts = ts
        return f"{ts:.6f}"

    def _new_id(self, prefix: str) -> str:
        return _hashed_id(prefix, self.team_id, "seq", str(next(self._seq)))

    def _user_or(self, user_id: Any, error: str) -> dict[str, Any]:
        user = self.users.get(str(user_id or ""))
        if user is None:
            raise SlackError(error)
        return user

    def _open_dm(self, people: list[str]) -> tuple[_Channel, bool]:
        channel_id = self.dm_channel_for(*people)
        existing = self.channels.get(channel_id)
        if existing is not None:
            return existing, True
        members = [*people, self.bot_user_id]
        channel = _Channel(
            id=channel_id,
            members=members,
            name=channel_id.lower() if len(people) == 1 else "mpdm-" + "--".join(people) + "-1",
            created=int(time.time()),
            is_im=len(people) == 1,
            is_mpim=len(people) > 1,
            user=people[0] if len(people) == 1 else None,
        )
        self.channels[channel_id] = channel
        return channel, False

    def _resolve_channel(self, value: Any) -> _Channel:
        """A channel id, or a user id (Slack then posts in the app's DM with that user)."""
        channel_id = str(value or "")
        channel = self.channels.get(channel_id)
        if channel is not None:
            return channel
        user = self.users.get(channel_id)
        if user is not None and channel_id != self.bot_user_id:
            return self._open_dm([channel_id])[0]
        raise SlackError("channel_not_found")

    def _writable_channel(self, value: Any) -> _Channel:
        channel = self._resolve_channel(value)
        if channel.is_archived:
            raise SlackError("is_archived")
        if not channel.bot_is_member:
            raise SlackError("not_in_channel")
        return channel

    def _message_content(self, args: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
        content: dict[str, Any] = {}
        if "blocks" in args and args["blocks"] is not None:
            blocks = args["blocks"]
            if not isinstance(blocks, list):
                raise SlackError("invalid_blocks_format")
            problems = check_blocks(blocks, MAX_MESSAGE_BLOCKS)
            if problems:
                raise SlackError("invalid_blocks", response_metadata={"messages": problems})
            content["blocks"] = blocks
        if args.get("attachments"):
            content["attachments"] = args["attachments"]
        text = args.get("text")
        if text is not None:
            content["text"] = str(text)
        if args.get("metadata"):
            content["metadata"] = args["metadata"]
        # chat.postMessage: "no_text - No message text provided" when there is no text, blocks or attachments.
        if required and not (content.get("text") or content.get("blocks") or content.get("attachments")):
            raise SlackError("no_text")
        return content

    def _find_message(self, channel_id: str, ts: Any) -> dict[str, Any]:
        for message in self._messages.get(channel_id, []):
            if message["ts"] == str(ts or ""):
                return message
        raise SlackError("message_not_found")

    def _bot_message(self, ts: str, content: dict[str, Any]) -> dict[str, Any]:
        # Shape of chat.postMessage's "message" for an app's bot user (reference example + bot_profile).
        return {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": content.get("text", ""),
            **{k: v for k, v in content.items() if k != "text"},
            "ts": ts,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": self.bot_name,
                "team_id": self.team_id,
            },
        }

    def _claim_trigger(self, trigger_id: Any) -> _Trigger:
        if not trigger_id:
            raise _invalid_arguments("invalid `trigger_id`")
        trigger_id = str(trigger_id)
        if not _TRIGGER_FORMAT.match(trigger_id):
            raise SlackError("invalid_trigger_id")
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if trigger.expired or time.monotonic() - trigger.issued_at > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger

    def _check_view_arg(self, args: dict[str, Any], surface: str) -> dict[str, Any]:
        view = args.get("view")
        problems = check_view(view, surface=surface)
        if problems:
            raise _invalid_arguments(*problems)
        assert isinstance(view, dict)
        if len(json.dumps(view)) > 250_000:  # view_too_large: "greater than 250kb"
            raise SlackError("view_too_large")
        external_id = view.get("external_id")
        if external_id:
            for other_id, other in self.views.items():
                if other.get("external_id") == external_id and other_id != args.get("view_id"):
                    raise SlackError("duplicate_external_id")
        return view

    def _stored_view(
        self, view: dict[str, Any], view_id: str, root_view_id: str | None = None
    ) -> dict[str, Any]:
        # Field list from the views.open / views.update / views.publish success examples.
        return {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root_view_id or view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
