"""Offices: the admins' list, with how many members work from each."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Member, Office


def office_named(session: Session, name: str) -> Office | None:
    return session.scalar(select(Office).where(Office.name == name))


def offices_with_headcount(session: Session) -> list[tuple[str, str, int]]:
    """(name, time zone, members there) for every office, by name."""
    rows = session.execute(
        select(Office.name, Office.tz, func.count(Member.user_id))
        .outerjoin(Member, Member.office_id == Office.id)
        .group_by(Office.id, Office.name, Office.tz)
        .order_by(Office.name)
    )
    return [(name, tz, people) for name, tz, people in rows]


def all_offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(Office.name)))


def members_of(session: Session, office_id: int) -> list[Member]:
    return list(session.scalars(select(Member).where(Member.office_id == office_id)))
