"""The outbox: notices written with the change that caused them, then claimed and sent by delivery.

Claiming is a status change under a lease (``claimed_until``): several dispatchers (threads or bot
replicas on one PostgreSQL) never hold the same notice, and a notice whose dispatcher died is
claimed again once its lease runs out, so a crash between commit and send loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from app.db import notice_queries as dq
from app.db.models import Member
from app.db.models import Notice as NoticeRow
from app.services import notices
from app.services.clock import Clock, utc_now
from app.services.notices import Notice, Priority, Undecodable

log = logging.getLogger(__name__)

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
LEASE = timedelta(minutes=2)
GIVE_UP_AFTER = timedelta(days=1)
MAX_BACKOFF = timedelta(minutes=5)

# Priority lanes: each notice type says its own (``notices.Priority``). What a person is waiting for right
# now (NOW) goes before bulk: a round's 10,000 intros take hours at Slack's pace and must not hold up a
# mentor's request. Migration 0006 gave rows written before priorities existed these same values.
BULK, NOW = int(Priority.BULK), int(Priority.NOW)
# Claiming rule: each claim takes NOW notices first, but at most (1 - BULK_SHARE) of it while bulk is
# waiting, so a steady stream of urgent notices slows a round down and never stops it.
BULK_SHARE = 0.25


def enqueue(session: Session, notice: Notice, *, now: datetime, due_at: datetime | None = None) -> None:
    """Stage a notice in the caller's transaction, with the people it concerns; a second notice with the
    same key is a no-op."""
    values = dict(
        key=notice.key,
        kind=notice.kind,
        payload=notice.to_payload(),
        status=QUEUED,
        attempts=0,
        priority=int(notice.priority),
        due_at=due_at or now,
        created_at=now,
    )
    notice_id = dq.insert_notice(session, values)
    if notice_id is not None:
        dq.add_notice_people(session, notice_id, _people(notice))


def rewrite(session: Session, row: NoticeRow, notice: Notice) -> None:
    """Replace a queued notice's content (a coffee intro a stranded person joins); its people follow."""
    assert row.key == notice.key and row.kind == notice.kind, "a rewrite keeps the notice's key and kind"
    row.payload = notice.to_payload()
    dq.replace_notice_people(session, row.id, _people(notice))


def stored(row: NoticeRow) -> Notice:
    """A stored row as its notice type."""
    return notices.decode(row.kind, row.payload, key=row.key)


def _people(notice: Notice) -> list[tuple[str, bool]]:
    addressees = set(notice.send_to)
    return [(user_id, user_id in addressees) for user_id in notice.recipients]


def refresh_homes(session: Session, user_ids: list[str], *, now: datetime) -> None:
    """Queue an App Home refresh for each person who has opened their Home (others have none to refresh)."""
    seen = session.scalars(
        select(Member.user_id).where(Member.user_id.in_(user_ids), Member.home_seen_at.is_not(None))
    )
    for user_id in seen:
        enqueue(session, notices.HomeRefresh(key=f"home:{user_id}:{now.isoformat()}", to=user_id), now=now)


@dataclass(frozen=True, slots=True)
class ClaimedNotice:
    """A notice claimed for sending: its row's id, key and kind, and what it decoded to."""

    id: int
    key: str
    kind: str
    notice: Notice | Undecodable
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
        urgent = NoticeRow.priority > BULK
        with self._sessions.begin() as session:
            reserve = 0 if urgent_only else int(limit * BULK_SHARE)
            rows = self._due(session, now, urgent, limit - reserve)
            urgent_left = len(rows) == limit - reserve > 0  # maybe more than this claim had room for
            if not urgent_only:
                rows += self._due(session, now, NoticeRow.priority == BULK, limit - len(rows))
                if len(rows) < limit and urgent_left:  # bulk left room: more of the urgent
                    more = urgent & NoticeRow.id.not_in([n.id for n in rows])
                    rows += self._due(session, now, more, limit - len(rows))
            for row in rows:
                row.status, row.claimed_until = SENDING, now + LEASE
                row.attempts += 1
            claimed = [(n.id, n.key, n.kind, dict(n.payload), n.attempts, n.priority) for n in rows]
        return [
            ClaimedNotice(i, key, kind, _decode(kind, p, key), a, pr) for i, key, kind, p, a, pr in claimed
        ]

    @staticmethod
    def _due(session: Session, now: datetime, lane: ColumnElement[bool], limit: int) -> list[NoticeRow]:
        if limit <= 0:
            return []
        query = (
            select(NoticeRow)
            .where(
                lane,
                or_(
                    (NoticeRow.status == QUEUED) & (NoticeRow.due_at <= now),
                    (NoticeRow.status == SENDING) & (NoticeRow.claimed_until < now),
                ),
            )
            .order_by(NoticeRow.priority.desc(), NoticeRow.due_at, NoticeRow.id)
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
        table = cast(Table, NoticeRow.__table__)  # typed as a FromClause; update() wants the Table
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
                update(NoticeRow)
                .where(NoticeRow.id.in_(notice_ids), NoticeRow.status == SENDING)
                .values(claimed_until=self._clock() + LEASE)
            )

    def release(self, notice_ids: Collection[int]) -> None:
        """Give back claimed notices that were not tried (the dispatcher is stopping): due again at once,
        and the claim does not count as an attempt."""
        if not notice_ids:
            return
        with self._sessions.begin() as session:
            session.execute(
                update(NoticeRow)
                .where(NoticeRow.id.in_(notice_ids), NoticeRow.status == SENDING)
                .values(status=QUEUED, claimed_until=None, attempts=NoticeRow.attempts - 1)
            )

    def mark_retry(self, notice_id: int, *, after: timedelta, error: str) -> None:
        """Put a notice back for later. A passing error (5xx, timeout, rate limit) never fails a notice
        by itself, however many attempts a long Slack outage takes; a notice still unsent a day after it
        was written has lost its point and fails for good."""
        now = self._clock()
        with self._sessions.begin() as session:
            notice = session.get(NoticeRow, notice_id)
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
            status = session.scalar(select(NoticeRow.status).where(NoticeRow.key == key))
        return status in (None, FAILED)

    def mark_failed(self, notice_id: int, *, error: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(NoticeRow)
                .where(NoticeRow.id == notice_id)
                .values(status=FAILED, last_error=error[:200], claimed_until=None)
            )

    def sent_to(self, user_id: str) -> list[Notice]:
        """What was sent to a person, oldest first (``notice_people``: they were an addressee)."""
        with self._sessions() as session:
            return [stored(row) for row in dq.sent_to(session, user_id)]

    def sent_ref(self, key: str) -> SentRef | None:
        """Where an earlier notice landed, so a later one can update that message."""
        with self._sessions() as session:
            row = session.execute(
                select(NoticeRow.channel_id, NoticeRow.message_ts).where(
                    NoticeRow.key == key, NoticeRow.status == SENT
                )
            ).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return SentRef(row[0], row[1])


def _decode(kind: str, payload: dict[str, Any], key: str) -> Notice | Undecodable:
    """A claimed row as its type; one that doesn't decode is sent by no one and says why."""
    try:
        return notices.decode(kind, payload, key=key)
    except notices.UnknownKind as exc:
        return Undecodable(kind, str(exc), permanent=True)
    except Exception as exc:  # a bug (or a hand-edited row) must not strand the run: retried, then failed
        log.exception("notice %s (%s) does not decode", key, kind)
        return Undecodable(kind, f"bug: {type(exc).__name__}", permanent=False)
