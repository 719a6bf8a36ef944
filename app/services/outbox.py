"""The outbox: notices written with the change that caused them, then claimed and sent by delivery.

Claiming is a status change under a lease (``claimed_until``): several dispatchers (threads or bot
replicas on one PostgreSQL) never hold the same notice, and a notice whose dispatcher died is
claimed again once its lease runs out, so a crash between commit and send loses nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Member, Notice
from app.services.clock import Clock, utc_now

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
LEASE = timedelta(minutes=2)
GIVE_UP_AFTER = timedelta(days=1)
MAX_BACKOFF = timedelta(minutes=5)

# Priority lanes. What a person is waiting for right now (NOW) goes before bulk: a round's 10,000 intros
# take hours at Slack's pace and must not hold up a mentor's request. The one place kinds get a priority;
# any kind not listed (coffee_intro, coffee_followup, coffee_paused, coffee_left_out, feedback_question,
# …) is BULK. Migration 0006 gave rows written before priorities existed these same values.
BULK, NOW = 0, 1
PRIORITY_BY_KIND: dict[str, int] = {
    "mentor_request": NOW,
    "request_closed": NOW,  # the request DM loses its buttons once answered
    "confirmation": NOW,
    "request_declined": NOW,
    "request_expired": NOW,
    "meeting_cancelled": NOW,
    "home_refresh": NOW,  # after a person's own click
}
# Claiming rule: each claim takes NOW notices first, but at most (1 - BULK_SHARE) of it while bulk is
# waiting, so a steady stream of urgent notices slows a round down and never stops it.
BULK_SHARE = 0.25


def priority_of(kind: str) -> int:
    return PRIORITY_BY_KIND.get(kind, BULK)


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    due_at: datetime | None = None,
) -> None:
    """Stage a notice in the caller's transaction; a second notice with the same key is a no-op."""
    values = dict(
        key=key,
        kind=kind,
        payload=payload,
        status=QUEUED,
        attempts=0,
        priority=priority_of(kind),
        due_at=due_at or now,
        created_at=now,
    )
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(Notice).values(**values).on_conflict_do_nothing(index_elements=["key"]))


def refresh_homes(session: Session, user_ids: list[str], *, now: datetime) -> None:
    """Queue an App Home refresh for each person who has opened their Home (others have none to refresh)."""
    seen = session.scalars(
        select(Member.user_id).where(Member.user_id.in_(user_ids), Member.home_seen_at.is_not(None))
    )
    for user_id in seen:
        enqueue(
            session,
            key=f"home:{user_id}:{now.isoformat()}",
            kind="home_refresh",
            payload={"to": user_id},
            now=now,
        )


@dataclass(frozen=True, slots=True)
class ClaimedNotice:
    id: int
    key: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    priority: int = BULK


@dataclass(frozen=True, slots=True)
class SentRef:
    channel_id: str
    message_ts: str


class Outbox:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def claim_due(self, limit: int = 50, *, urgent_only: bool = False) -> list[ClaimedNotice]:
        """Claim up to ``limit`` due notices, NOW before BULK, each lane by due time (see BULK_SHARE).

        ``urgent_only``: NOW notices only (a long run looking for what just came in)."""
        now = self._clock()
        urgent = Notice.priority > BULK
        with self._sessions.begin() as session:
            reserve = 0 if urgent_only else int(limit * BULK_SHARE)
            notices = self._due(session, now, urgent, limit - reserve)
            urgent_left = len(notices) == limit - reserve > 0  # maybe more than this claim had room for
            if not urgent_only:
                notices += self._due(session, now, Notice.priority == BULK, limit - len(notices))
                if len(notices) < limit and urgent_left:  # bulk left room: more of the urgent
                    more = urgent & Notice.id.not_in([n.id for n in notices])
                    notices += self._due(session, now, more, limit - len(notices))
            for notice in notices:
                notice.status, notice.claimed_until = SENDING, now + LEASE
                notice.attempts += 1
            return [
                ClaimedNotice(n.id, n.key, n.kind, dict(n.payload), n.attempts, n.priority) for n in notices
            ]

    @staticmethod
    def _due(session: Session, now: datetime, lane: ColumnElement[bool], limit: int) -> list[Notice]:
        if limit <= 0:
            return []
        query = (
            select(Notice)
            .where(
                lane,
                or_(
                    (Notice.status == QUEUED) & (Notice.due_at <= now),
                    (Notice.status == SENDING) & (Notice.claimed_until < now),
                ),
            )
            .order_by(Notice.priority.desc(), Notice.due_at, Notice.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return list(session.scalars(query))

    def mark_sent_many(self, sent: Sequence[tuple[int, SentRef | None]]) -> int:
        """Mark notices sent, in one transaction; returns how many were still ours to mark.

        Only a notice still being sent (status "sending") is marked, so a notice is marked sent once.
        """
        if not sent:
            return 0
        table = cast(Table, Notice.__table__)  # typed as a FromClause; update() wants the Table
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.status == SENDING)
            .values(
                status=SENT,
                sent_at=self._clock(),
                claimed_until=None,
                channel_id=bindparam("b_channel"),
                message_ts=bindparam("b_ts"),
            )
        )
        rows = [
            {
                "b_id": notice_id,
                "b_channel": ref.channel_id if ref else None,
                "b_ts": ref.message_ts if ref else None,
            }
            for notice_id, ref in sent
        ]
        with self._sessions.begin() as session:
            result = session.connection().execute(statement, rows)
        return int(result.rowcount)

    def renew(self, notice_ids: Collection[int]) -> None:
        """Extend the lease of notices still being sent, so a long, paced run keeps what it claimed."""
        if not notice_ids:
            return
        with self._sessions.begin() as session:
            session.execute(
                update(Notice)
                .where(Notice.id.in_(notice_ids), Notice.status == SENDING)
                .values(claimed_until=self._clock() + LEASE)
            )

    def release(self, notice_ids: Collection[int]) -> None:
        """Give back claimed notices that were not tried (the dispatcher is stopping): due again at once,
        and the claim does not count as an attempt."""
        if not notice_ids:
            return
        with self._sessions.begin() as session:
            session.execute(
                update(Notice)
                .where(Notice.id.in_(notice_ids), Notice.status == SENDING)
                .values(status=QUEUED, claimed_until=None, attempts=Notice.attempts - 1)
            )

    def mark_retry(self, notice_id: int, *, after: timedelta, error: str) -> None:
        """Put a notice back for later. A passing error (5xx, timeout, rate limit) never fails a notice
        by itself, however many attempts a long Slack outage takes; a notice still unsent a day after it
        was written has lost its point and fails for good."""
        now = self._clock()
        with self._sessions.begin() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                return
            notice.last_error = error[:200]
            notice.claimed_until = None
            if notice.created_at < now - GIVE_UP_AFTER:
                notice.status = FAILED
            else:
                notice.status, notice.due_at = QUEUED, now + min(after, MAX_BACKOFF)

    def gave_up(self, key: str) -> bool:
        """True when the notice with ``key`` failed for good (or never existed): nothing of it to update."""
        with self._sessions() as session:
            status = session.scalar(select(Notice.status).where(Notice.key == key))
        return status in (None, FAILED)

    def mark_failed(self, notice_id: int, *, error: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(Notice)
                .where(Notice.id == notice_id)
                .values(status=FAILED, last_error=error[:200], claimed_until=None)
            )

    def sent_ref(self, key: str) -> SentRef | None:
        """Where an earlier notice landed, so a later one can update that message."""
        with self._sessions() as session:
            row = session.execute(
                select(Notice.channel_id, Notice.message_ts).where(Notice.key == key, Notice.status == SENT)
            ).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return SentRef(row[0], row[1])
