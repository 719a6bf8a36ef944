"""The register each process keeps in memory for ``/mentor ask`` is never stale.

Every change that matching reads (joining, leaving, availability, away, profile edits, bookings, people
Slack can no longer reach, a hand-run UPDATE) shows in the next ask, on the replica that made it and on
another replica (its own Services and engine) sharing the database. Real databases: SQLite always,
PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select, text

from app.bootstrap import create_services
from app.config import load_settings
from app.db.engine import create_db_engine, create_session_factory
from app.db.models import Ask, Meeting, Notice, RegisterChange
from app.domain.model import WeeklyWindow
from app.services import register_cache
from app.services.container import Services
from app.services.mentoring import SlotTaken
from app.services.people import Person
from app.services.register import ProfileInput

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday morning
ALL_WEEK = tuple(WeeklyWindow(day, time(0, 0), time(23, 45)) for day in range(7))
MIA = Person("UM1MIA", "Mia", "Europe/Berlin")
NOAH = Person("UM2NOAH", "Noah", "Europe/Berlin")
ASKER = Person("UASKER", "Ash", "America/New_York")
ASKER2 = Person("UASKER2", "Bea", "UTC")
NEIGHBOUR = Person("UASKER3", "Cy", "America/New_York")  # ASKER's zone, so offered the same slots


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


def _services(database_url: str, clock: Clock) -> tuple[Services, object]:
    settings = load_settings(
        _env_file=None, slack_bot_token="xoxb-test", slack_signing_secret="secret", database_url=database_url
    )
    engine = create_db_engine(database_url)
    return create_services(engine, settings, clock=clock), engine


@pytest.fixture
def replicas(database_url: str, clock: Clock) -> Iterator[tuple[Services, Services]]:
    """Two bot processes, as far as the database can tell: own Services, own engine, one database."""
    first, first_engine = _services(database_url, clock)
    second, second_engine = _services(database_url, clock)
    yield first, second
    first_engine.dispose()  # type: ignore[attr-defined]
    second_engine.dispose()  # type: ignore[attr-defined]


def become_mentor(
    services: Services,
    person: Person,
    topics: tuple[str, ...] = ("python",),
    *,
    capacity: int = 20,
    windows: tuple[WeeklyWindow, ...] = ALL_WEEK,
) -> None:
    services.register.save_profile(
        person,
        ProfileInput(
            topics=topics,
            bio="",
            windows=windows,
            capacity_per_week=capacity,
            reverse_ok=True,
            team=None,
            level=None,
        ),
    )


def offered(services: Services, asker: Person = ASKER, topics: tuple[str, ...] = ("python",)) -> dict:
    """Who is offered for an ask on ``services``, with their slots."""
    outcome = services.mentoring.ask(asker, "Learn something", topics)
    return {offer.mentor.user_id: offer.slots for offer in outcome.ranking.offers}


def ask_id(services: Services, asker: Person = ASKER) -> tuple[int, dict]:
    outcome = services.mentoring.ask(asker, "Learn something", ("python",))
    return outcome.ask_id, {offer.mentor.user_id: offer.slots for offer in outcome.ranking.offers}


# --- the register ------------------------------------------------------------------------------------


def test_a_mentor_who_joins_is_offered_in_the_next_ask_on_every_replica(replicas):
    a, b = replicas
    assert offered(a) == {} and offered(b) == {}  # both have loaded the (empty) register
    a.register.join(MIA, ("python",))
    assert MIA.user_id in offered(b)
    assert MIA.user_id in offered(a)


def test_a_mentor_who_leaves_is_no_longer_offered_anywhere(replicas):
    a, b = replicas
    become_mentor(a, MIA)
    become_mentor(a, NOAH)
    assert set(offered(b)) == {MIA.user_id, NOAH.user_id}
    a.register.leave(MIA)
    assert set(offered(b)) == {NOAH.user_id}
    assert set(offered(a)) == {NOAH.user_id}


def test_availability_off_and_on_again_shows_in_the_next_ask(replicas):
    a, b = replicas
    become_mentor(a, MIA)
    assert MIA.user_id in offered(b)
    a.register.set_available(MIA, False)
    assert offered(b) == {}
    b.register.set_available(MIA, True)
    assert MIA.user_id in offered(a)


def test_away_ends_by_itself_as_time_passes(replicas, clock):
    a, b = replicas
    become_mentor(a, MIA)
    a.register.set_away(MIA, duration=timedelta(days=3))
    assert offered(b) == {}
    clock.now = NOW + timedelta(days=3, minutes=1)  # nothing was written: the clock alone brings her back
    assert MIA.user_id in offered(b)


def test_profile_edits_show_in_the_next_ask(replicas):
    a, b = replicas
    become_mentor(a, MIA, ("python",))
    assert MIA.user_id in offered(b, topics=("python",))
    wednesday_ten = (WeeklyWindow(2, time(10, 0), time(10, 15)),)
    become_mentor(a, MIA, ("rust",), windows=wednesday_ten)
    matched = b.mentoring.ask(ASKER, "Learn something", ("python",)).ranking
    assert not matched.topic_matched  # nobody offers python any more; the best others are shown
    slots = offered(b, topics=("rust",))[MIA.user_id]
    assert slots[0] == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 10:00 in Berlin
    assert all(s.weekday() == 2 for s in slots)


def test_a_booked_slot_is_not_offered_by_the_other_replica_and_a_declined_one_is_again(replicas):
    a, b = replicas
    become_mentor(a, MIA)
    first_ask, options = ask_id(b)
    slot = options[MIA.user_id][0]
    assert slot in offered(b, NEIGHBOUR)[MIA.user_id]
    meeting = a.mentoring.request_slot(ASKER, first_ask, MIA.user_id, slot)
    assert slot not in offered(b, NEIGHBOUR)[MIA.user_id]
    a.mentoring.decline(MIA, meeting.meeting_id)
    assert slot in offered(b, NEIGHBOUR)[MIA.user_id]


def test_a_mentor_at_capacity_is_not_offered_that_week(replicas):
    a, b = replicas
    become_mentor(a, MIA, capacity=1)
    first_ask, options = ask_id(b)
    slot = options[MIA.user_id][0]
    a.mentoring.request_slot(ASKER, first_ask, MIA.user_id, slot)
    later = offered(b, ASKER2).get(MIA.user_id, ())
    assert all(s >= datetime(2026, 11, 29, 23, 0, tzinfo=UTC) for s in later)  # only from next week (Berlin)


def test_people_slack_cannot_reach_are_left_out_until_they_come_back(replicas):
    a, b = replicas
    become_mentor(a, MIA)
    become_mentor(a, NOAH)
    assert set(offered(b)) == {MIA.user_id, NOAH.user_id}
    assert a.operations.mark_unreachable([MIA.user_id], reason="account_inactive") == 1
    assert set(offered(b)) == {NOAH.user_id}
    assert set(offered(a)) == {NOAH.user_id}
    b.register.profile(MIA)  # she uses the bot again: Slack showed her to us, so she is back
    assert set(offered(a)) == {MIA.user_id, NOAH.user_id}


def test_an_unreachable_mentor_cannot_be_booked_from_an_old_offer(replicas):
    a, b = replicas
    become_mentor(a, MIA)
    become_mentor(a, NOAH)
    first_ask, options = ask_id(b)
    a.operations.mark_unreachable([MIA.user_id], reason="user_not_found")
    with pytest.raises(SlotTaken) as taken:
        b.mentoring.request_slot(ASKER, first_ask, MIA.user_id, options[MIA.user_id][0])
    assert [o.mentor.user_id for o in taken.value.outcome.ranking.offers] == [NOAH.user_id]


def test_a_change_made_outside_the_bot_shows_too(replicas, engine):
    a, b = replicas
    become_mentor(a, MIA)
    assert MIA.user_id in offered(b)
    with engine.begin() as connection:  # an operator's hand-run UPDATE: the triggers still log it
        connection.execute(
            text("UPDATE mentor_profiles SET capacity_per_week = 0 WHERE user_id = :u"), {"u": MIA.user_id}
        )
    assert offered(b) == {}


# --- time and fairness -----------------------------------------------------------------------------------


def _past_conversation(engine, mentor: Person, start: datetime) -> None:
    with create_session_factory(engine).begin() as session:
        ask = Ask(
            asker_id=ASKER2.user_id,
            goal="old",
            topics={"topics": []},
            status="confirmed",
            created_at=start,
            updated_at=start,
        )
        session.add(ask)
        session.flush()
        session.add(
            Meeting(ask_id=ask.id, asker_id=ASKER2.user_id, mentor_id=mentor.user_id, start_at=start,
                    hold_start=start, status="confirmed", expires_at=start, requested_at=start)
        )  # fmt: skip


def test_a_conversation_leaves_the_fairness_count_after_30_days(replicas, engine, clock):
    a, b = replicas
    become_mentor(a, MIA)
    become_mentor(a, NOAH)
    b.register.profile(ASKER2)  # the past conversation's asker exists
    _past_conversation(engine, MIA, NOW - timedelta(days=29))
    # Equal but for Mia's conversation 29 days ago: Noah, who had fewer, comes first.
    assert list(offered(b)) == [NOAH.user_id, MIA.user_id]
    clock.now = NOW + timedelta(days=2)
    # Now it is 31 days old and no longer counts: a tie, broken by user id.
    assert list(offered(b)) == [MIA.user_id, NOAH.user_id]
    clock.now = NOW  # a clock that goes back counts it again
    assert list(offered(b)) == [NOAH.user_id, MIA.user_id]


def test_the_options_sent_after_an_expired_request_include_the_slot_it_freed(replicas, clock, engine):
    a, b = replicas
    wednesday_ten = (WeeklyWindow(2, time(10, 0), time(10, 15)),)  # one slot a week
    become_mentor(a, MIA, windows=wednesday_ten)
    first_ask, options = ask_id(b)
    slot = options[MIA.user_id][0]
    b.mentoring.request_slot(ASKER, first_ask, MIA.user_id, slot)
    clock.now = NOW + timedelta(hours=25)  # past the 24-hour deadline, before the slot
    assert a.mentoring.expire_stale_requests() == 1
    with engine.connect() as connection:
        payload = connection.scalar(select(Notice.payload).where(Notice.kind == "request_expired"))
    if isinstance(payload, str):
        payload = json.loads(payload)
    freed = [o for o in payload["options"] if o["mentor_id"] == MIA.user_id]
    assert freed and freed[0]["slots"][0] == slot.isoformat()


# --- the change log and catching up --------------------------------------------------------------------


def test_a_cache_that_finds_its_place_in_the_log_gone_reloads_everything(replicas, engine):
    a, b = replicas
    become_mentor(a, MIA)
    assert MIA.user_id in offered(b)
    with engine.begin() as connection:  # as if pruned past it (or the database was restored)
        connection.execute(delete(RegisterChange))
    a.register.set_available(MIA, False)
    assert offered(b) == {}


def test_a_cache_far_behind_reloads_everything(replicas, monkeypatch):
    a, b = replicas
    monkeypatch.setattr(register_cache, "MAX_CATCH_UP", 3)
    become_mentor(a, MIA)
    assert MIA.user_id in offered(b)
    become_mentor(a, NOAH, ("python", "go", "sre"))  # several changes, more than 3 rows
    a.register.set_available(MIA, False)
    assert set(offered(b)) == {NOAH.user_id}


def _comparable(snapshot: register_cache.RegisterSnapshot) -> tuple:
    return (
        dict(snapshot.mentors),
        {topic: sorted(m.user_id for m in found) for topic, found in snapshot.by_topic.items()},
        dict(snapshot.loads),
    )


def test_after_many_changes_on_two_replicas_the_cache_equals_a_fresh_load(replicas, database_url, clock):
    a, b = replicas
    people = [
        Person(f"UM{i:02d}", f"m{i}", tz) for i, tz in enumerate(["UTC", "Asia/Tokyo", "Europe/Berlin"] * 3)
    ]
    for n, person in enumerate(people):
        become_mentor(a if n % 2 else b, person, ("python", f"t{n % 3}"), capacity=1 + n % 3)
    asks = [ask_id(b, Person(f"UA{i}", f"a{i}", "UTC")) for i in range(4)]
    meetings, taken = [], set()
    for n, (number, options) in enumerate(asks):
        mentor_id = sorted(options)[n % len(options)]
        slot = next(s for s in options[mentor_id] if (mentor_id, s) not in taken)
        taken.add((mentor_id, slot))
        asker = Person(f"UA{n}", f"a{n}", "UTC")
        meetings.append((a if n % 2 else b).mentoring.request_slot(asker, number, mentor_id, slot))
    a.mentoring.accept(Person(meetings[0].other_id, "", "UTC"), meetings[0].meeting_id)
    b.mentoring.decline(Person(meetings[1].other_id, "", "UTC"), meetings[1].meeting_id)
    a.register.set_available(people[2], False)
    b.register.set_away(people[3], duration=timedelta(days=1))
    a.register.leave(people[4])
    a.operations.mark_unreachable([people[5].user_id], reason="user_not_found")
    become_mentor(b, people[6], ("rust",), capacity=4)
    clock.now = NOW + timedelta(hours=3)

    offered(b)  # b catches up through its log
    cached = b.mentoring._register._current
    fresh_services, fresh_engine = _services(database_url, clock)
    try:
        offered(fresh_services)
        fresh = fresh_services.mentoring._register._current
    finally:
        fresh_engine.dispose()  # type: ignore[attr-defined]
    assert cached is not None and fresh is not None
    assert cached.version == fresh.version
    assert _comparable(cached) == _comparable(fresh)
