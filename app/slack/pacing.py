"""Pacing outgoing Web API calls: start from Slack's documented rate tiers, then learn from 429s.

Each method (and, for chat.postMessage, each channel) has a token bucket that starts at the documented
rate. Until Slack first answers 429 the rate grows exponentially with time (a slow start: about x2.7
every ``1 / SLOW_START`` seconds while calls keep succeeding), so a workspace whose real limits are
higher than the documented ones is found quickly. A 429 stops the bucket until ``Retry-After`` has
passed and records the rate as too fast (the lowest such rate is kept); the bucket goes on at BACKOFF
of it and closes in on MARGIN of it. Each 429 lowers that bound, so it converges on Slack's limit from
above, and the pace settles a few percent under it; the bound creeps up slowly (PROBE) to notice a
limit that was raised. A 429 during the very first burst says the burst is too big, not the rate.
So the dispatcher keeps just under whatever limit Slack really applies to this workspace, also when
other bot replicas share it, with very few 429s and without a constant tuned to one server.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
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
SLOW_START = 1.0  # before the first 429: each success adds one call/s (the rate e-folds every second)
BACKOFF = 0.95  # a 429 at rate r: r is too fast; go on at this share of it (FIRST_BACKOFF the first time) …
FIRST_BACKOFF = 0.5
MARGIN = 0.98  # … and close in on this share of the lowest rate refused so far …
APPROACH = 0.2  # … by this share of the gap per second of successful calls;
PROBE = 0.001  # the refused rate itself creeps up 0.1 % a second: a limit that was raised, and jitter
FLOOR_PER_SECOND = 1 / 120
MIN_WAIT_SECONDS = 0.001
IDLE_BUCKET_SECONDS = 120  # beyond MAX_BUCKETS, buckets unused this long are forgotten
MAX_BUCKETS = 1000


class _Bucket:
    """A token bucket whose rate is learned: ``too_fast`` is the lowest rate Slack has refused."""

    def __init__(self, limit: Limit, now: float) -> None:
        self.rate = limit.per_second
        self.burst = limit.burst
        self.tokens = float(limit.burst)
        self.updated = now
        self.blocked_until = 0.0
        self.too_fast: float | None = None  # None: no 429 yet (slow start)
        self.bursting = True  # still spending the first burst, not yet paced
        self.last_success = now
        self.used = now

    def delay(self, now: float) -> float:
        """Seconds to wait before the next call; takes the token when none is needed."""
        if now < self.blocked_until:
            return self.blocked_until - now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1 - 1e-9:  # float dust must not keep a caller waiting forever
            self.tokens = max(0.0, self.tokens - 1)
            return 0.0
        self.bursting = False
        return max(MIN_WAIT_SECONDS, (1 - self.tokens) / self.rate)

    def succeeded(self, now: float) -> None:
        elapsed = min(1.0, max(0.0, now - self.last_success))
        self.last_success = now
        if self.too_fast is None:
            self.rate += SLOW_START
            return
        self.too_fast *= 1 + PROBE * elapsed
        target = self.too_fast * MARGIN
        if self.rate < target:
            self.rate += (target - self.rate) * min(1.0, APPROACH * elapsed)

    def rate_limited(self, now: float, retry_after: float) -> None:
        if now < self.blocked_until:
            return  # calls that were in flight when the first 429 came: the same event, already counted
        if self.bursting:
            # Refused within the first burst: Slack's burst is smaller than ours, the rate says nothing.
            self.burst = max(1, self.burst // 2)
        else:
            # The first 429 ends the slow start, which overshoots by up to a second's growth: halve.
            backoff = FIRST_BACKOFF if self.too_fast is None else BACKOFF
            self.too_fast = self.rate if self.too_fast is None else min(self.too_fast, self.rate)
            self.rate = max(FLOOR_PER_SECOND, self.too_fast * backoff)
        self.blocked_until = now + retry_after
        self.tokens = 0.0
        self.updated = now + retry_after
        self.bursting = False


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
        self._buckets: OrderedDict[tuple[str, str], _Bucket] = OrderedDict()
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
            bucket.rate_limited(self._clock(), retry_after)

    def succeeded(self, method: str, channel: str = "") -> None:
        with self._lock:
            bucket = self._bucket(method, channel)
            if bucket is not None:
                bucket.succeeded(self._clock())

    def rate(self, method: str, channel: str = "") -> float | None:
        with self._lock:
            bucket = self._bucket(method, channel)
            return None if bucket is None else bucket.rate

    def _bucket(self, method: str, channel: str) -> _Bucket | None:
        limit = self._limits.get(method)
        if limit is None:
            return None
        key = (method, channel if limit.per_channel else "")
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(limit, now)
            self._forget_idle(now)
        else:
            self._buckets.move_to_end(key)  # least recently used first
        bucket.used = now
        return bucket

    def _forget_idle(self, now: float) -> None:
        """Drop buckets nobody used for a while (one per DM channel adds up); O(1) amortised."""
        while len(self._buckets) > MAX_BUCKETS:
            key, bucket = next(iter(self._buckets.items()))
            if now - bucket.used < IDLE_BUCKET_SECONDS or now < bucket.blocked_until:
                return  # the least recently used one is still in use: keep them all
            del self._buckets[key]
