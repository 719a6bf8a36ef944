"""One Web API call at the learned pace, and what Slack's errors mean for a notice.

Slack's limits are honoured by the pacer (``pacing.py``), which learns the pace from Slack's 429s and
``Retry-After``; a 429 is waited out and retried here a few times. Errors that will never heal (a user
who left, a DM that cannot be opened) are permanent; the rest are passing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.slack.pacing import Pacer

# From Slack's reference for conversations.open / chat.postMessage / chat.update: errors that a retry
# cannot fix.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "not_allowed_token_type",
    }
)
# Errors that mean a person, not the message, is the problem: they are left out of matches and rounds.
PERSON_GONE_ERRORS = frozenset(
    {"user_not_found", "users_not_found", "user_disabled", "account_inactive", "cannot_dm_bot"}
)
# Slack's errors that say "try again later" (its common errors, every method). Any other answer to the
# history check (missing_scope, not_allowed_token_type, unknown_method, …) will not change on a retry.
PASSING_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
RATE_LIMIT_RETRIES = 3


class DeliveryError(Exception):
    """A call that did not succeed. ``status``: the HTTP status of Slack's answer (None: no answer)."""

    def __init__(
        self, error: str, *, permanent: bool, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(error)
        self.error, self.permanent, self.retry_after, self.status = error, permanent, retry_after, status

    @property
    def passing(self) -> bool:
        """Whether a retry may get another answer: no answer, a 5xx, or one of Slack's "later" errors."""
        return self.status is None or self.status >= 500 or self.error in PASSING_ERRORS


class SlackCalls:
    """Paced Web API calls for the sender threads; each thread says whether its notice is urgent."""

    def __init__(self, client: WebClient, pacer: Pacer, stopping: threading.Event) -> None:
        self._client = client
        self._pacer = pacer
        self._stopping = stopping
        self._current = threading.local()  # the priority of the notice this sender thread is sending
        self._bulk_turns = _Turns()

    def sending_urgent(self, urgent: bool) -> None:
        self._current.urgent = urgent

    def _wait_for_pace(self, method: str, channel: str) -> Any:
        """Bulk calls queue for the pace one at a time (per bucket), so a call someone is waiting for
        competes with at most one of them for the next slot, not with every sender. The pace is the
        same: the one bulk call waiting takes each slot as it comes."""
        if getattr(self._current, "urgent", False):
            return self._pacer.wait(method, channel, stop=self._stopping)
        with self._bulk_turns.turn(f"{method} {channel}"):
            return self._pacer.wait(method, channel, stop=self._stopping)

    def call(self, method: str, **kwargs: Any) -> Any:
        """One Web API call at the learned pace; a 429 is waited out (as told) a few times here."""
        api_method = method.replace("_", ".", 1)
        channel = str(kwargs.get("channel", ""))
        for _ in range(RATE_LIMIT_RETRIES + 1):
            release = self._wait_for_pace(api_method, channel)
            try:
                answer = getattr(self._client, method)(**kwargs)
            except SlackApiError as exc:
                error = str(exc.response.get("error") or f"http_{exc.response.status_code}")
                if exc.response.status_code == 429:
                    retry_after = _retry_after(exc.response.headers)
                    self._pacer.rate_limited(api_method, channel, retry_after, release)
                    continue
                raise DeliveryError(
                    error, permanent=error in PERMANENT_ERRORS, status=exc.response.status_code
                ) from None
            except OSError as exc:  # connection refused, reset, timed out (after the SDK's own retries)
                raise DeliveryError(type(exc).__name__, permanent=False) from None
            self._pacer.succeeded(api_method, channel, release)
            return answer
        raise DeliveryError("ratelimited", permanent=False, retry_after=_retry_after({}))


class _Turns:
    """One lock per key, created while someone holds or waits for it (keys are unbounded: channels)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def turn(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(key) or (threading.Lock(), 0)
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)


def _retry_after(headers: Any) -> float:
    """Slack's Retry-After is whole seconds; a missing or odd one means "wait a second"."""
    try:
        return max(1.0, float(headers.get("Retry-After") or headers.get("retry-after") or 1))
    except (TypeError, ValueError):
        return 1.0
