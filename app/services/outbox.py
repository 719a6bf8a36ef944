"""The outbox: notices written with the change that caused them, then claimed and sent by delivery.

Claiming is a status change under a lease (``claimed_until``): several dispatchers (threads or bot
replicas on one PostgreSQL) never hold the same notice, and a notice whose dispatcher died is
claimed again once its lease runs out, so a crash between commit and send loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Member, Notice
from app.services.clock import Clock, utc_now

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8


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
        key=key, kind=kind, payload=payload, status=QUEUED, attempts=0, due_at=due_at or now, created_at=now
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


@dataclass(frozen=True, slots=True)
class SentRef:
    channel_id: str
    message_ts: str


class Outbox:
    def __init__(self, sessions: sessionmaker[Session], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    def claim_due(self, limit: int = 50) -> list[ClaimedNotice]:
        now = self._clock()
        with self._sessions.begin() as session:
            query = (
                select(Notice)
                .where(
                    or_(
                        (Notice.status == QUEUED) & (Notice.due_at <= now),
                        (Notice.status == SENDING) & (Notice.claimed_until < now),
                    )
                )
                .order_by(Notice.due_at, Notice.id)
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            notices = list(session.scalars(query))
            for notice in notices:
                notice.status, notice.claimed_until = SENDING, now + LEASE
                notice.attempts += 1
            return [ClaimedNotice(n.id, n.key, n.kind, dict(n.payload), n.attempts) for n in notices]

    def mark_sent(self, notice_id: int, ref: SentRef | None) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(Notice)
                .where(Notice.id == notice_id)
                .values(
                    status=SENT,
                    sent_at=self._clock(),
                    claimed_until=None,
                    channel_id=ref.channel_id if ref else None,
                    message_ts=ref.message_ts if ref else None,
                )
            )

    def mark_retry(self, notice_id: int, *, after: timedelta, error: str) -> None:
        """Put a notice back for later; after too many attempts it fails for good."""
        with self._sessions.begin() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                return
            notice.last_error = error[:200]
            notice.claimed_until = None
            if notice.attempts >= MAX_ATTEMPTS:
                notice.status = FAILED
            else:
                notice.status, notice.due_at = QUEUED, self._clock() + after

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

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with self._sessions() as session:
            return {
                status: count
                for status, count in session.execute(
                    select(Notice.status, func.count()).group_by(Notice.status)
                )
            }
