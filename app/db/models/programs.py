"""Mentoring programs (cohorts): a program's settings and coaches, its waves, the invitations and
applications of each wave, the admin's adjustments to a preview, and the published pairs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Program(Base):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(12))  # "reverse" | "classic" | "peer"
    min_level_gap: Mapped[int] = mapped_column(SmallInteger)
    other_team: Mapped[bool] = mapped_column(Boolean)
    sessions: Mapped[int] = mapped_column(SmallInteger)
    every_weeks: Mapped[int] = mapped_column(SmallInteger)
    minutes: Mapped[int] = mapped_column(SmallInteger)
    start_date: Mapped[date]
    capacity: Mapped[int] = mapped_column(SmallInteger)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class ProgramCoach(Base):
    __tablename__ = "program_coaches"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)


class ProgramWave(Base):
    """A wave: one cohort under the program's settings. ``seed`` orders the solver's ties (stored, so a
    preview replays); ``published_at`` is set once, by the publish that introduced its pairs."""

    __tablename__ = "program_waves"
    __table_args__ = (UniqueConstraint("program_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(SmallInteger)
    seed: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ProgramInvitation(Base):
    __tablename__ = "program_invitations"

    wave_id: Mapped[int] = mapped_column(ForeignKey("program_waves.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    invited_at: Mapped[datetime]


class ProgramApplication(Base):
    """One person's application to a wave (once per wave). ``intro`` is shown only to their partner."""

    __tablename__ = "program_applications"
    __table_args__ = (UniqueConstraint("wave_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("program_waves.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(8))  # "mentor" | "mentee"
    team: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[int | None] = mapped_column(SmallInteger)
    interests: Mapped[str] = mapped_column(String(400), default="")  # comma separated
    goals: Mapped[str] = mapped_column(Text, default="")  # what they want to learn or can offer
    intro: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(80))
    utc_offset_minutes: Mapped[int | None] = mapped_column(Integer)
    name_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class ProgramAdjustment(Base):
    """The admin's hand on a wave's preview: lock or split a pair, exclude a person (``mentee_id``
    empty)."""

    __tablename__ = "program_adjustments"
    __table_args__ = (UniqueConstraint("wave_id", "action", "user_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("program_waves.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(8))  # "lock" | "split" | "exclude"
    user_id: Mapped[str] = mapped_column(String(32))  # the mentor (lock, split) or the person excluded
    mentee_id: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime]


class ProgramPair(Base):
    """A published pair, or a re-match an admin made after an ending: ``rematch_of`` the ended pair,
    ``rematch_for`` the person of it who was re-paired (each once per ending)."""

    __tablename__ = "program_pairs"
    __table_args__ = (UniqueConstraint("rematch_of", "rematch_for"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("program_waves.id", ondelete="CASCADE"))
    mentor_id: Mapped[str] = mapped_column(String(32), index=True)
    mentee_id: Mapped[str] = mapped_column(String(32), index=True)
    coach_id: Mapped[str | None] = mapped_column(String(32))
    rematch_of: Mapped[int | None] = mapped_column(ForeignKey("program_pairs.id", ondelete="SET NULL"))
    rematch_for: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime | None]  # None: published before it was kept (the wave's publish time)
