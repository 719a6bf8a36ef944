"""Coffee-roulette queries: the pool, recent history and "don't pair" wishes, each in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from app.db.models import (
    CoffeeAvoid,
    CoffeeChannel,
    CoffeeChannelMember,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeParticipant,
    CoffeeRound,
    Member,
)


def participant(session: Session, user_id: str, *, now: datetime) -> CoffeeParticipant:
    row = session.get(CoffeeParticipant, user_id)
    if row is None:
        row = CoffeeParticipant(
            user_id=user_id, opted_in=False, opted_out=False, unanswered_streak=0, updated_at=now
        )
        session.add(row)
        session.flush()
    return row


def channel_member_ids(session: Session) -> set[str]:
    return set(session.scalars(select(CoffeeChannelMember.user_id).distinct()))


def pool_members(session: Session, *, now: datetime) -> list[Member]:
    """Who takes part in a round now: joined themselves or via a coffee channel, not left, not paused,
    and reachable (Slack hasn't told us they left or can't be messaged)."""
    in_channel = select(CoffeeChannelMember.user_id)
    query = (
        select(Member)
        .outerjoin(CoffeeParticipant, CoffeeParticipant.user_id == Member.user_id)
        .where(
            Member.unreachable_since.is_(None),
            or_(CoffeeParticipant.opted_in.is_(True), Member.user_id.in_(in_channel)),
            or_(CoffeeParticipant.user_id.is_(None), CoffeeParticipant.opted_out.is_(False)),
            or_(
                CoffeeParticipant.user_id.is_(None),
                CoffeeParticipant.paused_until.is_(None),
                CoffeeParticipant.paused_until <= now,
            ),
        )
        .order_by(Member.user_id)
    )
    return list(session.scalars(query))


def recent_rounds(session: Session, limit: int) -> list[list[list[str]]]:
    """The groups of the last ``limit`` rounds, oldest first, loaded in one query."""
    round_ids = list(session.scalars(select(CoffeeRound.id).order_by(CoffeeRound.id.desc()).limit(limit)))
    if not round_ids:
        return []
    groups: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = session.execute(
        select(CoffeeGroup.round_id, CoffeeGroupMember.group_id, CoffeeGroupMember.user_id)
        .join(CoffeeGroup, CoffeeGroup.id == CoffeeGroupMember.group_id)
        .where(CoffeeGroup.round_id.in_(round_ids))
    )
    for round_id, group_id, user_id in rows:
        groups[round_id][group_id].append(user_id)
    return [list(groups[round_id].values()) for round_id in sorted(round_ids)]


def avoid_pairs(session: Session, user_ids: Iterable[str]) -> list[tuple[str, str]]:
    ids = set(user_ids)
    rows = session.execute(select(CoffeeAvoid.user_id, CoffeeAvoid.avoided_id))
    return [(a, b) for a, b in rows if a in ids and b in ids]


def replace_channel_members(session: Session, channel_id: str, user_ids: Iterable[str]) -> None:
    """Callers hold the channel's row lock (``lock_channel``): two replicas syncing one channel at once
    would otherwise both delete, then both insert, and one would fail on the primary key."""
    session.execute(delete(CoffeeChannelMember).where(CoffeeChannelMember.channel_id == channel_id))
    session.add_all(CoffeeChannelMember(channel_id=channel_id, user_id=u) for u in dict.fromkeys(user_ids))


def lock_channel(session: Session, channel_id: str) -> CoffeeChannel | None:
    return session.get(CoffeeChannel, channel_id, with_for_update=True)


def unsettled_followups(session: Session, *, asked_before: datetime) -> list[CoffeeGroupMember]:
    return list(
        session.scalars(
            select(CoffeeGroupMember)
            .where(
                and_(
                    CoffeeGroupMember.asked_at.is_not(None),
                    CoffeeGroupMember.asked_at <= asked_before,
                    CoffeeGroupMember.settled.is_(False),
                )
            )
            .order_by(CoffeeGroupMember.asked_at)
        )
    )
