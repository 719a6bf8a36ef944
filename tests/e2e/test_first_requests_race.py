"""A newcomer's first two requests at once (a double click, a form saved while a command runs) both work.

Each service call creates the person's ``members`` row on first contact. Two first contacts at the same
moment must not make one of them fail on the row's primary key (it did on PostgreSQL: the second INSERT
raised IntegrityError and the person was told "something went wrong").
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.db.models import Member
from app.services.people import Person

ROUNDS = 10


def _at_once(*calls: Callable[[], Any]) -> list[str]:
    """Run the calls in threads released together; the names of the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    failures: list[str] = []

    def run(call: Callable[[], Any]) -> None:
        barrier.wait(timeout=5)
        try:
            call()
        except Exception as exc:  # what failed is the finding
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return failures


def test_two_first_requests_of_a_newcomer_both_succeed(harness, engine):
    services = harness.bot.services
    failures: list[str] = []
    for i in range(ROUNDS):
        person = Person(f"UNEW{i:05d}", f"new{i}", "UTC")
        failures += _at_once(
            lambda p=person: services.roulette.join(p),
            lambda p=person: services.mentoring.my_conversations(p),
        )
    assert failures == []
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Member)).scalar_one() == ROUNDS
