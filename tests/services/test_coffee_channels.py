"""Coffee channels through the ``ChannelMembers`` port (a fake, no Slack): members recorded, an unreadable
channel left alone, and a due round reads the channels once, just before it runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.db.engine import create_session_factory
from app.db.models import CoffeeGroupMember
from app.services.coffee import RouletteService, RouletteSettings
from app.services.coffee_channels import CoffeeChannels
from app.services.people import Person

ADMIN = Person("UADMIN", "Ada", "UTC")
MONDAY_0900_UTC = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the default schedule, DEFAULT_TIMEZONE=UTC


class FakeChannelMembers:
    def __init__(self, channels: dict[str, list[Person] | None]) -> None:
        self.channels = channels
        self.reads: list[str] = []

    def humans_in(self, channel_id: str) -> list[Person] | None:
        self.reads.append(channel_id)
        return self.channels.get(channel_id)


def people(n: int) -> list[Person]:
    return [Person(f"U{i:04d}", f"Person {i}", "UTC") for i in range(n)]


def make(engine, members: FakeChannelMembers, now: datetime) -> tuple[RouletteService, CoffeeChannels]:
    roulette = RouletteService(
        create_session_factory(engine),
        RouletteSettings(admins=frozenset({ADMIN.user_id}), default_tz="UTC"),
        seed_source=lambda: 7,
        clock=lambda: now,
    )
    return roulette, CoffeeChannels(roulette, members)


def test_sync_records_a_readable_channel_and_leaves_an_unreadable_one(engine):
    members = FakeChannelMembers({"CREAD": people(3), "CPRIVATE": None})
    roulette, channels = make(engine, members, MONDAY_0900_UTC)
    roulette.add_channel(ADMIN, "CREAD", "read")
    roulette.add_channel(ADMIN, "CPRIVATE", "private")
    assert channels.sync("CREAD") == 3
    assert channels.sync("CPRIVATE") is None
    assert members.reads == ["CREAD", "CPRIVATE"]


def test_a_due_round_reads_every_channel_first_and_runs_once(engine):
    members = FakeChannelMembers({"CCOFFEE": people(4)})
    roulette, channels = make(engine, members, MONDAY_0900_UTC - timedelta(minutes=1))
    roulette.add_channel(ADMIN, "CCOFFEE", "coffee")
    assert channels.run_due_round() == 0  # not due: Slack isn't read
    assert members.reads == []

    roulette, channels = make(engine, members, MONDAY_0900_UTC + timedelta(minutes=1))
    assert channels.run_due_round() == 1
    assert members.reads == ["CCOFFEE"]
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CoffeeGroupMember)) == 4
    assert channels.run_due_round() == 0  # once
