"""Offices: the admins' list, with how many members work from each, and each member's office."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db.models import MemberOffice, Office


def office_named(session: Session, name: str) -> Office | None:
    return session.scalar(select(Office).where(Office.name == name))


def offices_with_headcount(session: Session) -> list[tuple[str, str, int]]:
    """(name, time zone, members there) for every office, by name."""
    rows = session.execute(
        select(Office.name, Office.tz, func.count(MemberOffice.user_id))
        .outerjoin(MemberOffice, MemberOffice.office_id == Office.id)
        .group_by(Office.id, Office.name, Office.tz)
        .order_by(Office.name)
    )
    return [(name, tz, people) for name, tz, people in rows]


def all_offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(Office.name)))


def office_of(session: Session, user_id: str) -> tuple[Office, str] | None:
    """A member's office and their days there ("0,2"), or None."""
    row = session.execute(
        select(Office, MemberOffice.days)
        .join(MemberOffice, MemberOffice.office_id == Office.id)
        .where(MemberOffice.user_id == user_id)
    ).first()
    return (row[0], row[1]) if row else None


def set_office_of(session: Session, user_id: str, office_id: int | None, days: str) -> None:
    session.execute(delete(MemberOffice).where(MemberOffice.user_id == user_id))
    if office_id is not None:
        session.add(MemberOffice(user_id=user_id, office_id=office_id, days=days))


def delete_office(session: Session, office: Office) -> None:
    """The office and who worked there (they keep everything else)."""
    session.execute(delete(MemberOffice).where(MemberOffice.office_id == office.id))
    session.delete(office)


def members_at(session: Session, office_id: int) -> dict[str, str]:
    """Who works from the office, with their days there ("0,2")."""
    rows = session.execute(
        select(MemberOffice.user_id, MemberOffice.days).where(MemberOffice.office_id == office_id)
    )
    return {user_id: days for user_id, days in rows}
