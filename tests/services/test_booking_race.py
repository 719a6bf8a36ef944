"""Two people clicking the same slot at the same moment: one booking, one friendly 'just taken'.

Real concurrent transactions on the test database (threads with their own connections), on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import time

import pytest
from service_setup import services_on
from sqlalchemy import func, select

from app.db.models import Meeting
from app.domain.model import WeeklyWindow
from app.services.mentoring import SlotTaken
from app.services.people import Person
from app.services.register import ProfileInput

MENTOR = Person("UMENTOR", "Mia Mentor", "Europe/Berlin")


@pytest.fixture
def services(engine, clock):
    # Every ask is made at the same instant, so all are offered the same first slot.
    return services_on(engine, clock)


def _all_week(services) -> None:
    every_day = tuple(WeeklyWindow(day, time(0, 0), time(23, 45)) for day in range(7))
    services.register.save_profile(
        MENTOR,
        ProfileInput(
            topics=("python",),
            bio="",
            windows=every_day,
            capacity_per_week=20,
            reverse_ok=True,
            team=None,
            level=None,
        ),
    )


@pytest.mark.parametrize("attempt", range(3))
def test_same_slot_clicked_at_once_books_once(services, engine, attempt):
    _all_week(services)
    askers = [Person(f"UASKER{i}", f"Asker {i}", "America/New_York") for i in range(4)]
    asks = [services.mentoring.ask(person, "Learn about type hints", ("python",)) for person in askers]
    slot = asks[0].ranking.offers[0].slots[0]
    assert all(slot in a.ranking.offers[0].slots for a in asks)

    barrier = threading.Barrier(len(askers))
    results: dict[str, object] = {}

    def click(person: Person, ask_id: int) -> None:
        barrier.wait()
        try:
            results[person.user_id] = services.mentoring.request_slot(person, ask_id, MENTOR.user_id, slot)
        except SlotTaken as taken:
            results[person.user_id] = taken

    threads = [threading.Thread(target=click, args=(p, a.ask_id)) for p, a in zip(askers, asks, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    booked = [r for r in results.values() if not isinstance(r, SlotTaken)]
    taken = [r for r in results.values() if isinstance(r, SlotTaken)]
    assert len(booked) == 1 and len(taken) == len(askers) - 1
    for refusal in taken:
        # The loser is shown fresh options, and the taken slot is not among them.
        assert refusal.outcome.ranking.offers
        assert slot not in refusal.outcome.ranking.offers[0].slots
    with engine.connect() as connection:
        holds = connection.scalar(select(func.count()).select_from(Meeting).where(Meeting.hold_start == slot))
    assert holds == 1


def test_same_ask_cannot_hold_two_slots(services, clock):
    _all_week(services)
    asker = Person("UASKER", "Asker", "UTC")
    outcome = services.mentoring.ask(asker, "Review my design doc", ("python",))
    first, second = outcome.ranking.offers[0].slots[:2]
    services.mentoring.request_slot(asker, outcome.ask_id, MENTOR.user_id, first)
    from app.domain.errors import Conflict

    with pytest.raises(Conflict, match="already asked"):
        services.mentoring.request_slot(asker, outcome.ask_id, MENTOR.user_id, second)
    assert clock.now() < first
