"""Finding sessions by topic through ``session_topics``: a rare topic among many sessions, a common one
paged soonest first, several topics at once, and a moved session keeping its topics in the list's order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from service_setup import services_on
from sqlalchemy import select

from app.db.models import SessionTopic
from app.domain.formats import Format, SessionPlan, Where
from app.services.people import Person

HOST = Person("UHOST", "Hana Host", "Europe/Berlin")
ASH = Person("UASH", "Ash", "America/New_York")
OMAR = Person("UOMAR", "Omar", "Asia/Kolkata")


@pytest.fixture
def services(engine, clock):
    services = services_on(engine, clock)
    services.register.join(HOST, ("python",))
    return services


def host(services, clock, n: int, topics: tuple[str, ...], **changes):
    values = dict(
        format=Format.GROUP,
        title=f"Session {n}",
        start=clock.now() + timedelta(days=2, hours=2 * n),
        length=timedelta(minutes=45),
        seats=2,
        where=Where.ONLINE,
        link="https://meet.example.com/abc-defg",
    )
    values.update(changes)
    return services.hosting.host(HOST, SessionPlan(**values), topics)  # type: ignore[arg-type]


def titles(views) -> list[str]:
    return [v.title for v in views]


def test_a_rare_topic_is_found_among_many_sessions_and_a_common_one_is_paged_soonest_first(services, clock):
    for n in range(40):
        host(services, clock, n, ("python", "career") if n % 2 else ("python",))
    host(services, clock, 40, ("python", "haskell"))
    assert titles(services.hosting.upcoming(ASH, ("haskell",))) == ["Session 40"]
    assert titles(services.hosting.upcoming(ASH, ("python",))) == [f"Session {n}" for n in range(20)]
    assert titles(services.hosting.upcoming(ASH, ("career",))) == [f"Session {n}" for n in range(1, 40, 2)]
    # Several topics: each session once, soonest first, whichever of them it has.
    both = services.hosting.upcoming(ASH, ("haskell", "career"))
    assert titles(both) == [f"Session {n}" for n in range(1, 40, 2)]
    assert titles(services.hosting.upcoming(ASH, ("haskell", "haskell"))) == ["Session 40"]
    assert services.hosting.upcoming(ASH, ("hask",)) == []  # whole topics only


def test_a_topic_list_shows_the_same_figures_as_the_whole_list(services, clock):
    session = host(services, clock, 0, ("sre",), seats=2)
    host(services, clock, 1, ("python",))
    services.register.join(OMAR, ("sre",))
    services.hosting.join(OMAR, session.session_id)
    services.hosting.join(Person("UPIA", "Pia", "UTC"), session.session_id)
    services.hosting.join(ASH, session.session_id)  # full: on the waitlist
    [by_topic] = services.hosting.upcoming(ASH, ("sre",))
    everything = services.hosting.upcoming(ASH)
    assert by_topic == everything[0]
    assert (by_topic.seats_left, by_topic.waitlisted, by_topic.mine) == (0, 1, "waitlisted")
    assert services.hosting.upcoming(OMAR, ("sre",))[0].mine == "taken"
    assert services.hosting.upcoming(HOST, ("sre",))[0].mine == "host"


def test_a_moved_session_keeps_its_topics_and_its_place_in_the_order(services, clock, engine):
    first = host(services, clock, 0, ("rust", "sre"))
    host(services, clock, 1, ("rust",))
    services.hosting.move(HOST, first.session_id, clock.now() + timedelta(days=9))
    assert titles(services.hosting.upcoming(ASH, ("rust",))) == ["Session 1", "Session 0"]
    assert titles(services.hosting.upcoming(ASH, ("sre",))) == ["Session 0"]
    assert services.hosting.upcoming(ASH, ("sre",))[0].topics == ("rust", "sre")
    with engine.connect() as c:
        rows = c.execute(
            select(SessionTopic.topic, SessionTopic.start_at)
            .where(SessionTopic.session_id == first.session_id)
            .order_by(SessionTopic.topic)
        ).all()
    assert rows == [("rust", clock.now() + timedelta(days=9)), ("sre", clock.now() + timedelta(days=9))]


def test_cancelled_and_started_sessions_leave_the_topic_list(services, clock):
    soon = host(services, clock, 0, ("sre",))
    later = host(services, clock, 1, ("sre",))
    host(services, clock, 2, ("sre",))
    services.hosting.cancel(HOST, later.session_id)
    assert titles(services.hosting.upcoming(ASH, ("sre",))) == ["Session 0", "Session 2"]
    clock.advance(soon.start - clock.now() + timedelta(minutes=1))
    assert titles(services.hosting.upcoming(ASH, ("sre",))) == ["Session 2"]
