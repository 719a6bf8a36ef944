"""Pacing outgoing Web API calls: start from Slack's documented rate tiers, then learn from 429s.

Each method (and, for chat.postMessage, each channel) has a token bucket. A 429 answer stops that
bucket until ``Retry-After`` has passed and lowers its rate; a run of successes raises it again, up to
a ceiling. So the dispatcher stays under whatever limit Slack really applies to this workspace, also
when other bot replicas share it, without a constant tuned to one server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# From Slack's method reference: conversations.open and chat.update are Tier 3 (50+ per minute);
# chat.postMessage is "special": about one message per second per channel, short bursts allowed.
TIER_3 = 50 / 60


@dataclass(frozen=True, slots=True)
class Limit:
    per_second: float
    burst: int
    per_channel: bool = False


DOCUMENTED_LIMITS: dict[str, Limit] = {
    "conversations.open": Limit(TIER_3, burst=10),
    "chat.update": Limit(TIER_3, burst=10),
    "chat.postMessage": Limit(1.0, burst=3, per_channel=True),
}
SLOWDOWN = 0.7  # a 429 cuts the rate to this share
SPEEDUP = 1.02  # each success raises it by this factor …
CEILING = 4.0  # … up to this multiple of the documented rate
FLOOR_PER_SECOND = 1 / 120
MIN_WAIT_SECONDS = 0.001


class _Bucket:
    def __init__(self, limit: Limit, now: float) -> None:
        self.rate = limit.per_second
        self.ceiling = limit.per_second * CEILING
        self.burst = limit.burst
        self.tokens = float(limit.burst)
        self.updated = now
        self.blocked_until = 0.0

    def delay(self, now: float) -> float:
        """Seconds to wait before the next call; takes the token when none is needed."""
        if now < self.blocked_until:
            return self.blocked_until - now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1 - 1e-9:  # float dust must not keep a caller waiting forever
            self.tokens = max(0.0, self.tokens - 1)
            return 0.0
        return max(MIN_WAIT_SECONDS, (1 - self.tokens) / self.rate)


class Pacer:
    def __init__(
        self,
        limits: dict[str, Limit] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._limits = DOCUMENTED_LIMITS if limits is None else limits
        self._clock, self._sleep = clock, sleep
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()

    def wait(self, method: str, channel: str = "") -> None:
        """Block until a call of ``method`` (to ``channel``) is within the learned pace."""
        while True:
            with self._lock:
                bucket = self._bucket(method, channel)
                delay = 0.0 if bucket is None else bucket.delay(self._clock())
            if delay <= 0:
                return
            self._sleep(delay)

    def rate_limited(self, method: str, channel: str, retry_after: float) -> None:
        with self._lock:
            bucket = self._bucket(method, channel)
            if bucket is None:
                return
            now = self._clock()
            bucket.blocked_until = max(bucket.blocked_until, now + retry_after)
            bucket.rate = max(FLOOR_PER_SECOND, bucket.rate * SLOWDOWN)
            bucket.tokens = 0.0
            bucket.updated = now + retry_after

    def succeeded(self, method: str, channel: str = "") -> None:
        with self._lock:
            bucket = self._bucket(method, channel)
            if bucket is not None:
                bucket.rate = min(bucket.ceiling, bucket.rate * SPEEDUP)

    def rate(self, method: str, channel: str = "") -> float | None:
        with self._lock:
            bucket = self._bucket(method, channel)
            return None if bucket is None else bucket.rate

    def _bucket(self, method: str, channel: str) -> _Bucket | None:
        limit = self._limits.get(method)
        if limit is None:
            return None
        key = (method, channel if limit.per_channel else "")
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(limit, self._clock())
        return bucket
