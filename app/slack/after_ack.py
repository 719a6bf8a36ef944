"""Work a listener hands off once it has acked, on a pool of its own.

Bolt runs each listener on its listener pool and answers Slack's HTTP request when the listener calls
``ack()``. A listener that acks and then does slow work (users.info, a transaction that waits on a row
lock, the response_url POST) keeps its pool thread for all of that, so under a burst (50 Join clicks at
once) the later clicks' acks queue behind the earlier clicks' work. A listener that hands the work to
``AfterAck`` frees its thread at once: acks only ever wait for other acks. And the work itself waits
while other requests are being acked (``AcksFirst``), so a burst's acks are not slowed by its own work.

Bolt's own lazy listeners would run on the same pool (and deep-copy the request context, our services
with it), so they don't help here.

A ``DomainError`` raised by the work is told to the person where they clicked, as the app's error
handler would have; anything else is logged and answered with the same apology.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from app.domain.errors import DomainError
from app.logs import ContextExecutor
from app.slack.acks_first import AcksFirst
from app.slack.mrkdwn import escape

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


def error_text(error: Exception) -> str:
    """What a person is told about ``error``: a known one's message, the rest an apology."""
    if isinstance(error, DomainError):
        return escape(error.message)  # messages may quote what the person typed
    return SORRY


class AfterAck:
    """A pool for after-ack work; its tasks keep the request's log fields (``ContextExecutor``)."""

    def __init__(self, workers: int, acks_first: AcksFirst | None = None) -> None:
        self.executor = ContextExecutor(max_workers=workers, thread_name_prefix="after-ack")
        self.acks_first = acks_first or AcksFirst()

    @property
    def in_flight(self) -> int:
        return self.executor.in_flight

    def run(self, work: Callable[[], None], *, respond: Callable[..., Any] | None) -> Future[None]:
        """Run ``work`` on the pool; an error it raises is told through ``respond`` (when there is one)."""
        return self.executor.submit(self._guarded, work, respond, self.acks_first.now())

    def _guarded(
        self, work: Callable[[], None], respond: Callable[..., Any] | None, handed_off: float
    ) -> None:
        try:
            self.acks_first.wait_turn(handed_off)
            work()
        except Exception as error:
            if not isinstance(error, DomainError):
                log.exception("unhandled error in after-ack work", exc_info=error)
            if respond is None:
                return
            try:
                respond(text=error_text(error), response_type="ephemeral", replace_original=False)
            except Exception:  # the apology itself failed: nothing more to tell anyone
                log.warning("could not deliver an error message")

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True)
