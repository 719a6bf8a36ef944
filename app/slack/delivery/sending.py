"""Sending one claimed notice: the notice type says how (post, update, Home) and what to do when some of
its people can't be reached; this module does it through the Web API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from app.services.notices import (
    Delivery,
    MentorGone,
    Notice,
    PartnerStranded,
    Undecodable,
)
from app.services.outbox import BULK, ClaimedNotice, Outbox, SentRef
from app.slack.blocks.ics import calendar_file
from app.slack.blocks.notices import render
from app.slack.delivery.calls import PERSON_GONE_ERRORS, DeliveryError, SlackCalls
from app.slack.pacing import Interrupted

log = logging.getLogger(__name__)

NOTICE_EVENT_TYPE = "mentorbot_notice"
HISTORY_LOOKBACK = 100  # a resend is minutes after the first try; far fewer messages arrive in between
WAIT_FOR_ORIGINAL = timedelta(seconds=15)

Outcome = SentRef | DeliveryError | Interrupted | None  # what became of one attempt to send a notice


class Sender:
    """Sends one notice at a time (from any number of sender threads)."""

    def __init__(
        self,
        outbox: Outbox,
        calls: SlackCalls,
        *,
        history_check: bool,
        refresh_home: Callable[[str], None] | None,
        on_unreachable: Callable[[list[str], str], object] | None,
        on_request_undeliverable: Callable[[int], object] | None,
        on_partner_unreachable: Callable[[int, str], object] | None,
    ) -> None:
        self._outbox = outbox
        self._calls = calls
        self._history_check = history_check
        self._refresh_home = refresh_home
        self._on_unreachable = on_unreachable
        self._on_request_undeliverable = on_request_undeliverable
        self._on_partner_unreachable = on_partner_unreachable

    def attempt(self, claimed: ClaimedNotice) -> Outcome:
        """Send one notice; what happened, as a value (this runs in a sender thread)."""
        self._calls.sending_urgent(claimed.priority > BULK)
        try:
            return self._send(claimed)
        except (DeliveryError, Interrupted) as exc:
            return exc
        except Exception as exc:  # a bug must not strand the notice: it is retried, then fails for good
            log.exception("notice %s (%s) could not be sent", claimed.id, claimed.kind)
            return DeliveryError(f"bug: {type(exc).__name__}", permanent=False)

    def _send(self, claimed: ClaimedNotice) -> SentRef | None:
        notice = claimed.notice
        if isinstance(notice, Undecodable):
            raise DeliveryError(notice.error, permanent=notice.permanent)
        match notice.delivery:
            case Delivery.UPDATE:
                return self.update_original(notice)
            case Delivery.HOME:
                if self._refresh_home is not None:
                    self._refresh_home(notice.send_to[0])
                return None
            case Delivery.POST:
                return self._post(claimed, notice)

    def _post(self, claimed: ClaimedNotice, notice: Notice) -> SentRef:
        try:
            channel = self._open_conversation(notice.send_to)
        except DeliveryError as exc:
            plan = notice.if_unreachable(self._drop_unreachable(notice.send_to, exc))
            match plan.then:
                case MentorGone(meeting_id) if self._on_request_undeliverable is not None:
                    self._on_request_undeliverable(meeting_id)
                case PartnerStranded(group_id, user_id) if self._on_partner_unreachable is not None:
                    self._on_partner_unreachable(group_id, user_id)
            if plan.instead is None:
                raise
            notice = plan.instead
            channel = self._open_conversation(notice.send_to)
        sent = self._earlier_post(claimed, channel)
        if sent is None:
            answer = self._calls.call(
                "chat_postMessage",
                channel=channel,
                metadata=notice_metadata(claimed.key),
                **render(notice).as_kwargs(),
            )
            sent = SentRef(answer["channel"], answer["ts"])
        self._attach(claimed, notice, channel)
        return sent

    def _earlier_post(self, claimed: ClaimedNotice, channel: str) -> SentRef | None:
        if claimed.attempts > 1 and self._history_check:
            # An earlier attempt may have reached Slack before we could record it (a crash, a timeout):
            # look for the message by the key it carries rather than post it twice.
            earlier = self._already_posted(channel, claimed.key)
            if earlier is not None:
                log.info("notice %s (%s) was already posted; not sending it again", claimed.id, claimed.kind)
                return earlier
        return None

    def _attach(self, claimed: ClaimedNotice, notice: Notice, channel: str) -> None:
        """Upload what the notice attaches (a calendar file) after its message, which is never lost for
        it: a failed upload is logged and the notice still counts as sent. A resend uploads again unless
        the history check finds the file already there (the same at-least-once as posting)."""
        event = notice.attachment()
        if event is None:
            return
        file = calendar_file(event)
        if claimed.attempts > 1 and self._history_check and self._already_shared(channel, file.filename):
            log.info("notice %s (%s) already has its file; not uploading it again", claimed.id, claimed.kind)
            return
        try:
            self._calls.call(
                "files_upload_v2",
                channel=channel,
                content=file.content,
                filename=file.filename,
                title=file.title,
            )
        except Exception as exc:  # the upload's own HTTP step raises the SDK's other errors
            error = exc.error if isinstance(exc, DeliveryError) else type(exc).__name__
            log.warning(
                "notice %s (%s): its calendar file was not uploaded: %s", claimed.id, claimed.kind, error
            )

    def _open_conversation(self, users: tuple[str, ...] | list[str]) -> str:
        return str(self._calls.call("conversations_open", users=",".join(users))["channel"]["id"])

    def _drop_unreachable(self, users: tuple[str, ...], exc: DeliveryError) -> list[str]:
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
            user = self._calls.call("users_info", user=user_id)["user"]
        except DeliveryError as exc:
            return exc.error in PERSON_GONE_ERRORS
        return bool(user.get("deleted") or user.get("is_bot"))

    def _already_posted(self, channel: str, key: str) -> SentRef | None:
        """The message carrying ``key`` in its metadata among the conversation's latest, if any."""
        try:
            history = self._calls.call(
                "conversations_history", channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )
        except DeliveryError as exc:
            if not exc.passing:  # e.g. the history scopes were not added: post, as without the check
                log.warning("cannot check whether a notice was already posted: %s", exc.error)
                return None
            raise
        for message in history.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("key") == key:
                return SentRef(channel, str(message["ts"]))
        return None

    def _already_shared(self, channel: str, filename: str) -> bool:
        """Whether the bot already shared a file of this name among the conversation's latest messages
        (a file share is a message of its own in the history)."""
        try:
            history = self._calls.call("conversations_history", channel=channel, limit=HISTORY_LOOKBACK)
        except DeliveryError as exc:
            log.warning("cannot check whether a file was already shared: %s", exc.error)
            return False
        return any(
            file.get("name") == filename
            for message in history.get("messages") or []
            for file in message.get("files") or []
        )

    def update_original(self, notice: Notice) -> SentRef | None:
        """Replace the message of the notice this one updates (the mentor's request DM loses its
        Accept/Decline buttons)."""
        if notice.updates is None:
            raise DeliveryError(f"{notice.kind} updates no message", permanent=True)
        original = self._outbox.sent_ref(notice.updates)
        if original is None and self._outbox.gave_up(notice.updates):
            return None  # the request never reached the mentor: there is no message to update
        if original is None:
            # The original may still be on its way; if it never went out there is nothing to update.
            raise DeliveryError(
                "original not sent yet", permanent=False, retry_after=WAIT_FOR_ORIGINAL.total_seconds()
            )
        message = render(notice)
        self._calls.call(
            "chat_update", channel=original.channel_id, ts=original.message_ts, **message.as_kwargs()
        )
        return original


def notice_metadata(key: str) -> dict[str, Any]:
    """Slack message metadata naming the notice, so a resend can find the first send."""
    return {"event_type": NOTICE_EVENT_TYPE, "event_payload": {"key": key}}
