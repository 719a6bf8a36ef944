"""The stand-in for Slack: a workspace and Web API in one process."""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.sandbox.standin.common import (
    _TZ_LABELS,
    TRIGGER_TTL_SECONDS,
    Call,
    ResponsePost,
    _Channel,
    _Fault,
    _hashed_id,
    _RateLimit,
    _Trigger,
)
from app.sandbox.standin.recording import _Recording
from app.sandbox.standin.routing import _Server


class FakeSlack(_Recording):
    """A Slack workspace and Web API in one process. Start it, point a WebClient at ``api_url``.

    Directory: ``add_user``, ``add_channel``. The bot is itself a user (``bot_user_id``) and appears in
    users.list and in the members of channels it belongs to, as on Slack.
    Recording: ``calls``, ``responses``, ``calls_to``, ``messages_in``, ``ephemerals_for``, ``views``,
    ``home_view``, ``files``, ``wait_for``. Faults: ``fail_next``, ``drop_next``, ``delay``,
    ``set_rate_limit``, ``apply_documented_rate_limits``. ``reset()`` returns to a fresh workspace.
    """

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test-token",
        app_token: str = "xapp-1-A0MENTOR-1-test-app-token",
        team_id: str = "T1",
        team_domain: str = "mentorbot-test",
        team_name: str = "Mentorbot Test",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        app_id: str = "A0MENTOR",
        bot_name: str = "mentorbot",
        trigger_ttl: float = TRIGGER_TTL_SECONDS,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        # Set by a Socket Mode stand-in (fake_socket_mode.py): the ws:// URL apps.connections.open gives.
        self.socket_mode_url: Callable[[], str] | None = None
        self.team_id = team_id
        self.team_domain = team_domain
        self.team_name = team_name
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.bot_name = bot_name
        self.trigger_ttl = trigger_ttl
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port: int | None = None
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "conversations.open": self._conversations_open,
            "conversations.members": self._conversations_members,
            "conversations.invite": self._conversations_invite,
            "conversations.history": self._conversations_history,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
        }
        self.reset()

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is None:
            self._server = _Server(self)
            self.port = self._server.server_address[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fakeslack-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=2)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        """The WebClient base_url: the SDK POSTs to base_url + method name."""
        return f"{self.base_url}/api/"

    def client(self, **kwargs: Any) -> Any:
        """A slack_sdk WebClient wired to this fake (kwargs go to WebClient, e.g. retry_handlers)."""
        from slack_sdk import WebClient

        kwargs.setdefault("token", self.bot_token)
        return WebClient(base_url=self.api_url, **kwargs)

    def reset(self) -> None:
        """Forget everything: calls, messages, views, users, channels, faults and rate limits."""
        with self._lock:
            self.calls: list[Call] = []
            self.crashes: list[str] = []  # exceptions inside the fake itself (should stay empty)
            self.responses: list[ResponsePost] = []
            self.users: dict[str, dict[str, Any]] = {}
            self.channels: dict[str, _Channel] = {}
            self._messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
            self.ephemerals: list[dict[str, Any]] = []
            self.views: dict[str, dict[str, Any]] = {}
            self._view_users: dict[str, str | None] = {}
            self._home_views: dict[str, str] = {}
            self.files: dict[str, dict[str, Any]] = {}
            self._triggers: dict[str, _Trigger] = {}
            self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
            self._delays: dict[str, float] = {}
            self._rate_limits: dict[str, _RateLimit] = {}
            self.rate_limited_count: dict[str, int] = defaultdict(int)
            self._expired_response_keys: set[str] = set()
            self._response_originals: dict[str, tuple[str, str]] = {}  # key -> (channel, ts) it came from
            self._seq = itertools.count(1)
            self._last_ts = 0.0
            self.add_user(self.bot_user_id, name=self.bot_name, real_name=self.bot_name, is_bot=True)

    # ---- directory ---------------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "Europe/Berlin",
        tz_offset: int | None = None,
        tz_label: str | None = None,
        deleted: bool = False,
        is_bot: bool = False,
        email: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add (or replace) a user; tz_offset (seconds east of UTC, now) and tz_label follow tz."""
        name = name or user_id.lower()
        real_name = real_name if real_name is not None else name.replace(".", " ").title()
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset()
        if tz_offset is None:
            tz_offset = int(offset.total_seconds()) if offset is not None else 0
        if tz_label is None:
            labels = _TZ_LABELS.get(tz)
            tz_label = labels[1 if now.dst() else 0] if labels else (now.tzname() or tz)
        profile: dict[str, Any] = {
            "real_name": real_name,
            "display_name": display_name if display_name is not None else name,
            "real_name_normalized": real_name,
            "display_name_normalized": display_name if display_name is not None else name,
            "image_48": f"https://avatars.example.invalid/{user_id}_48.png",
            "team": self.team_id,
        }
        if email is not None:
            profile["email"] = email
        if is_bot:
            profile["bot_id"] = self.bot_id if user_id == self.bot_user_id else _hashed_id("B", user_id)
        profile.update(extra.pop("profile", {}))
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": tz,
            "tz_label": tz_label,
            "tz_offset": tz_offset,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
            **extra,
        }
        with self._lock:
            self.users[user_id] = user
        return copy.deepcopy(user)

    def deactivate_user(self, user_id: str) -> None:
        """Mark a user deleted (deactivated), as when someone leaves the workspace."""
        with self._lock:
            self.users[user_id]["deleted"] = True

    def add_channel(
        self,
        channel_id: str,
        members: Iterable[str] = (),
        *,
        name: str | None = None,
        bot_is_member: bool = True,
        is_archived: bool = False,
    ) -> None:
        """Add a channel. When bot_is_member the bot may post there and is listed among its members."""
        member_list = list(dict.fromkeys(members))
        if bot_is_member and self.bot_user_id not in member_list:
            member_list.append(self.bot_user_id)
        with self._lock:
            self.channels[channel_id] = _Channel(
                id=channel_id,
                members=member_list,
                name=name or channel_id.lower(),
                created=int(time.time()),
                is_archived=is_archived,
                bot_is_member=bot_is_member,
            )

    def set_members(self, channel_id: str, members: Iterable[str]) -> None:
        with self._lock:
            channel = self.channels[channel_id]
            channel.members = list(dict.fromkeys(members))
            if channel.bot_is_member and self.bot_user_id not in channel.members:
                channel.members.append(self.bot_user_id)

    # ---- trigger ids and response urls -------------------------------------------------------------------

    def new_trigger_id(self, user_id: str | None = None, *, expired: bool = False) -> str:
        """A trigger_id views.open accepts once, within ``trigger_ttl`` seconds (or never, if expired)."""
        with self._lock:
            trigger_id = f"{next(self._seq) + 1_000_000_000}.{int(time.time())}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(time.monotonic(), user_id, expired=expired)
        return trigger_id

    def response_url(self, key: str | None = None, *, original: tuple[str, str] | None = None) -> str:
        """A response_url whose POSTs are recorded under ``key`` (a fresh key when None).

        With ``original`` (the channel and ts of the message whose button was clicked), a POST with
        ``replace_original`` replaces that message and one with ``delete_original`` deletes it, as Slack
        does for a message in a conversation (an ephemeral original is the caller's to replace)."""
        with self._lock:
            if key is None:
                key = f"r{next(self._seq)}"
            if original is not None:
                self._response_originals[key] = original
        return f"{self.base_url}/response/{key}"

    def expire_response_url(self, key: str) -> None:
        """Make POSTs to this response_url fail as an expired one (older than 30 minutes) does."""
        with self._lock:
            self._expired_response_keys.add(key)
