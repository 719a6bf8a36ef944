"""Two `/mentor coffee run` of one pool at the same moment (#15, a double send): one round runs, the
other answer says a round was just started; nothing crashes. Signed slash commands in, sent together from
two threads; the answers through response_url on the fake Slack. The test owns the clock."""

from __future__ import annotations

import threading

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, text_of
from sqlalchemy import func, select

from app.db.models import CoffeeRound


def test_two_simultaneous_runs_of_a_pool_make_one_round_and_say_so(harness, engine):
    h = harness
    for user_id in (ASKER, MENTOR, OTHER):
        h.answer(user_id, "coffee join")
    keys = [f"run-{n}" for n in range(2)]
    barrier = threading.Barrier(2)

    def run(key: str) -> None:
        barrier.wait(timeout=5)
        reply = h.sender.command("coffee run", user_id=ADMIN, response_url=h.fake.response_url(key))
        assert reply.status == 200, reply

    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    answers = [h.fake.wait_for(lambda k=k: h.fake.responses_for(k))[-1] for k in keys]
    texts = sorted((text_of(a.blocks, a.text) for a in answers), key=lambda t: "is running" not in t)
    assert "is running" in texts[0], texts
    assert "moments ago" in texts[1] and "no second one was started" in texts[1], texts
    h.wait_idle()
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CoffeeRound)) == 1
