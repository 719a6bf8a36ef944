"""A person's other 1:1s are busy time in their offers (issue #12): the asker's own conversations
(requested or confirmed, as the asker of another ask or as someone's mentor), and a mentor's own asks
of another mentor, keep those minutes out of ranking, fresh options, the directory's "next free" and
the check at request time; a lunch keeps its hour, a 15-minute talk its 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from clocks import WEDNESDAY_MORNING, TestClock
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bootstrap import create_services
from app.config import load_settings
from app.db.models import Ask, Meeting, MemberOffice, Office
from app.domain.errors import Conflict
from app.domain.model import AskStatus, MeetingStatus, WeeklyWindow
from app.services.people import Person
from app.services.register import ProfileInput

SLOT = timedelta(minutes=15)
# Far apart zones; the second start is the Friday before Europe's spring change (and after the US's).
ONE = Person("UMENTOR1", "Mia One", "Asia/Tokyo")
TWO = Person("UMENTOR2", "Max Two", "Europe/Berlin")
ASKER = Person("UASKER", "Ash Asker", "America/Los_Angeles")
OTHER = Person("UOTHER", "Oli Other", "UTC")
STARTS = [WEDNESDAY_MORNING, datetime(2031, 3, 28, 16, 0, 5, tzinfo=UTC)]


@pytest.fixture(params=STARTS, ids=["winter", "dst-week"])
def services(request, engine):
    settings = load_settings(
        slack_bot_token="xoxb-test", slack_signing_secret="secret", database_url="sqlite://"
    )
    services = create_services(engine, settings, TestClock(request.param))
    every_hour = tuple(WeeklyWindow(day, time(0, 0), time(23, 45)) for day in range(7))
    for person, topic in ((ONE, "python"), (TWO, "sre")):
        services.register.save_profile(
            person, ProfileInput((topic,), "", every_hour, 10, reverse_ok=True, team=None, level=None)
        )
    return services


def first_slots(outcome, mentor: Person) -> tuple[datetime, ...]:
    (offer,) = [o for o in outcome.ranking.offers if o.mentor.user_id == mentor.user_id]
    return offer.slots


def book(
    services, asker: Person, topic: str, mentor: Person, *, confirm: bool, at: datetime | None = None
) -> datetime:
    """``asker`` asks for ``topic`` and requests ``mentor``'s first slot, or ``at`` (accepted when
    ``confirm``)."""
    outcome = services.mentoring.ask(asker, f"Talk about {topic}", (topic,))
    start = at or first_slots(outcome, mentor)[0]
    view = services.mentoring.request_slot(asker, outcome.ask_id, mentor.user_id, start)
    if confirm:
        services.mentoring.accept(mentor, view.meeting_id)
    return start


def meetings(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Meeting))


@pytest.mark.parametrize("confirm", [True, False], ids=["confirmed", "requested"])
def test_the_askers_own_talk_as_asker_is_not_offered_again(services, confirm):
    taken = book(services, ASKER, "python", ONE, confirm=confirm)
    outcome = services.mentoring.ask(ASKER, "Talk about on-call", ("sre",))
    slots = first_slots(outcome, TWO)
    assert taken not in slots
    assert slots[0] == taken + SLOT  # a 15-minute talk takes its 15 minutes, not more
    assert taken not in first_slots(services.mentoring.options(ASKER, outcome.ask_id), TWO)  # fresh options


@pytest.mark.parametrize("confirm", [True, False], ids=["confirmed", "requested"])
def test_the_askers_talk_as_someone_elses_mentor_is_not_offered_to_them(services, confirm):
    earliest = first_slots(services.mentoring.ask(ONE, "Talk about on-call", ("sre",)), TWO)[0]
    taken = book(services, OTHER, "python", ONE, confirm=confirm, at=earliest)  # ONE mentors OTHER then
    outcome = services.mentoring.ask(ONE, "Talk about on-call again", ("sre",))  # and asks TWO
    slots = first_slots(outcome, TWO)
    assert taken not in slots and slots[0] == taken + SLOT


def test_a_mentor_booked_as_an_asker_is_not_offered_then(services):
    earliest = first_slots(services.mentoring.ask(ASKER, "Talk about on-call", ("sre",)), TWO)[0]
    taken = book(services, TWO, "python", ONE, confirm=True, at=earliest)  # TWO asks ONE
    outcome = services.mentoring.ask(ASKER, "Talk about on-call again", ("sre",))  # someone asks TWO
    slots = first_slots(outcome, TWO)
    assert taken not in slots and slots[0] == taken + SLOT
    # The directory's next free slot for TWO is not it either.
    (listed,) = services.mentoring.browse_mentors(OTHER, ("sre",)).mentors
    assert listed.next_slot is not None and listed.next_slot != taken


def test_the_directory_next_free_slot_skips_the_viewers_own_talk(services):
    (before,) = services.mentoring.browse_mentors(ASKER, ("sre",)).mentors
    assert before.next_slot is not None
    taken = book(services, ASKER, "python", ONE, confirm=True, at=before.next_slot)
    (listed,) = services.mentoring.browse_mentors(ASKER, ("sre",)).mentors
    assert listed.next_slot == taken + SLOT
    (others,) = services.mentoring.browse_mentors(OTHER, ("sre",)).mentors
    assert others.next_slot == taken  # another viewer is not kept from it


def test_a_lunch_keeps_its_whole_hour(services, engine):
    outcome = services.mentoring.ask(ASKER, "Talk about on-call", ("sre",))
    first = first_slots(outcome, TWO)[0]
    add_lunch(engine, ASKER.user_id, ONE.user_id, first)  # a confirmed lunch of the asker's with ONE
    slots = first_slots(services.mentoring.ask(ASKER, "Talk about on-call again", ("sre",)), TWO)
    assert slots[0] == first + timedelta(minutes=60)


def test_a_stale_pick_overlapping_the_askers_other_talk_books_nothing(services, engine):
    stale = services.mentoring.ask(ASKER, "Talk about on-call", ("sre",))
    start = first_slots(stale, TWO)[0]
    book(services, ASKER, "python", ONE, confirm=True, at=start)  # the same time, with another mentor
    before = meetings(engine)
    with pytest.raises(Conflict, match="You have another conversation then"):
        services.mentoring.request_slot(ASKER, stale.ask_id, TWO.user_id, start)
    assert meetings(engine) == before
    # The next slot is still fine.
    view = services.mentoring.request_slot(ASKER, stale.ask_id, TWO.user_id, start + SLOT)
    assert view.start == start + SLOT


def test_a_stale_pick_of_a_mentor_now_booked_as_an_asker_is_refused(services, engine):
    stale = services.mentoring.ask(ASKER, "Talk about on-call", ("sre",))
    start = first_slots(stale, TWO)[0]
    book(services, TWO, "python", ONE, confirm=False, at=start)  # TWO asks ONE for that time
    before = meetings(engine)
    with pytest.raises(Conflict, match="slot was just taken"):
        services.mentoring.request_slot(ASKER, stale.ask_id, TWO.user_id, start)
    assert meetings(engine) == before


def add_lunch(engine, asker_id: str, mentor_id: str, start: datetime) -> None:
    """A confirmed hour-long lunch (as ``/mentor ask lunch`` books them), written directly."""
    before = start - timedelta(days=1)
    with Session(engine) as session, session.begin():
        ask = Ask(
            asker_id=asker_id,
            goal="Lunch",
            topics={"topics": []},
            reverse=False,
            lunch=True,
            status=AskStatus.CONFIRMED.value,
            created_at=before,
            updated_at=before,
        )
        session.add(ask)
        session.flush()
        session.add(
            Meeting(
                ask_id=ask.id,
                asker_id=asker_id,
                mentor_id=mentor_id,
                start_at=start,
                hold_start=start,
                status=MeetingStatus.CONFIRMED.value,
                expires_at=start,
                requested_at=before,
                minutes=60,
            )
        )


def test_the_directory_next_free_slot_skips_a_mentors_own_ask(services):
    (before,) = services.mentoring.browse_mentors(OTHER, ("sre",)).mentors
    assert before.next_slot is not None
    book(services, TWO, "python", ONE, confirm=True, at=before.next_slot)  # TWO asks ONE then
    (listed,) = services.mentoring.browse_mentors(OTHER, ("sre",)).mentors
    assert listed.next_slot == before.next_slot + SLOT


def at_office(engine, *user_ids: str, tz: str = "Europe/Berlin") -> None:
    with Session(engine) as session, session.begin():
        office = Office(name="Office", tz=tz, created_at=WEDNESDAY_MORNING - timedelta(days=400))
        session.add(office)
        session.flush()
        for user_id in user_ids:
            session.add(MemberOffice(user_id=user_id, office_id=office.id, days="0,1,2,3,4"))


def lunch_slots_of(services, asker: Person, mentor: Person) -> tuple[datetime, ...]:
    return first_slots(services.mentoring.ask(asker, "Lunch and careers", ("sre",), lunch=True), mentor)


def test_a_lunch_is_not_offered_over_a_15_minute_talk_of_the_asker_or_the_mentor(services, engine):
    services.mentoring.ask(ASKER, "First contact", ("sre",))
    services.mentoring.ask(OTHER, "First contact", ("sre",))
    at_office(engine, TWO.user_id, ASKER.user_id, OTHER.user_id)
    stale = services.mentoring.ask(ASKER, "Lunch and careers", ("sre",), lunch=True)
    lunch = first_slots(stale, TWO)[0]
    # The asker's 15-minute talk with ONE half an hour into that lunch keeps it (and the next) from them.
    book(services, ASKER, "python", ONE, confirm=True, at=lunch + timedelta(minutes=30))
    slots = lunch_slots_of(services, ASKER, TWO)
    assert lunch not in slots and lunch + timedelta(minutes=30) not in slots
    assert slots[0] == lunch + timedelta(minutes=60)  # the same day's 12:30 after an 11:30 lunch
    before = meetings(engine)
    with pytest.raises(Conflict, match="You have another conversation then"):
        services.mentoring.request_slot(ASKER, stale.ask_id, TWO.user_id, lunch)
    assert meetings(engine) == before
    # TWO's own ask of ONE in the last quarter of that lunch keeps it from OTHER too.
    assert lunch_slots_of(services, OTHER, TWO)[0] == lunch
    book(services, TWO, "python", ONE, confirm=False, at=lunch + timedelta(minutes=45))
    assert lunch not in lunch_slots_of(services, OTHER, TWO)
