"""Programs after matching: a pair's no-blame ending (its reason only the admin reads)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class ProgramEnding(Base):
    """One pair ended, once: by whom, when, and an optional reason shown to the program's admin only."""

    __tablename__ = "program_endings"

    pair_id: Mapped[int] = mapped_column(ForeignKey("program_pairs.id", ondelete="CASCADE"), primary_key=True)
    ended_by: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
