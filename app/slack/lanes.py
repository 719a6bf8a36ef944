"""A work queue in lanes: one lane's items are handed out one at a time and in order, different lanes side
by side. Delivery keys a lane by a notice's recipients, so two notices to one person arrive in the order
they were queued while notices to other people never wait behind them.

A lane whose next item has a higher priority is handed out first, except that every ``LOW_TURN``-th item
handed out while lower ones wait is a lower one: urgent work overtakes bulk, never starves it."""

from __future__ import annotations

import threading
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")
LOW_TURN = 4  # matches the outbox's claiming rule (BULK_SHARE): bulk keeps a quarter while urgent waits


class Lanes(Generic[T]):
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._lanes: dict[str, deque[tuple[int, T]]] = {}
        self._ready: dict[int, deque[str]] = {}  # by priority: lanes with an item and nobody working on them
        self._high_streak = 0  # items handed out from the top while a lower priority waited
        self._busy: set[str] = set()
        self._waiting = 0  # items not handed out yet
        self._closed = False

    def put(self, key: str, item: T, priority: int = 0) -> None:
        with self._cond:
            lane = self._lanes.get(key)
            if lane is None:
                lane = self._lanes[key] = deque()
            if not lane and key not in self._busy:
                self._ready.setdefault(priority, deque()).append(key)
            lane.append((priority, item))
            self._waiting += 1
            self._cond.notify()

    def take(self) -> tuple[str, T] | None:
        """The next item of a lane nobody is working on (blocks); None once closed and all is done."""
        with self._cond:
            while not self._ready:
                if self._closed and not self._busy:
                    return None
                self._cond.wait()
            key = self._next_ready()
            self._busy.add(key)
            self._waiting -= 1
            return key, self._lanes[key].popleft()[1]

    def _next_ready(self) -> str:
        levels = sorted(self._ready)
        level = levels[-1]
        if len(levels) > 1:
            self._high_streak += 1
            if self._high_streak >= LOW_TURN:  # the lower priorities' turn
                level, self._high_streak = levels[0], 0
        queue = self._ready[level]
        key = queue.popleft()
        if not queue:
            del self._ready[level]
        return key

    def done(self, key: str) -> None:
        """The item taken from lane ``key`` is finished: its lane's next item may go."""
        with self._cond:
            self._busy.discard(key)
            lane = self._lanes[key]
            if lane:
                self._ready.setdefault(lane[0][0], deque()).append(key)
            else:
                del self._lanes[key]
            self._cond.notify_all()

    def waiting(self) -> int:
        with self._cond:
            return self._waiting

    def close(self) -> None:
        """No more items will come; ``take`` answers None once the lanes are empty."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def withdraw(self) -> list[T]:
        """Take back every item not handed out yet (when stopping)."""
        with self._cond:
            items = [item for lane in self._lanes.values() for _, item in lane]
            for key in list(self._lanes):
                if key in self._busy:
                    self._lanes[key].clear()
                else:
                    del self._lanes[key]
            self._ready.clear()
            self._waiting = 0
            self._cond.notify_all()
            return items
