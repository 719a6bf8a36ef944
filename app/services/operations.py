"""Operational state: who the bot can no longer reach, which Slack events it has already handled, and
the figures an operator (``/metrics``) or an admin (``/mentor stats``) reads about delivery."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db import operations_queries as oq
from app.services.clock import Clock, utc_now

# Slack retries an event three times within about five minutes; a day covers that with room to spare.
EVENT_MEMORY = timedelta(days=1)


@dataclass(frozen=True)
class OperationsSnapshot:
    notices_by_status: dict[str, int] = field(default_factory=dict)
    failed_by_reason: dict[str, int] = field(default_factory=dict)
    rounds_run: int = 0
    unreachable_people: int = 0


class Operations:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def mark_unreachable(self, user_ids: Iterable[str], *, reason: str) -> int:
        """Slack said these people can't be reached (left, deactivated, can't be DMed): leave them out of
        matches and rounds until they show up again (see ``queries.upsert_member``)."""
        ids = sorted(set(user_ids))
        if not ids:
            return 0
        with self._sessions.begin() as session:
            return oq.mark_unreachable(session, ids, reason=reason, now=self._clock())

    def first_delivery(self, event_id: str) -> bool:
        """Record a delivery's key (an Events API ``event_id``, or a Socket Mode ``trigger:``/``envelope:``
        key); False when it was seen before (a retry, or another replica got it), so its handler runs
        once. One insert, atomic on both databases."""
        now = self._clock()
        with self._sessions.begin() as session:
            return oq.record_event(session, event_id, now=now)

    def forget_old_events(self) -> int:
        with self._sessions.begin() as session:
            return oq.forget_events(session, received_before=self._clock() - EVENT_MEMORY)

    def snapshot(self) -> OperationsSnapshot:
        """Counts across all replicas (they share the database), cheap enough for every scrape."""
        with self._sessions() as session:
            return OperationsSnapshot(
                notices_by_status=oq.notices_by_status(session),
                failed_by_reason=oq.failed_by_reason(session),
                rounds_run=oq.rounds_run(session),
                unreachable_people=oq.unreachable_people(session),
            )
