"""Clocks a test controls, so no assertion depends on today's date or the time of day.

``TestClock`` is handed to ``create_bot(clock=...)`` in-process: it stands still until the test moves
it. ``ProcessClock`` is for bots run as subprocesses: each child starts, through libfaketime, at the
instant the test's clock shows, and both tick in real time from the test's chosen start. libfaketime
(``pip`` package ``libfaketime``, a test dependency) fakes only the child's wall clock; the production
bot has no setting or hook for it.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta

import libfaketime

# A Wednesday morning years away from any date the suite is likely to run on, so "today" never leaks into
# an assertion; hours from midnight and weeks from a DST change in the zones the tests use; and not a
# Monday, so the default coffee round (Mondays 09:00, 12 h grace) is not due the moment a bot starts.
WEDNESDAY_MORNING = datetime(2031, 1, 8, 10, 0, 5, tzinfo=UTC)


class TestClock:
    """A ``Clock`` (``() -> aware datetime``) that moves only when the test moves it."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, start: datetime = WEDNESDAY_MORNING) -> None:
        assert start.tzinfo is not None, "a clock shows aware datetimes"
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def now(self) -> datetime:
        return self()

    def set(self, instant: datetime) -> datetime:
        assert instant.tzinfo is not None, "a clock shows aware datetimes"
        with self._lock:
            self._now = instant.astimezone(UTC)
            return self._now

    def advance(self, by: timedelta) -> datetime:
        with self._lock:
            self._now += by
            return self._now


class ProcessClock:
    """The test's clock for bot subprocesses: ``start`` at creation, ticking in real time after.

    ``child_env()`` gives the environment that makes a child's wall clock show ``now()`` from the moment
    it starts (libfaketime's ``FAKETIME="@<instant>"``; the monotonic clock is left alone, so sleeps and
    timeouts behave).
    """

    def __init__(self, start: datetime = WEDNESDAY_MORNING) -> None:
        assert start.tzinfo is not None, "a clock shows aware datetimes"
        self.start = start.astimezone(UTC)
        self._began = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._began)

    def now(self) -> datetime:
        return self()

    def child_env(self) -> dict[str, str]:
        _, env = libfaketime.get_reload_information()
        preload = os.environ.get("LD_PRELOAD", "")
        env = dict(env)
        if "libfaketime" in preload:  # the whole suite already runs under libfaketime: one copy is enough
            env["LD_PRELOAD"] = preload
        # FAKETIME's absolute form is read in local time, and the child inherits this process's zone.
        env["FAKETIME"] = f"@{self().astimezone().strftime('%Y-%m-%d %H:%M:%S.%f')}"
        return env
