"""Hosted sessions (group mentoring, lunches, coworking) and their seats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class HostedSession(Base):
    """A session someone on the register hosts for a few people (app/domain/formats.py keeps its rules).

    ``taken`` counts the seats taken: a join takes one with a single conditional UPDATE
    (``taken < seats``), so the last seat clicked by several people at once goes to exactly one of them
    on either database. ``sequence`` goes up each time the session moves (the calendar's SEQUENCE).
    """

    __tablename__ = "hosted_sessions"
    # ``id`` in the index too: the lists order by (start_at, id), and PostgreSQL walks the index in that
    # order and stops at the page's end only when the index gives the whole order (SQLite's has the rowid).
    __table_args__ = (Index("ix_hosted_sessions_status_start_at_id", "status", "start_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    host_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(80))
    topics: Mapped[str] = mapped_column(
        String(400), default=""
    )  # ",python,sre,": shown; found by SessionTopic
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
    check_ins: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # coworking
    feedback_asked_at: Mapped[datetime | None]  # when its seat holders were asked how it went (once)
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
    status: Mapped[str] = mapped_column(String(12))  # "taken" | "offered" | "waitlisted" | "left"
    since: Mapped[datetime]  # when it got this status: the waitlist's order
    taken_at: Mapped[datetime | None]
    offer_expires_at: Mapped[datetime | None]  # "offered": the seat is held for them until then


class SessionTopic(Base):
    """One topic of a hosted session, with the session's start (kept in step when it moves): a list by
    topic walks ``(topic, start_at)`` from now on, so a rare topic's few sessions are found without
    reading the calendar. ``HostedSession.topics`` stays what is shown."""

    __tablename__ = "session_topics"
    __table_args__ = (Index("ix_session_topics_topic_start_at", "topic", "start_at", "session_id"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("hosted_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(30), primary_key=True)
    start_at: Mapped[datetime]
