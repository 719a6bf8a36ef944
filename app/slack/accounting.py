"""One log line and the metrics for each Slack request, whichever way it came (HTTP or Socket Mode)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.logs import current_fields, log_context
from app.slack.metrics import Metrics


@dataclass
class Outcome:
    """What the caller learns while handling the request: the status it answered with."""

    status: int = 500


@contextmanager
def accounted_request(metrics: Metrics, log: logging.Logger, *, retry: str | None) -> Iterator[Outcome]:
    """Handle a request inside the block: its lines share a request id, and when the block ends one line
    ``slack request <kind> -> <status> in <ms>`` is logged and the request counted with its ack time.

    Bolt answers (acks) before the listener's work is done, so the time the block takes is the ack time
    Slack sees. The middleware binds ``kind`` once it has read the body.
    """
    started = time.perf_counter()
    outcome = Outcome()
    # 12 hex digits from the OS's random source: as unique as uuid4's first 12, at a third of its cost
    with log_context(request_id=os.urandom(6).hex(), slack_retry=retry):
        try:
            yield outcome
        finally:
            seconds = time.perf_counter() - started
            fields = current_fields()
            kind = str(fields.get("kind") or ("rejected" if outcome.status == 401 else "other"))
            metrics.observe_request(kind, outcome.status, seconds)
            log.info(
                "slack request %s -> %s in %.1f ms",
                kind,
                outcome.status,
                seconds * 1000,
                extra={"fields": {"status": outcome.status, "ack_ms": round(seconds * 1000, 1)}},
            )
