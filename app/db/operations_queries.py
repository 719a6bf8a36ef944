"""Counts about delivery and reachability, for /metrics and for admins' /mentor stats."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import CoffeeRound, Member, Notice


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
