"""Who people are: members, their offices, mentors' profiles and topics, the register's change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


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
    # Their own https meeting link (validated), for online 1:1s and the online sessions they host.
    meeting_link: Mapped[str | None] = mapped_column(String(500))
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
