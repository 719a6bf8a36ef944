"""The tables, as typed SQLAlchemy 2 models. Every change here ships with an Alembic revision.

Over 400 lines for a reason: one short class per table, in one module so the one metadata (and its
naming convention) that Alembic compares is plain to see. Split it by room (mentoring, coffee, sessions)
when a next table pushes it much further.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.db.types import UTCDateTime

# Stable constraint names so migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012 (SQLAlchemy's API)


class Office(Base):
    """An office people work from, kept by admins (`/mentor offices add`), with its own time zone."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    tz: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class MemberOffice(Base):
    """Where a member works from, and the weekdays they are usually in. A table of its own (not columns on
    members): members carries the register's change triggers, which SQLite loses when a table is rebuilt."""

    __tablename__ = "member_offices"

    user_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    days: Mapped[str] = mapped_column(String(20), default="")  # "0,2,3" (Monday 0)


class Member(Base):
    """Anyone the bot has met, with what Slack's profile told us (name, time zone)."""

    __tablename__ = "members"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    team: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[int | None] = mapped_column(Integer)
    # Their working hours, {"windows": [[weekday, "HH:MM", "HH:MM"], …]} in ``tz``; None: weekdays 09-17.
    work_windows: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    home_seen_at: Mapped[datetime | None]  # set when they first open the App Home; only then is it kept fresh
    # Set when Slack says we can no longer reach them (left, deactivated, can't be DMed); such people are
    # left out of matches and rounds until they come back (their next request, or an active users.list).
    unreachable_since: Mapped[datetime | None]
    unreachable_reason: Mapped[str | None] = mapped_column(String(100))


class MentorProfile(Base):
    """A member's place on the mentor register. ``active`` is False once they left the register."""

    __tablename__ = "mentor_profiles"

    user_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), primary_key=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    windows: Mapped[dict[str, Any]] = mapped_column(
        default=dict
    )  # {"windows": [[weekday, "HH:MM", "HH:MM"], …]}
    windows_customised: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity_per_week: Mapped[int] = mapped_column(Integer, default=2)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    away_until: Mapped[datetime | None]
    reverse_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    joined_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MentorTopic(Base):
    """One topic a mentor offers; a table of its own so a topic can be looked up by index."""

    __tablename__ = "mentor_topics"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("mentor_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class Ask(Base):
    """Someone's wish for a conversation: a goal and topics."""

    __tablename__ = "asks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asker_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), index=True)
    goal: Mapped[str] = mapped_column(String(300))
    topics: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"topics": [..]}
    reverse: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Meeting(Base):
    """A requested or confirmed 15-minute conversation between an asker and a mentor.

    A slot is held by setting ``hold_start`` (unique per mentor); an ask has at most one request in
    flight by setting ``active_ask_id`` (unique). Both are cleared when the meeting stops holding its
    slot, so the database itself makes double booking impossible, on SQLite and PostgreSQL alike
    (NULLs never collide in a unique constraint).
    """

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("mentor_id", "hold_start"),
        Index("ix_meetings_status_expires_at", "status", "expires_at"),
        # Covering for the register snapshot's full load (confirmed starts by mentor) and its catch-up
        # (one mentor's conversations); see app.services.register_cache.
        Index("ix_meetings_status_start_at_mentor_id", "status", "start_at", "mentor_id"),
        Index("ix_meetings_mentor_id_status_start_at", "mentor_id", "status", "start_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("asks.id", ondelete="CASCADE"), index=True)
    active_ask_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    asker_id: Mapped[str] = mapped_column(String(32), index=True)
    mentor_id: Mapped[str] = mapped_column(String(32), index=True)
    start_at: Mapped[datetime]
    hold_start: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    requested_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(32))
    feedback_requested_at: Mapped[datetime | None]


class RegisterChange(Base):
    """Whose matching data changed, in commit order: written only by database triggers (migration 0005)
    on members, mentor_profiles, mentor_topics and meetings, so every writer is covered.

    ``version`` counts up by one per change with no gaps, and a version is visible only once all
    smaller ones are, so each bot process can keep the register in memory and catch up by reading the
    rows after the last version it saw (``app.services.register_cache``). The last 10,000 are kept.
    A migration that rebuilds one of those tables on SQLite (batch mode) must recreate its triggers.
    """

    __tablename__ = "register_changes"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[str] = mapped_column(String(32))


class Feedback(Base):
    """One person's answer about one conversation."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(8))  # "asker" | "mentor"
    rating: Mapped[int | None] = mapped_column(Integer)
    goal_met: Mapped[str | None] = mapped_column(String(8))
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)  # private: shown to nobody but its author
    not_a_good_fit: Mapped[bool] = mapped_column(Boolean, default=False)  # counted, never shown to the mentor


class Notice(Base):
    """The outbox: a message that must reach someone, written in the transaction that caused it.

    ``key`` makes enqueueing idempotent; ``status`` moves queued -> sending -> sent | failed, and a
    claim (``claimed_until``) lets one dispatcher among several replicas send it.
    """

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status_priority_due_at", "status", "priority", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Higher goes first (each notice type's ``priority``): what a person waits for before bulk.
    priority: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    due_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class NoticePerson(Base):
    """Who a notice concerns (``notices.Notice.recipients``): whom it is sent to (``addressee``) and
    whom it names. Erasure and "what did we send to whom" read this, never the payload's text."""

    __tablename__ = "notice_people"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    addressee: Mapped[bool] = mapped_column(Boolean, default=False)


# --- coffee roulette -------------------------------------------------------------------------------


class CoffeeParticipant(Base):
    """A person's own coffee-roulette choices. Channel members without a row are in by default."""

    __tablename__ = "coffee_participants"

    user_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), primary_key=True)
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)  # joined themselves
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)  # left: overrides channel membership
    paused_until: Mapped[datetime | None]
    unanswered_streak: Mapped[int] = mapped_column(Integer, default=0)
    # Left without a group in a round (their partner was unreachable, or nobody could be placed with
    # them): the next round places them first. Cleared once they are in a group.
    first_in_line_since: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class CoffeeAvoid(Base):
    """A confidential "don't pair me with" wish; only its owner ever sees it."""

    __tablename__ = "coffee_avoids"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    avoided_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime]


class CoffeeChannel(Base):
    """A channel whose human members are in the pool; members are synced from Slack."""

    __tablename__ = "coffee_channels"

    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]
    synced_at: Mapped[datetime | None]


class CoffeeChannelMember(Base):
    __tablename__ = "coffee_channel_members"

    channel_id: Mapped[str] = mapped_column(
        ForeignKey("coffee_channels.channel_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class CoffeeSchedule(Base):
    """When rounds run: every N weeks on a weekday at a local time. One row (id 1)."""

    __tablename__ = "coffee_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    every_weeks: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    at_time: Mapped[str] = mapped_column(String(5))  # "09:00", local to tz
    tz: Mapped[str] = mapped_column(String(64))
    anchor: Mapped[datetime]  # the first occurrence (UTC); fortnightly and 4-weekly rounds count from it
    updated_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime]


class CoffeeRound(Base):
    """One roulette round. ``scheduled_for`` is unique: a due round is claimed once, by one replica."""

    __tablename__ = "coffee_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scheduled_for: Mapped[datetime] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(12))  # "scheduled" | "manual"
    seed: Mapped[int] = mapped_column(BigInteger)
    pool_size: Mapped[int] = mapped_column(Integer)
    started_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    followup_due_at: Mapped[datetime]
    followup_sent_at: Mapped[datetime | None]


class CoffeeGroup(Base):
    __tablename__ = "coffee_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coffee_rounds.id", ondelete="CASCADE"), index=True)
    proposer_id: Mapped[str] = mapped_column(String(32))
    icebreaker: Mapped[str] = mapped_column(String(300))


class CoffeeGroupMember(Base):
    """A person in a group, with their "Did you meet?" answer once asked."""

    __tablename__ = "coffee_group_members"
    __table_args__ = (Index("ix_coffee_group_members_user_id_asked_at", "user_id", "asked_at"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("coffee_groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    asked_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(8))  # "yes" | "not_yet" | "no"
    answered_at: Mapped[datetime | None]
    settled: Mapped[bool] = mapped_column(Boolean, default=False)  # counted toward the unanswered streak


# --- hosted sessions (group mentoring, group lunch, coworking) --------------------------------------


class HostedSession(Base):
    """A session someone on the register hosts for a few people (app/domain/formats.py keeps its rules).

    ``taken`` counts the seats taken: a join takes one with a single conditional UPDATE
    (``taken < seats``), so the last seat clicked by several people at once goes to exactly one of them
    on either database. ``sequence`` goes up each time the session moves (the calendar's SEQUENCE).
    """

    __tablename__ = "hosted_sessions"
    __table_args__ = (Index("ix_hosted_sessions_status_start_at", "status", "start_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    host_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(80))
    topics: Mapped[str] = mapped_column(String(400), default="")  # ",python,sre," (so LIKE finds one)
    start_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer)
    seats: Mapped[int] = mapped_column(SmallInteger)
    taken: Mapped[int] = mapped_column(SmallInteger, default=0)
    where: Mapped[str] = mapped_column(String(12))  # "online" | "in_person"
    link: Mapped[str | None] = mapped_column(String(500))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"))
    place: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12))  # "open" | "cancelled"
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    gathered_at: Mapped[datetime | None]  # when its group DM opened (an hour before); joining closes then
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SessionSeat(Base):
    """A person's place in a hosted session: taken, on the waitlist (in ``since`` order), or left."""

    __tablename__ = "session_seats"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        Index("ix_session_seats_session_id_status_since", "session_id", "status", "since"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("hosted_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))  # "taken" | "waitlisted" | "left"
    since: Mapped[datetime]  # when it got this status: the waitlist's order
    taken_at: Mapped[datetime | None]


# --- Slack plumbing ---------------------------------------------------------------------------------


class SlackEvent(Base):
    """A delivery already handled, by key: an Events API ``event_id``, or in Socket Mode
    ``trigger:<trigger_id>`` / ``envelope:<envelope_id>`` for commands and interactions. Slack's retries
    and a replica that sees the same delivery twice then do nothing. Rows older than a day are pruned."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
