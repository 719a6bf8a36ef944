"""The time hosted sessions take from people's 1:1 offers: each person's open sessions (hosting, or a
seat held) in the offers' horizon, read once per ranking, for ``rank_mentors(busy=...)`` and the
asker's ``AskSpec.asker_busy``; and the check a 1:1 request makes before it holds a slot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from app.db import session_queries as sq
from app.domain.busy import Busy, Interval, overlaps
from app.domain.formats import RULES
from app.domain.model import SLOT_LENGTH
from app.domain.slots import DEFAULT_HORIZON

LONGEST_SESSION = max(rules.max_length for rules in RULES.values())


def busy_in_horizon(session: Session, *, now: datetime, users: Sequence[str] | None = None) -> Busy:
    """Everyone's (or ``users``') session time from now to the end of the offers' horizon."""
    found = sq.busy_in(session, after=now, until=now + DEFAULT_HORIZON, longest=LONGEST_SESSION, users=users)
    return {user: tuple(intervals) for user, intervals in found.items()}


def own_busy(busy: Busy, user_id: str) -> tuple[Interval, ...]:
    return tuple(busy.get(user_id, ()))


def in_a_session(session: Session, user_ids: Sequence[str], start: datetime, *, now: datetime) -> bool:
    """Whether any of ``user_ids`` hosts or sits in a session overlapping the 1:1 slot at ``start``."""
    found = sq.busy_in(session, after=now, until=start + SLOT_LENGTH, longest=LONGEST_SESSION, users=user_ids)
    return any(overlaps(intervals, start, SLOT_LENGTH) for intervals in found.values())
