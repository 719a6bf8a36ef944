"""Two "run now"s of one pool at once (a double click, two admins) make one round, not an assert.

Before the fix the second run hit ``assert summary is not None`` (the same instant's claim failed) or, a
moment apart, ran a second round on top of the first. Now the round's transaction locks its pool and a
second manual run within RERUN_GAP says a round was just started. Both databases (the ``engine`` fixture).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.db.engine import create_db_engine, create_session_factory
from app.db.models import CoffeeRound, Notice
from app.domain.errors import Conflict
from app.services.coffee import RouletteService, RouletteSettings
from app.services.coffee.rounds import RERUN_GAP
from app.services.people import Person

ADMIN = Person("UADMIN", "Ada", "Europe/Berlin")
MONDAY_0900_UTC = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the default schedule, DEFAULT_TIMEZONE=UTC


def people(n: int) -> list[Person]:
    return [Person(f"U{i:04d}", f"Person {i}", "UTC") for i in range(n)]


def make_service(engine, *, clock=None) -> RouletteService:
    settings = RouletteSettings(admins=frozenset({ADMIN.user_id}), default_tz="UTC")
    return RouletteService(
        create_session_factory(engine),
        settings,
        seed_source=lambda: 7,
        clock=clock or (lambda: MONDAY_0900_UTC + timedelta(minutes=5)),
    )


def count(engine, model, *where) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*where))


def at_once(services: list[RouletteService]) -> list[str]:
    """Each service runs the pool now, released together: "ran" or the Conflict's message."""
    barrier = threading.Barrier(len(services))
    results: list[str] = []

    def run(service: RouletteService) -> None:
        barrier.wait(timeout=5)
        try:
            service.run_now(ADMIN)
            results.append("ran")
        except Conflict as refused:
            results.append(refused.message)

    threads = [threading.Thread(target=run, args=(s,)) for s in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_runs_at_the_same_instant_make_one_round_and_the_second_says_so(database_url):
    engines = [create_db_engine(database_url) for _ in range(2)]  # two sessions, as two workers have
    try:
        services = [make_service(e) for e in engines]
        for person in people(10):
            services[0].join(person)
        results = at_once(services)
        assert sorted(results, key=lambda r: r != "ran")[0] == "ran", results
        refused = [r for r in results if r != "ran"]
        assert len(refused) == 1 and "moments ago" in refused[0] and "“coffee”" in refused[0], refused
        assert count(engines[0], CoffeeRound) == 1
        assert count(engines[0], Notice, Notice.kind == "coffee_intro") == 5
    finally:
        for e in engines:
            e.dispose()


def test_a_run_a_moment_after_another_is_refused_and_one_after_the_gap_runs(engine):
    now = [MONDAY_0900_UTC + timedelta(hours=2)]
    service = make_service(engine, clock=lambda: now[0])
    for person in people(4):
        service.join(person)
    first = service.run_now(ADMIN)
    now[0] += timedelta(seconds=1)  # a double click: a different instant, the same request
    try:
        service.run_now(ADMIN)
        raise AssertionError("a second round ran")
    except Conflict as refused:
        assert f"(round {first.round_id})" in refused.message and f"<@{ADMIN.user_id}>" in refused.message
    assert count(engine, CoffeeRound) == 1
    now[0] += RERUN_GAP
    assert service.run_now(ADMIN).round_id != first.round_id
    assert count(engine, CoffeeRound) == 2


def test_a_scheduled_round_still_runs_after_a_manual_one(engine):
    service = make_service(engine)  # the clock sits 5 minutes after Monday 09:00, the default schedule
    for person in people(4):
        service.join(person)
    service.run_now(ADMIN)
    assert service.run_due_rounds() == 1
