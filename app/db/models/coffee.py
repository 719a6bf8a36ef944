"""Coffee roulette: participants, avoid lists, channels, schedules, rounds and their groups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


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
