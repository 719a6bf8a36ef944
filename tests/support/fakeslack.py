"""A fake Slack Web API served over real HTTP on 127.0.0.1, for tests.

The bot under test talks to it exactly as it talks to Slack: give its ``WebClient`` the
``base_url=fake.api_url`` and the fake's ``bot_token``. Every call is recorded, answered in the shape
Slack documents, and can be made to fail (errors, HTTP 429/500, dropped connections, delays, a rate
limiter), so reliability code can be tested without patching anything.

Facts come from Slack's method reference (docs.slack.dev/reference/methods, as captured in
slack-ruby/slack-api-ref, commit f4837c0): argument names, error codes, rate-limit tiers and answer
shapes. Where a behaviour is not in that reference, the comment next to it says where it comes from.
Nothing here reads files at run time.

Routes served:
    /api/<method>        the Web API (GET query string, POST form or JSON body)
    /response/<key>      response_url captures (see ``response_url()``)
    /upload/<file_id>    upload targets handed out by files.getUploadURLExternal
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import itertools
import json
import math
import re
import secrets
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

T = TypeVar("T")

# Rate-limit tiers per method, from the reference's "rate_limits" field
# (docs.slack.dev/apis/web-api/rate-limits):
# Tier 2 = 20+/min, Tier 3 = 50+/min, Tier 4 = 100+/min; chat.postMessage is "special": about one message
# per second per channel, with short bursts allowed.
TIER_PER_MINUTE = {"t2": 20, "t3": 50, "t4": 100}
METHOD_TIERS = {
    "users.list": "t2",
    "chat.delete": "t3",
    "chat.update": "t3",
    "conversations.open": "t3",
    "conversations.history": "t3",
    "chat.postEphemeral": "t4",
    "conversations.members": "t4",
    "users.info": "t4",
    "views.open": "t4",
    "views.update": "t4",
    "views.publish": "t4",
    "files.getUploadURLExternal": "t4",
    "files.completeUploadExternal": "t4",
}

# Methods that take an app-level token (xapp-…) instead of the bot token (apps.connections.open reference).
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})

# Block Kit limits (docs.slack.dev/reference/block-kit): 50 blocks in a message, 100 in a modal or Home tab.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
# A response_url can be used up to 5 times within 30 minutes
# (docs.slack.dev/interactivity/handling-user-interaction, "Message responses").
RESPONSE_URL_MAX_USES = 5
# A trigger_id expires 3 seconds after it is issued and can be exchanged once
# (docs.slack.dev/interactivity/handling-user-interaction; views.open error exchanged_trigger_id).
TRIGGER_TTL_SECONDS = 3.0
# views.open invalid_trigger_id: 'The expected format for the trigger_id argument is "132456.7890123.abcdef"'.
_TRIGGER_FORMAT = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")

# Arguments whose value is JSON: the SDK sends them as JSON strings in form posts.
_JSON_ARGS = frozenset({"blocks", "attachments", "view", "files", "metadata", "unfurls"})

# Long time-zone names as Slack shows them in tz_label (users.info example: "Pacific Daylight Time").
_TZ_LABELS = {
    "Europe/Berlin": ("Central European Time", "Central European Summer Time"),
    "Europe/Paris": ("Central European Time", "Central European Summer Time"),
    "Europe/Amsterdam": ("Central European Time", "Central European Summer Time"),
    "Europe/London": ("Greenwich Mean Time", "British Summer Time"),
    "America/New_York": ("Eastern Standard Time", "Eastern Daylight Time"),
    "America/Chicago": ("Central Standard Time", "Central Daylight Time"),
    "America/Denver": ("Mountain Standard Time", "Mountain Daylight Time"),
    "America/Los_Angeles": ("Pacific Standard Time", "Pacific Daylight Time"),
    "Asia/Tokyo": ("Japan Standard Time", "Japan Standard Time"),
    "Asia/Kolkata": ("India Standard Time", "India Standard Time"),
    "Australia/Sydney": ("Australian Eastern Standard Time", "Australian Eastern Daylight Time"),
}

_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _b36(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 36)
        out.append(_ID_ALPHABET[r])
    return "".join(reversed(out))


def _hashed_id(prefix: str, *parts: str, width: int = 10) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode()).digest()
    return prefix + _b36(int.from_bytes(digest[:8], "big"), width)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _encode_cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _decode_cursor(cursor: str, prefix: str) -> str | None:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return text[len(prefix) :] if text.startswith(prefix) else None


class SlackError(Exception):
    """Raised inside a method handler: answered as ``{"ok": false, "error": ...}`` with HTTP 200."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def _invalid_arguments(*messages: str) -> SlackError:
    # Shape from the views.open / views.publish error examples in the reference.
    return SlackError("invalid_arguments", response_metadata={"messages": list(messages)})


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake saw and answered it."""

    method: str
    args: dict[str, Any]  # query + body arguments, JSON-valued ones (blocks, view, ...) decoded; no token
    time: float  # time.time() when the request arrived
    token: str | None
    status: int  # HTTP status answered; 0 when the connection was dropped
    response: dict[str, Any] | None  # JSON answered; None when dropped

    @property
    def ok(self) -> bool:
        return bool(self.response and self.response.get("ok") is True)

    @property
    def error(self) -> str | None:
        return None if self.response is None else self.response.get("error")


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response_url."""

    key: str
    body: dict[str, Any]
    time: float
    status: int

    @property
    def text(self) -> str | None:
        return self.body.get("text")

    @property
    def blocks(self) -> list[dict[str, Any]] | None:
        return self.body.get("blocks")

    @property
    def response_type(self) -> str | None:
        return self.body.get("response_type")

    @property
    def replace_original(self) -> bool:
        return _truthy(self.body.get("replace_original", False))

    @property
    def delete_original(self) -> bool:
        return _truthy(self.body.get("delete_original", False))


@dataclass
class _Fault:
    kind: str  # "error" | "drop"
    remaining: int
    error: str = ""
    status: int = 200
    retry_after: int | None = None
    after_processing: bool = False


# Slack documents its limits per minute, not their shape, so the fake offers three (``shape=``); all of them
# allow ``per_second`` in the long run and ``burst`` at once, and answer beyond that with a whole-second
# Retry-After (at least 1) saying when a call will be accepted again.
RATE_LIMIT_SHAPES = ("token-bucket", "fixed-window", "sliding-window")


@dataclass
class _RateLimit:
    """One limiter per key (the channel, for a per-channel limit), of one shape:

    - token-bucket: ``burst`` tokens, refilled at ``per_second``;
    - fixed-window: at most ``burst`` calls in each window of ``burst / per_second`` seconds, the windows
      back to back from the first call (so up to twice ``burst`` across a window's edge);
    - sliding-window: at most ``burst`` calls in any ``burst / per_second`` seconds (a log of them).
    Refused calls are not counted."""

    per_second: float
    burst: int
    per_channel: bool = False
    shape: str = "token-bucket"
    state: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.shape not in RATE_LIMIT_SHAPES:
            raise ValueError(f"unknown rate-limit shape {self.shape!r}; one of {RATE_LIMIT_SHAPES}")

    @property
    def window(self) -> float:
        return self.burst / self.per_second

    def take(self, key: str, now: float) -> int | None:
        """Count one call; None when allowed, else the Retry-After seconds (an integer, at least 1)."""
        if self.shape == "token-bucket":
            wait = self._token_bucket(key, now)
        elif self.shape == "fixed-window":
            wait = self._fixed_window(key, now)
        else:
            wait = self._sliding_window(key, now)
        return None if wait is None else max(1, math.ceil(wait - 1e-9))

    def _token_bucket(self, key: str, now: float) -> float | None:
        tokens, updated = self.state.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - updated) * self.per_second)
        if tokens >= 1.0:
            self.state[key] = (tokens - 1.0, now)
            return None
        self.state[key] = (tokens, now)
        return (1.0 - tokens) / self.per_second

    def _fixed_window(self, key: str, now: float) -> float | None:
        start, count = self.state.get(key, (now, 0))
        if now >= start + self.window:
            start += (now - start) // self.window * self.window
            count = 0
        if count < self.burst:
            self.state[key] = (start, count + 1)
            return None
        self.state[key] = (start, count)
        return start + self.window - now

    def _sliding_window(self, key: str, now: float) -> float | None:
        log: deque[float] = self.state.setdefault(key, deque())
        while log and log[0] <= now - self.window:
            log.popleft()
        if len(log) < self.burst:
            log.append(now)
            return None
        return log[0] + self.window - now


@dataclass
class _Channel:
    id: str
    members: list[str]
    name: str
    created: int
    is_im: bool = False
    is_mpim: bool = False
    is_archived: bool = False
    bot_is_member: bool = True
    user: str | None = None  # the other person of an IM


@dataclass
class _Trigger:
    issued_at: float
    user_id: str | None
    expired: bool = False
    used: bool = False


@dataclass
class _Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


def _json_answer(
    payload: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> _Answer:
    return _Answer(status=status, body=json.dumps(payload).encode(), headers=headers or {})


# ----------------------------------------------------------------------------------------------------------
# Block Kit checks: the limits that bite in practice, each answered the way Slack words it
# ("[ERROR] <what> [json-pointer:/blocks/0/text/text]").
# ----------------------------------------------------------------------------------------------------------


def _check_text(obj: Any, ptr: str, max_len: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return [f"[ERROR] must be a text object [json-pointer:{ptr}]"]
    if plain_only and obj["type"] != "plain_text":
        return [f"[ERROR] must be a plain_text object [json-pointer:{ptr}/type]"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"[ERROR] must be more than 0 characters [json-pointer:{ptr}/text]"]
    if len(text) > max_len:
        return [f"[ERROR] must be less than {max_len + 1} characters [json-pointer:{ptr}/text]"]
    return []


def _check_element(el: Any, ptr: str) -> list[str]:
    if not isinstance(el, dict) or not isinstance(el.get("type"), str):
        return [f"[ERROR] missing required field: type [json-pointer:{ptr}]"]
    errors: list[str] = []
    if len(str(el.get("action_id", ""))) > 255:
        errors.append(f"[ERROR] must be less than 256 characters [json-pointer:{ptr}/action_id]")
    if el["type"] == "button":
        errors += _check_text(el.get("text"), f"{ptr}/text", 75, plain_only=True)
        if len(str(el.get("value", ""))) > 2000:
            errors.append(f"[ERROR] must be less than 2001 characters [json-pointer:{ptr}/value]")
        if len(str(el.get("url", ""))) > 3000:
            errors.append(f"[ERROR] must be less than 3001 characters [json-pointer:{ptr}/url]")
    options = el.get("options")
    if options is not None:
        if not isinstance(options, list) or len(options) > 100:
            errors.append(f"[ERROR] no more than 100 items allowed [json-pointer:{ptr}/options]")
        else:
            for i, opt in enumerate(options):
                op = f"{ptr}/options/{i}"
                errors += _check_text(opt.get("text") if isinstance(opt, dict) else None, f"{op}/text", 75)
                if isinstance(opt, dict) and len(str(opt.get("value", ""))) > 150:
                    errors.append(f"[ERROR] must be less than 151 characters [json-pointer:{op}/value]")
    return errors


def _check_block(block: Any, ptr: str) -> list[str]:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return [f"[ERROR] missing required field: type [json-pointer:{ptr}]"]
    kind = block["type"]
    errors: list[str] = []
    if len(str(block.get("block_id", ""))) > 255:
        errors.append(f"[ERROR] must be less than 256 characters [json-pointer:{ptr}/block_id]")
    if kind == "section":
        if "text" not in block and "fields" not in block:
            errors.append(f"[ERROR] must provide either text or fields [json-pointer:{ptr}]")
        if "text" in block:
            errors += _check_text(block["text"], f"{ptr}/text", 3000)
        fields = block.get("fields")
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > 10:
                errors.append(f"[ERROR] no more than 10 items allowed [json-pointer:{ptr}/fields]")
            else:
                for i, f in enumerate(fields):
                    errors += _check_text(f, f"{ptr}/fields/{i}", 2000)
        if "accessory" in block:
            errors += _check_element(block["accessory"], f"{ptr}/accessory")
    elif kind == "header":
        errors += _check_text(block.get("text"), f"{ptr}/text", 150, plain_only=True)
    elif kind in ("actions", "context"):
        limit = 25 if kind == "actions" else 10
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements or len(elements) > limit:
            errors.append(f"[ERROR] must provide 1 to {limit} items [json-pointer:{ptr}/elements]")
        elif kind == "actions":
            for i, el in enumerate(elements):
                errors += _check_element(el, f"{ptr}/elements/{i}")
    elif kind == "input":
        errors += _check_text(block.get("label"), f"{ptr}/label", 2000, plain_only=True)
        if "element" not in block:
            errors.append(f"[ERROR] missing required field: element [json-pointer:{ptr}]")
        else:
            errors += _check_element(block["element"], f"{ptr}/element")
    return errors


def check_blocks(blocks: Any, limit: int, ptr: str = "/blocks") -> list[str]:
    """Slack-worded problems with a list of blocks (empty list when it is fine)."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{ptr}]"]
    if len(blocks) > limit:
        return [f"[ERROR] no more than {limit} items allowed [json-pointer:{ptr}]"]
    errors: list[str] = []
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        errors += _check_block(block, f"{ptr}/{i}")
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in seen:
                errors.append(f"[ERROR] duplicate block_id: {block_id} [json-pointer:{ptr}/{i}/block_id]")
            seen.add(block_id)
    return errors


def check_view(view: Any, *, surface: str) -> list[str]:
    """Slack-worded problems with a view for views.open/update ("modal") or views.publish ("home")."""
    if not isinstance(view, dict):
        return ["[ERROR] must provide an object [json-pointer:/view]"]
    kind = view.get("type")
    allowed = ("home",) if surface == "home" else ("modal", "home")
    if kind not in allowed:
        return [f"[ERROR] must be one of {', '.join(allowed)} [json-pointer:/view/type]"]
    errors: list[str] = []
    if kind == "modal":
        errors += _check_text(view.get("title"), "/view/title", 24, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                errors += _check_text(view[key], f"/view/{key}", 24, plain_only=True)
        blocks = view.get("blocks") or []
        if any(isinstance(b, dict) and b.get("type") == "input" for b in blocks) and not view.get("submit"):
            errors.append(
                "[ERROR] must provide a submit property when using input blocks [json-pointer:/view]"
            )
    if "blocks" not in view:
        errors.append("[ERROR] missing required field: blocks [json-pointer:/view]")
    else:
        errors += check_blocks(view["blocks"], MAX_VIEW_BLOCKS, "/view/blocks")
    if len(str(view.get("private_metadata", ""))) > 3000:
        errors.append("[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]")
    for key in ("callback_id", "external_id"):
        if len(str(view.get(key, ""))) > 255:
            errors.append(f"[ERROR] must be less than 256 characters [json-pointer:/view/{key}]")
    return errors


# ----------------------------------------------------------------------------------------------------------
# HTTP plumbing
# ----------------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256  # many bot threads (or processes) at once must not see "connection reset"

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # silence the default stderr log
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        answer = self.server.fake._serve(self.command, self.path, dict(self.headers.items()), raw)
        if answer.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)


# ----------------------------------------------------------------------------------------------------------
# The fake
# ----------------------------------------------------------------------------------------------------------


class FakeSlack:
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
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeSlack is not started; call start() or use it as a context manager")
        return f"http://127.0.0.1:{self.port}"

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

    def dm_channel_for(self, *user_ids: str) -> str:
        """The id conversations.open gives for this set of users (order and the bot itself ignored)."""
        people = sorted(set(user_ids) - {self.bot_user_id})
        if not people:
            raise ValueError("a DM needs at least one user besides the bot")
        if len(people) == 1:
            return _hashed_id("D", self.team_id, "im", people[0])
        return _hashed_id("G", self.team_id, "mpim", *people)

    # ---- trigger ids and response urls -------------------------------------------------------------------

    def new_trigger_id(self, user_id: str | None = None, *, expired: bool = False) -> str:
        """A trigger_id views.open accepts once, within ``trigger_ttl`` seconds (or never, if expired)."""
        with self._lock:
            trigger_id = f"{next(self._seq) + 1_000_000_000}.{int(time.time())}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(time.monotonic(), user_id, expired=expired)
        return trigger_id

    def response_url(self, key: str | None = None) -> str:
        """A response_url whose POSTs are recorded under ``key`` (a fresh key when None)."""
        if key is None:
            with self._lock:
                key = f"r{next(self._seq)}"
        return f"{self.base_url}/response/{key}"

    def expire_response_url(self, key: str) -> None:
        """Make POSTs to this response_url fail as an expired one (older than 30 minutes) does."""
        with self._lock:
            self._expired_response_keys.add(key)

    # ---- fault injection and rate limits -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error instead of running them.

        status defaults to 429 for "ratelimited" (with a Retry-After header) and 200 otherwise
        (Slack's usual ``{"ok": false, "error": ...}``); pass status=500 etc. for server errors.
        ``method`` may also be "response_url" or "upload" (the file upload URL). Faults queue up in order.
        """
        if status is None:
            status = 429 if error == "ratelimited" else 200
        with self._lock:
            self._faults[method].append(
                _Fault("error", times, error=error, status=status, retry_after=retry_after)
            )

    def clear_faults(self, method: str | None = None) -> None:
        """Forget queued faults (for one method, or all): the outage is over."""
        with self._lock:
            if method is None:
                self._faults.clear()
            else:
                self._faults.pop(method, None)

    def drop_next(self, method: str, times: int = 1, *, after_processing: bool = False) -> None:
        """Close the connection of the next ``times`` calls without an answer.

        With after_processing=True the call takes effect first (a message is posted) and only the
        answer is lost: the case an idempotent sender must survive.
        """
        with self._lock:
            self._faults[method].append(_Fault("drop", times, after_processing=after_processing))

    def delay(self, method: str, seconds: float) -> None:
        """Wait ``seconds`` before handling every call of ``method`` (0 removes the delay)."""
        with self._lock:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def set_rate_limit(
        self,
        method: str,
        per_second: float,
        burst: int = 1,
        per_channel: bool = False,
        *,
        shape: str = "token-bucket",
    ) -> None:
        """``per_second`` in the long run, ``burst`` at once; beyond it, HTTP 429 with an integer
        Retry-After (>= 1) and error "ratelimited". ``shape``: one of RATE_LIMIT_SHAPES (see _RateLimit).

        per_channel=True keeps one limiter per ``channel`` argument (chat.postMessage's special tier).
        """
        with self._lock:
            self._rate_limits[method] = _RateLimit(per_second, max(1, burst), per_channel, shape)

    def clear_rate_limits(self) -> None:
        with self._lock:
            self._rate_limits.clear()

    def apply_documented_rate_limits(
        self, *, speedup: float = 1.0, burst: int = 1, shape: str = "token-bucket"
    ) -> None:
        """Rate-limit every method at its documented tier (per minute), chat.postMessage at 1/s/channel.

        ``speedup`` multiplies every rate, so a test can see the behaviour without waiting minutes. A
        window shape allows each tier's calls per minute (sped up) and ``burst`` messages per channel
        in ``burst`` seconds (sped up).
        """
        windowed = shape != "token-bucket"
        for method, tier in METHOD_TIERS.items():
            per_minute = TIER_PER_MINUTE[tier]
            self.set_rate_limit(
                method, per_minute / 60.0 * speedup, burst=per_minute if windowed else burst, shape=shape
            )
        self.set_rate_limit("chat.postMessage", 1.0 * speedup, burst=burst, per_channel=True, shape=shape)

    # ---- reading what happened ---------------------------------------------------------------------------

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

    # ---- request handling ------------------------------------------------------------------------------

    def _serve(self, verb: str, path: str, headers: dict[str, str], raw: bytes) -> _Answer:
        try:
            return self._route(verb, path, headers, raw)
        except Exception as exc:  # a bug in the fake: say so loudly instead of dropping the connection
            with self._lock:
                self.crashes.append(f"{verb} {path}: {exc!r}")
            return _json_answer({"ok": False, "error": "internal_error", "fake_crash": repr(exc)}, 500)

    def _route(self, verb: str, path: str, headers: dict[str, str], raw: bytes) -> _Answer:
        parts = urlsplit(path)
        if parts.path.startswith("/api/"):
            return self._serve_api(parts.path[len("/api/") :], parts.query, headers, raw)
        if parts.path.startswith("/response/") and verb == "POST":
            return self._serve_response_url(parts.path[len("/response/") :], raw)
        if parts.path.startswith("/upload/") and verb == "POST":
            return self._serve_upload(parts.path[len("/upload/") :], raw)
        return _Answer(404, b"Not Found", "text/plain")

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            queue = self._faults.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.popleft()
            return fault

    def _fault_answer(self, method: str, fault: _Fault) -> _Answer:
        if fault.kind == "drop":
            return _Answer(drop=True)
        headers = {}
        if fault.status == 429:
            headers["Retry-After"] = str(fault.retry_after)
            with self._lock:
                self.rate_limited_count[method] += 1
        return _json_answer({"ok": False, "error": fault.error}, fault.status, headers)

    def _parse(self, query: str, headers: dict[str, str], raw: bytes) -> tuple[dict[str, Any], bool]:
        """Arguments from query string and body; returns (args, body_was_json)."""
        args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        is_json = content_type.split(";")[0].strip().lower() == "application/json"
        if raw:
            if is_json:
                body = json.loads(raw.decode("utf-8"))
                if not isinstance(body, dict):
                    raise ValueError("JSON body must be an object")
                args.update(body)
            else:
                text = raw.decode("utf-8")
                args.update({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})
        for key in _JSON_ARGS & args.keys():
            if isinstance(args[key], str):
                # Undecodable values stay strings; the method answers invalid_blocks_format etc.
                with contextlib.suppress(json.JSONDecodeError):
                    args[key] = json.loads(args[key])
        return args, is_json

    def _serve_api(self, method: str, query: str, headers: dict[str, str], raw: bytes) -> _Answer:
        arrived = time.time()
        header_auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        try:
            args, is_json = self._parse(query, headers, raw)
        except (ValueError, UnicodeDecodeError):
            answer = _json_answer({"ok": False, "error": "invalid_json"})
            self._record(method, {}, arrived, None, answer)
            return answer
        # Token: "passed as an HTTP Authorization header or alternatively, as a POST parameter" (every
        # method's token argument). JSON bodies must use the header (docs.slack.dev/apis/web-api,
        # "JSON-encoded bodies"), so a token inside a JSON body is not read.
        body_token = args.pop("token", None)
        token = header_auth[len("Bearer ") :].strip() if header_auth.startswith("Bearer ") else None
        if token is None and not is_json:
            token = body_token

        delay = self._delays.get(method)
        if delay:
            time.sleep(delay)
        fault = self._take_fault(method)
        if fault is not None and not (fault.kind == "drop" and fault.after_processing):
            answer = self._fault_answer(method, fault)
            self._record(method, args, arrived, token, answer)
            return answer

        answer = self._run_method(method, args, token)
        self._record(method, args, arrived, token, answer)
        if fault is not None:  # a drop after processing: the effect happened, the answer is lost
            return _Answer(drop=True)
        return answer

    def _run_method(self, method: str, args: dict[str, Any], token: str | None) -> _Answer:
        handler = self._methods.get(method)
        if handler is None:
            return _json_answer({"ok": False, "error": "unknown_method", "req_method": method})
        if not token:
            return _json_answer({"ok": False, "error": "not_authed"})
        expected = self.app_token if method in APP_TOKEN_METHODS else self.bot_token
        if token != expected:
            # An app-level (xapp-) token where a bot token belongs, or the other way round, is the wrong
            # type (apps.connections.open: "not_allowed_token_type"); an unknown token of the right type
            # is invalid_auth.
            wrong_type = token.startswith("xapp-") != expected.startswith("xapp-")
            return _json_answer(
                {"ok": False, "error": "not_allowed_token_type" if wrong_type else "invalid_auth"}
            )
        with self._lock:
            limit = self._rate_limits.get(method)
            if limit is not None:
                key = str(args.get("channel") or args.get("channel_id") or "") if limit.per_channel else ""
                retry_after = limit.take(key, time.monotonic())
                if retry_after is not None:
                    self.rate_limited_count[method] += 1
                    return _json_answer(
                        {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(retry_after)}
                    )
            try:
                return _json_answer({"ok": True, **handler(args)})
            except SlackError as e:
                return _json_answer({"ok": False, "error": e.error, **e.extra})

    def _record(
        self, method: str, args: dict[str, Any], arrived: float, token: str | None, answer: _Answer
    ) -> None:
        response = None if answer.drop else json.loads(answer.body)
        call = Call(method, args, arrived, token, 0 if answer.drop else answer.status, response)
        with self._lock:
            self.calls.append(call)

    def _serve_response_url(self, key: str, raw: bytes) -> _Answer:
        arrived = time.time()
        fault = self._take_fault("response_url")
        if fault is not None:
            return self._fault_answer("response_url", fault)
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            # Incoming-webhook style plain-text error
            # (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks, "Handling errors").
            return _Answer(400, b"invalid_payload", "text/plain")
        with self._lock:
            used = sum(1 for r in self.responses if r.key == key and r.status == 200)
            if key in self._expired_response_keys:
                status, answer = 404, {"ok": False, "error": "expired_url"}
            elif used >= RESPONSE_URL_MAX_USES:
                status, answer = 404, {"ok": False, "error": "used_url"}
            else:
                # Slack answers a good response_url POST with HTTP 200; slack_sdk's WebhookClient and
                # Bolt's respond() only look at the status. The body has been both plain "ok" and
                # {"ok":true} over the years; we answer the JSON form.
                status, answer = 200, {"ok": True}
            self.responses.append(ResponsePost(key, body, arrived, status))
        return _json_answer(answer, status)

    def _serve_upload(self, file_id: str, raw: bytes) -> _Answer:
        fault = self._take_fault("upload")
        if fault is not None:
            return self._fault_answer("upload", fault)
        with self._lock:
            record = self.files.get(file_id)
            if record is None:
                return _Answer(404, b"Not Found", "text/plain")
            record["content"] = raw
            record["uploaded"] = True
        # files.slack.com answers an upload with 200 and a plain-text "OK - <bytes>".
        return _Answer(200, f"OK - {len(raw)}".encode(), "text/plain; charset=utf-8")

    # ---- helpers used by the method handlers (called with the lock held) ---------------------------------

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

    # ---- Web API methods (called with the lock held; return the answer without "ok") --------------------

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        # auth.test "success_with_bot_token" example.
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        # "Generate a temporary Socket Mode WebSocket URL": {"ok": true, "url": "wss://…"}.
        if self.socket_mode_url is None:
            raise SlackError("internal_error")  # no stand-in is listening
        return {"url": self.socket_mode_url()}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = copy.deepcopy(self._user_or(args.get("user"), "user_not_found"))
        if _truthy(args.get("include_locale")):
            user["locale"] = "en-US"
        return {"user": user}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        members = list(self.users.values())
        start = 0
        if args.get("cursor"):
            after = _decode_cursor(str(args["cursor"]), "user:")
            ids = [u["id"] for u in members]
            if after is None or after not in ids:
                raise SlackError("invalid_cursor")
            start = ids.index(after)
        try:
            limit = int(args.get("limit") or 0)
        except ValueError:
            limit = 0
        # "Providing no limit value will result in Slack attempting to deliver you the entire result set."
        page = members[start : start + limit] if limit > 0 else members[start:]
        end = start + len(page)
        next_cursor = _encode_cursor("user:" + members[end]["id"]) if end < len(members) else ""
        return {
            "members": copy.deepcopy(page),
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("users"):
            if args.get("channel"):  # "Resume a conversation by supplying an im or mpim's ID"
                channel = self.channels.get(str(args["channel"]))
                if channel is None or not (channel.is_im or channel.is_mpim):
                    raise SlackError("channel_not_found")
                existed = True
            else:
                raise SlackError("users_list_not_supplied")
        else:
            requested = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
            # The caller (the bot) is always in its own DMs; naming it changes nothing. Naming nobody else
            # is "not_enough_users".
            people = list(dict.fromkeys(u for u in requested if u != self.bot_user_id))
            if not people:
                raise SlackError("not_enough_users")
            if len(people) > 8:  # too_many_users: "Needs at most 8 users to open"
                raise SlackError("too_many_users")
            for user_id in people:
                user = self._user_or(user_id, "user_not_found")
                if user["deleted"]:  # user_disabled: "A specified user has been disabled."
                    raise SlackError("user_disabled")
            channel, existed = self._open_dm(people)
        answer: dict[str, Any] = {"channel": {"id": channel.id}}
        if existed:
            answer.update(no_op=True, already_open=True)
        if _truthy(args.get("return_im")):
            # conversations.open "success_with_return_im" example.
            answer["channel"] = {
                "id": channel.id,
                "created": channel.created,
                "is_im": channel.is_im,
                "is_mpim": channel.is_mpim,
                "is_org_shared": False,
                "user": channel.user,
                "last_read": "0000000000.000000",
                "latest": None,
                "unread_count": 0,
                "unread_count_display": 0,
                "is_open": True,
                "priority": 0,
            }
        return answer

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel") or ""))
        if channel is None:
            raise SlackError("channel_not_found")
        try:
            limit = int(args.get("limit") or 100)  # Slack's default page size here is 100
        except ValueError:
            raise SlackError("invalid_limit") from None
        if not 1 <= limit <= 1000:
            raise SlackError("invalid_limit")
        start = 0
        if args.get("cursor"):
            after = _decode_cursor(str(args["cursor"]), "user_id:")
            if after is None or after not in channel.members:
                raise SlackError("invalid_cursor")
            start = channel.members.index(after)
        page = channel.members[start : start + limit]
        end = start + len(page)
        next_cursor = _encode_cursor("user_id:" + channel.members[end]) if end < len(channel.members) else ""
        return {"members": list(page), "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; ``oldest``/``latest`` bound by ts (exclusive unless ``inclusive``); message
        ``metadata`` only with ``include_all_metadata``; cursor pagination (docs: conversations.history)."""
        channel = self._resolve_channel(args.get("channel"))
        if not channel.bot_is_member:
            raise SlackError("not_in_channel")
        try:
            limit = int(args.get("limit") or 100)
            oldest = float(args.get("oldest") or 0)
            latest = float(args["latest"]) if args.get("latest") else float("inf")
        except ValueError:
            raise SlackError("invalid_arguments") from None
        limit = max(1, min(limit, 999))
        inclusive = _truthy(args.get("inclusive"))
        with_metadata = _truthy(args.get("include_all_metadata"))

        def in_range(ts: float) -> bool:
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        newest_first = [m for m in reversed(self._messages.get(channel.id, [])) if in_range(float(m["ts"]))]
        start = 0
        if args.get("cursor"):
            after = _decode_cursor(str(args["cursor"]), "next_ts:")
            positions = [i for i, m in enumerate(newest_first) if m["ts"] == after]
            if not positions:
                raise SlackError("invalid_cursor")
            start = positions[0]
        page = newest_first[start : start + limit]
        more = start + limit < len(newest_first)
        shown = []
        for message in page:
            item = {k: copy.deepcopy(v) for k, v in message.items() if k != "channel"}
            if not with_metadata:
                item.pop("metadata", None)
            shown.append(item)
        return {
            "messages": shown,
            "has_more": more,
            "pin_count": 0,
            "response_metadata": {
                "next_cursor": _encode_cursor("next_ts:" + newest_first[start + limit]["ts"]) if more else ""
            },
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable_channel(args.get("channel"))
        content = self._message_content(args)
        if args.get("thread_ts"):
            content["thread_ts"] = str(args["thread_ts"])
        ts = self._new_ts()
        message = self._bot_message(ts, content)
        self._messages[channel.id].append({**message, "channel": channel.id})
        return {"channel": channel.id, "ts": ts, "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable_channel(args.get("channel"))
        user_id = str(args.get("user") or "")
        if user_id not in channel.members:  # user_not_in_channel: "Intended recipient is not in the channel."
            raise SlackError("user_not_in_channel")
        content = self._message_content(args)
        ts = self._new_ts()
        self.ephemerals.append({"channel": channel.id, "user": user_id, "ts": ts, **content})
        return {"message_ts": ts}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        message = self._find_message(channel.id, args.get("ts"))
        content = self._message_content(args, required=False)
        if not content:
            raise SlackError("no_text")
        if (
            len(content.get("text", "")) > 4000
        ):  # msg_too_long: "The text field cannot exceed 4,000 characters."
            raise SlackError("msg_too_long")
        message.update(content)
        message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts()}
        public = {k: v for k, v in message.items() if k != "channel"}
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": public,
        }

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(args.get("channel"))
        message = self._find_message(channel.id, args.get("ts"))
        self._messages[channel.id].remove(message)
        return {"channel": channel.id, "ts": message["ts"]}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._check_view_arg(args, "modal")
        trigger = self._claim_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
        view_id = self._new_id("V")
        stored = self._stored_view(view, view_id)
        self.views[view_id] = stored
        self._view_users[view_id] = trigger.user_id
        return {"view": copy.deepcopy(stored)}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id")
        external_id = args.get("external_id")
        if not view_id and not external_id:
            raise _invalid_arguments("[ERROR] either view_id or external_id is required")
        current = self.views.get(str(view_id)) if view_id else None
        if current is None and external_id:
            current = next((v for v in self.views.values() if v.get("external_id") == external_id), None)
        if current is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = self._check_view_arg({**args, "view_id": current["id"]}, "modal")
        stored = self._stored_view(view, current["id"], current["root_view_id"])
        self.views[current["id"]] = stored
        return {"view": copy.deepcopy(stored)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user_id") or "")
        if user_id not in self.users:
            raise _invalid_arguments("invalid `user_id`")  # views.publish error example
        view_id = self._home_views.get(user_id)
        if view_id and args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = self._check_view_arg({**args, "view_id": view_id}, "home")
        view_id = view_id or self._new_id("V")
        stored = self._stored_view(view, view_id)
        self.views[view_id] = stored
        self._home_views[user_id] = view_id
        self._view_users[view_id] = None  # a Home tab is not a modal
        return {"view": copy.deepcopy(stored)}

    def _files_get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            length = int(args.get("length") or 0)
        except ValueError:
            length = 0
        # missing_argument: "A required argument was not provided. Typically only occurs when length is 0."
        if not args.get("filename") or length <= 0:
            raise SlackError("missing_argument")
        file_id = self._new_id("F")
        self.files[file_id] = {
            "id": file_id,
            "name": str(args["filename"]),
            "length": length,
            "uploaded": False,
            "content": b"",
            "completed": False,
        }
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        items = args.get("files")
        if not isinstance(items, list) or not items:
            raise _invalid_arguments("[ERROR] missing required field: files")
        records = []
        for item in items:
            record = self.files.get(str(item.get("id") if isinstance(item, dict) else ""))
            if record is None or not record["uploaded"]:
                raise SlackError("file_not_found")  # "Could not find the file from the upload ticket."
            records.append((record, item))
        targets = [c for c in str(args.get("channels") or "").split(",") if c]
        if args.get("channel_id"):
            targets.insert(0, str(args["channel_id"]))
        channels = [self._writable_channel(c) for c in targets]
        now = int(time.time())
        shown = []
        for record, item in records:
            record.update(
                completed=True,
                title=item.get("title") or record["name"],
                channels=[c.id for c in channels],
                initial_comment=args.get("initial_comment"),
            )
            shown.append(
                {
                    "id": record["id"],
                    "created": now,
                    "timestamp": now,
                    "name": record["name"],
                    "title": record["title"],
                    "user": self.bot_user_id,
                    "size": len(record["content"]),
                }
            )
        for channel in channels:
            ts = self._new_ts()
            content = {
                "text": str(args.get("initial_comment") or ""),
                "files": copy.deepcopy(shown),
                "upload": True,
            }
            self._messages[channel.id].append({**self._bot_message(ts, content), "channel": channel.id})
        return {"files": shown}
