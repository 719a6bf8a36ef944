"""The workspace's one pool becomes the pool "coffee" (migration 0014): rows as revision 0011's code wrote
them (participants, channels and their members, the schedule, rounds and their groups) are upgraded, on
SQLite and PostgreSQL, and today's commands then act on that pool unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from alembic import command
from old_rows import table_of
from sqlalchemy import text

from app.db import coffee_queries as cq
from app.db.engine import create_db_engine, create_session_factory
from app.db.migrate import alembic_config
from app.db.types import UTCDateTime
from app.services.coffee import PoolSpec, RouletteService, RouletteSettings
from app.services.people import Person

WRITTEN = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
LAST_ROUND = datetime(2030, 2, 22, 15, 0, tzinfo=UTC)  # a Friday, 16:00 in Berlin
ANCHOR = datetime(2030, 2, 8, 0, 0, tzinfo=UTC)  # the fortnightly rhythm: Feb 8, Feb 22, Mar 8 …
ADMIN = Person("UADMIN", "Ada", "Europe/Berlin")
JOINED, LEFT, VIA_CHANNEL, ALSO_VIA_CHANNEL = "UJOINED", "ULEFT", "UCHAN1", "UCHAN2"


def write_rows_at_0011(url: str) -> None:
    """Exactly the columns revision 0011's models had (coffee_schedule id 1; no pool anywhere)."""
    command.upgrade(alembic_config(url), "0011")
    s, i, b, d = sa.String(), sa.Integer(), sa.Boolean(), UTCDateTime()
    members = table_of("members", user_id=s, display_name=s, tz=s, created_at=d, updated_at=d)
    participants = table_of(
        "coffee_participants", user_id=s, opted_in=b, opted_out=b, unanswered_streak=i, updated_at=d
    )
    channels = table_of("coffee_channels", channel_id=s, name=s, added_by=s, added_at=d)
    channel_members = table_of("coffee_channel_members", channel_id=s, user_id=s)
    schedule = table_of(
        "coffee_schedule",
        id=i,
        every_weeks=i,
        weekday=i,
        at_time=s,
        tz=s,
        anchor=d,
        updated_by=s,
        updated_at=d,
    )
    rounds = table_of(
        "coffee_rounds",
        id=i,
        scheduled_for=d,
        kind=s,
        seed=sa.BigInteger(),
        pool_size=i,
        created_at=d,
        followup_due_at=d,
    )
    groups = table_of("coffee_groups", id=i, round_id=i, proposer_id=s, icebreaker=s)
    group_members = table_of("coffee_group_members", group_id=i, user_id=s, settled=b)
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            for user_id in (JOINED, LEFT, VIA_CHANNEL, ALSO_VIA_CHANNEL):
                connection.execute(
                    members.insert().values(
                        user_id=user_id,
                        display_name=user_id,
                        tz="UTC",
                        created_at=WRITTEN,
                        updated_at=WRITTEN,
                    )
                )
            for user_id, opted_in, opted_out in ((JOINED, True, False), (LEFT, False, True)):
                connection.execute(
                    participants.insert().values(
                        user_id=user_id,
                        opted_in=opted_in,
                        opted_out=opted_out,
                        unanswered_streak=0,
                        updated_at=WRITTEN,
                    )
                )
            connection.execute(
                channels.insert().values(
                    channel_id="CCOFFEE", name="coffee", added_by="UADMIN", added_at=WRITTEN
                )
            )
            for user_id in (VIA_CHANNEL, ALSO_VIA_CHANNEL):
                connection.execute(channel_members.insert().values(channel_id="CCOFFEE", user_id=user_id))
            connection.execute(
                schedule.insert().values(
                    id=1,
                    every_weeks=2,
                    weekday=4,
                    at_time="16:00",
                    tz="Europe/Berlin",
                    anchor=ANCHOR,
                    updated_by="UADMIN",
                    updated_at=WRITTEN,
                )
            )
            connection.execute(
                rounds.insert().values(
                    id=1,
                    scheduled_for=LAST_ROUND,
                    kind="scheduled",
                    seed=5,
                    pool_size=3,
                    created_at=LAST_ROUND,
                    followup_due_at=LAST_ROUND + timedelta(days=3),
                )
            )
            connection.execute(groups.insert().values(id=1, round_id=1, proposer_id=JOINED, icebreaker="Hi"))
            for user_id in (JOINED, VIA_CHANNEL):
                connection.execute(group_members.insert().values(group_id=1, user_id=user_id, settled=True))
            if connection.dialect.name == "postgresql":  # the ids above were given, not drawn
                for table in ("coffee_rounds", "coffee_groups"):
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)"))
    finally:
        engine.dispose()


def test_everything_becomes_the_pool_coffee_and_today_s_commands_act_on_it(empty_database_url):
    url = empty_database_url
    write_rows_at_0011(url)
    command.upgrade(alembic_config(url), "head")
    engine = create_db_engine(url)
    now = [WRITTEN]
    try:
        with engine.connect() as connection:
            pools = connection.execute(
                text("SELECT id, name, every_weeks, weekday, at_time, tz FROM coffee_pools")
            )
            assert [tuple(r) for r in pools] == [(1, "coffee", 2, 4, "16:00", "Europe/Berlin")]
            for table in ("coffee_participants", "coffee_channels", "coffee_rounds"):
                pool_ids = connection.execute(text(f"SELECT DISTINCT pool_id FROM {table}")).scalars().all()
                assert pool_ids == [1], table
        roulette = RouletteService(
            create_session_factory(engine),
            RouletteSettings(admins=frozenset({ADMIN.user_id})),
            clock=lambda: now[0],
            seed_source=lambda: 11,
        )
        # The schedule and the members carried over: status as before, listing names the one pool.
        status = roulette.status(Person(JOINED, "J", "UTC"))
        assert status.in_pool and status.joined and status.pool == "coffee"
        assert status.next_round == datetime(2030, 3, 8, 15, 0, tzinfo=UTC)
        assert not roulette.status(Person(LEFT, "L", "UTC")).in_pool
        assert roulette.status(Person(VIA_CHANNEL, "C", "UTC")).via_channel
        [listed] = roulette.list_pools()
        assert (listed.name, listed.members, listed.channels) == ("coffee", 3, 1)
        assert roulette.schedule().schedule.describe() == "Every 2 weeks on Friday at 16:00 (Europe/Berlin)"
        # The round that ran before the upgrade is still claimed: running its instant again does nothing.
        now[0] = LAST_ROUND + timedelta(hours=1)
        assert roulette.run_due_rounds() == 0
        # A second pool due at the same instant runs beside it, each claimed once.
        roulette.create_pool(
            ADMIN,
            PoolSpec("mentors", every_weeks=1, weekday=4, at=time(16, 0), tz="Europe/Berlin", group_size=3),
        )
        roulette.join(Person(JOINED, "J", "UTC"), "mentors")
        now[0] = datetime(2030, 3, 8, 15, 30, tzinfo=UTC)
        assert roulette.run_due_rounds() == 2
        assert roulette.run_due_rounds() == 0
        # Each pool's history is its own, and the round before the upgrade is the pool "coffee"'s.
        with create_session_factory(engine)() as session:
            coffee_history = cq.recent_rounds(session, 1, 6)
            mentors = cq.pool_named(session, "mentors")
            assert mentors is not None
            assert len(cq.recent_rounds(session, mentors.id, 6)) == 1
        assert len(coffee_history) == 2
        assert sorted(coffee_history[0][0]) == sorted([JOINED, VIA_CHANNEL])
    finally:
        engine.dispose()


def test_downgrade_keeps_the_pool_coffee_s_rows_and_schedule(empty_database_url):
    url = empty_database_url
    write_rows_at_0011(url)
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "0011")
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT every_weeks, at_time FROM coffee_schedule")).all() == [
                (2, "16:00")
            ]
            assert connection.execute(text("SELECT count(*) FROM coffee_participants")).scalar() == 2
            assert connection.execute(text("SELECT count(*) FROM coffee_rounds")).scalar() == 1
    finally:
        engine.dispose()
    command.upgrade(config, "head")
