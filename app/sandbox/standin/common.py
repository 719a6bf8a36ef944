"""The stand-in's shared pieces: Slack's limits and tiers, ids, records of calls, faults, rate limiters."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, TypeVar

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
    "conversations.invite": "t3",
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
