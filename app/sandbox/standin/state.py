"""The attributes the stand-in's parts share."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from app.sandbox.standin.common import (
    Call,
    ResponsePost,
    _Channel,
    _Fault,
    _RateLimit,
    _Trigger,
)


class _State:
    """What every part of the stand-in holds (set in FakeSlack.__init__ and reset())."""

    bot_token: str
    app_token: str
    socket_mode_url: Callable[[], str] | None
    team_id: str
    team_domain: str
    team_name: str
    bot_user_id: str
    bot_id: str
    app_id: str
    bot_name: str
    trigger_ttl: float
    port: int | None
    _lock: threading.RLock
    _methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]
    calls: list[Call]
    crashes: list[str]
    responses: list[ResponsePost]
    users: dict[str, dict[str, Any]]
    channels: dict[str, _Channel]
    _messages: dict[str, list[dict[str, Any]]]
    ephemerals: list[dict[str, Any]]
    views: dict[str, dict[str, Any]]
    _view_users: dict[str, str | None]
    _home_views: dict[str, str]
    files: dict[str, dict[str, Any]]
    _triggers: dict[str, _Trigger]
    _faults: dict[str, deque[_Fault]]
    _delays: dict[str, float]
    _rate_limits: dict[str, _RateLimit]
    rate_limited_count: dict[str, int]
    _expired_response_keys: set[str]
    _response_originals: dict[str, tuple[str, str]]
    _seq: itertools.count[int]
    _last_ts: float
