"""After a hosted session: each seat holder's answers (attended, a 1-5 rating, got what they came for)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class SessionFeedback(Base):
    """One person's answers about one session; each answer is set once (a second click changes nothing).

    A row is written when the question is asked (the session's ``feedback_asked_at`` is the claim)."""

    __tablename__ = "session_feedback"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("hosted_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("members.user_id", ondelete="CASCADE"), index=True)
    asked_at: Mapped[datetime]
    attended: Mapped[bool | None] = mapped_column(Boolean)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    got_it: Mapped[str | None] = mapped_column(String(8))  # "yes" | "partly" | "no"
    answered_at: Mapped[datetime | None]
