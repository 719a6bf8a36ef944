"""``WEB_CONCURRENCY=2``: ``python -m app run`` forks two workers that share the port. Signed requests
from many threads are all answered, both workers serve some of them, the scheduler runs in one worker
only, and SIGTERM to the parent stops every worker cleanly; SIGKILL to the parent leaves no worker."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot_processes import Bots, HookedFakeSlack, answer_text, log_problems, wait_until


def worker_pids(parent: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its adopter) counts as gone
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_two_workers_share_the_port_and_stop_together(bots: Bots, fake: HookedFakeSlack, sqlite_url: str):
    users = [f"UWORK{i:02d}" for i in range(20)]
    for user in users:
        fake.add_user(user, user.lower(), tz="Europe/Berlin")
    bot = bots.start(sqlite_url, name="workers", WEB_CONCURRENCY="2")
    wait_until(lambda: len(worker_pids(bot.pid)) == 2, timeout=10, what="two workers")
    workers = worker_pids(bot.pid)
    # Both sign in before serving, so each workers' auth.test reached Slack.
    wait_until(lambda: len(fake.ok_calls("auth.test")) >= 2, timeout=20, what="both workers signed in")

    def command(n: int) -> tuple[str, int]:
        key = f"work-{n}"
        user = users[n % len(users)]
        reply = bot.sender(fake).command("list", user, response_url=fake.response_url(key))
        return key, reply.status

    with ThreadPoolExecutor(max_workers=20) as pool:
        sent = list(pool.map(command, range(200)))
    assert {status for _, status in sent} == {200}
    wait_until(
        lambda: all(fake.responses_for(key) for key, _ in sent), timeout=60, what="an answer to every request"
    )
    for key, _ in sent:
        assert "no upcoming conversations" in answer_text(fake.responses_for(key)[-1]), key

    # Each worker's log lines carry its index: both served, and only worker 0 started the scheduler.
    lines = [json.loads(line) for line in bot.output().splitlines() if line.startswith("{")]
    served = Counter(line.get("worker") for line in lines if line["msg"].startswith("slack request command"))
    assert set(served) == {0, 1} and sum(served.values()) == len(sent), served
    started = {line.get("worker") for line in lines if line["msg"] == "background jobs started"}
    assert started == {0}, started

    bot.sigterm()
    assert bot.wait(timeout=30) == 0, bot.output()[-3000:]
    for pid in workers:
        wait_until(lambda pid=pid: not alive(pid), timeout=10, what=f"worker {pid} gone")
    assert not log_problems(bot.output()), log_problems(bot.output())[:10]


def test_workers_stop_when_their_parent_is_killed(bots: Bots, fake: HookedFakeSlack, sqlite_url: str):
    bot = bots.start(sqlite_url, name="orphans", WEB_CONCURRENCY="2")
    wait_until(lambda: len(worker_pids(bot.pid)) == 2, timeout=10, what="two workers")
    workers = worker_pids(bot.pid)
    bot.kill()  # SIGKILL: the parent cannot pass anything on
    try:
        for pid in workers:
            wait_until(lambda pid=pid: not alive(pid), timeout=15, what=f"orphaned worker {pid} gone")
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
