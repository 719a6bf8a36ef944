"""The admin commands that make one service call: a channel added and read, a round run on fresh members."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_roulette import ADMIN, count, make_service, people

from app.db.models import CoffeeChannel, CoffeeChannelMember, CoffeeRound
from app.domain.errors import NotAllowed

CHANNEL = "CCOFFEE1"


def members_of(engine, channel_id: str) -> set[str]:
    with engine.connect() as connection:
        query = select(CoffeeChannelMember.user_id).where(CoffeeChannelMember.channel_id == channel_id)
        return set(connection.scalars(query))


def test_a_new_coffee_channel_is_read_at_once(engine):
    service = make_service(engine)
    pool = people(4)
    assert service.add_channel_and_sync(ADMIN, CHANNEL, "coffee", lambda _: pool) == 4
    assert members_of(engine, CHANNEL) == {p.user_id for p in pool}


def test_a_channel_slack_wont_list_is_kept_for_the_next_round(engine):
    service = make_service(engine)
    assert service.add_channel_and_sync(ADMIN, CHANNEL, "coffee", lambda _: None) is None
    assert count(engine, CoffeeChannel) == 1 and members_of(engine, CHANNEL) == set()


def test_run_now_reads_every_channel_first_and_keeps_an_unreadable_ones_members(engine):
    service = make_service(engine)
    service.add_channel_and_sync(ADMIN, CHANNEL, "coffee", lambda _: people(4))
    service.add_channel_and_sync(ADMIN, "CCOFFEE2", "tea", lambda _: people(6)[4:])
    grown = people(8)[:4] + people(8)[6:]  # two joined the first channel since
    readers = {CHANNEL: grown, "CCOFFEE2": None}  # the second one can't be read today
    summary = service.sync_channels_and_run_now(ADMIN, readers.__getitem__)
    assert members_of(engine, CHANNEL) == {p.user_id for p in grown}
    assert members_of(engine, "CCOFFEE2") == {"U0004", "U0005"}  # as last read
    assert summary.pool_size == 8 and count(engine, CoffeeRound) == 1


def test_a_non_admin_is_refused_before_slack_is_read(engine):
    service = make_service(engine)

    def reader(channel_id: str):
        raise AssertionError("read Slack for someone who may not")

    with pytest.raises(NotAllowed):
        service.add_channel_and_sync(people(1)[0], CHANNEL, "coffee", reader)
    with pytest.raises(NotAllowed):
        service.sync_channels_and_run_now(people(1)[0], reader)
    assert count(engine, CoffeeChannel) == count(engine, CoffeeRound) == 0
