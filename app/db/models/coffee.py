"""Coffee roulette: pools, participants, avoid lists, channels, rounds and their groups.

Every participant row, channel and round belongs to a pool (``coffee_pools``); the pool named "coffee"
holds what the workspace had before pools existed (migration 0014) and is the one today's commands act on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base

DEFAULT_POOL = "coffee"


class CoffeePool(Base):
    """A coffee programme: its own members (a channel's, or whoever joined), schedule, group size,
    repeat window and mode. Schedule fields empty = the default weekly schedule until an admin sets one."""

    __tablename__ = "coffee_pools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    mode: Mapped[str] = mapped_column(
        String(16), default="random"
    )  # random|senior|two_sides|in_person|lottery
    group_size: Mapped[int] = mapped_column(Integer, default=2)  # 2-6
    repeat_window: Mapped[int | None] = mapped_column(Integer)  # rounds; None = COFFEE_REPEAT_WINDOW
    every_weeks: Mapped[int | None] = mapped_column(Integer)
    weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday
    at_time: Mapped[str | None] = mapped_column(String(5))  # "09:00", local to tz
    tz: Mapped[str | None] = mapped_column(String(64))
    anchor: Mapped[datetime | None]  # the first occurrence; fortnightly and 4-weekly rounds count from it
    heads_up: Mapped[bool] = mapped_column(Boolean, default=True)  # "You'll be paired tomorrow"
    # Intros reach each group at this local time in the zone most of it shares; None = when the round
    # runs (the pool "coffee" as it was before pools, until an admin sets one).
    intro_at: Mapped[str | None] = mapped_column(String(5))
    never_same_team: Mapped[bool] = mapped_column(Boolean, default=False)  # a hard rule, not a preference
    # The mode's own settings, e.g. {"senior_level": "senior"}, {"sides": "team", "a": "Eng", "b": "Sales"},
    # {"hosts": ["U1"], "draw": 3}.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime]


class CoffeeParticipant(Base):
    """A person's own choices in one pool. Members of the pool's channels without a row are in by default."""

    __tablename__ = "coffee_participants"

    pool_id: Mapped[int] = mapped_column(ForeignKey("coffee_pools.id", ondelete="CASCADE"), primary_key=True)
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
    """A channel whose human members are in its pool; members are synced from Slack."""

    __tablename__ = "coffee_channels"

    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("coffee_pools.id", ondelete="CASCADE"), index=True)
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


class CoffeeRound(Base):
    """One round of a pool. ``(pool_id, scheduled_for)`` is unique: a due round is claimed once, by one
    replica."""

    __tablename__ = "coffee_rounds"
    __table_args__ = (UniqueConstraint("pool_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pool_id: Mapped[int] = mapped_column(ForeignKey("coffee_pools.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime]
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


class CoffeeHeadsUp(Base):
    """ "You'll be paired tomorrow" for one round of a pool: the row is the claim, so it goes out once."""

    __tablename__ = "coffee_heads_ups"

    pool_id: Mapped[int] = mapped_column(ForeignKey("coffee_pools.id", ondelete="CASCADE"), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime]


class CoffeeSkip(Base):
    """Someone sits out one round of a pool ("Skip this round" on the heads-up)."""

    __tablename__ = "coffee_skips"

    pool_id: Mapped[int] = mapped_column(ForeignKey("coffee_pools.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scheduled_for: Mapped[datetime] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]


class CoffeePreview(Base):
    """The last preview of a pool's round: its seed, and a fingerprint of what it planned from (the pool,
    its people and their wishes, its history). The round uses the seed while the fingerprint holds."""

    __tablename__ = "coffee_previews"

    pool_id: Mapped[int] = mapped_column(ForeignKey("coffee_pools.id", ondelete="CASCADE"), primary_key=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
