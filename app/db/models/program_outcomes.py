"""Programs at the end of a wave and around it: each person's end-of-wave survey (the row is written
when it is asked: the claim), the alumni channel an admin names, and the claims that send each coach
digest and check-in prompt once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class ProgramSurvey(Base):
    """One person's end-of-wave survey: asked (and reminded) once, answered once."""

    __tablename__ = "program_surveys"

    wave_id: Mapped[int] = mapped_column(ForeignKey("program_waves.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    asked_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    goal: Mapped[str | None] = mapped_column(String(8))  # yes | partly | no
    experience: Mapped[str | None] = mapped_column(String(8))  # best | good | neutral | poor
    business: Mapped[str | None] = mapped_column(String(10))  # extremely | effective | somewhat | not
    personal: Mapped[str | None] = mapped_column(String(10))
    brand: Mapped[bool | None] = mapped_column(Boolean)  # reflects well on the organisation
    alumni: Mapped[bool | None] = mapped_column(Boolean)  # would join the alumni group


class ProgramAlumni(Base):
    """The channel a program's alumni are invited to (named by an admin)."""

    __tablename__ = "program_alumni"

    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime]


class ProgramCoachSend(Base):
    """A claim: ``digest:<program>:<coach>:<week>`` or ``prompt:<pair>:<k>`` was sent (once, whichever
    replica inserted it)."""

    __tablename__ = "program_coach_sends"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    sent_at: Mapped[datetime]
