"""The delivery pipeline: claim due notices, hand them to sender threads by lane, record what happened.

A run (``drain``, ``deliver_due``) is a small pipeline: the calling thread claims notices and records
what happened to them; ``SENDERS`` threads send, one lane per set of recipients (``lanes.py``), so a
person's notices arrive in order while a DM that waits for its channel's pace holds up nobody else. The
next batch is claimed while the current one goes out, so Slack, not the database, sets the pace.

What a person is waiting for (``Priority.NOW``, each notice type's own) goes before bulk at every step:
claimed first, picked up by a long run within ``URGENT_POLL``, handed to the next free sender first, and
waiting for Slack's pace behind at most one bulk call (``SlackCalls._wait_for_pace``). Bulk keeps a share
of claims and sends, so it never starves.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from app.services.notices import Undecodable
from app.services.outbox import LEASE, ClaimedNotice, Outbox, SentRef
from app.slack.delivery.calls import DeliveryError
from app.slack.delivery.sending import Outcome
from app.slack.lanes import Lanes
from app.slack.pacing import Interrupted

log = logging.getLogger(__name__)

SENDERS = 8  # sender threads; each DM is a channel of its own, and chat.postMessage is paced per channel
# Sent notices are marked in one transaction per MARK_EVERY, or after MARK_WITHIN seconds, whichever comes
# first. That is the window in which a crash leaves a notice sent but not marked: it is claimed again when
# its lease runs out and posted again, unless the history check is on (``Sender._already_posted``).
MARK_EVERY = 50
MARK_WITHIN = 0.2
RENEW_EVERY = LEASE.total_seconds() / 4  # a long, paced run renews the lease of what it still holds
# A long run (a round's intros at Slack's pace) looks this often for notices someone is waiting for (a
# mentor request, a confirmation) and hands them out before the bulk it holds (see ``Lanes``).
URGENT_POLL = 0.25


def _lane(claimed: ClaimedNotice) -> str:
    """Notices with one lane go out one after another, in order: those to the same people (an update,
    with the message it updates)."""
    notice = claimed.notice
    if isinstance(notice, Undecodable):
        return f"undecodable:{claimed.key}"
    if notice.updates is not None:
        return f"update:{notice.updates}"
    return ",".join(sorted(notice.send_to))


def _updates(claimed: ClaimedNotice) -> str | None:
    return None if isinstance(claimed.notice, Undecodable) else claimed.notice.updates


class Run:
    """One delivery run. The calling thread claims notices and writes what happened to them (the only
    writer, in batches); up to ``senders`` threads send, taking notices from lanes keyed by recipients.

    The next batch is claimed as soon as fewer than ``low_water`` notices wait for a sender, so claiming
    overlaps with sending; leases of what is still held are renewed every ``RENEW_EVERY`` seconds.
    """

    def __init__(
        self,
        outbox: Outbox,
        attempt: Callable[[ClaimedNotice], Outcome],
        *,
        batch: int,
        senders: int,
        stopping: threading.Event,
    ) -> None:
        self._outbox = outbox
        self._attempt = attempt
        self._senders = max(1, senders)
        self._stopping = stopping
        self._batch = max(1, batch)
        self._low_water = max(self._senders, self._batch // 2)
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
                stopping = self._stopping.is_set()
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
                original = _updates(notice)
                if original in self._held_keys:  # claimed with it: it goes once the original is settled
                    self._parked.setdefault(original, []).append(notice)
                else:
                    self._lanes.put(_lane(notice), notice, notice.priority)
        wanted = min(self._senders, len(self._held))
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
            if _updates(notice) is not None:
                self._write_marks()  # the message it updates may have gone out a moment ago
            outcome: Outcome = Interrupted("stopping") if self._stopping.is_set() else self._attempt(notice)
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
