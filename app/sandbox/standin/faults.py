"""Fault injection and rate limits."""

from __future__ import annotations

from app.sandbox.standin.common import (
    METHOD_TIERS,
    TIER_PER_MINUTE,
    _Fault,
    _RateLimit,
)
from app.sandbox.standin.routing import _Routing


class _Faults(_Routing):
    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error instead of running them.

        status defaults to 429 for "ratelimited" (with a Retry-After header) and 200 otherwise
        (Slack's usual ``{"ok": false, "error": ...}``); pass status=500 etc. for server errors.
        ``method`` may also be "response_url" or "upload" (the file upload URL). Faults queue up in order.
        """
        if status is None:
            status = 429 if error == "ratelimited" else 200
        with self._lock:
            self._faults[method].append(
                _Fault("error", times, error=error, status=status, retry_after=retry_after)
            )

    def clear_faults(self, method: str | None = None) -> None:
        """Forget queued faults (for one method, or all): the outage is over."""
        with self._lock:
            if method is None:
                self._faults.clear()
            else:
                self._faults.pop(method, None)

    def drop_next(self, method: str, times: int = 1, *, after_processing: bool = False) -> None:
        """Close the connection of the next ``times`` calls without an answer.

        With after_processing=True the call takes effect first (a message is posted) and only the
        answer is lost: the case an idempotent sender must survive.
        """
        with self._lock:
            self._faults[method].append(_Fault("drop", times, after_processing=after_processing))

    def delay(self, method: str, seconds: float) -> None:
        """Wait ``seconds`` before handling every call of ``method`` (0 removes the delay)."""
        with self._lock:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def set_rate_limit(
        self,
        method: str,
        per_second: float,
        burst: int = 1,
        per_channel: bool = False,
        *,
        shape: str = "token-bucket",
    ) -> None:
        """``per_second`` in the long run, ``burst`` at once; beyond it, HTTP 429 with an integer
        Retry-After (>= 1) and error "ratelimited". ``shape``: one of RATE_LIMIT_SHAPES (see _RateLimit).

        per_channel=True keeps one limiter per ``channel`` argument (chat.postMessage's special tier).
        """
        with self._lock:
            self._rate_limits[method] = _RateLimit(per_second, max(1, burst), per_channel, shape)

    def clear_rate_limits(self) -> None:
        with self._lock:
            self._rate_limits.clear()

    def apply_documented_rate_limits(
        self, *, speedup: float = 1.0, burst: int = 1, shape: str = "token-bucket"
    ) -> None:
        """Rate-limit every method at its documented tier (per minute), chat.postMessage at 1/s/channel.

        ``speedup`` multiplies every rate, so a test can see the behaviour without waiting minutes. A
        window shape allows each tier's calls per minute (sped up) and ``burst`` messages per channel
        in ``burst`` seconds (sped up).
        """
        windowed = shape != "token-bucket"
        for method, tier in METHOD_TIERS.items():
            per_minute = TIER_PER_MINUTE[tier]
            self.set_rate_limit(
                method, per_minute / 60.0 * speedup, burst=per_minute if windowed else burst, shape=shape
            )
        self.set_rate_limit("chat.postMessage", 1.0 * speedup, burst=burst, per_channel=True, shape=shape)
