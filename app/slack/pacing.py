"""Pacing outgoing Web API calls: start from Slack's documented rate tiers, then learn from 429s.

Each method (and, for chat.postMessage, each channel) has a token bucket that starts at the documented
rate and burst. What Slack really allows is learned from its answers, not from a constant, and without
assuming the shape of Slack's limiter (it documents calls per minute, not whether that is a token bucket,
a fixed window or a sliding one). Every 429 costs a whole ``Retry-After`` (at least a second, however
high the limit), so the pacer finds the limit with as few of them as it can:

- **Slow start.** Until the first 429 each success adds one call a second to the rate (it grows about
  x2.7 a second while calls keep succeeding). A window's burst hides how far that overshoots (up to
  x2.5 in the simulations), so the first 429 halves the rate.
- **Confirm, then climb.** A pace Slack accepted for ``CONFIRM`` calls' worth of time at the refused
  rate, really sent at that pace and without a 429, is *confirmed*: long enough for a window to fill or
  a small bucket to drain whatever the shape. While the confirmed pace is far below the rate refused
  (``too_fast``), the pace climbs a quarter of the way (geometrically) towards it and waits to be
  confirmed again: a search biased to the safe side, because a 429 costs a second and a pace a little
  low costs little.
- **Too fast.** A 429 for a call sent at the steady pace records the rate as too fast. The bucket stops
  until ``Retry-After`` has passed and goes on a quarter of the way up from the confirmed pace or, with
  none well below, ``CUT`` below the refused rate, the cut doubling while 429s keep coming soon after one
  another (the pace is far above the limit, or the limit was lowered).
- **Close in and probe.** Within ``GAP`` of the refused rate the pace closes in slowly on ``MARGIN`` of
  it, and ``too_fast`` creeps up with every success, imperceptibly at first and faster the longer Slack
  has not refused anything, so a limit that was raised is found again, at the cost of a rare 429.
- **Never below what Slack was shown to accept.** The calls Slack accepted between refusals, per second,
  bound its rate from below (``proven``); ``too_fast`` never falls below it, so stray 429s (another app,
  network jitter) cannot ratchet the pace down step by step until it stalls.
- **Too bursty.** A 429 for a call sent ahead of the steady pace (out of the bucket's stored burst, e.g.
  after a pause) says Slack's burst is smaller than ours: the burst is halved and the rate kept.

The learning counts calls, not seconds (apart from the slow start), so it behaves the same whether the
limit is 50 a minute or 50 a second. Costs: ``try_acquire`` is O(1) under one lock; buckets of channels
nobody used for a while are forgotten (LRU), so memory stays bounded however many DMs are opened.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
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
SLOW_START = 1.0  # before the first 429: each success adds this many calls a second to the rate
FIRST_CUT = 0.5  # the first 429 ends the slow start, which overshoots: go on this much slower
CONFIRM = 100  # calls (at the refused rate) a pace must be accepted for, sent at ACHIEVED of it
ACHIEVED = 0.9  # (sent slower, a pause on our side: only the rate achieved is confirmed, no climb)
CLIMB = 0.25  # a confirmed pace far below the refused rate climbs this share of the way (geometrically)
GAP = 1.06  # "far below": more than this factor
CUT = 0.03  # a 429 with no confirmed pace well below: go on this much below the refused rate …
QUICK = 200  # … or, when Slack accepted fewer calls than this since each of the previous two 429s …
MAX_CUT = 0.5  # … twice the previous cut, up to this
MARGIN = 0.99  # within GAP, close in on this share of the lowest rate refused so far …
APPROACH = 0.0005  # … by this share of the gap per successful call
PROBE = 1e-7  # the refused rate creeps up by this share per success right after a 429 …
PROBE_GROWTH = 1.0005  # … and that share grows by this factor per success without a 429 …
MAX_PROBE = 1e-3  # … up to this share
REFUSALS_KEPT = 4  # the proven rate is measured from the oldest of these
EARLY = 0.5  # a call sent within this many pace intervals of the previous one is part of a burst …
AFTER_BURST = 2.0  # … and so is one within this many of such a call (Slack's bucket is still low)
MIN_PER_SECOND = 1 / 120
IDLE_BUCKET_SECONDS = 120  # beyond MAX_BUCKETS, buckets unused this long are forgotten
MAX_BUCKETS = 1000


@dataclass(frozen=True, slots=True)
class Release:
    """A call let through by the pacer; hand it back with the answer (``succeeded``/``rate_limited``)."""

    at: float
    early: bool  # sent ahead of the steady pace, out of the bucket's stored burst


class Interrupted(Exception):
    """A wait for the pace was given up because the caller is stopping; the call was not made."""


class _Bucket:
    """A token bucket whose rate is learned: ``too_fast`` is the lowest rate Slack has refused,
    ``confirmed`` the highest pace it was seen to accept for long enough since then."""

    def __init__(self, limit: Limit, now: float) -> None:
        self.rate = limit.per_second
        self.burst = limit.burst
        self.tokens = float(limit.burst)
        self.updated = now
        self.blocked_until = 0.0
        self.last_release = float("-inf")
        self.burst_until = float("-inf")  # calls sent before then count as part of a burst
        self.too_fast: float | None = None  # None: no 429 yet (slow start)
        self.confirmed = 0.0
        self.at_rate = 0  # calls accepted at the current pace (since it was set) …
        self.first_at = 0.0  # … the first of them sent then (calls sent before set_at don't count)
        self.set_at = now
        self.cut = CUT
        self.probe = PROBE
        self.proven = 0.0  # a rate Slack has been shown to accept (see _accepted_rate_since)
        # Calls Slack accepted that were sent after the latest refusal came back (so Slack decided them
        # after it), and the refusals kept: (when the refused call was sent, accepted by its answer).
        self.accepted = 0
        self.refusals: deque[tuple[float, int]] = deque(maxlen=REFUSALS_KEPT)
        self.refused_at = float("-inf")
        self.accepted_at_refusal = 0
        self.quick_in_a_row = 0
        self.used = now

    def try_acquire(self, now: float) -> Release | float:
        """A release if a call may go now (its token taken), else the seconds to wait before asking again."""
        if now < self.blocked_until:
            return self.blocked_until - now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1 - 1e-9:  # float dust must not keep a caller waiting forever
            return (1 - self.tokens) / self.rate
        # Out of the stored burst: the bucket held another token besides this call's, or the previous
        # call went only a moment ago.
        early = self.tokens >= 2 - 1e-9 or now - self.last_release < EARLY / self.rate
        self.tokens = max(0.0, self.tokens - 1)
        if early:
            self.burst_until = now + AFTER_BURST / self.rate
        self.last_release = now
        return Release(now, early or now < self.burst_until)

    def succeeded(self, release: Release | None) -> None:
        if release is None or release.at > self.refused_at:
            self.accepted += 1
        if self.too_fast is None:
            self.rate += SLOW_START
            return
        self.too_fast *= 1 + self.probe
        self.probe = min(MAX_PROBE, self.probe * PROBE_GROWTH)
        self._count_at_rate(release)
        if self.too_fast > self.confirmed * GAP:
            return  # waiting for the pace to be confirmed
        target = self.too_fast * MARGIN
        if self.rate < target:
            self.rate += (target - self.rate) * APPROACH

    def _count_at_rate(self, release: Release | None) -> None:
        """Confirm the pace once Slack has accepted it long enough; climb if still far below too_fast."""
        assert self.too_fast is not None
        sent_at = self.first_at if release is None else release.at
        if sent_at < self.set_at:
            return  # sent before the pace was set
        if self.at_rate == 0:
            self.first_at = sent_at
        self.at_rate += 1
        if self.at_rate < CONFIRM * self.rate / self.too_fast:
            return
        # Slack accepted the rate the calls went at, which a pause on our side can hold below the pace.
        achieved = (self.at_rate - 1) / max(1e-9, sent_at - self.first_at)
        self.confirmed = max(self.confirmed, min(self.rate, achieved))
        if achieved < ACHIEVED * self.rate:
            self.at_rate = 0  # measure again: climbing would confirm nothing we could send
        elif self.too_fast > self.confirmed * GAP:
            self._set_rate(self.confirmed * (self.too_fast / self.confirmed) ** CLIMB, sent_at)

    def _set_rate(self, rate: float, now: float) -> None:
        self.rate = max(MIN_PER_SECOND, rate)
        self.at_rate = 0
        self.set_at = now

    def rate_limited(self, now: float, retry_after: float, release: Release | None) -> None:
        if now < self.blocked_until:
            # A call already in flight when the first 429 came: the same event, already counted.
            self.blocked_until = max(self.blocked_until, now + retry_after)
            self.updated = self.blocked_until
            return
        self.proven = max((self._accepted_rate_since(r, now) for r in self.refusals), default=0.0)
        self.refusals.append((now if release is None else release.at, self.accepted))
        self.refused_at = now
        self.blocked_until = now + retry_after
        self.tokens = 0.0
        self.updated = self.blocked_until
        if release is not None and release.early:
            # Refused out of our burst: Slack's burst is smaller than ours; the rate says nothing.
            self.burst = max(1, self.burst // 2)
            return
        first = self.too_fast is None
        quick = self.accepted - self.accepted_at_refusal < QUICK
        self.accepted_at_refusal = self.accepted
        self.too_fast = max(self.proven, self.rate)
        # A confirmed pace well below the refused one stays credible; one close to it (or above) was
        # confirmed by chance (a window's phase, a bucket not drained yet) or the limit was lowered.
        floor = self.confirmed if self.confirmed < self.too_fast * (1 - CUT) else 0.0
        # One 429 soon after another may be jitter; a third in a row says the pace is far off.
        self.quick_in_a_row = self.quick_in_a_row + 1 if quick and not first else 0
        if first:
            self.cut = FIRST_CUT
        elif floor or self.quick_in_a_row < 2:
            self.cut = CUT
        else:
            self.cut = min(MAX_CUT, 2 * self.cut)
        rate = self.too_fast * (1 - self.cut)
        if floor and self.too_fast > floor * GAP:
            rate = floor * (self.too_fast / floor) ** CLIMB
        self._set_rate(rate, self.blocked_until)
        self.confirmed = min(self.confirmed, self.rate)
        self.probe = PROBE

    def _accepted_rate_since(self, refusal: tuple[float, int], now: float) -> float:
        """A lower bound of Slack's rate: its bucket was empty when it refused that call, so by ``now``
        it can have accepted at most one call plus its rate times the time since. Counted are only the
        calls sent after that refusal came back (Slack decided them after it), over the time since the
        refused call was sent (before Slack decided it): whatever the network's delays, the bound holds.
        The oldest refusal kept gives the tightest bound; keeping only a few lets a limit that was
        lowered (another replica sharing it) show within a few refusals."""
        then, accepted_then = refusal
        return 0.0 if now <= then else max(0.0, (self.accepted - accepted_then - 1) / (now - then))


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

    def wait(self, method: str, channel: str = "", *, stop: threading.Event | None = None) -> Release | None:
        """Block until a call of ``method`` (to ``channel``) is within the learned pace.

        Returns the release to hand back with the answer (None for a method that is not paced). Raises
        Interrupted, without letting the call through, if ``stop`` is set while waiting."""
        while True:
            answer = self.try_acquire(method, channel)
            if not isinstance(answer, float):
                return answer
            if stop is None:
                self._sleep(answer)
            elif stop.wait(answer):
                raise Interrupted(method)

    def try_acquire(self, method: str, channel: str = "") -> Release | float | None:
        """Without blocking: a release if the call may go now, else the seconds to wait first."""
        with self._lock:
            bucket = self._bucket(method, channel)
            return None if bucket is None else bucket.try_acquire(self._clock())

    def rate_limited(
        self, method: str, channel: str, retry_after: float, release: Release | None = None
    ) -> None:
        """Slack answered 429 with ``Retry-After`` for the call let through as ``release``."""
        with self._lock:
            bucket = self._bucket(method, channel)
            if bucket is not None:
                bucket.rate_limited(self._clock(), retry_after, release)

    def succeeded(self, method: str, channel: str = "", release: Release | None = None) -> None:
        """Slack accepted the call let through as ``release``."""
        with self._lock:
            bucket = self._bucket(method, channel)
            if bucket is not None:
                bucket.succeeded(release)

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
