"""The outbox dispatcher: claim due notices, render them, send them through the Web API.

``pipeline`` runs a delivery (claiming, lanes, sender threads, recording outcomes), ``sending`` sends one
notice as its type says, ``calls`` makes one paced Web API call. Whatever fails for a passing reason (a
drop, a 5xx, a 429 that keeps coming) goes back to the outbox with a backoff; what will never heal (a
user who left) fails the notice for good, with the reason kept for admins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_sdk import WebClient

from app.services.outbox import Outbox
from app.slack.delivery.calls import PERMANENT_ERRORS, PERSON_GONE_ERRORS, DeliveryError, SlackCalls
from app.slack.delivery.pipeline import SENDERS, Run
from app.slack.delivery.sending import NOTICE_EVENT_TYPE, Sender, notice_metadata
from app.slack.pacing import Pacer

__all__ = [
    "NOTICE_EVENT_TYPE",
    "PERMANENT_ERRORS",
    "PERSON_GONE_ERRORS",
    "DeliveryError",
    "Dispatcher",
    "notice_metadata",
]


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
        self._outbox = outbox
        self._senders = max(1, senders)
        self._stopping = threading.Event()
        # history_check is off by default: it needs im:history/mpim:history, which would let the bot read
        # its DMs. Without it a retry posts again (at least once, never lost); see SLACK_HISTORY_CHECK.
        self._sender = Sender(
            outbox,
            SlackCalls(client, pacer or Pacer(), self._stopping),
            history_check=history_check,
            refresh_home=refresh_home,
            on_unreachable=on_unreachable,
            on_request_undeliverable=on_request_undeliverable,
            on_partner_unreachable=on_partner_unreachable,
        )

    def drain(self, *, batch: int = 100, max_batches: int = 20) -> int:
        """Deliver what is due, claiming batch after batch while full batches keep coming (one scheduler
        tick); returns how many notices were settled (sent or failed for good)."""
        return self._run(batch).deliver(max_batches)

    def deliver_due(self, limit: int = 50) -> int:
        """Send what is due now (one claim of at most ``limit``); returns how many notices were settled."""
        return self._run(limit).deliver(1)

    def stop(self) -> None:
        """Wind down (the process is stopping): a run in progress claims nothing more, gives back what it
        has not tried, stops waiting for the pace, and returns once the calls in flight are answered."""
        self._stopping.set()

    def _run(self, batch: int) -> Run:
        return Run(
            self._outbox, self._sender.attempt, batch=batch, senders=self._senders, stopping=self._stopping
        )
