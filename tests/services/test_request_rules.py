"""A request is checked again against the lifecycle rules matching used for the offer
(``domain.meeting.may_take_request``): the world may have moved between the offer and the click."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from clocks import TestClock
from sqlalchemy import update

from app.bootstrap import create_services
from app.config import load_settings
from app.db.models import Member
from app.domain.errors import Conflict
from app.domain.model import WeeklyWindow
from app.services.mentoring import SlotTaken
from app.services.people import Person
from app.services.register import ProfileInput

MENTOR = Person("UMENTOR", "Mia Mentor", "UTC")
ASKER = Person("UASKER", "Ash Asker", "UTC")


@pytest.fixture
def services(engine):
    settings = load_settings(
        slack_bot_token="xoxb-test", slack_signing_secret="secret", database_url="sqlite://"
    )
    return create_services(engine, settings, TestClock())


def _offer(services, *, reverse_ok: bool = True, level: int | None = 2):
    every_day = tuple(WeeklyWindow(day, time(0, 0), time(23, 45)) for day in range(7))
    services.register.save_profile(
        MENTOR, ProfileInput(("python",), "", every_day, 5, reverse_ok=reverse_ok, team=None, level=level)
    )
    outcome = services.mentoring.ask(ASKER, "Learn about type hints", ("python",))
    assert outcome.ranking.offers[0].mentor.user_id == MENTOR.user_id
    return outcome, outcome.ranking.offers[0].slots[0]


def test_a_mentor_who_went_away_after_the_offer_is_not_requested(services):
    outcome, slot = _offer(services)
    services.register.set_away(MENTOR, duration=timedelta(days=7))
    with pytest.raises(SlotTaken) as taken:
        services.mentoring.request_slot(ASKER, outcome.ask_id, MENTOR.user_id, slot)
    assert not taken.value.outcome.ranking.offers  # nobody else to offer


def test_a_mentor_who_left_the_register_after_the_offer_is_not_requested(services):
    outcome, slot = _offer(services)
    services.register.leave(MENTOR)
    with pytest.raises(SlotTaken):
        services.mentoring.request_slot(ASKER, outcome.ask_id, MENTOR.user_id, slot)


def test_reverse_mentoring_without_consent_is_refused_at_request_time_too(services, engine):
    # The junior mentor doesn't take reverse mentoring; the asker turned out senior after the offer.
    outcome, slot = _offer(services, reverse_ok=False, level=2)
    with engine.begin() as connection:
        connection.execute(update(Member).where(Member.user_id == ASKER.user_id).values(level=4))
    with pytest.raises(SlotTaken):
        services.mentoring.request_slot(ASKER, outcome.ask_id, MENTOR.user_id, slot)


def test_an_ask_takes_one_request_and_a_request_is_answered_once(services):
    outcome, slot = _offer(services)
    view = services.mentoring.request_slot(ASKER, outcome.ask_id, MENTOR.user_id, slot)
    with pytest.raises(Conflict, match="already asked a mentor"):
        services.mentoring.options(ASKER, outcome.ask_id)
    services.mentoring.accept(MENTOR, view.meeting_id)
    with pytest.raises(Conflict, match="already confirmed"):
        services.mentoring.decline(MENTOR, view.meeting_id)
    services.mentoring.cancel(ASKER, view.meeting_id)
    with pytest.raises(Conflict, match="was cancelled"):
        services.mentoring.cancel(MENTOR, view.meeting_id)
