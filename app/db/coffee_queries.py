"""Coffee-roulette queries: the pool, recent history and "don't pair" wishes, each in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.db.dialects import insert_or_ignore, skip_locked
from app.db.models import (
    CoffeeAvoid,
    CoffeeChannel,
    CoffeeChannelMember,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeParticipant,
    CoffeePool,
    CoffeeRound,
    Member,
    MemberOffice,
    MentorProfile,
    MentorTopic,
    Notice,
    Office,
)
from app.db.models.coffee import DEFAULT_POOL


def default_pool(session: Session, *, now: datetime) -> CoffeePool:
    """The pool "coffee" (today's commands act on it), made again if an emptied database lost it; two
    requests making it at once leave one row."""
    row = pool_named(session, DEFAULT_POOL)
    if row is None:
        values = {
            "name": DEFAULT_POOL,
            "mode": "random",
            "group_size": 2,
            "heads_up": True,
            "intro_at": None,
            "never_same_team": False,
            "settings": {},
            "created_at": now,
            "updated_at": now,
        }
        session.execute(insert_or_ignore(session, CoffeePool, values, ["name"]))
        row = pool_named(session, DEFAULT_POOL)
        assert row is not None
    return row


def pool_named(session: Session, name: str) -> CoffeePool | None:
    return session.scalar(select(CoffeePool).where(func.lower(CoffeePool.name) == name.strip().lower()))


def pools(session: Session) -> list[CoffeePool]:
    return list(session.scalars(select(CoffeePool).order_by(CoffeePool.id)))


def participant(session: Session, pool_id: int, user_id: str, *, now: datetime) -> CoffeeParticipant:
    row = session.get(CoffeeParticipant, (pool_id, user_id))
    if row is None:
        row = CoffeeParticipant(
            pool_id=pool_id,
            user_id=user_id,
            opted_in=False,
            opted_out=False,
            unanswered_streak=0,
            updated_at=now,
        )
        session.add(row)
        session.flush()
    return row


def _in_channels(pool_id: int) -> Select[str]:
    return (
        select(CoffeeChannelMember.user_id)
        .join(CoffeeChannel, CoffeeChannel.channel_id == CoffeeChannelMember.channel_id)
        .where(CoffeeChannel.pool_id == pool_id)
    )


def channel_member_ids(session: Session, pool_id: int) -> set[str]:
    return set(session.scalars(_in_channels(pool_id).distinct()))


def pool_members(session: Session, pool_id: int, *, now: datetime) -> list[Member]:
    """Who takes part in a pool's round now: joined themselves or via one of its channels, not left,
    not paused, and reachable (Slack hasn't told us they left or can't be messaged)."""
    in_channel = _in_channels(pool_id)
    query = (
        select(Member)
        .outerjoin(
            CoffeeParticipant,
            and_(CoffeeParticipant.user_id == Member.user_id, CoffeeParticipant.pool_id == pool_id),
        )
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


def pool_sizes(session: Session, *, now: datetime) -> dict[int, int]:
    """How many take part in each pool's next round."""
    return {p.id: len(pool_members(session, p.id, now=now)) for p in pools(session)}


def recent_rounds(session: Session, pool_id: int, limit: int) -> list[list[list[str]]]:
    """The groups of a pool's last ``limit`` rounds, oldest first, loaded in one query."""
    query = select(CoffeeRound.id).where(CoffeeRound.pool_id == pool_id)
    round_ids = list(session.scalars(query.order_by(CoffeeRound.id.desc()).limit(limit)))
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


def times_in_groups(session: Session, pool_id: int) -> dict[str, int]:
    """How many of a pool's groups each person has been in (a lottery's draw history), in one query."""
    rows = session.execute(
        select(CoffeeGroupMember.user_id, func.count())
        .join(CoffeeGroup, CoffeeGroup.id == CoffeeGroupMember.group_id)
        .join(CoffeeRound, CoffeeRound.id == CoffeeGroup.round_id)
        .where(CoffeeRound.pool_id == pool_id)
        .group_by(CoffeeGroupMember.user_id)
    )
    return {user_id: int(count) for user_id, count in rows}


def offices_of(session: Session, user_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each of ``user_ids`` who has an office: (its name, their days there, "0,2")."""
    ids = list(user_ids)
    rows = session.execute(
        select(MemberOffice.user_id, Office.name, MemberOffice.days)
        .join(Office, Office.id == MemberOffice.office_id)
        .where(MemberOffice.user_id.in_(ids))
    )
    return {user_id: (name, days) for user_id, name, days in rows}


def active_mentor_ids(session: Session, user_ids: Iterable[str]) -> set[str]:
    """Which of ``user_ids`` are on the mentor register (and still active)."""
    ids = list(user_ids)
    query = select(MentorProfile.user_id).where(MentorProfile.user_id.in_(ids), MentorProfile.active)
    return set(session.scalars(query))


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


def mentor_topics(session: Session, user_ids: Iterable[str]) -> dict[str, list[str]]:
    """The topics each of these people mentors on (active mentors only), for the intro."""
    topics: dict[str, list[str]] = {}
    rows = session.execute(
        select(MentorTopic.user_id, MentorTopic.topic)
        .join(MentorProfile, MentorProfile.user_id == MentorTopic.user_id)
        .where(MentorProfile.active.is_(True), MentorTopic.user_id.in_(list(user_ids)))
        .order_by(MentorTopic.topic)
    )
    for user_id, topic in rows:
        topics.setdefault(user_id, []).append(topic)
    return topics


def intro_key(round_id: int, group_id: int) -> str:
    return f"coffee:{round_id}:{group_id}:intro"


def pairs_not_yet_introduced(
    session: Session, round_id: int, *, skip: int
) -> list[tuple[CoffeeGroup, Notice]]:
    """The round's groups of two whose intro is still queued, the last to go out first, each intro row
    locked (PostgreSQL; SQLite holds the write lock): delivery cannot claim it while it changes."""
    pairs = list(
        session.scalars(
            select(CoffeeGroup)
            .join(CoffeeGroupMember, CoffeeGroupMember.group_id == CoffeeGroup.id)
            .where(CoffeeGroup.round_id == round_id, CoffeeGroup.id != skip)
            .group_by(CoffeeGroup.id)
            .having(func.count() == 2)
        )
    )
    by_key = {intro_key(round_id, g.id): g for g in pairs}
    if not by_key:
        return []
    query = (
        select(Notice)
        .where(Notice.key.in_(list(by_key)), Notice.status == "queued")
        .order_by(Notice.id.desc())
    )
    return [(by_key[n.key], n) for n in session.scalars(skip_locked(session, query))]


def first_in_line(session: Session, pool_id: int) -> set[str]:
    """Who was left without a group in this pool last time and goes first next round."""
    return set(
        session.scalars(
            select(CoffeeParticipant.user_id).where(
                CoffeeParticipant.pool_id == pool_id, CoffeeParticipant.first_in_line_since.is_not(None)
            )
        )
    )


def set_first_in_line(session: Session, pool_id: int, user_ids: Iterable[str], *, now: datetime) -> None:
    for user_id in user_ids:
        row = participant(session, pool_id, user_id, now=now)
        row.first_in_line_since = row.first_in_line_since or now


def clear_first_in_line(session: Session, pool_id: int, user_ids: Iterable[str]) -> None:
    ids = list(user_ids)
    if ids:
        session.execute(
            update(CoffeeParticipant)
            .where(CoffeeParticipant.pool_id == pool_id, CoffeeParticipant.user_id.in_(ids))
            .values(first_in_line_since=None)
        )


def avoided_ids(session: Session, user_id: str) -> list[str]:
    """Whom this person asked not to be paired with (confidential: for them only)."""
    return list(session.scalars(select(CoffeeAvoid.avoided_id).where(CoffeeAvoid.user_id == user_id)))


def channel_ids(session: Session, pool_id: int | None = None) -> list[str]:
    """The coffee channels of one pool, or of every pool."""
    query = select(CoffeeChannel.channel_id).order_by(CoffeeChannel.channel_id)
    if pool_id is not None:
        query = query.where(CoffeeChannel.pool_id == pool_id)
    return list(session.scalars(query))


def round_ran(session: Session, pool_id: int, scheduled_for: datetime) -> bool:
    query = select(CoffeeRound.id).where(
        CoffeeRound.pool_id == pool_id, CoffeeRound.scheduled_for == scheduled_for
    )
    return session.scalar(query) is not None


def manual_round_since(session: Session, pool_id: int, since: datetime) -> CoffeeRound | None:
    """The latest manual round of the pool started at ``since`` or later (an admin's "run now")."""
    query = (
        select(CoffeeRound)
        .where(CoffeeRound.pool_id == pool_id, CoffeeRound.kind == "manual", CoffeeRound.created_at >= since)
        .order_by(CoffeeRound.created_at.desc(), CoffeeRound.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def rounds_due_for_followup(session: Session, *, now: datetime) -> list[CoffeeRound]:
    """Rounds whose "Did you meet?" is due and not yet sent; replicas sharing PostgreSQL split them."""
    query = select(CoffeeRound).where(
        CoffeeRound.followup_sent_at.is_(None), CoffeeRound.followup_due_at <= now
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def groups_of(session: Session, round_id: int) -> list[CoffeeGroup]:
    return list(session.scalars(select(CoffeeGroup).where(CoffeeGroup.round_id == round_id)))


def group_members(session: Session, group_id: int) -> list[CoffeeGroupMember]:
    return list(session.scalars(select(CoffeeGroupMember).where(CoffeeGroupMember.group_id == group_id)))


def group_member_ids(session: Session, group_id: int) -> list[str]:
    return list(
        session.scalars(select(CoffeeGroupMember.user_id).where(CoffeeGroupMember.group_id == group_id))
    )


def members_by_id(session: Session, user_ids: Iterable[str]) -> dict[str, Member]:
    return {m.user_id: m for m in session.scalars(select(Member).where(Member.user_id.in_(list(user_ids))))}


def avoided_either_way(session: Session, user_id: str) -> set[str]:
    """Everyone with a "don't pair" wish between them and ``user_id``, either way round."""
    mine = session.scalars(select(CoffeeAvoid.avoided_id).where(CoffeeAvoid.user_id == user_id))
    theirs = session.scalars(select(CoffeeAvoid.user_id).where(CoffeeAvoid.avoided_id == user_id))
    return set(mine) | set(theirs)


def any_unreachable(session: Session, user_ids: Iterable[str]) -> bool:
    """Whether Slack told us any of these people left or can't be messaged."""
    query = select(Member.user_id).where(
        Member.user_id.in_(list(user_ids)), Member.unreachable_since.is_not(None)
    )
    return session.scalar(query.limit(1)) is not None


def pool_of_group(session: Session, group_id: int) -> int | None:
    query = select(CoffeeRound.pool_id).join(CoffeeGroup, CoffeeGroup.round_id == CoffeeRound.id)
    return session.scalar(query.where(CoffeeGroup.id == group_id))


def everyone_in_a_pool(session: Session, *, now: datetime) -> int:
    """How many different people take part in at least one pool's next round (an aggregate)."""
    return len({m.user_id for p in pools(session) for m in pool_members(session, p.id, now=now)})
