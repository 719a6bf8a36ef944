"""Buttons that make one service call: "not a good fit" (counted and re-asked at once), cancel-from-list."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from service_setup import services_on
from sqlalchemy import func, select

from app.db.models import Ask, Feedback
from app.domain.errors import Conflict, NotAllowed
from app.domain.model import WeeklyWindow
from app.services.people import Person
from app.services.register import ProfileInput

MENTORS = [Person(f"UMENTOR{i}", f"Mentor {i}", "Europe/Berlin") for i in range(2)]
ASKER = Person("UASKER", "Asker", "Europe/Berlin")


@pytest.fixture
def services(engine, clock):
    services = services_on(engine, clock)
    every_day = tuple(WeeklyWindow(day, time(0, 0), time(23, 45)) for day in range(7))
    for mentor in MENTORS:
        services.register.save_profile(
            mentor,
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
    return services


def _booked(services, mentor: Person = MENTORS[0]):
    outcome = services.mentoring.ask(ASKER, "Learn about type hints", ("python",))
    offer = next(o for o in outcome.ranking.offers if o.mentor.user_id == mentor.user_id)
    view = services.mentoring.request_slot(ASKER, outcome.ask_id, mentor.user_id, offer.slots[0])
    services.mentoring.accept(mentor, view.meeting_id)
    return view


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_not_a_good_fit_counts_it_and_offers_the_others_in_one_call(services, engine, clock):
    view = _booked(services)
    clock.set(view.start + timedelta(hours=1))
    services.feedback.request_due_feedback()
    outcome = services.mentoring.not_a_good_fit(ASKER, view.meeting_id)
    assert outcome.goal == "Learn about type hints"
    assert {o.mentor.user_id for o in outcome.ranking.offers} == {MENTORS[1].user_id}
    with engine.connect() as connection:
        marked = connection.scalar(select(Feedback.not_a_good_fit).where(Feedback.user_id == ASKER.user_id))
    assert marked is True
    with pytest.raises(Conflict, match="Already noted"):
        services.mentoring.not_a_good_fit(ASKER, view.meeting_id)


def test_only_the_asker_may_say_not_a_good_fit_and_nothing_is_asked_again(services, engine, clock):
    view = _booked(services)
    clock.set(view.start + timedelta(hours=1))
    services.feedback.request_due_feedback()
    asks = _count(engine, Ask)
    with pytest.raises(NotAllowed):
        services.mentoring.not_a_good_fit(MENTORS[0], view.meeting_id)
    assert _count(engine, Ask) == asks


def test_cancel_from_the_list_returns_the_fresh_list_or_why_not(services):
    view = _booked(services)
    done = services.mentoring.cancel_and_list(ASKER, view.meeting_id)
    assert done.refusal is None and done.mine.upcoming == ()
    again = services.mentoring.cancel_and_list(ASKER, view.meeting_id)
    assert again.refusal == "This conversation was cancelled." and again.mine.upcoming == ()
