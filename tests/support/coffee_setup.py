"""A coffee pool on the fake Slack, a round made due through the admin commands, and reading its groups."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot_processes import BotProcess, HookedFakeSlack, answer_text, wait_until
from clocks import ProcessClock
from sqlalchemy import func, select, update

from app.db.engine import create_db_engine
from app.db.models import CoffeeGroup, CoffeeGroupMember, CoffeeRound, Notice
from app.services.outbox import SENDING

ADMIN = "UADMINPRC"
CHANNEL = "C0COFFEEP"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def add_pool(fake: HookedFakeSlack, size: int) -> list[str]:
    people = [f"UPOOL{i:04d}" for i in range(size)]
    zones = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata")
    for i, user_id in enumerate(people):
        fake.add_user(user_id, f"pool{i}", real_name=f"Pool Person {i}", tz=zones[i % len(zones)])
    fake.add_user(ADMIN, "ada", real_name="Ada Admin", tz="UTC")
    fake.add_channel(CHANNEL, members=people, name="coffee")
    return people


def admin_says(bot: BotProcess, fake: HookedFakeSlack, text: str, timeout: float = 15) -> str:
    sender = bot.sender(fake)
    reply = sender.command(text, ADMIN)
    assert reply.status == 200, reply
    key = sender.last_response_key
    return answer_text(
        wait_until(lambda: fake.responses_for(key), timeout=timeout, what=f"answer to {text!r}")[-1]
    )


def attach_channel(bot: BotProcess, fake: HookedFakeSlack, size: int) -> None:
    said = admin_says(bot, fake, f"coffee channel <#{CHANNEL}|coffee>")
    assert f"its {size} members are in the pool" in said, said


def make_round_due_now(bot: BotProcess, fake: HookedFakeSlack, clock: ProcessClock) -> None:
    """Schedule weekly rounds at the bot's current UTC minute: one is due at once (the sweep job runs it).

    The test's clock starts in the morning, hours from midnight, so the bot sees the same day."""
    now = clock.now()
    assert (now + timedelta(minutes=5)).date() == now.date(), f"{now} is too near midnight"
    said = admin_says(bot, fake, f"coffee schedule weekly {DAYS[now.weekday()]} {now:%H:%M} UTC")
    assert "Schedule saved" in said, said


def rounds(database_url: str) -> list[int]:
    """The ids of the coffee rounds stored."""
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(select(CoffeeRound.id)))
    finally:
        engine.dispose()


def groups(database_url: str) -> list[tuple[str, ...]]:
    """The members of every coffee group stored, sorted."""
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            found: dict[int, list[str]] = {}
            for group_id, user_id in connection.execute(
                select(CoffeeGroupMember.group_id, CoffeeGroupMember.user_id).join(
                    CoffeeGroup, CoffeeGroup.id == CoffeeGroupMember.group_id
                )
            ):
                found.setdefault(group_id, []).append(user_id)
    finally:
        engine.dispose()
    return sorted(tuple(sorted(m)) for m in found.values())


def notice_counts(database_url: str, kind: str) -> Counter[str]:
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Notice.status, func.count()).where(Notice.kind == kind).group_by(Notice.status)
            ).all()
    finally:
        engine.dispose()
    return Counter({status: count for status, count in rows})


def expire_leases(database_url: str, clock: ProcessClock) -> int:
    """What waiting out the outbox lease (minutes) would do: notices a dead bot had claimed are due again."""
    engine = create_db_engine(database_url)
    try:
        with engine.begin() as connection:
            result = connection.execute(
                update(Notice)
                .where(Notice.status == SENDING)
                .values(claimed_until=clock.now() - timedelta(seconds=1))
            )
            return int(result.rowcount)
    finally:
        engine.dispose()


def intros_per_group(fake: HookedFakeSlack, all_groups: list[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """How many messages each group's DM holds, and how many chat.postMessage calls landed there."""
    posted = Counter(str(c.args.get("channel")) for c in fake.ok_calls("chat.postMessage"))
    counts = {}
    for members in all_groups:
        channel = fake.dm_channel_for(*members)
        in_channel = len(fake.messages_in(channel))
        assert in_channel == posted[channel], (members, in_channel, posted[channel])
        counts[members] = in_channel
    return counts
