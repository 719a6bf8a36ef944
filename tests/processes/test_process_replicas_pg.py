"""Two bot processes on one PostgreSQL database, as two replicas behind a load balancer.

Each process has its own bot token (the fake accepts both), so the fake can tell whose Web API calls it
got. Where a race needs both processes inside the database at the same instant, the test holds a table
lock that makes both wait at the contested statement, and lets go once both are waiting there.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from bot_processes import (
    BotProcess,
    Bots,
    HookedFakeSlack,
    answer_text,
    log_problems,
    slot_buttons,
    slot_key,
    wait_until,
)
from coffee_setup import (
    ADMIN,
    add_pool,
    attach_channel,
    groups,
    intros_per_group,
    make_round_due_now,
    notice_counts,
    rounds,
)
from sqlalchemy import Connection, select, text

from app.db.engine import create_db_engine, create_session_factory
from app.db.models import Meeting, Notice
from app.services import notices, outbox

pytestmark = pytest.mark.postgres_only

TOKEN_A, TOKEN_B = "xoxb-replica-a", "xoxb-replica-b"


def two_bots(bots: Bots, fake: HookedFakeSlack, url: str, **settings: str) -> tuple[BotProcess, BotProcess]:
    fake.extra_tokens.update({TOKEN_A, TOKEN_B})
    a = bots.start(url, name="replica-a", token=TOKEN_A, wait=False, **settings)
    b = bots.start(url, name="replica-b", token=TOKEN_B, wait=False, **settings)
    a.wait_healthy()
    b.wait_healthy()
    return a, b


def calls_by(fake: HookedFakeSlack, token: str, method: str | None = None) -> int:
    with fake._lock:
        return sum(1 for c in fake.calls if c.token == token and (method is None or c.method == method))


def assert_clean(*bots: BotProcess, tolerate: str | None = None) -> None:
    for bot in bots:
        assert bot.alive(), bot.output()
        problems = [p for p in log_problems(bot.output()) if tolerate is None or tolerate not in p]
        assert not problems, f"{bot.name}:\n" + "\n".join(problems[:5])


class HeldLock:
    """``LOCK TABLE <table> IN EXCLUSIVE MODE`` held by the test (reads pass, writes wait)."""

    def __init__(self, observer: Connection, pid: int) -> None:
        self._observer, self.pid = observer, pid

    def waiting(self, statement: str) -> tuple[int, int]:
        """(backends waiting on this lock in a statement containing ``statement``, backends waiting on
        those). Other tests' backends on the same server are never counted."""
        rows = self._observer.execute(
            text(
                "SELECT pid, query, pg_blocking_pids(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0"
            )
        ).all()
        direct = {
            pid
            for pid, query, blockers in rows
            if self.pid in blockers and statement.upper() in query.upper()
        }
        behind = {pid for pid, _, blockers in rows if pid not in direct and set(blockers) & direct}
        return len(direct), len(behind)


def both_waiting(waiting: tuple[int, int], count: int) -> bool:
    """``count`` backends are inside the contested work at once: some wait on the test's lock, the
    rest on them (how the app serialises them is its own business)."""
    direct, behind = waiting
    return direct >= 1 and direct + behind == count


@contextmanager
def held_lock(url: str, table: str) -> Iterator[HeldLock]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as holder, engine.connect() as observer:
            transaction = holder.begin()
            holder.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
            try:
                observer.execution_options(isolation_level="AUTOCOMMIT")
                yield HeldLock(observer, int(holder.scalar(text("SELECT pg_backend_pid()")) or 0))
            finally:
                transaction.rollback()
    finally:
        engine.dispose()


# ---- (a) a due round runs once -----------------------------------------------------------------------------

POOL = 24


def test_a_due_round_claimed_by_both_replicas_at_once_runs_once(bots, fake, pg_url):
    add_pool(fake, POOL)
    a, b = two_bots(bots, fake, pg_url, sweep_seconds="1", MENTORBOT_ADMINS=ADMIN)
    attach_channel(a, fake, POOL)
    with held_lock(pg_url, "coffee_rounds") as lock:
        make_round_due_now(a, fake, bots.clock)
        # Both replicas' sweeps saw the round due and now wait to insert its row: a true race.
        wait_until(
            lambda: both_waiting(lock.waiting("INSERT INTO coffee_rounds"), 2),
            timeout=20,
            what="both replicas inserting the round",
        )
    wait_until(
        lambda: notice_counts(pg_url, "coffee_intro")["sent"] == POOL // 2,
        timeout=60,
        what="every intro sent",
        details=lambda: str(notice_counts(pg_url, "coffee_intro")),
    )
    assert len(rounds(pg_url)) == 1
    all_groups = groups(pg_url)
    assert len(all_groups) == POOL // 2
    assert sorted(u for g in all_groups for u in g) == sorted(f"UPOOL{i:04d}" for i in range(POOL))
    counts = intros_per_group(fake, all_groups)
    assert [g for g, n in counts.items() if n != 1] == [], counts
    assert notice_counts(pg_url, "coffee_intro") == Counter({outbox.SENT: POOL // 2})
    assert_clean(a, b)


def test_both_replicas_refreshing_a_coffee_channel_at_once_neither_fails(bots, fake, pg_url):
    """Before a due round each replica re-reads the coffee channels' members and replaces the stored
    list (delete, then insert). Two replicas doing that at the same instant must not fail either."""
    add_pool(fake, POOL)
    a, b = two_bots(bots, fake, pg_url, sweep_seconds="1", MENTORBOT_ADMINS=ADMIN)
    attach_channel(a, fake, POOL)
    with held_lock(pg_url, "coffee_channel_members") as lock:
        make_round_due_now(a, fake, bots.clock)
        wait_until(
            lambda: both_waiting(lock.waiting("coffee_channel_members"), 2),
            timeout=20,
            what="both replicas refreshing the channel",
        )
    wait_until(
        lambda: notice_counts(pg_url, "coffee_intro")["sent"] == POOL // 2,
        timeout=60,
        what="every intro sent",
        details=lambda: str(notice_counts(pg_url, "coffee_intro")),
    )
    assert len(rounds(pg_url)) == 1
    assert_clean(a, b)


# ---- (b) one outbox, two dispatchers -----------------------------------------------------------------------

HOMES, DMS = 276, 24


def test_every_notice_is_delivered_once_while_both_replicas_drain_one_outbox(bots, fake, pg_url):
    people = [f"UOUTB{i:04d}" for i in range(HOMES + DMS)]
    for user_id in people:
        fake.add_user(user_id, user_id.lower())
    # Each Home takes Slack 20 ms: one replica alone needs longer than a delivery tick (2 s) for them.
    fake.delay("views.publish", 0.02)
    a, b = two_bots(bots, fake, pg_url)
    home_people, dm_people = people[:HOMES], people[HOMES:]
    engine = create_db_engine(pg_url)
    try:
        now = bots.clock.now()
        with create_session_factory(engine).begin() as session:
            # DMs spread among the Home refreshes, so every batch a replica claims holds a few of each.
            for i, user_id in enumerate(home_people):
                outbox.enqueue(session, notices.HomeRefresh(key=f"test:home:{user_id}", to=user_id), now=now)
                if i % (HOMES // DMS) == 0 and i // (HOMES // DMS) < DMS:
                    dm = dm_people[i // (HOMES // DMS)]
                    outbox.enqueue(session, notices.CoffeeLeftOut(key=f"test:dm:{dm}", to=dm), now=now)

        def statuses() -> Counter[str]:
            with engine.connect() as connection:
                return Counter(connection.scalars(select(Notice.status)))

        wait_until(
            lambda: statuses() == Counter({outbox.SENT: HOMES + DMS}),
            timeout=90,
            what="every notice sent",
            details=lambda: str(statuses()),
        )
        with engine.connect() as connection:
            attempts = Counter(connection.scalars(select(Notice.attempts)))
    finally:
        engine.dispose()

    published = Counter(str(c.args.get("user_id")) for c in fake.ok_calls("views.publish"))
    assert {u: n for u, n in published.items() if n != 1} == {}
    assert set(published) == set(home_people)
    dms = {u: len(fake.dms_to(u)) for u in dm_people}
    assert {u: n for u, n in dms.items() if n != 1} == {}
    assert attempts == Counter({1: HOMES + DMS})  # no notice was ever claimed twice
    # Every Home came from one of the two replicas, once. How the work splits between them is up to the
    # machine's scheduling (under load one replica can claim every batch before the other's first tick),
    # so the split is not asserted; the exactly-once counts above are the guarantee.
    assert calls_by(fake, TOKEN_A, "views.publish") + calls_by(fake, TOKEN_B, "views.publish") == HOMES
    assert_clean(a, b)


# ---- (c) one slot, two people, two replicas ----------------------------------------------------------------

ROUNDS = 3


def ask(bot: BotProcess, fake: HookedFakeSlack, user_id: str, text_: str) -> Any:
    sender = bot.sender(fake)
    assert sender.command(text_, user_id).status == 200
    key = sender.last_response_key
    return wait_until(lambda: fake.responses_for(key), timeout=15, what=f"offers for {user_id}")[-1]


def click_at_once(
    fake: HookedFakeSlack, pg_url: str, clicks: dict[str, tuple[BotProcess, dict[str, Any]]]
) -> dict[str, str]:
    """Each person clicks their button on their replica at the same moment; returns their answers."""
    barrier = threading.Barrier(len(clicks))
    statuses: dict[str, int] = {}

    def click(user_id: str, bot: BotProcess, button: dict[str, Any]) -> None:
        sender = bot.sender(fake)
        barrier.wait(timeout=10)
        reply = sender.action(
            user_id, button["action_id"], button["value"], response_url=fake.response_url(f"race-{user_id}")
        )
        statuses[user_id] = reply.status

    threads = [threading.Thread(target=click, args=(u, *c)) for u, c in clicks.items()]
    with held_lock(pg_url, "meetings") as lock:
        for thread in threads:
            thread.start()
        # Both bookings are inside the database at once: one waits here to insert its meeting, the
        # other waits on that one (or here too). Neither committed before the other began.
        wait_until(
            lambda: both_waiting(lock.waiting("INSERT INTO meetings"), len(clicks)),
            timeout=15,
            what="both bookings waiting",
        )
    for thread in threads:
        thread.join(timeout=20)
    assert statuses == dict.fromkeys(clicks, 200)
    return {
        u: answer_text(
            wait_until(lambda u=u: fake.responses_for(f"race-{u}"), timeout=15, what=f"answer to {u}")[-1]
        )
        for u in clicks
    }


def held_by(pg_url: str, mentor: str, start: int) -> list[str]:
    engine = create_db_engine(pg_url)
    try:
        with engine.connect() as connection:
            return list(
                connection.scalars(
                    select(Meeting.asker_id).where(
                        Meeting.mentor_id == mentor, Meeting.hold_start == datetime.fromtimestamp(start, UTC)
                    )
                )
            )
    finally:
        engine.dispose()


def test_two_people_clicking_one_slot_on_two_replicas_get_one_booking(bots, fake, pg_url):
    mentors = [f"URACEM{i}" for i in range(ROUNDS)]
    for i, user_id in enumerate(mentors):
        fake.add_user(user_id, f"mentor{i}", tz="Europe/Berlin")
    for i in range(ROUNDS):
        fake.add_user(f"URACEX{i}", f"x{i}", tz="America/New_York")
        fake.add_user(f"URACEY{i}", f"y{i}", tz="America/Toronto")  # New York's hours: offered the same slots
    a, b = two_bots(bots, fake, pg_url)
    for i, mentor in enumerate(mentors):
        joined = ask(a, fake, mentor, f"join #race{i}")
        assert "Welcome to the mentor register" in answer_text(joined)

    for i, mentor in enumerate(mentors):
        x, y = f"URACEX{i}", f"URACEY{i}"
        offers = {
            x: ask(a, fake, x, f"ask Help me race {i} #race{i}"),
            y: ask(b, fake, y, f"ask Me too {i} #race{i}"),
        }
        buttons = {u: {slot_key(s): s for s in slot_buttons(o.blocks)} for u, o in offers.items()}
        common = [k for k in buttons[x] if k in buttons[y] and k[0] == mentor]
        assert common, (answer_text(offers[x]), answer_text(offers[y]))
        slot = common[0]

        answers = click_at_once(fake, pg_url, {x: (a, buttons[x][slot]), y: (b, buttons[y][slot])})
        sent = [u for u, t in answers.items() if "Request sent" in t]
        taken = [u for u, t in answers.items() if "just taken" in t]
        assert len(sent) == 1 and len(taken) == 1, answers
        fresh = slot_buttons(fake.responses_for(f"race-{taken[0]}")[-1].blocks)
        assert fresh, answers[taken[0]]  # the one who lost gets fresh options ...
        assert slot not in [slot_key(s) for s in fresh]  # ... without the slot just taken
        assert held_by(pg_url, *slot) == sent
        # The mentor hears of it once (whichever replica delivers it).
        wait_until(lambda m=mentor: fake.dms_to(m), timeout=20, what=f"the request DM to {mentor}")

    wait_until(
        lambda: notice_counts(pg_url, "mentor_request")[outbox.SENT] == ROUNDS,
        timeout=20,
        what="requests sent",
    )
    assert {m: len(fake.dms_to(m)) for m in mentors} == dict.fromkeys(mentors, 1)
    assert_clean(a, b)


# ---- (d) someone new, two requests, two replicas ---------------------------------------------------------

NEWCOMER = "UNEWCOMER"


def test_a_newcomers_first_two_requests_on_two_replicas_at_once_both_succeed(bots, fake, pg_url):
    """The first time the bot sees a person it stores them (members). Two first requests of one person
    reaching two replicas at once (a command and a Home click, or a channel refresh on one replica while
    the person's first command lands on the other) must both be answered, not one of them with an
    apology."""
    fake.add_user(NEWCOMER, "nico", tz="Europe/Paris")
    a, b = two_bots(bots, fake, pg_url)
    requests = {"join": (a, "coffee join"), "status": (b, "coffee status")}
    statuses: dict[str, int] = {}

    def send(name: str) -> None:
        bot, text_ = requests[name]
        reply = bot.sender(fake).command(text_, NEWCOMER, response_url=fake.response_url(f"new-{name}"))
        statuses[name] = reply.status

    threads = [threading.Thread(target=send, args=(name,)) for name in requests]
    with held_lock(pg_url, "members") as lock:
        for thread in threads:
            thread.start()
        wait_until(
            lambda: both_waiting(lock.waiting("INSERT INTO members"), 2),
            timeout=15,
            what="both requests storing the newcomer",
        )
    for thread in threads:
        thread.join(timeout=20)
    assert statuses == {"join": 200, "status": 200}
    answers = {
        name: answer_text(
            wait_until(lambda n=name: fake.responses_for(f"new-{n}"), timeout=15, what=f"answer to {name}")[
                -1
            ]
        )
        for name in requests
    }
    assert not [n for n, t in answers.items() if "something went wrong" in t.lower()], answers
    assert "Welcome to coffee roulette" in answers["join"], answers
    assert_clean(a, b)
