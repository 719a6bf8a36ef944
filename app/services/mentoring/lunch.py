"""Lunch asks (``/mentor ask lunch <goal> #topic``): an hour in person around midday at the asker's
office, with a mentor of that office on a day they are usually in (``app.domain.lunch``). A mentor with
no office, or no office days, never gets one; someone asking with no office is told how to set it."""

from __future__ import annotations

from collections.abc import Set
from datetime import datetime

from sqlalchemy.orm import Session

from app.db import office_queries
from app.domain.busy import Busy
from app.domain.errors import InvalidInput
from app.domain.lunch import LunchMentor, lunch_slots, rank_lunches
from app.domain.meeting import may_mentor
from app.domain.model import AskSpec, Offer, Ranking
from app.domain.offices import days_from_text
from app.services.register_cache import RegisterSnapshot
from app.services.session_time import busy_in_horizon, own_busy

NO_OFFICE = (
    "A lunch is in person at your office, and I don't know yours yet: pick it in `/mentor about`, then "
    "ask again. For an online conversation, `/mentor ask <goal> #topic`."
)


def office_for_lunch(session: Session, user_id: str) -> tuple[int, str, str, tuple[int, ...]]:
    """The asker's office (id, name, zone) and their days there; InvalidInput when they have none."""
    found = office_queries.office_of(session, user_id)
    if found is None:
        raise InvalidInput(NO_OFFICE)
    office, days = found
    return office.id, office.name, office.tz, days_from_text(days)


def rank_lunch(
    session: Session,
    spec: AskSpec,
    register: RegisterSnapshot,
    *,
    now: datetime,
    left_out: Set[str] = frozenset(),
) -> tuple[Ranking, str]:
    """The lunch offers for ``spec`` (its asker's office), and the office's name."""
    office_id, name, tz, asker_days = office_for_lunch(session, spec.asker_id)
    busy = busy_in_horizon(session, now=now, people=[spec.asker_id])
    candidates = _candidates(session, spec, register, office_id, busy, now=now, left_out=left_out)
    offers, matched = rank_lunches(
        candidates.values(),
        spec.topics,
        tz,
        now=now,
        asker_id=spec.asker_id,
        asker_busy=own_busy(busy, spec.asker_id),
        asker_days=asker_days,
    )
    ranking = Ranking(
        offers=tuple(
            Offer(register.mentors[o.mentor_id], frozenset(o.matched_topics), o.slots) for o in offers
        ),
        topic_matched=matched,
    )
    return ranking, name


def is_lunch_slot(
    session: Session,
    spec: AskSpec,
    register: RegisterSnapshot,
    mentor_id: str,
    start: datetime,
    *,
    now: datetime,
) -> bool:
    """Whether ``start`` is still one of the mentor's lunch slots for this asker (checked on request)."""
    office_id, _, tz, asker_days = office_for_lunch(session, spec.asker_id)
    busy = busy_in_horizon(session, now=now, people=[spec.asker_id])
    mentor = _candidates(session, spec, register, office_id, busy, now=now).get(mentor_id)
    if mentor is None:
        return False
    slots = lunch_slots(
        mentor, tz, now=now, asker_busy=own_busy(busy, spec.asker_id), asker_days=asker_days, limit=100
    )
    return start in slots


def _candidates(
    session: Session,
    spec: AskSpec,
    register: RegisterSnapshot,
    office_id: int,
    busy: Busy,
    *,
    now: datetime,
    left_out: Set[str] = frozenset(),
) -> dict[str, LunchMentor]:
    """The office's mentors who may mentor this asker now, with their office days and what they hold."""
    found: dict[str, LunchMentor] = {}
    for user_id, days in office_queries.members_at(session, office_id).items():
        mentor = register.mentors.get(user_id)
        if mentor is None or user_id in left_out or not may_mentor(mentor, spec, now):
            continue
        load = register.loads.get(user_id)
        found[user_id] = LunchMentor(
            user_id=user_id,
            topics=mentor.topics,
            office_days=days_from_text(days),
            capacity_per_week=mentor.capacity_per_week,
            held_starts=load.held_starts if load else (),
            busy=own_busy(busy, user_id),
        )
    return found
