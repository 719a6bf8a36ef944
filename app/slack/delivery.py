"""The outbox dispatcher: claim due notices, render them, send them through the Web API.

Slack's limits are honoured by the pacer (``pacing.py``), which learns the pace from Slack's 429s and
``Retry-After``; a 429 is waited out and retried here a few times. Whatever fails for a passing reason
(a drop, a 5xx, a 429 that keeps coming) goes back to the outbox with a backoff. Errors that will never
heal (a user who left, a DM that cannot be opened) fail the notice for good, with the reason kept for
admins.

A run (``drain``, ``deliver_due``) is a small pipeline: the calling thread claims notices and records
what happened to them; ``SENDERS`` threads send, one lane per set of recipients (``lanes.py``), so a
person's notices arrive in order while a DM that waits for its channel's pace holds up nobody else. The
next batch is claimed while the current one goes out, so Slack, not the database, sets the pace.

What a person is waiting for (priority NOW, ``outbox.PRIORITY_BY_KIND``) goes before bulk at every step:
claimed first, picked up by a long run within ``URGENT_POLL``, handed to the next free sender first, and
waiting for Slack's pace behind at most one bulk call (``_wait_for_pace``). Bulk keeps a share of claims
and sends, so it never starves.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from app.services.outbox import BULK, LEASE, ClaimedNotice, Outbox, SentRef
from app.slack.blocks import coffee, messages
from app.slack.blocks.messages import Message
from app.slack.lanes import Lanes
from app.slack.pacing import Interrupted, Pacer

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
# Slack's errors that say "try again later" (its common errors, every method). Any other answer to the
# history check (missing_scope, not_allowed_token_type, unknown_method, …) will not change on a retry.
PASSING_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
NOTICE_EVENT_TYPE = "mentorbot_notice"
HISTORY_LOOKBACK = 100  # a resend is minutes after the first try; far fewer messages arrive in between
WAIT_FOR_ORIGINAL = timedelta(seconds=15)
RATE_LIMIT_RETRIES = 3
SENDERS = 8  # sender threads; each DM is a channel of its own, and chat.postMessage is paced per channel
# Sent notices are marked in one transaction per MARK_EVERY, or after MARK_WITHIN seconds, whichever comes
# first. That is the window in which a crash leaves a notice sent but not marked: it is claimed again when
# its lease runs out and posted again, unless the history check is on (``_already_posted``).
MARK_EVERY = 50
MARK_WITHIN = 0.2
RENEW_EVERY = LEASE.total_seconds() / 4  # a long, paced run renews the lease of what it still holds
# A long run (a round's intros at Slack's pace) looks this often for notices someone is waiting for (a
# mentor request, a confirmation) and hands them out before the bulk it holds (see ``Lanes``).
URGENT_POLL = 0.25


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


Outcome = SentRef | DeliveryError | Interrupted | None  # what became of one attempt to send a notice


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        client: WebClient,
        pacer: Pacer | None = None,
        *,
        refresh_home: Callable[[str], None] | None = None,
        on_unreachable: Callable[[list[str], str], object] | None = None,
        on_request_undeliverable: Callable[[int], object] | None = None,
        on_partner_unreachable: Callable[[int, str], object] | None = None,
        senders: int = SENDERS,
        history_check: bool = False,
    ) -> None:
        # Off by default: the check needs im:history/mpim:history, which would let the bot read its DMs.
        # Without it a retry posts again (at least once, never lost); see SLACK_HISTORY_CHECK.
        self._history_check = history_check
        self._on_unreachable = on_unreachable
        self._on_request_undeliverable = on_request_undeliverable
        self._on_partner_unreachable = on_partner_unreachable
        self._outbox = outbox
        self._client = client
        self._pacer = pacer or Pacer()
        self._senders = max(1, senders)
        self._stopping = threading.Event()
        self._current = threading.local()  # the priority of the notice this sender thread is sending
        self._bulk_turns = _Turns()
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
            "coffee_partner_left": coffee.partner_left,
        }

    def drain(self, *, batch: int = 100, max_batches: int = 20) -> int:
        """Deliver what is due, claiming batch after batch while full batches keep coming (one scheduler
        tick); returns how many notices were settled (sent or failed for good)."""
        return _Run(self, batch).deliver(max_batches)

    def deliver_due(self, limit: int = 50) -> int:
        """Send what is due now (one claim of at most ``limit``); returns how many notices were settled."""
        return _Run(self, limit).deliver(1)

    def stop(self) -> None:
        """Wind down (the process is stopping): a run in progress claims nothing more, gives back what it
        has not tried, stops waiting for the pace, and returns once the calls in flight are answered."""
        self._stopping.set()

    def _attempt(self, notice: ClaimedNotice) -> Outcome:
        """Send one notice; what happened, as a value (this runs in a sender thread)."""
        self._current.urgent = notice.priority > BULK
        try:
            return self._send(notice)
        except (DeliveryError, Interrupted) as exc:
            return exc
        except Exception as exc:  # a bug must not strand the notice: it is retried, then fails for good
            log.exception("notice %s (%s) could not be sent", notice.id, notice.kind)
            return DeliveryError(f"bug: {type(exc).__name__}", permanent=False)

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
            if notice.kind == "mentor_request" and not reachable and self._on_request_undeliverable:
                # The mentor left: free the slot and offer the asker others now, not at expiry.
                self._on_request_undeliverable(int(p["meeting_id"]))
            if notice.kind == "coffee_intro" and len(reachable) == 1 and self._on_partner_unreachable:
                # Everyone else in the group left: a queued group of this round takes them in, or they
                # are told and go first next round. This intro fails with the reason, as before.
                self._on_partner_unreachable(int(p["group_id"]), reachable[0])
            if notice.kind != "coffee_intro" or len(reachable) < 2:
                raise
            # Someone in the group left Slack: introduce the ones still here rather than no one.
            proposer = p["proposer"] if p["proposer"] in reachable else reachable[0]
            p = {**p, "users": reachable, "proposer": proposer}
            channel = self._open_conversation(reachable)
        if notice.attempts > 1 and self._history_check:
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
            if not exc.passing:  # e.g. the history scopes were not added: post, as without the check
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
        if original is None and self._outbox.gave_up(p["update_of"]):
            return None  # the request never reached the mentor: there is no message to update
        if original is None:
            # The original may still be on its way; if it never went out there is nothing to update.
            raise DeliveryError(
                "original not sent yet", permanent=False, retry_after=WAIT_FOR_ORIGINAL.total_seconds()
            )
        message = messages.request_answered(p["asker_id"], p["why"])
        self._call("chat_update", channel=original.channel_id, ts=original.message_ts, **message.as_kwargs())
        return original

    def _wait_for_pace(self, method: str, channel: str) -> Any:
        """Bulk calls queue for the pace one at a time (per bucket), so a call someone is waiting for
        competes with at most one of them for the next slot, not with every sender. The pace is the
        same: the one bulk call waiting takes each slot as it comes."""
        if getattr(self._current, "urgent", False):
            return self._pacer.wait(method, channel, stop=self._stopping)
        with self._bulk_turns.turn(f"{method} {channel}"):
            return self._pacer.wait(method, channel, stop=self._stopping)

    def _call(self, method: str, **kwargs: Any) -> Any:
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


def notice_metadata(key: str) -> dict[str, Any]:
    """Slack message metadata naming the notice, so a resend can find the first send."""
    return {"event_type": NOTICE_EVENT_TYPE, "event_payload": {"key": key}}


def _retry_after(headers: Any) -> float:
    """Slack's Retry-After is whole seconds; a missing or odd one means "wait a second"."""
    try:
        return max(1.0, float(headers.get("Retry-After") or headers.get("retry-after") or 1))
    except (TypeError, ValueError):
        return 1.0


def _lane(notice: ClaimedNotice) -> str:
    """Notices with one lane go out one after another, in order: those to the same people."""
    p = notice.payload
    if notice.kind == "request_closed":
        return f"update:{p.get('update_of', notice.key)}"
    users = p["users"] if "users" in p else [p.get("to", "")]
    return ",".join(sorted(str(u) for u in users))


class _Run:
    """One delivery run. The calling thread claims notices and writes what happened to them (the only
    writer, in batches); up to ``senders`` threads send, taking notices from lanes keyed by recipients.

    The next batch is claimed as soon as fewer than ``low_water`` notices wait for a sender, so claiming
    overlaps with sending; leases of what is still held are renewed every ``RENEW_EVERY`` seconds.
    """

    def __init__(self, dispatcher: Dispatcher, batch: int) -> None:
        self._d = dispatcher
        self._outbox = dispatcher._outbox
        self._batch = max(1, batch)
        self._low_water = max(dispatcher._senders, self._batch // 2)
        self._lanes: Lanes[ClaimedNotice] = Lanes()
        self._changed = threading.Condition()
        self._marking = threading.Lock()  # one mark at a time (a sender may ask for one, see _sender)
        self._held: dict[int, ClaimedNotice] = {}  # claimed, nothing recorded for it yet
        self._held_keys: set[str] = set()
        self._parked: dict[str, list[ClaimedNotice]] = {}  # updates waiting for the message they update
        self._sent: list[tuple[int, SentRef | None]] = []  # sent, not marked yet
        self._unmarked_since = 0.0
        self._others: list[tuple[ClaimedNotice, DeliveryError | Interrupted]] = []
        self._want_more = True
        self._threads: list[threading.Thread] = []
        self._settled = 0

    def deliver(self, max_claims: int) -> int:
        claims = 0
        renew_at = time.monotonic() + RENEW_EVERY
        poll_at = time.monotonic() + URGENT_POLL
        try:
            while True:
                stopping = self._d._stopping.is_set()
                if self._want_more and (stopping or claims >= max_claims):
                    self._stop_claiming()
                if self._want_more and self._lanes.waiting() < self._low_water:
                    claims += 1
                    poll_at = time.monotonic() + URGENT_POLL  # a claim takes the urgent first anyway
                    if not self._claim():
                        self._stop_claiming()  # a short batch: nothing more is due
                    continue
                if not stopping and time.monotonic() >= poll_at:
                    with self._changed:
                        busy = bool(self._held)
                    if busy:  # still sending: what came in meanwhile for someone waiting goes first
                        self._claim(urgent_only=True)
                    poll_at = time.monotonic() + URGENT_POLL
                if stopping:
                    with self._changed:
                        parked = [update for updates in self._parked.values() for update in updates]
                        self._parked.clear()
                    self._give_back(self._lanes.withdraw() + parked)
                if not self._wait_and_write():
                    return self._settled
                if time.monotonic() >= renew_at:
                    with self._changed:
                        held = list(self._held)
                    self._outbox.renew(held)
                    renew_at = time.monotonic() + RENEW_EVERY
        finally:
            self._lanes.close()
            self._lanes.withdraw()  # after a failure here: their leases run out, they are claimed again
            for thread in self._threads:
                thread.join()

    def _claim(self, *, urgent_only: bool = False) -> bool:
        notices = self._outbox.claim_due(self._batch, urgent_only=urgent_only)
        with self._changed:
            for notice in notices:
                self._held[notice.id] = notice
                self._held_keys.add(notice.key)
                original = notice.payload.get("update_of") if notice.kind == "request_closed" else None
                if original in self._held_keys:  # claimed with it: it goes once the original is settled
                    self._parked.setdefault(original, []).append(notice)
                else:
                    self._lanes.put(_lane(notice), notice, notice.priority)
        wanted = min(self._d._senders, len(self._held))
        while len(self._threads) < wanted:
            context = contextvars.copy_context()  # log lines from senders keep the job's fields
            thread = threading.Thread(
                target=context.run, args=(self._sender,), name=f"delivery-{len(self._threads)}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return len(notices) == self._batch

    def _stop_claiming(self) -> None:
        """No more full claims; the lanes stay open for urgent notices until the run ends."""
        with self._changed:
            self._want_more = False

    def _sender(self) -> None:
        while (taken := self._lanes.take()) is not None:
            key, notice = taken
            if notice.kind == "request_closed":
                self._write_marks()  # the message it updates may have gone out a moment ago
            outcome: Outcome = (
                Interrupted("stopping") if self._d._stopping.is_set() else self._d._attempt(notice)
            )
            self._lanes.done(key)
            self._record(notice, outcome)

    def _record(self, notice: ClaimedNotice, outcome: Outcome) -> None:
        with self._changed:
            del self._held[notice.id]
            self._held_keys.discard(notice.key)
            for update in self._parked.pop(notice.key, []):
                self._lanes.put(_lane(update), update, update.priority)
            if isinstance(outcome, DeliveryError | Interrupted):
                self._others.append((notice, outcome))
                wake = True
            else:
                if not self._sent:
                    self._unmarked_since = time.monotonic()
                self._sent.append((notice.id, outcome))
                wake = len(self._sent) >= MARK_EVERY or not self._held
            if wake or self._claim_due():
                self._changed.notify()

    def _wait_and_write(self) -> bool:
        """Wait (briefly) for something to do, then write what is due; False once the run is over."""
        with self._changed:
            if not (self._held or self._sent or self._others or self._want_more):
                return False
            if not (self._marks_due() or self._others or self._claim_due()):  # (a stop is seen within 0.2 s)
                timeout = self._unmarked_since + MARK_WITHIN - time.monotonic() if self._sent else MARK_WITHIN
                self._changed.wait(max(0.001, timeout))
            mark = self._marks_due()
            others, self._others = self._others, []
        self._write_others(others)
        if mark:
            self._write_marks()
        return True

    def _marks_due(self) -> bool:
        return bool(self._sent) and (
            len(self._sent) >= MARK_EVERY
            or not self._held
            or time.monotonic() >= self._unmarked_since + MARK_WITHIN
        )

    def _claim_due(self) -> bool:
        return self._want_more and self._lanes.waiting() < self._low_water

    def _write_marks(self) -> None:
        with self._marking:
            with self._changed:
                sent, self._sent = self._sent, []
            if sent:
                self._outbox.mark_sent_many(sent)
                with self._changed:
                    self._settled += len(sent)

    def _write_others(self, others: list[tuple[ClaimedNotice, DeliveryError | Interrupted]]) -> None:
        self._give_back([notice for notice, outcome in others if isinstance(outcome, Interrupted)])
        for notice, exc in others:
            if isinstance(exc, Interrupted):
                continue
            if exc.permanent:
                log.warning("notice %s (%s) failed for good: %s", notice.id, notice.kind, exc.error)
                self._outbox.mark_failed(notice.id, error=exc.error)
                with self._changed:
                    self._settled += 1
            else:
                backoff = timedelta(seconds=exc.retry_after or min(300, 2**notice.attempts))
                log.info(
                    "notice %s (%s) will be retried in %s: %s", notice.id, notice.kind, backoff, exc.error
                )
                self._outbox.mark_retry(notice.id, after=backoff, error=exc.error)

    def _give_back(self, notices: list[ClaimedNotice]) -> None:
        """Notices not tried (stopping): due again at once, the claim not counted as an attempt."""
        if not notices:
            return
        with self._changed:
            for notice in notices:
                self._held.pop(notice.id, None)
        self._outbox.release([n.id for n in notices])
        log.info("stopping: %d notices given back to the outbox", len(notices))
