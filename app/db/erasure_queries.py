"""The statements behind ``/mentor forget-me`` (``services/erasure.py`` says what stays and what goes).

"Re-point" moves a person's rows to an anonymous stand-in, so the program's counts survive the erasure.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.db import queries
from app.db.models import (
    Ask,
    CoffeeAvoid,
    CoffeeChannelMember,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeParticipant,
    Feedback,
    Meeting,
    Member,
    MentorProfile,
    Notice,
    NoticePerson,
    ProgramAdjustment,
    ProgramApplication,
    ProgramCoach,
    ProgramEnding,
    ProgramInvitation,
    ProgramPair,
    ProgramSession,
    ProgramSessionAnswer,
    SessionFeedback,
)


def _count(session: Session, model: Any, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def add_stand_in(session: Session, stand_in: str, *, now: datetime) -> None:
    session.add(Member(user_id=stand_in, display_name="", tz="UTC", created_at=now, updated_at=now))
    session.flush()


def repoint_asks(session: Session, user_id: str, stand_in: str) -> int:
    """The person's asks, stripped of their goal and topics; how many."""
    goals = _count(session, Ask, Ask.asker_id == user_id)
    session.execute(update(Ask).where(Ask.asker_id == user_id).values(asker_id=stand_in, goal="", topics={}))
    return goals


def repoint_meetings(session: Session, user_id: str, stand_in: str) -> None:
    session.execute(update(Meeting).where(Meeting.asker_id == user_id).values(asker_id=stand_in))
    session.execute(update(Meeting).where(Meeting.mentor_id == user_id).values(mentor_id=stand_in))
    session.execute(update(Meeting).where(Meeting.cancelled_by == user_id).values(cancelled_by=stand_in))


def repoint_feedback(session: Session, user_id: str, stand_in: str) -> tuple[int, int]:
    """The person's feedback answers without their notes; (notes, answers)."""
    notes = _count(session, Feedback, Feedback.user_id == user_id, Feedback.note.is_not(None))
    answers = _count(session, Feedback, Feedback.user_id == user_id)
    session.execute(update(Feedback).where(Feedback.user_id == user_id).values(user_id=stand_in, note=None))
    # After hosted sessions: the answers are choices, no words, so they stay for the per-format counts.
    answers += _count(session, SessionFeedback, SessionFeedback.user_id == user_id)
    session.execute(
        update(SessionFeedback).where(SessionFeedback.user_id == user_id).values(user_id=stand_in)
    )
    return notes, answers


def repoint_coffee_groups(session: Session, user_id: str, stand_in: str) -> int:
    """The coffee groups the person was in (and proposed a time for); how many."""
    groups = _count(session, CoffeeGroupMember, CoffeeGroupMember.user_id == user_id)
    session.execute(
        update(CoffeeGroupMember).where(CoffeeGroupMember.user_id == user_id).values(user_id=stand_in)
    )
    session.execute(
        update(CoffeeGroup).where(CoffeeGroup.proposer_id == user_id).values(proposer_id=stand_in)
    )
    return groups


def delete_coffee_choices(session: Session, user_id: str) -> int:
    """ "Don't pair" entries either way, the pool entry, channel memberships; the person's own entries."""
    avoids = _count(session, CoffeeAvoid, CoffeeAvoid.user_id == user_id)
    session.execute(
        delete(CoffeeAvoid).where(or_(CoffeeAvoid.user_id == user_id, CoffeeAvoid.avoided_id == user_id))
    )
    session.execute(delete(CoffeeParticipant).where(CoffeeParticipant.user_id == user_id))
    session.execute(delete(CoffeeChannelMember).where(CoffeeChannelMember.user_id == user_id))
    return avoids


def delete_mentor_profile(session: Session, user_id: str) -> bool:
    """The profile and its topics; True if there was one."""
    had_profile = session.get(MentorProfile, user_id) is not None
    queries.set_mentor_topics(session, user_id, ())
    session.execute(delete(MentorProfile).where(MentorProfile.user_id == user_id))
    return had_profile


def delete_notices_concerning(session: Session, user_id: str, *, keep_statuses: Collection[str]) -> None:
    """Notices sent to or naming the person (``notice_people``), except those in ``keep_statuses``;
    their ``notice_people`` rows go with them (ON DELETE CASCADE)."""
    concerning = select(NoticePerson.notice_id).where(NoticePerson.user_id == user_id)
    session.execute(
        delete(Notice)
        .where(Notice.id.in_(concerning), Notice.status.not_in(list(keep_statuses)))
        .execution_options(synchronize_session=False)
    )


def delete_member(session: Session, user_id: str) -> None:
    session.execute(delete(Member).where(Member.user_id == user_id))


def erase_program_rows(session: Session, user_id: str, stand_in: str) -> None:
    """Programs: applications (their team, level, interests, words), invitations, coach places and the
    admin's adjustments naming them go; published pairs are re-pointed, so each wave's figures survive."""
    session.execute(delete(ProgramApplication).where(ProgramApplication.user_id == user_id))
    session.execute(delete(ProgramInvitation).where(ProgramInvitation.user_id == user_id))
    session.execute(delete(ProgramCoach).where(ProgramCoach.user_id == user_id))
    session.execute(
        delete(ProgramAdjustment).where(
            or_(ProgramAdjustment.user_id == user_id, ProgramAdjustment.mentee_id == user_id)
        )
    )
    # The agendas they set as a mentor are their words: they go (before the pairs are re-pointed).
    mentored = select(ProgramPair.id).where(ProgramPair.mentor_id == user_id)
    session.execute(update(ProgramSession).where(ProgramSession.pair_id.in_(mentored)).values(agenda=None))
    session.execute(
        update(ProgramSession).where(ProgramSession.moved_by == user_id).values(moved_by=stand_in)
    )
    session.execute(
        update(ProgramSession).where(ProgramSession.skipped_by == user_id).values(skipped_by=stand_in)
    )
    session.execute(update(ProgramPair).where(ProgramPair.mentor_id == user_id).values(mentor_id=stand_in))
    session.execute(update(ProgramPair).where(ProgramPair.mentee_id == user_id).values(mentee_id=stand_in))
    session.execute(update(ProgramPair).where(ProgramPair.coach_id == user_id).values(coach_id=stand_in))
    session.execute(
        update(ProgramPair).where(ProgramPair.rematch_for == user_id).values(rematch_for=stand_in)
    )
    # Their private session notes go; whether a session happened and its rating stay, as the figures.
    session.execute(
        update(ProgramSessionAnswer)
        .where(ProgramSessionAnswer.user_id == user_id)
        .values(user_id=stand_in, note="")
    )
    # An ending's reason is their words: it goes; the ending itself stays counted.
    session.execute(
        update(ProgramEnding).where(ProgramEnding.ended_by == user_id).values(ended_by=stand_in, reason="")
    )
