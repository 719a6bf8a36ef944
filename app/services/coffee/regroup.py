"""A coffee partner who turns out unreachable when the intro goes out.

The one left would otherwise get no intro at all. They join another group of the same round whose intro
is still queued (a pair becomes a trio; the queued intro's recipients and introductions change with it),
or, when none is left (every intro has gone out, or "don't pair" wishes rule them out), they get a kind
word and are first in line for the next round. Runs in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.db import coffee_queries as cq
from app.db.models import CoffeeGroup, CoffeeGroupMember, Member
from app.services import notices, outbox


def regroup_stranded(session: Session, group_id: int, user_id: str, *, now: datetime) -> int | None:
    """Move ``user_id`` out of ``group_id`` into another pair of its round; the group joined, or None."""
    group = session.get(CoffeeGroup, group_id)
    own = session.get(CoffeeGroupMember, (group_id, user_id))
    if group is None or own is None:
        return None  # already moved or told (this is a retry)
    session.delete(own)  # they never met the one who left: no pairing to remember
    avoided = cq.avoided_either_way(session, user_id)
    for target, intro in cq.pairs_not_yet_introduced(session, group.round_id, skip=group_id):
        members = cq.group_member_ids(session, target.id)
        if avoided & set(members) or cq.any_unreachable(session, members):
            continue
        member = session.get(Member, user_id)
        colleague = notices.Colleague(
            member.team if member else None, tuple(cq.mentor_topics(session, [user_id]).get(user_id, []))
        )
        queued = outbox.stored(intro)
        assert isinstance(queued, notices.CoffeeIntro)
        outbox.rewrite(session, intro, queued.joined_by(user_id, colleague))
        session.add(CoffeeGroupMember(group_id=target.id, user_id=user_id, settled=False))
        return target.id
    pool_id = cq.pool_of_group(session, group_id)
    if pool_id is not None:
        cq.set_first_in_line(session, pool_id, [user_id], now=now)
    outbox.enqueue(
        session,
        notices.CoffeePartnerLeft(key=f"coffee:{group.round_id}:partner-left:{user_id}", to=user_id),
        now=now,
    )
    return None
