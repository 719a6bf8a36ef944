"""Query functions over one Session. They read and stage changes; the service layer commits."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, Text, bindparam, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.db.dialects import insert_or_ignore, skip_locked
from app.db.models import Ask, Feedback, Meeting, Member, MentorProfile, MentorTopic, RegisterChange
from app.domain.model import DEFAULT_WINDOWS, MeetingStatus, Mentor, MentorLoad, WeeklyWindow

HOLDING = (MeetingStatus.REQUESTED.value, MeetingStatus.CONFIRMED.value)
# Held slots from a week ago on cover the current week in any time zone (weekly capacity); confirmed
# conversations in the last 30 days count for fairness.
HELD_LOOKBACK = timedelta(days=8)
RECENT_WINDOW = timedelta(days=30)


# --- members -------------------------------------------------------------------------------------


def upsert_member(session: Session, user_id: str, *, name: str, tz: str, now: datetime) -> Member:
    member = session.get(Member, user_id)
    if member is None:
        # A newcomer's first two requests may race to create them: the loser waits for the winner's
        # row (PostgreSQL) instead of failing on the primary key.
        values = {"user_id": user_id, "display_name": name, "tz": tz, "created_at": now, "updated_at": now}
        session.execute(insert_or_ignore(session, Member, values, ["user_id"]))
        member = session.get(Member, user_id)
        assert member is not None
    if (member.display_name, member.tz) != (name, tz):
        member.display_name, member.tz, member.updated_at = name, tz, now
    if member.unreachable_since is not None:  # Slack just showed them to us again: they are back
        member.unreachable_since, member.unreachable_reason = None, None
    return member


_MEMBER_FACTS = select(Member.display_name, Member.tz, Member.unreachable_since).where(
    Member.user_id == bindparam("user_id")
)


def member_is_current(db: Session | Connection, user_id: str, *, name: str, tz: str) -> bool:
    """True when ``upsert_member`` would change nothing: the member exists with this name and zone and
    is not marked unreachable. One prebuilt select, for read paths that skip the write when they can."""
    row = db.execute(_MEMBER_FACTS, {"user_id": user_id}).first()
    return row is not None and (row.display_name, row.tz, row.unreachable_since) == (name, tz, None)


def member_level(session: Session, user_id: str) -> int | None:
    return session.scalar(select(Member.level).where(Member.user_id == user_id))


def asker_facts(session: Session, user_id: str) -> tuple[int | None, str | None, tuple[WeeklyWindow, ...]]:
    """What ranking needs of an asker: level, team and their own working hours (() when none, or new)."""
    row = session.execute(
        select(Member.level, Member.team, Member.work_windows).where(Member.user_id == user_id)
    ).first()
    if row is None:
        return None, None, ()
    return row.level, row.team, windows_from_json(row.work_windows) if row.work_windows else ()


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


def windows_from_json(data: dict[str, Any] | None) -> tuple[WeeklyWindow, ...]:
    rows = (data or {}).get("windows") or []
    if not rows:
        return DEFAULT_WINDOWS
    return tuple(WeeklyWindow(int(d), time.fromisoformat(s), time.fromisoformat(e)) for d, s, e in rows)


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


def register_mentors(session: Session, user_ids: Collection[str] | None = None) -> list[Mentor]:
    """The mentors matching may offer, with their topics: on the register (active), available, and
    reachable (``members.unreachable_since`` is NULL). Away mentors are included, since being away
    ends by itself; ranking compares ``away_until`` with ``now``.

    ``user_ids`` limits the answer to those people (any of them may be missing); None: everyone.
    Cost: two queries, the mentors and their topics (indexed by user_id); no ORM objects.
    """
    query = (
        select(*_MENTOR_COLUMNS)
        .join(Member, Member.user_id == MentorProfile.user_id)
        .where(
            MentorProfile.active.is_(True),
            MentorProfile.available.is_(True),
            Member.unreachable_since.is_(None),
        )
    )
    topic_query = select(MentorTopic.user_id, MentorTopic.topic)
    if user_ids is not None:
        ids = sorted(user_ids)
        query = query.where(MentorProfile.user_id.in_(ids))
        topic_query = topic_query.where(MentorTopic.user_id.in_(ids))
    rows = _core_rows(session, query)
    found: dict[str, set[str]] = defaultdict(set)
    for user_id, topic in _core_rows(session, topic_query):
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


def held_starts(
    session: Session, user_ids: Collection[str] | None, *, since: datetime
) -> dict[str, list[datetime]]:
    """Per mentor, the starts of the slots they hold (requested or confirmed) from ``since`` on, sorted.

    ``user_ids`` limits the answer to those mentors; None: all (a scan of meetings' holds).
    """
    query = select(Meeting.mentor_id, Meeting.hold_start).where(Meeting.hold_start >= since)
    if user_ids is not None:
        query = query.where(Meeting.mentor_id.in_(sorted(user_ids)))
    return _by_mentor(_core_rows(session, query.order_by(Meeting.hold_start)))


def confirmed_starts(
    session: Session, user_ids: Collection[str] | None, *, since: datetime
) -> dict[str, list[datetime]]:
    """Per mentor, the starts of their confirmed conversations from ``since`` on (past and future), sorted.

    ``user_ids`` limits the answer to those mentors; None: all (the (status, start_at) index).
    """
    query = select(Meeting.mentor_id, Meeting.start_at).where(
        Meeting.status == MeetingStatus.CONFIRMED.value, Meeting.start_at >= since
    )
    if user_ids is not None:
        query = query.where(Meeting.mentor_id.in_(sorted(user_ids)))
    return _by_mentor(_core_rows(session, query.order_by(Meeting.start_at)))


def _core_rows(session: Session, query: Select[*tuple[Any, ...]]) -> Sequence[Any]:
    """Rows of a column query without the ORM's per-row work (several times faster for tens of
    thousands of rows); pending ORM changes are flushed first, as the ORM would."""
    session.flush()
    return session.connection().execute(query).all()


def _by_mentor(rows: Iterable[Any]) -> dict[str, list[datetime]]:
    found: dict[str, list[datetime]] = defaultdict(list)
    for mentor_id, start in rows:
        found[mentor_id].append(start)
    return found


def latest_register_change(session: Session) -> tuple[int, str | None]:
    """(version, user_id) of the newest row of the register change log; (0, None) when it is empty."""
    row = session.execute(
        select(RegisterChange.version, RegisterChange.user_id)
        .order_by(RegisterChange.version.desc())
        .limit(1)
    ).first()
    return (0, None) if row is None else (int(row[0]), row[1])


def register_changes_from(session: Session, version: int, *, limit: int) -> list[tuple[int, str]]:
    """Rows of the register change log from ``version`` on (inclusive), oldest first, at most ``limit``.

    Written by triggers (migration 0005): versions are gapless and visible in order, so these are
    exactly the changes committed since ``version``. Cost: one range scan of the primary key.
    """
    rows = session.execute(
        select(RegisterChange.version, RegisterChange.user_id)
        .where(RegisterChange.version >= version)
        .order_by(RegisterChange.version)
        .limit(limit)
    )
    return [(int(v), user_id) for v, user_id in rows]


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
        Meeting.hold_start.is_not(None), Meeting.hold_start >= now - HELD_LOOKBACK
    )
    recent_query = (
        select(Meeting.mentor_id, func.count())
        .where(Meeting.status == MeetingStatus.CONFIRMED.value, Meeting.start_at >= now - RECENT_WINDOW)
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
    return list(session.scalars(skip_locked(session, query)))


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
    return list(session.scalars(skip_locked(session, query)))


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
    return list(session.scalars(skip_locked(session, query)))


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
