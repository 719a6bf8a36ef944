"""1:1 micro-mentoring: asks, the meetings they become, and the feedback after them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Ask(Base):
    """Someone's wish for a conversation: a goal and topics."""

    __tablename__ = "asks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asker_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), index=True)
    goal: Mapped[str] = mapped_column(String(300))
    topics: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"topics": [..]}
    reverse: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    lunch: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # in person (#12)
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
        # Lunches are few among many 15-minute talks: every ask finds the held ones by this (busy time).
        Index("ix_meetings_minutes_start_at", "minutes", "start_at"),
        # Every ask reads the 1:1s mentors hold as askers in the horizon (busy time) from this alone.
        Index("ix_meetings_status_start_at_asker_id", "status", "start_at", "asker_id"),
        # One person's own 1:1s as the asker in the horizon (every ask reads the asker's, #12).
        Index("ix_meetings_asker_id_status_start_at", "asker_id", "status", "start_at"),
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
    # A lunch's length (60); None: the 15-minute conversation. Its time beyond the first 15 minutes is
    # kept from other offers as busy time (app.services.session_time), not by ``hold_start``.
    minutes: Mapped[int | None] = mapped_column(Integer)


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
