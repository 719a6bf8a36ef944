"""SIGKILL in the middle of a coffee round's introductions, then a restart: every intro exactly once.

A pool of 40 people in a coffee channel on the fake Slack, a weekly schedule set so a round is due now;
the bot's own sweep job runs the round and its delivery job sends the 20 intros (conversations.open,
then chat.postMessage into each group DM). The fake kills the bot at an exact point of a Web API call,
the test waits out the outbox lease (by moving ``claimed_until`` into the past rather than sleeping two
minutes), starts a new bot on the same SQLite file, and counts the messages in each group DM.

Whatever the moment, every intro arrives exactly once: notices the dead bot had claimed come back when
their lease runs out, and one whose earlier attempt may have reached Slack (the bot died while Slack was
posting it, or after Slack posted it and before the outbox recorded that) is looked up
(conversations.history, the notice key in the message metadata) rather than posted again. That check is
an operator's choice (``SLACK_HISTORY_CHECK``, with the im:history/mpim:history scopes), turned on here.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from bot_processes import BotProcess, Bots, HookedFakeSlack, log_problems, wait_until
from coffee_setup import (
    ADMIN,
    add_pool,
    attach_channel,
    expire_leases,
    groups,
    intros_per_group,
    make_round_due_now,
    notice_counts,
    rounds,
)

POOL = 40
GROUPS = POOL // 2


class Killer:
    """Kills the current bot from inside the fake, at the n-th call of a method."""

    def __init__(self, fake: HookedFakeSlack) -> None:
        self.fake = fake
        self.bot: BotProcess | None = None
        self.killed = threading.Event()

    def arm(self, method: str, nth: int, when: str) -> None:
        """when: "arrival_lost" (the call never reaches Slack), "arrival_kept" (the bot dies as the call
        arrives and Slack still acts on it), "answer_lost" (Slack acted, the bot dies before the answer)."""
        self.killed.clear()
        self.fake.clear_hooks()
        seen = itertools.count(1)

        def kill() -> None:
            assert self.bot is not None
            self.bot.kill()
            self.killed.set()

        if when == "answer_lost":

            def after(_args: dict[str, Any], answer: dict[str, Any]) -> None:
                if answer.get("ok") and not self.killed.is_set() and next(seen) == nth:
                    kill()

            self.fake.after_effect(method, after)
            return

        def arrival(_args: dict[str, Any]) -> bool:
            if self.killed.is_set():
                return when == "arrival_lost"
            if next(seen) == nth:
                kill()
                return when == "arrival_lost"
            return False

        self.fake.on_arrival(method, arrival)

    def wait(self, timeout: float = 40) -> None:
        wait_until(self.killed.is_set, timeout=timeout, what="the kill", details=self.fake.dump)
        self.fake.clear_hooks()


def start(
    bots: Bots, url: str, name: str, killer: Killer | None = None, arm: Callable[[], None] | None = None
):
    bot = bots.start(
        url, name=name, sweep_seconds=1, wait=False, MENTORBOT_ADMINS=ADMIN, SLACK_HISTORY_CHECK="true"
    )
    if killer is not None:
        killer.bot = bot
        if arm is not None:
            arm()  # before the bot's first delivery tick
    if killer is not None and arm is not None:
        # The first delivery tick runs at start-up: the kill may land before /healthz ever answers.
        wait_until(
            lambda: killer.killed.is_set() or bot.healthy_now(), timeout=30, what=f"{name} healthy or killed"
        )
        return bot
    bot.wait_healthy()
    return bot


def first_bot_runs_the_round(bots: Bots, fake: HookedFakeSlack, url: str, killer: Killer, arm) -> None:
    bot = start(bots, url, "bot1", killer, arm)
    attach_channel(bot, fake, POOL)
    make_round_due_now(bot, fake, bots.clock)


def finish_and_count(bots: Bots, fake: HookedFakeSlack, url: str, name: str) -> dict[tuple[str, ...], int]:
    expire_leases(url, bots.clock)
    bot = start(bots, url, name)
    wait_until(
        lambda: notice_counts(url, "coffee_intro")["sent"] == GROUPS,
        timeout=60,
        what=f"all {GROUPS} intros marked sent",
        details=lambda: f"{notice_counts(url, 'coffee_intro')}\n{fake.dump()}",
    )
    assert not log_problems(bot.output()), log_problems(bot.output())
    all_groups = groups(url)
    assert len(all_groups) == GROUPS and len(rounds(url)) == 1  # the restarts never ran the round again
    assert sorted(u for g in all_groups for u in g) == sorted(f"UPOOL{i:04d}" for i in range(POOL))
    return intros_per_group(fake, all_groups)


def test_three_kills_during_delivery_then_a_restart_deliver_every_intro_exactly_once(bots, fake, sqlite_url):
    add_pool(fake, POOL)
    fake.delay("chat.postMessage", 0.1)
    killer = Killer(fake)
    moments = [
        # the bot dies as its 4th chat.postMessage leaves; Slack never gets that one
        ("chat.postMessage", 4, "arrival_lost"),
        # the bot dies while opening a group DM: that intro not begun, others perhaps in flight
        ("conversations.open", 3, "arrival_lost"),
        # Slack opened the group DM and the bot died before hearing so (opening again is harmless)
        ("conversations.open", 2, "answer_lost"),
    ]
    first_bot_runs_the_round(bots, fake, sqlite_url, killer, lambda: killer.arm(*moments[0]))
    for number, _moment in enumerate(moments, start=1):
        killer.wait()
        assert notice_counts(sqlite_url, "coffee_intro")["sent"] < GROUPS  # the kill was mid-delivery
        if number < len(moments):
            expire_leases(sqlite_url, bots.clock)
            start(bots, sqlite_url, f"bot{number + 1}", killer, lambda n=number: killer.arm(*moments[n]))

    counts = finish_and_count(bots, fake, sqlite_url, f"bot{len(moments) + 1}")
    assert [g for g, n in counts.items() if n != 1] == [], counts


@pytest.mark.parametrize("when", ["answer_lost", "arrival_kept"])
def test_a_kill_while_slack_posts_an_intro_does_not_double_it(bots, fake, sqlite_url, when):
    """answer_lost: Slack posted the 9th intro, the bot died before the answer reached it.
    arrival_kept: the bot died while its 9th chat.postMessage was with a slow Slack, which posted it."""
    add_pool(fake, POOL)
    fake.delay("chat.postMessage", 0.3)
    killer = Killer(fake)
    first_bot_runs_the_round(bots, fake, sqlite_url, killer, lambda: killer.arm("chat.postMessage", 9, when))
    killer.wait()
    fake.delay("chat.postMessage", 0)
    # The kill landed in the window: Slack holds intros the outbox does not know as sent.
    wait_until(lambda: len(fake.ok_calls("chat.postMessage")) >= 9, timeout=5, what="Slack posting the 9th")
    assert notice_counts(sqlite_url, "coffee_intro")["sent"] < len(fake.ok_calls("chat.postMessage"))

    counts = finish_and_count(bots, fake, sqlite_url, "bot2")
    doubled = {g: n for g, n in counts.items() if n != 1}
    assert doubled == {}, f"intros not delivered exactly once: {doubled}"
