"""The outbox dispatcher: claim due notices, render them, send them through the Web API.

Slack's limits are honoured in two layers: the SDK's retry handlers wait out a short ``Retry-After``
and retry connection drops and 5xx answers a few times; whatever still fails for a passing reason
goes back to the outbox with a backoff. Errors that will never heal (a user who left, a DM that
cannot be opened) fail the notice for good, with the reason kept for admins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.services.outbox import ClaimedNotice, Outbox, SentRef
from app.slack.blocks import coffee, messages
from app.slack.blocks.messages import Message
from app.slack.pacing import Pacer

log = logging.getLogger(__name__)

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
NOTICE_EVENT_TYPE = "mentorbot_notice"
HISTORY_LOOKBACK = 100  # a resend is minutes after the first try; far fewer messages arrive in between
WAIT_FOR_ORIGINAL = timedelta(seconds=15)
RATE_LIMIT_RETRIES = 3


class DeliveryError(Exception):
    def __init__(self, error: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(error)
        self.error, self.permanent, self.retry_after = error, permanent, retry_after


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        client: WebClient,
        pacer: Pacer | None = None,
        *,
        refresh_home: Callable[[str], None] | None = None,
        on_unreachable: Callable[[list[str], str], object] | None = None,
    ) -> None:
        self._on_unreachable = on_unreachable
        self._outbox = outbox
        self._client = client
        self._pacer = pacer or Pacer()
        self._refresh_home = refresh_home
        self._renderers: dict[str, Callable[[dict[str, Any]], Message]] = {
            "mentor_request": messages.mentor_request,
            "confirmation": messages.confirmation,
            "request_declined": lambda p: messages.request_fell_through(p, expired=False),
            "request_expired": lambda p: messages.request_fell_through(p, expired=True),
            "meeting_cancelled": messages.meeting_cancelled,
            "feedback_question": messages.feedback_question,
            "coffee_intro": coffee.intro,
            "coffee_followup": coffee.followup,
            "coffee_paused": coffee.paused,
            "coffee_left_out": coffee.left_out,
        }

    def drain(self, *, batch: int = 50, max_batches: int = 20) -> int:
        """Deliver batch after batch while full batches keep coming (one scheduler tick)."""
        total = 0
        for _ in range(max_batches):
            settled = self.deliver_due(batch)
            total += settled
            if settled < batch:
                break
        return total

    def deliver_due(self, limit: int = 50) -> int:
        """Send what is due now; returns how many notices were settled (sent or failed for good)."""
        settled = 0
        for notice in self._outbox.claim_due(limit):
            try:
                ref = self._send(notice)
            except DeliveryError as exc:
                if exc.permanent:
                    log.warning("notice %s (%s) failed for good: %s", notice.id, notice.kind, exc.error)
                    self._outbox.mark_failed(notice.id, error=exc.error)
                    settled += 1
                else:
                    backoff = timedelta(seconds=exc.retry_after or min(300, 2**notice.attempts))
                    log.info(
                        "notice %s (%s) will be retried in %s: %s", notice.id, notice.kind, backoff, exc.error
                    )
                    self._outbox.mark_retry(notice.id, after=backoff, error=exc.error)
                continue
            self._outbox.mark_sent(notice.id, ref)
            settled += 1
        return settled

    def _send(self, notice: ClaimedNotice) -> SentRef | None:
        p = notice.payload
        if notice.kind == "request_closed":
            return self._update_original(p)
        if notice.kind == "home_refresh":
            if self._refresh_home is not None:
                self._refresh_home(p["to"])
            return None
        render = self._renderers.get(notice.kind)
        if render is None:
            raise DeliveryError(f"unknown notice kind {notice.kind}", permanent=True)
        users = p["users"] if "users" in p else [p["to"]]
        try:
            channel = self._open_conversation(users)
        except DeliveryError as exc:
            reachable = self._drop_unreachable(users, exc)
            if notice.kind != "coffee_intro" or len(reachable) < 2:
                raise
            # Someone in the group left Slack: introduce the ones still here rather than no one.
            proposer = p["proposer"] if p["proposer"] in reachable else reachable[0]
            p = {**p, "users": reachable, "proposer": proposer}
            channel = self._open_conversation(reachable)
        if notice.attempts > 1:
            # An earlier attempt may have reached Slack before we could record it (a crash, a timeout):
            # look for the message by the key it carries rather than post it twice.
            earlier = self._already_posted(channel, notice.key)
            if earlier is not None:
                log.info("notice %s (%s) was already posted; not sending it again", notice.id, notice.kind)
                return earlier
        answer = self._call(
            "chat_postMessage", channel=channel, metadata=notice_metadata(notice.key), **render(p).as_kwargs()
        )
        return SentRef(answer["channel"], answer["ts"])

    def _open_conversation(self, users: list[str]) -> str:
        return str(self._call("conversations_open", users=",".join(users))["channel"]["id"])

    def _drop_unreachable(self, users: list[str], exc: DeliveryError) -> list[str]:
        """After Slack refused to open a DM: who can't be reached? Mark them, return the others.

        conversations.open doesn't say which person of several it means, so a group's members are
        looked up one by one (users.info, Tier 4: cheap next to the intro that is waiting)."""
        if exc.error not in PERSON_GONE_ERRORS:
            return list(users)
        gone = list(users) if len(users) == 1 else [u for u in users if self._is_gone(u)]
        if gone and self._on_unreachable is not None:
            self._on_unreachable(gone, exc.error)
        return [u for u in users if u not in gone]

    def _is_gone(self, user_id: str) -> bool:
        try:
            user = self._call("users_info", user=user_id)["user"]
        except DeliveryError as exc:
            return exc.error in PERSON_GONE_ERRORS
        return bool(user.get("deleted") or user.get("is_bot"))

    def _already_posted(self, channel: str, key: str) -> SentRef | None:
        """The message carrying ``key`` in its metadata among the conversation's latest, if any."""
        try:
            history = self._call(
                "conversations_history", channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        except DeliveryError as exc:
            if exc.permanent:  # e.g. installed before the history scopes were asked for: send as before
                log.warning("cannot check whether a notice was already posted: %s", exc.error)
                return None
            raise
        for message in history.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("key") == key:
                return SentRef(channel, str(message["ts"]))
        return None

    def _update_original(self, p: dict[str, Any]) -> SentRef | None:
        """Replace the mentor's request DM so its Accept/Decline buttons are gone."""
        original = self._outbox.sent_ref(p["update_of"])
        if original is None:
            # The original may still be on its way; if it never went out there is nothing to update.
            raise DeliveryError(
                "original not sent yet", permanent=False, retry_after=WAIT_FOR_ORIGINAL.total_seconds()
            )
        message = messages.request_answered(p["asker_id"], p["why"])
        self._call("chat_update", channel=original.channel_id, ts=original.message_ts, **message.as_kwargs())
        return original

    def _call(self, method: str, **kwargs: Any) -> Any:
        """One Web API call at the learned pace; a 429 is waited out (as told) a few times here."""
        api_method = method.replace("_", ".", 1)
        channel = str(kwargs.get("channel", ""))
        for _ in range(RATE_LIMIT_RETRIES + 1):
            self._pacer.wait(api_method, channel)
            try:
                answer = getattr(self._client, method)(**kwargs)
            except SlackApiError as exc:
                error = str(exc.response.get("error") or f"http_{exc.response.status_code}")
                if exc.response.status_code == 429:
                    retry_after = _retry_after(exc.response.headers)
                    self._pacer.rate_limited(api_method, channel, retry_after)
                    continue
                raise DeliveryError(error, permanent=error in PERMANENT_ERRORS) from None
            except OSError as exc:  # connection refused, reset, timed out (after the SDK's own retries)
                raise DeliveryError(type(exc).__name__, permanent=False) from None
            self._pacer.succeeded(api_method, channel)
            return answer
        raise DeliveryError("ratelimited", permanent=False, retry_after=_retry_after({}))


def notice_metadata(key: str) -> dict[str, Any]:
    """Slack message metadata naming the notice, so a resend can find the first send."""
    return {"event_type": NOTICE_EVENT_TYPE, "event_payload": {"key": key}}


def _retry_after(headers: Any) -> float:
    """Slack's Retry-After is whole seconds; a missing or odd one means "wait a second"."""
    try:
        return max(1.0, float(headers.get("Retry-After") or headers.get("retry-after") or 1))
    except (TypeError, ValueError):
        return 1.0
