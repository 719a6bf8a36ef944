"""Programs after matching: a pair's no-blame ending (its reason only the admin reads) and its sessions
on the program's cadence (one row per pair and session number: the claim that proposes it once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class ProgramEnding(Base):
    """One pair ended, once: by whom, when, and an optional reason shown to the program's admin only."""

    __tablename__ = "program_endings"

    pair_id: Mapped[int] = mapped_column(ForeignKey("program_pairs.id", ondelete="CASCADE"), primary_key=True)
    ended_by: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    # ``ended_by`` left the workspace (Slack said so at a delivery): nobody clicked anything.
    left_workspace: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ProgramSession(Base):
    """Session ``number`` of a pair: proposed (three ``slots``), picked by the mentee (``start``),
    confirmed by the mentor; ``reminded_at`` once the day-before reminder is claimed. Either person may
    move it (``moves`` counts them: the calendar file's SEQUENCE) or skip it (``skipped_by``). The
    mentor sets an ``agenda`` (asked two days before, ``agenda_asked_at``; ``agenda_version`` counts
    its saves). ``missed_at``: judged not held in its window (see programs/behind.py)."""

    __tablename__ = "program_sessions"
    __table_args__ = (UniqueConstraint("pair_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("program_pairs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(10))  # "proposed" | "picked" | "confirmed" | "skipped"
    slots: Mapped[list[Any]] = mapped_column(JSON)  # ISO instants (UTC) offered
    start: Mapped[datetime | None]
    proposed_at: Mapped[datetime]
    picked_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    asked_at: Mapped[datetime | None]  # set once both were asked how it went
    moves: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    moved_by: Mapped[str | None] = mapped_column(String(32))  # who moved it last
    skipped_by: Mapped[str | None] = mapped_column(String(32))
    skipped_at: Mapped[datetime | None]
    agenda: Mapped[str | None] = mapped_column(Text)
    agenda_version: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    agenda_asked_at: Mapped[datetime | None]
    missed_at: Mapped[datetime | None]


class ProgramSessionAnswer(Base):
    """One person's word after a session: did it happen, a 1-5 rating, and a note only they read."""

    __tablename__ = "program_session_answers"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("program_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    happened: Mapped[bool | None] = mapped_column(Boolean)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime]
