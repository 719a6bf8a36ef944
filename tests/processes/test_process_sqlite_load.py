"""SQLite, the embedded default, under concurrent writes: one ``python -m app run`` on a SQLite file, 30
client threads sending several hundred signed commands and clicks that write (mentor joins, asks and
slot picks, availability on/off by command and button, coffee join/leave by command and button) while
the scheduler's delivery job writes too. Every request is acked with 200, every one gets its answer,
no answer or log line says "database is locked", and the process logs no traceback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot_processes import Bots, HookedFakeSlack, answer_text, log_problems, slot_buttons, wait_until

THREADS = 30
TOPICS = ("python", "go", "sre")
SORRY = "something went wrong"


class Load:
    """Sends requests from many threads, each with its own response_url key, and keeps the record."""

    def __init__(self, fake: HookedFakeSlack, bot: Any) -> None:
        self.fake, self.bot = fake, bot
        self._lock = threading.Lock()
        self._keys = iter(range(1, 10**9))
        self.sent: list[tuple[str, str, int]] = []  # (key, what, HTTP status)

    def _key(self) -> str:
        with self._lock:
            return f"load-{next(self._keys)}"

    def _record(self, key: str, what: str, status: int) -> None:
        with self._lock:
            self.sent.append((key, what, status))

    def command(self, user_id: str, text: str) -> str:
        key = self._key()
        reply = self.bot.sender(self.fake).command(text, user_id, response_url=self.fake.response_url(key))
        self._record(key, f"{user_id}: /mentor {text}", reply.status)
        return key

    def click(self, user_id: str, action_id: str, value: str) -> str:
        key = self._key()
        reply = self.bot.sender(self.fake).action(
            user_id, action_id, value, response_url=self.fake.response_url(key)
        )
        self._record(key, f"{user_id}: click {action_id}={value[:40]}", reply.status)
        return key

    def answer(self, key: str, timeout: float = 30) -> Any:
        return wait_until(lambda: self.fake.responses_for(key), timeout=timeout, what=f"the answer to {key}")[
            -1
        ]


def mentor_script(load: Load, user_id: str, n: int) -> None:
    topic = TOPICS[n % len(TOPICS)]
    load.answer(load.command(user_id, f"join #{topic} #topic{n}"))
    load.command(user_id, "available off")
    load.command(user_id, "available on")
    load.click(user_id, "mentor_available", "off")
    load.click(user_id, "mentor_available", "on")
    load.command(user_id, "coffee join")
    load.click(user_id, "coffee_leave", "")
    load.click(user_id, "coffee_join", "")
    load.command(user_id, f"join #{TOPICS[(n + 1) % len(TOPICS)]}")
    load.command(user_id, "coffee leave")
    load.command(user_id, "coffee join")


def asker_script(load: Load, user_id: str, n: int) -> None:
    load.command(user_id, "coffee join")
    for attempt in range(2):
        offers = load.answer(
            load.command(user_id, f"ask How do I get better at {TOPICS[n % 3]} {attempt}? #{TOPICS[n % 3]}")
        )
        slots = slot_buttons(offers.blocks)
        if slots:
            pick = slots[(n + attempt) % len(slots)]
            load.click(user_id, pick["action_id"], pick["value"])
    load.command(user_id, "coffee leave")
    load.click(user_id, "coffee_join", "")
    load.command(user_id, "list")
    load.command(user_id, "coffee status")


def test_hundreds_of_concurrent_writes_on_sqlite_never_hit_a_locked_database(bots: Bots, fake, sqlite_url):
    mentors = [f"ULOADM{i:03d}" for i in range(THREADS)]
    askers = [f"ULOADA{i:03d}" for i in range(THREADS)]
    zones = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC")
    for i, user_id in enumerate(mentors + askers):
        fake.add_user(user_id, user_id.lower(), tz=zones[i % len(zones)])
    bot = bots.start(sqlite_url, name="bot")
    load = Load(fake, bot)

    scripts: list[Callable[[], None]] = []
    for n in range(THREADS):
        scripts.append(lambda n=n: mentor_script(load, mentors[n], n))
    for n in range(THREADS):
        scripts.append(lambda n=n: asker_script(load, askers[n], n))
    # Mentors first, so that asks find someone; then everything at once.
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for future in [pool.submit(s) for s in scripts[:THREADS]] + [
            pool.submit(s) for s in scripts[THREADS:]
        ]:
            future.result(timeout=120)
    took = time.monotonic() - started

    statuses = [status for _, _, status in load.sent]
    assert len(load.sent) >= 500
    assert set(statuses) == {200}, [s for s in load.sent if s[2] != 200][:10]
    wait_until(
        lambda: all(fake.responses_for(key) for key, _, _ in load.sent),
        timeout=60,
        what="an answer to every request",
        details=lambda: str([w for k, w, _ in load.sent if not fake.responses_for(k)][:20]),
    )
    bad = []
    for key, what, _ in load.sent:
        for response in fake.responses_for(key):
            text = answer_text(response).lower()
            if "database is locked" in text or SORRY in text:
                bad.append((what, text[:200]))
    assert bad == [], bad[:10]
    picks = [w for _, w, _ in load.sent if "pick_slot" in w]
    assert picks, "no slot was picked: the asks found no mentors"
    # the delivery job sent the mentors' request DMs meanwhile
    wait_until(lambda: fake.ok_calls("chat.postMessage"), timeout=20, what="request DMs delivered")
    output = bot.output()
    assert bot.alive(), output
    assert not log_problems(output), log_problems(output)[:10]
    print(f"{len(load.sent)} requests from {THREADS} threads in {took:.1f}s")
