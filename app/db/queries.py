"""Query functions over one Session. They read and stage changes; the service layer commits."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Text, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.db.models import Ask, Feedback, Meeting, Member, MentorProfile, MentorTopic
from app.domain.model import DEFAULT_WINDOWS, MeetingStatus, Mentor, MentorLoad, WeeklyWindow

HOLDING = (MeetingStatus.REQUESTED.value, MeetingStatus.CONFIRMED.value)


# --- members -------------------------------------------------------------------------------------


def upsert_member(session: Session, user_id: str, *, name: str, tz: str, now: datetime) -> Member:
    member = session.get(Member, user_id)
    if member is None:
        member = Member(user_id=user_id, display_name=name, tz=tz, created_at=now, updated_at=now)
        session.add(member)
        session.flush()  # rows that refer to the member may follow in this transaction
    elif (member.display_name, member.tz) != (name, tz):
        member.display_name, member.tz, member.updated_at = name, tz, now
    if member.unreachable_since is not None:  # Slack just showed them to us again: they are back
        member.unreachable_since, member.unreachable_reason = None, None
    return member


def member_tz(session: Session, user_id: str, default: str) -> str:
    return session.scalar(select(Member.tz).where(Member.user_id == user_id)) or default


def member_tzs(session: Session, user_ids: Iterable[str], default: str) -> dict[str, str]:
    ids = list(set(user_ids))
    found = {
        uid: tz
        for uid, tz in session.execute(select(Member.user_id, Member.tz).where(Member.user_id.in_(ids)))
    }
    return {user_id: found.get(user_id, default) for user_id in ids}


# --- mentor register -----------------------------------------------------------------------------


def windows_to_json(windows: Iterable[WeeklyWindow]) -> dict[str, list[list[object]]]:
    return {"windows": [[w.weekday, w.start.isoformat(), w.end.isoformat()] for w in windows]}


def windows_from_json(data: dict[str, object] | None) -> tuple[WeeklyWindow, ...]:
    rows = (data or {}).get("windows") or []
    if not rows:
        return DEFAULT_WINDOWS
    return tuple(WeeklyWindow(int(d), time.fromisoformat(s), time.fromisoformat(e)) for d, s, e in rows)  # type: ignore[misc]


def mentor_topics(session: Session, user_id: str) -> list[str]:
    return list(
        session.scalars(
            select(MentorTopic.topic).where(MentorTopic.user_id == user_id).order_by(MentorTopic.topic)
        )
    )


def set_mentor_topics(session: Session, user_id: str, topics: Iterable[str]) -> None:
    session.execute(delete(MentorTopic).where(MentorTopic.user_id == user_id))
    session.add_all(MentorTopic(user_id=user_id, topic=topic) for topic in dict.fromkeys(topics))


# What matching needs of a mentor, as plain columns: no ORM objects, and the windows as their stored
# JSON text, parsed once per distinct text (most mentors share the default ``{}``).
_MENTOR_COLUMNS = (
    MentorProfile.user_id,
    Member.tz,
    cast(MentorProfile.windows, Text),
    MentorProfile.capacity_per_week,
    MentorProfile.available,
    MentorProfile.away_until,
    Member.team,
    Member.level,
    MentorProfile.reverse_ok,
)


def _matchable_mentors(now: datetime) -> Select[Any]:
    return (
        select(*_MENTOR_COLUMNS)
        .join(Member, Member.user_id == MentorProfile.user_id)
        .where(MentorProfile.active.is_(True), MentorProfile.available.is_(True))
        .where(or_(MentorProfile.away_until.is_(None), MentorProfile.away_until <= now))
    )


def covering_mentors(topics: Collection[str]) -> Select[tuple[str]]:
    """The user_ids of mentors offering any of ``topics`` (a subquery; mentor_topics.topic is indexed)."""
    return select(MentorTopic.user_id).where(MentorTopic.topic.in_(sorted(topics)))


def load_matchable_mentors(
    session: Session,
    *,
    now: datetime,
    topics: Collection[str] | None = None,
    covering: bool = True,
    with_topics: bool = True,
) -> list[Mentor]:
    """Mentors who could take a new conversation now (active, available, not away).

    With ``topics``: only those offering at least one of them (``covering``), or only those offering
    none (not ``covering``). Without ``with_topics`` each Mentor's topics are left empty (for ranking
    when no asked topic can match; ``mentor_topics_of`` fills in the few that are offered).
    Cost: one indexed query (two with topics); no ORM objects.
    """
    query = _matchable_mentors(now)
    subset: Select[tuple[str]] | None = None
    if topics is not None:
        subset = covering_mentors(topics)
        query = query.where(
            MentorProfile.user_id.in_(subset) if covering else MentorProfile.user_id.not_in(subset)
        )
    rows = session.execute(query).all()
    found: dict[str, set[str]] = defaultdict(set)
    if with_topics:
        topic_query = select(MentorTopic.user_id, MentorTopic.topic)
        if subset is not None and covering:
            topic_query = topic_query.where(MentorTopic.user_id.in_(subset))
        for user_id, topic in session.execute(topic_query):
            found[user_id].add(topic)
    return [
        Mentor(
            user_id=user_id,
            topics=frozenset(found.get(user_id, ())),
            tz=tz,
            windows=_windows_from_text(windows),
            capacity_per_week=capacity,
            available=available,
            away_until=away_until,
            team=team,
            level=level,
            reverse_ok=reverse_ok,
        )
        for user_id, tz, windows, capacity, available, away_until, team, level, reverse_ok in rows
    ]


@lru_cache(maxsize=1024)
def _windows_from_text(text: str | None) -> tuple[WeeklyWindow, ...]:
    return windows_from_json(json.loads(text) if text else None)


def mentor_topics_of(session: Session, user_ids: Collection[str]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for user_id, topic in session.execute(
        select(MentorTopic.user_id, MentorTopic.topic).where(MentorTopic.user_id.in_(list(user_ids)))
    ):
        found[user_id].add(topic)
    return {user_id: frozenset(found.get(user_id, ())) for user_id in user_ids}


def to_domain_mentor(profile: MentorProfile, member: Member, topics: Iterable[str]) -> Mentor:
    return Mentor(
        user_id=profile.user_id,
        topics=frozenset(topics),
        tz=member.tz,
        windows=windows_from_json(profile.windows),
        capacity_per_week=profile.capacity_per_week,
        available=profile.available,
        away_until=profile.away_until,
        team=member.team,
        level=member.level,
        reverse_ok=profile.reverse_ok,
    )


def load_mentor(session: Session, user_id: str) -> Mentor | None:
    row = session.execute(
        select(MentorProfile, Member).join(Member).where(MentorProfile.user_id == user_id)
    ).first()
    if row is None:
        return None
    return to_domain_mentor(row[0], row[1], mentor_topics(session, user_id))


def mentor_loads(
    session: Session, mentor_ids: Sequence[str] | Select[tuple[str]] | None, *, now: datetime
) -> dict[str, MentorLoad]:
    """Held slot starts from a week ago on (covers the current week in any zone) and 30-day counts.

    ``mentor_ids`` limits the answer to those mentors (a list, or a subquery of user_ids); None: all.
    """
    held_query = select(Meeting.mentor_id, Meeting.hold_start).where(
        Meeting.hold_start.is_not(None), Meeting.hold_start >= now - timedelta(days=8)
    )
    recent_query = (
        select(Meeting.mentor_id, func.count())
        .where(Meeting.status == MeetingStatus.CONFIRMED.value, Meeting.start_at >= now - timedelta(days=30))
        .group_by(Meeting.mentor_id)
    )
    if mentor_ids is not None:
        held_query = held_query.where(Meeting.mentor_id.in_(mentor_ids))
        recent_query = recent_query.where(Meeting.mentor_id.in_(mentor_ids))
    held: dict[str, list[datetime]] = defaultdict(list)
    for mentor_id, start in session.execute(held_query):
        held[mentor_id].append(start)  # type: ignore[arg-type]
    recent = {mentor_id: count for mentor_id, count in session.execute(recent_query)}
    return {
        mentor_id: MentorLoad(
            held_starts=tuple(sorted(held.get(mentor_id, ()))), recent_conversations=recent.get(mentor_id, 0)
        )
        for mentor_id in set(held) | set(recent)
    }


# --- asks and meetings -----------------------------------------------------------------------------


def ask_topics(ask: Ask) -> tuple[str, ...]:
    return tuple((ask.topics or {}).get("topics", []))


def meetings_of(session: Session, user_id: str, *, statuses: Iterable[str], since: datetime) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(or_(Meeting.asker_id == user_id, Meeting.mentor_id == user_id))
            .where(Meeting.status.in_(list(statuses)), Meeting.start_at >= since)
            .order_by(Meeting.start_at)
        )
    )


def open_asks_of(session: Session, user_id: str) -> list[Ask]:
    return list(
        session.scalars(
            select(Ask)
            .where(Ask.asker_id == user_id, Ask.status == "open")
            .order_by(Ask.created_at.desc())
            .limit(10)
        )
    )


def release_hold(meeting: Meeting) -> None:
    meeting.hold_start = None
    meeting.active_ask_id = None


def stale_requests(session: Session, *, now: datetime, limit: int) -> list[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.status == MeetingStatus.REQUESTED.value, Meeting.expires_at <= now)
        .order_by(Meeting.id)
        .limit(limit)
    )
    return list(session.scalars(_skip_locked(session, query)))


def meetings_due_for_feedback(session: Session, *, ended_before: datetime, limit: int) -> list[Meeting]:
    query = (
        select(Meeting)
        .where(
            Meeting.status == MeetingStatus.CONFIRMED.value,
            Meeting.feedback_requested_at.is_(None),
            Meeting.start_at <= ended_before,
        )
        .order_by(Meeting.id)
        .limit(limit)
    )
    return list(session.scalars(_skip_locked(session, query)))


def _skip_locked(session: Session, query: Select[tuple[Meeting]]) -> Select[tuple[Meeting]]:
    """Let replicas sharing PostgreSQL split the work; SQLite serialises writers anyway."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def feedback_due_reminder(session: Session, *, asked_before: datetime, limit: int) -> list[Feedback]:
    query = (
        select(Feedback)
        .where(
            Feedback.answered_at.is_(None),
            Feedback.reminded_at.is_(None),
            Feedback.asked_at <= asked_before,
        )
        .order_by(Feedback.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def feedback_row(session: Session, meeting_id: int, user_id: str) -> Feedback | None:
    return session.scalar(
        select(Feedback).where(Feedback.meeting_id == meeting_id, Feedback.user_id == user_id)
    )


def claim_meeting_transition(
    session: Session, meeting_id: int, *, from_status: str, to_status: str, now: datetime
) -> bool:
    """Move a meeting from one status to another only if nobody else did first (compare-and-set)."""
    result = session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.status == from_status)
        .values(status=to_status, responded_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]
