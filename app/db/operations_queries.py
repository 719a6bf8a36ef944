"""Operational rows: people Slack can't reach, Slack deliveries already handled, and the counts about
delivery and reachability for /metrics and for admins' /mentor stats."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db.dialects import insert_or_ignore
from app.db.models import CoffeeRound, Member, Notice, SlackEvent


def mark_unreachable(session: Session, user_ids: list[str], *, reason: str, now: datetime) -> int:
    """Mark the people not marked yet; how many were."""
    result = session.execute(
        update(Member)
        .where(Member.user_id.in_(user_ids), Member.unreachable_since.is_(None))
        .values(unreachable_since=now, unreachable_reason=reason[:100])
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def record_event(session: Session, event_id: str, *, now: datetime) -> bool:
    """Record a delivery's key; False when it was recorded before (by us or another replica)."""
    statement = insert_or_ignore(
        session, SlackEvent, {"event_id": event_id[:64], "received_at": now}, ["event_id"]
    ).returning(SlackEvent.event_id)
    return session.execute(statement).scalar_one_or_none() is not None


def forget_events(session: Session, *, received_before: datetime) -> int:
    result = session.execute(delete(SlackEvent).where(SlackEvent.received_at < received_before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def notices_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Notice.status, func.count()).group_by(Notice.status))
    return {str(status): int(count) for status, count in rows}


def failed_by_reason(session: Session, since: datetime | None = None) -> dict[str, int]:
    """Notices that failed for good, by Slack's error, most frequent first. Grouped on the bare column:
    PostgreSQL won't match a parameterised COALESCE in SELECT to the one in GROUP BY."""
    query = (
        select(Notice.last_error, func.count()).where(Notice.status == "failed").group_by(Notice.last_error)
    )
    if since is not None:
        query = query.where(Notice.created_at >= since)
    counts: Counter[str] = Counter()
    for reason, count in session.execute(query):
        counts[reason or "unknown"] += int(count)
    return dict(sorted(counts.items(), key=lambda rn: (-rn[1], rn[0])))


def unreachable_people(session: Session) -> int:
    query = select(func.count()).select_from(Member).where(Member.unreachable_since.is_not(None))
    return int(session.scalar(query) or 0)


def rounds_run(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(CoffeeRound)) or 0)
