"""HostingService: host, list, join, leave, cancel; each refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db.models import HostedSession, Notice, SessionSeat
from app.domain.errors import Conflict, InvalidInput, NotAllowed
from app.domain.formats import Format, PlanError, SessionPlan, Where
from app.services.people import Person

HOST = Person("UHOST", "Hana Host", "Europe/Berlin")
ASH = Person("UASH", "Ash", "America/New_York")
OMAR = Person("UOMAR", "Omar", "Asia/Kolkata")
PIA = Person("UPIA", "Pia", "UTC")


def plan(clock, **changes) -> SessionPlan:
    values = dict(
        format=Format.GROUP,
        title="Office hours: careers",
        start=clock.now() + timedelta(days=3),
        length=timedelta(minutes=45),
        seats=2,
        where=Where.ONLINE,
        link="https://meet.example.com/abc-defg",
    )
    values.update(changes)
    return SessionPlan(**values)  # type: ignore[arg-type]


def counts(engine):
    with engine.connect() as c:
        return (
            c.scalar(select(func.count()).select_from(HostedSession)),
            c.scalar(select(func.count()).select_from(SessionSeat)),
            c.scalar(select(func.count()).select_from(Notice)),
        )


def hosted(services, clock, **changes):
    services.register.join(HOST, ("python",))
    return services.hosting.host(HOST, plan(clock, **changes), ("python", "career"))


def test_only_people_on_the_register_host(services, clock, engine):
    with pytest.raises(NotAllowed, match="mentor register"):
        services.hosting.host(ASH, plan(clock))
    assert counts(engine)[0] == 0
    view = hosted(services, clock)
    assert (view.title, view.seats, view.seats_left, view.mine, view.topics) == (
        "Office hours: careers",
        2,
        2,
        "host",
        ("python", "career"),
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"seats": 8}, "seats", "2 to 7 seats"),
        ({"seats": 1}, "seats", "2 to 7 seats"),
        ({"length": timedelta(minutes=90)}, "length", "30 minutes to 1 hour"),
        ({"start": "past"}, "start", "passed"),
        ({"start": "far"}, "start", "90 days"),
        ({"link": "http://meet.example.com/x"}, "link", "https://"),
        ({"where": Where.IN_PERSON, "office": "Atlantis", "link": None}, "office", "offices"),
    ],
)
def test_a_plan_that_breaks_a_rule_is_refused_and_nothing_is_stored(
    services, clock, engine, changes, field, words
):
    if changes.get("start") == "past":
        changes["start"] = clock.now() - timedelta(minutes=1)
    elif changes.get("start") == "far":
        changes["start"] = clock.now() + timedelta(days=91)
    services.register.join(HOST, ("python",))
    with pytest.raises(PlanError, match=words) as refused:
        services.hosting.host(HOST, plan(clock, **changes))
    assert refused.value.field == field
    assert counts(engine)[0] == 0


def test_join_until_full_then_the_waitlist(services, clock, engine):
    view = hosted(services, clock)
    first = services.hosting.join(ASH, view.session_id)
    assert first.seated and first.view.seats_left == 1 and first.view.mine == "taken"
    second = services.hosting.join(OMAR, view.session_id)
    assert second.seated and second.view.seats_left == 0
    third = services.hosting.join(PIA, view.session_id)
    assert not third.seated and third.position == 1 and third.view.mine == "waitlisted"
    assert third.view.waitlisted == 1


def test_refused_joins_change_nothing(services, clock, engine):
    view = hosted(services, clock)
    with pytest.raises(InvalidInput, match="You're hosting"):
        services.hosting.join(HOST, view.session_id)
    services.hosting.join(ASH, view.session_id)
    before = counts(engine)
    with pytest.raises(Conflict, match="already have a seat"):
        services.hosting.join(ASH, view.session_id)
    assert counts(engine) == before
    assert services.hosting.session(ASH, view.session_id).taken == 1


def test_leaving_gives_the_seat_to_the_first_on_the_waitlist(services, clock, engine):
    view = hosted(services, clock)
    for person in (ASH, OMAR, PIA):
        services.hosting.join(person, view.session_id)
    clock.advance(timedelta(minutes=1))
    late = Person("ULATE", "Late", "UTC")
    assert not services.hosting.join(late, view.session_id).seated  # second on the waitlist
    after = services.hosting.leave(ASH, view.session_id)
    assert after.mine is None and after.taken == 2 and after.waitlisted == 1
    # Pia is offered the seat (held for her: still "waitlisted" to her eyes) until she takes it.
    assert services.hosting.session(PIA, view.session_id).mine == "waitlisted"
    services.waitlist.take(PIA, view.session_id)
    assert services.hosting.session(PIA, view.session_id).mine == "taken"
    assert services.hosting.session(late, view.session_id).mine == "waitlisted"
    with engine.connect() as c:
        notices = c.execute(select(Notice.kind, Notice.payload).order_by(Notice.id)).all()
    assert [(k, p["to"]) for k, p in notices] == [
        ("session_seat_confirmed", ASH.user_id),  # the two who had a seat at once
        ("session_seat_confirmed", OMAR.user_id),
        ("session_seat_offered", PIA.user_id),
        ("session_seat_confirmed", PIA.user_id),  # taken: now on her calendar
    ]
    offered, taken = notices[-2][1], notices[-1][1]
    assert not offered["on_calendar"] and offered["until"]
    assert taken["on_calendar"] and taken["minutes"] == view.length // timedelta(minutes=1)
    with pytest.raises(Conflict, match="no seat"):
        services.hosting.leave(ASH, view.session_id)


def test_cancel_tells_everyone_and_then_nobody_joins(services, clock, engine):
    view = hosted(services, clock)
    for person in (ASH, OMAR, PIA):
        services.hosting.join(person, view.session_id)
    with pytest.raises(NotAllowed, match="Only the host"):
        services.hosting.cancel(ASH, view.session_id)
    cancelled = services.hosting.cancel(HOST, view.session_id)
    assert cancelled.cancelled
    with engine.connect() as c:
        told = sorted(
            (p["to"], p["tz"], p["on_calendar"], p["sequence"])
            for k, p in c.execute(select(Notice.kind, Notice.payload))
            if k == "session_cancelled"
        )
    # The two seated take it off their calendar (the revision after 0); Pia only waited.
    assert told == [
        (ASH.user_id, ASH.tz, True, 1),
        (OMAR.user_id, OMAR.tz, True, 1),
        (PIA.user_id, PIA.tz, False, 1),
    ]
    before = counts(engine)
    with pytest.raises(Conflict, match="cancelled"):
        services.hosting.join(Person("UNEW", "New", "UTC"), view.session_id)
    with pytest.raises(Conflict, match="already cancelled"):
        services.hosting.cancel(HOST, view.session_id)
    assert counts(engine) == before
    assert services.hosting.upcoming(ASH) == []


def test_no_joining_once_it_started(services, clock, engine):
    view = hosted(services, clock)
    clock.set(view.start)
    before = counts(engine)
    with pytest.raises(Conflict, match="already started"):
        services.hosting.join(ASH, view.session_id)
    assert counts(engine) == before


def test_upcoming_filters_by_topic_and_place(services, clock):
    admin = Person("UADMIN", "Ada", "UTC")
    services.offices.add(admin, "Berlin", "Europe/Berlin")
    online = hosted(services, clock)
    lunch = services.hosting.host(
        HOST,
        plan(
            clock,
            format=Format.GROUP_LUNCH,
            title="Lunch",
            length=timedelta(hours=1),
            where=Where.IN_PERSON,
            link=None,
            office="Berlin",
            place="Canteen",
            start=clock.now() + timedelta(days=1),
        ),
        ("sre",),
    )
    assert [v.session_id for v in services.hosting.upcoming(ASH)] == [lunch.session_id, online.session_id]
    assert [v.title for v in services.hosting.upcoming(ASH, ("sre",))] == ["Lunch"]
    assert [v.title for v in services.hosting.upcoming(ASH, ("py",))] == []  # whole topics only
    assert [v.session_id for v in services.hosting.upcoming(ASH, (), "online")] == [online.session_id]
    assert [v.office for v in services.hosting.upcoming(ASH, (), "in person")] == ["Berlin"]
    assert [v.place for v in services.hosting.upcoming(ASH, (), "berlin")] == ["Canteen"]
    with pytest.raises(InvalidInput, match="no office called Paris"):
        services.hosting.upcoming(ASH, (), "Paris")


def test_forgetting_a_participant_seats_the_next_and_forgetting_the_host_tells_everyone(
    services, clock, engine
):
    view = hosted(services, clock)
    for person in (ASH, OMAR, PIA):
        services.hosting.join(person, view.session_id)
    services.erasure.forget(ASH)
    assert services.hosting.session(PIA, view.session_id).taken == 2  # held for Pia
    services.waitlist.take(PIA, view.session_id)
    assert services.hosting.session(PIA, view.session_id).mine == "taken"
    services.erasure.forget(HOST)
    with engine.connect() as c:
        told = sorted(
            p["to"] for k, p in c.execute(select(Notice.kind, Notice.payload)) if k == "session_cancelled"
        )
        left = c.scalar(select(func.count()).select_from(HostedSession))
    assert told == [OMAR.user_id, PIA.user_id] and left == 0


def test_an_hour_before_the_host_and_the_seated_get_their_group_dm_once(services, clock, engine):
    view = hosted(services, clock)
    for person in (ASH, OMAR, PIA):  # Pia is on the waitlist: not in the group
        services.hosting.join(person, view.session_id)
    clock.set(view.start - timedelta(minutes=61))
    assert services.hosting.gather_due() == 0
    clock.set(view.start - timedelta(minutes=59))
    assert services.hosting.gather_due() == 1
    assert services.hosting.gather_due() == 0  # claimed: told once
    with engine.connect() as c:
        rows = [p for k, p in c.execute(select(Notice.kind, Notice.payload)) if k == "session_gathering"]
    assert [sorted(p["users"]) for p in rows] == [sorted([HOST.user_id, ASH.user_id, OMAR.user_id])]
    assert rows[0]["where"] == "online: https://meet.example.com/abc-defg"
    assert rows[0]["tzs"][ASH.user_id] == ASH.tz
    before = counts(engine)
    with pytest.raises(Conflict, match="closed when its group DM opened"):
        services.hosting.join(Person("UNEW", "New", "UTC"), view.session_id)
    assert counts(engine) == before


def test_a_session_nobody_joined_is_only_marked(services, clock, engine):
    view = hosted(services, clock)
    clock.set(view.start - timedelta(minutes=30))
    assert services.hosting.gather_due() == 0
    with engine.connect() as c:
        assert c.scalar(select(HostedSession.gathered_at)) is not None
        assert c.scalar(select(func.count()).select_from(Notice)) == 0
