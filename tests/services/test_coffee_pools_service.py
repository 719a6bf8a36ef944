"""Coffee pools as a use case: making one (refusals that change nothing), listing them, a channel that
moves to a new pool, and each pool's members kept apart."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import func, select

from app.db.engine import create_session_factory
from app.db.models import CoffeePool
from app.domain.errors import Conflict, InvalidInput, NotAllowed
from app.services.coffee import PoolSpec, RouletteService, RouletteSettings
from app.services.people import Person

ADMIN = Person("UADMIN", "Ada", "Europe/Berlin")
ANA = Person("UANA", "Ana", "America/New_York")
NOW = datetime(2031, 1, 9, 12, 0, tzinfo=UTC)  # a Thursday


def service(engine) -> RouletteService:
    return RouletteService(
        create_session_factory(engine),
        RouletteSettings(admins=frozenset({ADMIN.user_id})),
        clock=lambda: NOW,
        seed_source=lambda: 3,
    )


def spec(**changes) -> PoolSpec:
    values = {"name": "mentors", "every_weeks": 2, "weekday": 2, "at": time(10, 0), "tz": "Europe/London"}
    return PoolSpec(**{**values, **changes})


def count_pools(engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(CoffeePool)).scalar() or 0)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": ""}, "one word"),
        ({"name": "a b"}, "one word"),
        ({"name": "x" * 41}, "one word"),
        ({"group_size": 1}, "2 to 6"),
        ({"group_size": 7}, "2 to 6"),
        ({"repeat_window": 0}, "repeat window"),
        ({"mode": "speed-dating"}, "mode is one of"),
        ({"tz": "Mars/Olympus"}, "time zone"),
        ({"every_weeks": 3}, "every 1, 2 or 4"),
        ({"mode": "senior"}, "level=3"),
        ({"mode": "lottery", "settings": {"hosts": ["U1", "U2", "U3"], "draw": 2}}, "one or two hosts"),
        ({"mode": "lottery", "settings": {"hosts": ["U1"], "draw": 0}}, "1 to 5"),
        ({"mode": "lottery", "settings": {"hosts": ["ceo"], "draw": 2}}, "by member ID"),
        ({"mode": "two_sides", "settings": {"sides": "team:Eng|Eng"}}, "sides="),
    ],
)
def test_a_pool_that_cannot_run_is_refused_and_nothing_is_stored(engine, changes, words):
    roulette = service(engine)
    before = count_pools(engine)
    with pytest.raises(InvalidInput, match=words):
        roulette.create_pool(ADMIN, spec(**changes))
    assert count_pools(engine) == before


def test_only_admins_make_pools_and_names_are_unique_whatever_their_case(engine):
    roulette = service(engine)
    with pytest.raises(NotAllowed):
        roulette.create_pool(ANA, spec())
    roulette.create_pool(ADMIN, spec())
    with pytest.raises(Conflict):
        roulette.create_pool(ADMIN, spec(name="Mentors"))
    with pytest.raises(Conflict):
        roulette.create_pool(ADMIN, spec(name="coffee"))


def test_pools_are_listed_with_their_next_round_and_members_kept_apart(engine):
    roulette = service(engine)
    roulette.create_pool(ADMIN, spec(mode="senior", settings={"level": 4}, group_size=4))
    roulette.join(ANA, "mentors")
    coffee, mentors = roulette.list_pools()
    assert (coffee.name, coffee.members) == ("coffee", 0)
    assert (mentors.name, mentors.mode, mentors.group_size, mentors.members) == ("mentors", "senior", 4, 1)
    # Every 2 weeks on Wednesdays from the week it was made: 15 January 10:00 London (winter, UTC+0).
    assert mentors.next_round == datetime(2031, 1, 15, 10, 0, tzinfo=UTC)
    assert roulette.status(ANA, "mentors").in_pool
    assert not roulette.status(ANA).in_pool  # the pool "coffee" is another pool
    roulette.leave(ANA, "MENTORS")  # names are matched whatever their case
    assert not roulette.status(ANA, "mentors").in_pool


def test_join_without_a_pool_asks_which_when_there_are_several(engine):
    roulette = service(engine)
    assert roulette.join(ANA).pool == "coffee"  # type: ignore[union-attr]
    roulette.create_pool(ADMIN, spec())
    choice = roulette.join(ANA)
    assert choice.names == ("coffee", "mentors")  # type: ignore[union-attr]


def test_a_channel_moves_to_the_new_pool_it_is_made_with(engine):
    roulette = service(engine)
    roulette.add_channel(ADMIN, "CCHAN", "chan")
    assert roulette.channels("coffee") == ["CCHAN"]
    roulette.create_pool(ADMIN, spec(channel_id="CCHAN"))
    assert roulette.channels("coffee") == []
    assert roulette.channels("mentors") == ["CCHAN"]
    with pytest.raises(Exception, match="no coffee pool called"):
        roulette.channels("nosuch")
