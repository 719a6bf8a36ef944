"""Acks first: work handed off after an ack waits while other requests are still being acked.

Slack gives a request 3 seconds for its ack, and a person sees a button's answer a moment later anyway.
When 50 people click Join on the last seats at once, the first clicks' seat work (users.info, the
transaction, the response_url POST) would otherwise take the process's CPU and GIL from the later clicks'
acks: measured on 2 cores, join acks p99 ~200 ms beside ~80 ms for the same burst of /mentor help, and at
help's figure when the seat work was held back. So after-ack work starts once no request has been in its
ack for ``quiet`` seconds, and never later than ``longest`` after it was handed off, so a steady stream of
requests delays answers by at most that.

Per process: with several workers (``WEB_CONCURRENCY``) each keeps its own acks first; the OS shares the
cores between them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

QUIET_SECONDS = 0.02  # a burst's requests arrive within a few ms of each other
LONGEST_SECONDS = 0.5  # the most an answer is held back for others' acks


class AcksFirst:
    def __init__(
        self,
        *,
        quiet: float = QUIET_SECONDS,
        longest: float = LONGEST_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._quiet = quiet
        self._longest = longest
        self._clock = clock
        self._changed = threading.Condition()
        self._acking = 0
        self._last_ack = float("-inf")
        self._waiting = 0

    @property
    def acking(self) -> int:
        """Requests between arrival and ack right now."""
        with self._changed:
            return self._acking

    @property
    def waiting(self) -> int:
        """Pieces of after-ack work held back right now."""
        with self._changed:
            return self._waiting

    @contextmanager
    def ack(self) -> Iterator[None]:
        """Around a request's handling up to its ack (HTTP: the WSGI call; Socket Mode: the envelope)."""
        with self._changed:
            self._acking += 1
        try:
            yield
        finally:
            with self._changed:
                self._acking -= 1
                self._last_ack = self._clock()
                self._changed.notify_all()

    def now(self) -> float:
        return self._clock()

    def wait_turn(self, handed_off: float | None = None) -> None:
        """Return once no ack has been in progress for ``quiet`` seconds, or ``longest`` after the work
        was ``handed_off`` (``now()`` then; default: now), so work queued behind other work on a busy
        pool is not held back again for the whole of ``longest``."""
        with self._changed:
            deadline = (self._clock() if handed_off is None else handed_off) + self._longest
            self._waiting += 1
            try:
                while True:
                    now = self._clock()
                    if now >= deadline:
                        return
                    if self._acking == 0:
                        quiet_for = now - self._last_ack
                        if quiet_for >= self._quiet:
                            return
                        self._changed.wait(min(self._quiet - quiet_for, deadline - now))
                    else:
                        self._changed.wait(deadline - now)
            finally:
                self._waiting -= 1
