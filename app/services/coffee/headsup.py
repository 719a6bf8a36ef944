"""The day before a pool's round: "You'll be paired tomorrow" to everyone in it, and their skips.

A heads-up is claimed by inserting its ``(pool_id, scheduled_for)`` row in the transaction that enqueues
the notices, so replicas and restarts send each round's heads-up once. A skip is a row the round reads
when it plans: whoever skipped sits that one round out (and only that one).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db.dialects import insert_or_ignore
from app.db.models import CoffeeHeadsUp, CoffeePool, CoffeeRound, CoffeeSkip
from app.domain.errors import NotAllowed, NotFound
from app.services import notices, outbox
from app.services.clock import Clock
from app.services.coffee.schedule import Schedule
from app.services.people import Person

HEADS_UP_BEFORE = timedelta(days=1)


class HeadsUps:
    def __init__(self, sessions: sessionmaker[Session], schedule: Schedule, *, clock: Clock) -> None:
        self._sessions = sessions
        self._schedule = schedule
        self._clock = clock

    def send_due_heads_ups(self, *, now: datetime | None = None) -> int:
        """For each pool with heads-up on whose next round is within a day: tell everyone in it, once.
        Returns how many people were told here."""
        now = now or self._clock()
        told = 0
        with self._sessions.begin() as session:
            cq.default_pool(session, now=now)
            for pool in cq.pools(session):
                if not pool.heads_up or pool.mode == "lottery":
                    continue  # a lottery pairs only the few it draws: "paired tomorrow" would mislead
                round_at = self._schedule.view(pool, now).next_round
                if round_at - now > HEADS_UP_BEFORE:
                    continue
                claim = insert_or_ignore(
                    session,
                    CoffeeHeadsUp,
                    {"pool_id": pool.id, "scheduled_for": round_at, "sent_at": now},
                    ["pool_id", "scheduled_for"],
                ).returning(CoffeeHeadsUp.pool_id)
                if session.execute(claim).first() is None:
                    continue  # sent already (here or by another replica)
                told += self._tell(session, pool, round_at, now)
        return told

    def _tell(self, session: Session, pool: CoffeePool, round_at: datetime, now: datetime) -> int:
        members = cq.pool_members(session, pool.id, now=now)
        for member in members:
            outbox.enqueue(
                session,
                notices.CoffeeHeadsUp(
                    key=f"coffee:{pool.id}:{round_at.isoformat()}:heads-up:{member.user_id}",
                    to=member.user_id,
                    pool=pool.name,
                    pool_id=pool.id,
                    round_at=round_at,
                ),
                now=now,
            )
        return len(members)

    def skip(self, person: Person, pool_id: int, round_at: datetime) -> bool:
        """Sit out one round; False if it was skipped already (a second click changes nothing)."""
        now = self._clock()
        with self._sessions.begin() as session:
            pool = session.get(CoffeePool, pool_id)
            if pool is None:
                raise NotFound("That coffee pool is gone.")
            ran = session.scalar(
                select(CoffeeRound.id).where(
                    CoffeeRound.pool_id == pool_id, CoffeeRound.scheduled_for == round_at
                )
            )
            if ran is not None or round_at <= now:
                raise NotAllowed("That round has already run: too late to skip it, sorry.")
            if session.get(CoffeeSkip, (pool_id, person.user_id, round_at)) is not None:
                return False
            session.add(
                CoffeeSkip(pool_id=pool_id, user_id=person.user_id, scheduled_for=round_at, created_at=now)
            )
            return True


def skipped(session: Session, pool_id: int, scheduled_for: datetime) -> set[str]:
    """Who skipped this round of the pool."""
    query = select(CoffeeSkip.user_id).where(
        CoffeeSkip.pool_id == pool_id, CoffeeSkip.scheduled_for == scheduled_for
    )
    return set(session.scalars(query))
