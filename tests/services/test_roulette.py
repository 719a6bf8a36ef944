"""Coffee-roulette use cases on a real database: rounds claimed once, catch-up, follow-ups, pauses."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app.db.engine import create_db_engine, create_session_factory
from app.db.models import (
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeParticipant,
    CoffeeRound,
    Notice,
    NoticePerson,
)
from app.domain.errors import NotAllowed
from app.services.coffee import RouletteService, RouletteSettings
from app.services.people import Person

ADMIN = Person("UADMIN", "Ada", "Europe/Berlin")
MONDAY_0900_UTC = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the default schedule, DEFAULT_TIMEZONE=UTC


def people(n: int) -> list[Person]:
    return [Person(f"U{i:04d}", f"Person {i}", "UTC") for i in range(n)]


def make_service(engine, *, seed: int = 7, clock=None) -> RouletteService:
    settings = RouletteSettings(admins=frozenset({ADMIN.user_id}), default_tz="UTC")
    return RouletteService(
        create_session_factory(engine),
        settings,
        seed_source=lambda: seed,
        clock=clock or (lambda: MONDAY_0900_UTC + timedelta(minutes=5)),
    )


def count(engine, model, *where) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model).where(*where))


def test_a_due_round_runs_once_and_introduces_everyone(engine):
    service = make_service(engine)
    for person in people(7):
        service.join(person)
    assert service.round_is_due()
    assert service.run_due_rounds() == 1
    assert service.run_due_rounds() == 0  # already ran
    assert count(engine, CoffeeRound) == 1
    assert count(engine, CoffeeGroupMember) == 7  # everyone placed: two pairs and one trio
    intros = count(engine, Notice, Notice.kind == "coffee_intro")
    assert intros == 3


def test_two_replicas_racing_for_the_same_round_run_it_once(database_url):
    engines = [create_db_engine(database_url) for _ in range(2)]
    try:
        services = [make_service(e) for e in engines]
        for person in people(20):
            services[0].join(person)
        barrier = threading.Barrier(2)
        results: list[int] = []

        def replica(service: RouletteService) -> None:
            barrier.wait()
            results.append(service.run_due_rounds())

        threads = [threading.Thread(target=replica, args=(s,)) for s in services]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(results) == [0, 1]
        assert count(engines[0], CoffeeRound) == 1
        assert count(engines[0], Notice, Notice.kind == "coffee_intro") == 10
    finally:
        for e in engines:
            e.dispose()


def test_a_round_missed_while_down_runs_within_the_grace_period_only(engine):
    late = make_service(engine, clock=lambda: MONDAY_0900_UTC + timedelta(hours=11))
    for person in people(4):
        late.join(person)
    too_late = make_service(engine, clock=lambda: MONDAY_0900_UTC + timedelta(hours=13))
    assert too_late.run_due_rounds() == 0
    assert late.run_due_rounds() == 1
    assert late.run_due_rounds() == 0


def test_same_seed_same_pool_same_history_same_groups(engine):
    service = make_service(engine, seed=42)
    for person in people(11):
        service.join(person)
    first, second = service.preview(ADMIN), service.preview(ADMIN)
    assert first.groups == second.groups and first.seed == second.seed == 42
    assert count(engine, CoffeeRound) == 0  # a preview stores nothing and tells nobody
    assert count(engine, Notice) == 0
    ran = service.run_now(ADMIN)
    assert ran.groups == first.groups
    stored = count(engine, CoffeeRound, CoffeeRound.seed == 42)
    assert stored == 1


def test_non_admins_cannot_run_or_preview(engine):
    service = make_service(engine)
    with pytest.raises(NotAllowed):
        service.run_now(people(1)[0])
    with pytest.raises(NotAllowed):
        service.preview(people(1)[0])
    assert count(engine, CoffeeRound) == 0


def test_paused_left_and_avoided_are_respected(engine):
    service = make_service(engine)
    pool = people(6)
    for person in pool:
        service.join(person)
    service.pause(pool[0], duration=timedelta(days=14))
    service.leave(pool[1])
    service.avoid(pool[2], pool[3].user_id, remove=False)
    summary = service.run_now(ADMIN)
    placed = {u for g in summary.groups for u in g}
    assert placed == {p.user_id for p in pool[2:]}
    assert not any({pool[2].user_id, pool[3].user_id} <= set(g) for g in summary.groups)


def test_three_unanswered_followups_pause_the_person(engine):
    now = [MONDAY_0900_UTC]
    service = make_service(engine, clock=lambda: now[0])
    pool = people(2)
    for person in pool:
        service.join(person)
    for week in range(3):
        now[0] = MONDAY_0900_UTC + timedelta(weeks=week, minutes=1)
        assert service.run_due_rounds() == 1
        now[0] += timedelta(days=3)
        assert service.send_due_followups() == 1
        service.answer_followup(pool[1], _group_of(engine, pool[1].user_id, week), "yes")
        now[0] += timedelta(days=3, minutes=1)
        paused = service.settle_followups()
        assert paused == (1 if week == 2 else 0)
    assert not service.status(pool[0]).in_pool and service.status(pool[0]).paused_until is not None
    assert service.status(pool[1]).in_pool  # answered every time
    assert count(engine, Notice, Notice.kind == "coffee_paused") == 1
    service.resume(pool[0])
    assert service.status(pool[0]).in_pool


def test_not_yet_is_asked_once_more_a_few_days_later(engine):
    now = [MONDAY_0900_UTC + timedelta(minutes=1)]
    service = make_service(engine, clock=lambda: now[0])
    pool = people(2)
    for person in pool:
        service.join(person)
    assert service.run_due_rounds() == 1
    now[0] += timedelta(days=3)
    assert service.send_due_followups() == 1
    group_id = _group_of(engine, pool[0].user_id, 0)
    service.answer_followup(pool[0], group_id, "not_yet")
    service.answer_followup(pool[1], group_id, "not_yet")  # both said it: still asked once more
    service.answer_followup(pool[0], group_id, "not_yet")  # and again: the same
    with engine.connect() as connection:
        again = connection.execute(
            select(Notice.payload, Notice.due_at).where(Notice.key.like("%:followup-again"))
        ).all()
    assert len(again) == 1
    payload, due_at = again[0]
    assert payload["group_id"] == group_id and sorted(payload["users"]) == sorted(p.user_id for p in pool)
    assert due_at.replace(tzinfo=UTC) == now[0] + timedelta(days=4)
    service.answer_followup(pool[1], group_id, "yes")  # a "yes" asks nothing more
    assert count(engine, Notice, Notice.kind == "coffee_followup") == 2


def _group_of(engine, user_id: str, round_index: int) -> int:
    with engine.connect() as connection:
        rows = (
            connection.execute(
                select(CoffeeGroupMember.group_id)
                .where(CoffeeGroupMember.user_id == user_id)
                .order_by(CoffeeGroupMember.group_id)
            )
            .scalars()
            .all()
        )
    return rows[round_index]


# --- a partner unreachable at delivery ---------------------------------------------------------------


def intro_payload(engine, round_id: int, group_id: int) -> dict:
    with engine.connect() as connection:
        return connection.scalar(
            select(Notice.payload).where(Notice.key == f"coffee:{round_id}:{group_id}:intro")
        )


def members_of(engine, group_id: int) -> list[str]:
    with engine.connect() as connection:
        return sorted(
            connection.scalars(
                select(CoffeeGroupMember.user_id).where(CoffeeGroupMember.group_id == group_id)
            )
        )


def test_the_partner_of_someone_unreachable_joins_a_pair_whose_intro_is_still_queued(engine):
    service = make_service(engine)
    for person in people(4):
        service.join(person)
    summary = service.run_now(ADMIN)
    (gone, stranded), other = summary.groups
    with engine.connect() as connection:
        first_id, other_id = connection.scalars(select(CoffeeGroup.id).order_by(CoffeeGroup.id)).all()
    assert service.partner_unreachable(first_id, stranded) == other_id
    assert service.partner_unreachable(first_id, stranded) is None  # a retried intro: already moved
    trio = sorted([*other, stranded])
    assert members_of(engine, other_id) == trio and members_of(engine, first_id) == [gone]
    payload = intro_payload(engine, summary.round_id, other_id)
    assert payload["users"] == trio and stranded in payload["people"]
    assert count(engine, Notice, Notice.kind == "coffee_partner_left") == 0
    # "Did you meet?" goes to the trio only: nobody is left to meet in the first group.
    later = make_service(engine, clock=lambda: MONDAY_0900_UTC + timedelta(days=4))
    assert later.send_due_followups() == 1


def test_the_intro_a_stranded_partner_joins_names_them_in_notice_people(engine):
    service = make_service(engine)
    for person in people(4):
        service.join(person)
    summary = service.run_now(ADMIN)
    (_gone, stranded), other = summary.groups
    with engine.connect() as connection:
        first_id, other_id = connection.scalars(select(CoffeeGroup.id).order_by(CoffeeGroup.id)).all()
    service.partner_unreachable(first_id, stranded)
    with engine.connect() as connection:
        named = connection.execute(
            select(NoticePerson.user_id, NoticePerson.addressee)
            .join(Notice, Notice.id == NoticePerson.notice_id)
            .where(Notice.key == f"coffee:{summary.round_id}:{other_id}:intro")
        ).all()
    assert sorted(named) == [(u, True) for u in sorted([*other, stranded])]


def test_with_every_intro_gone_out_the_partner_is_told_and_goes_first_next_round(engine):
    service = make_service(engine)
    for person in people(4):
        service.join(person)
    summary = service.run_now(ADMIN)
    (_gone, stranded), _ = summary.groups
    with engine.begin() as connection:  # the other group's intro has gone out already
        connection.execute(update(Notice).where(Notice.kind == "coffee_intro").values(status="sent"))
        first_id = connection.scalar(select(CoffeeGroup.id).order_by(CoffeeGroup.id))
    assert service.partner_unreachable(first_id, stranded) is None
    with engine.connect() as connection:
        told = connection.execute(
            select(Notice.key, Notice.payload).where(Notice.kind == "coffee_partner_left")
        ).all()
        waiting = connection.scalar(
            select(CoffeeParticipant.first_in_line_since).where(CoffeeParticipant.user_id == stranded)
        )
    assert told == [(f"coffee:{summary.round_id}:partner-left:{stranded}", {"to": stranded})]
    assert waiting is not None
    # Next round they are placed (first), and no longer waiting.
    again = make_service(engine, seed=8, clock=lambda: MONDAY_0900_UTC + timedelta(days=7))
    assert stranded in {u for g in again.run_now(ADMIN).groups for u in g}
    with engine.connect() as connection:
        assert (
            connection.scalar(
                select(CoffeeParticipant.first_in_line_since).where(CoffeeParticipant.user_id == stranded)
            )
            is None
        )


def test_whoever_a_round_leaves_out_is_first_in_line_for_the_next(engine):
    service = make_service(engine)
    for person in people(3):
        service.join(person)
    a, b, c = (p.user_id for p in people(3))
    service.avoid(people(3)[0], b, remove=False)
    service.avoid(people(3)[0], c, remove=False)  # a avoids everyone: a is left out
    summary = service.run_now(ADMIN)
    assert summary.left_out == (a,)
    with engine.connect() as connection:
        assert connection.scalar(
            select(CoffeeParticipant.first_in_line_since).where(CoffeeParticipant.user_id == a)
        )
