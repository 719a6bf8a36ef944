"""What admins' program figures are computed from: rows in a period, read-only, no person's words.

``since`` None means all time. Each function returns plain rows (named tuples); insight folds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.db.models import (
    Ask,
    CoffeeGroupMember,
    CoffeeParticipant,
    Feedback,
    Meeting,
    Member,
    MentorProfile,
    MentorTopic,
)

AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"  # a row of named columns, read by attribute


def _in_period(column: InstrumentedAttribute[Any], since: datetime | None) -> ColumnElement[bool]:
    return column >= since if since is not None else column.is_not(None)


def asks(session: Session, since: datetime | None) -> Sequence[AnyRow]:
    query = select(Ask.asker_id, Ask.status, Ask.topics, Ask.created_at)
    return session.execute(query.where(_in_period(Ask.created_at, since))).all()


def meetings(session: Session, since: datetime | None) -> Sequence[AnyRow]:
    query = select(Meeting.id, Meeting.asker_id, Meeting.mentor_id, Meeting.status, Meeting.start_at)
    return session.execute(query.where(_in_period(Meeting.requested_at, since))).all()


def feedback(session: Session, since: datetime | None) -> Sequence[AnyRow]:
    """Answers' figures only: the notes people wrote are never read here."""
    query = select(
        Feedback.meeting_id,
        Feedback.user_id,
        Feedback.role,
        Feedback.rating,
        Feedback.goal_met,
        Feedback.not_a_good_fit,
        Feedback.asked_at,
    )
    return session.execute(query.where(_in_period(Feedback.asked_at, since))).all()


def coffee_answers(session: Session, since: datetime | None) -> Sequence[AnyRow]:
    query = select(CoffeeGroupMember.user_id, CoffeeGroupMember.answer, CoffeeGroupMember.asked_at)
    return session.execute(query.where(_in_period(CoffeeGroupMember.asked_at, since))).all()


def coffee_participants(session: Session) -> Sequence[AnyRow]:
    query = select(CoffeeParticipant.opted_out, CoffeeParticipant.paused_until, CoffeeParticipant.updated_at)
    return session.execute(query).all()


def offered_topics(session: Session) -> set[str]:
    """Topics some active mentor offers."""
    query = (
        select(MentorTopic.topic)
        .join(MentorProfile, MentorProfile.user_id == MentorTopic.user_id)
        .where(MentorProfile.active.is_(True))
    )
    return set(session.scalars(query))


def active_mentor_ids(session: Session) -> list[str]:
    return list(session.scalars(select(MentorProfile.user_id).where(MentorProfile.active.is_(True))))


def teams(session: Session) -> dict[str, str | None]:
    return {user_id: team for user_id, team in session.execute(select(Member.user_id, Member.team))}
