"""Queries the micro-mentoring use cases need beyond ``queries``: asks, requests and a mentor's week."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Ask, Meeting, MentorProfile
from app.domain.model import MeetingStatus


def declined_by(session: Session, ask_id: int) -> set[str]:
    """The mentors who declined a request for this ask (it is not offered to them again)."""
    return set(
        session.scalars(
            select(Meeting.mentor_id).where(
                Meeting.ask_id == ask_id, Meeting.status == MeetingStatus.DECLINED.value
            )
        )
    )


def lock_mentor_profile(session: Session, mentor_id: str) -> MentorProfile | None:
    """The mentor's profile, locked on PostgreSQL so requests to one mentor are serialised and their
    capacity can't be overrun by a race (SQLite serialises writers anyway)."""
    return session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor_id).with_for_update())


def mentor_of(session: Session, meeting_id: int) -> str | None:
    return session.scalar(select(Meeting.mentor_id).where(Meeting.id == meeting_id))


def asks_by_id(session: Session, ask_ids: Iterable[int]) -> dict[int, Ask]:
    return {a.id: a for a in session.scalars(select(Ask).where(Ask.id.in_(set(ask_ids))))}


def held_between(session: Session, mentor_id: str, start: datetime, end: datetime) -> int:
    """How many conversations the mentor holds a slot for in [start, end)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(Meeting.mentor_id == mentor_id, Meeting.hold_start >= start, Meeting.hold_start < end)
        )
        or 0
    )
