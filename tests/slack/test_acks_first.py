"""AcksFirst: work handed off after an ack waits while other requests are being acked, but not forever."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from app.slack.acks_first import AcksFirst
from app.slack.after_ack import AfterAck


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


@contextmanager
def request_in_its_ack(acks: AcksFirst) -> Iterator[None]:
    """Inside the block, one request is being acked (on a thread of its own) and stays so."""
    stop, in_ack = threading.Event(), threading.Event()

    def endless_request() -> None:
        with acks.ack():
            in_ack.set()
            stop.wait(30)

    requester = threading.Thread(target=endless_request)
    requester.start()
    in_ack.wait(5)
    try:
        yield
    finally:
        stop.set()
        requester.join(5)


def test_nothing_being_acked_lets_work_start_at_once():
    acks = AcksFirst(quiet=60, longest=60)  # no ack ever: no quiet to wait for
    started = time.monotonic()
    acks.wait_turn()
    assert time.monotonic() - started < 5


def test_work_waits_until_the_ack_in_progress_is_answered():
    acks = AcksFirst(quiet=0, longest=60)
    order: list[str] = []
    in_ack = threading.Event()
    release = threading.Event()

    def request() -> None:
        with acks.ack():
            in_ack.set()
            release.wait(10)
            order.append("acked")

    def work() -> None:
        acks.wait_turn()
        order.append("work")

    requester = threading.Thread(target=request)
    requester.start()
    in_ack.wait(5)
    worker = threading.Thread(target=work)
    worker.start()
    wait_for(lambda: acks.waiting == 1)  # the work is held back while the request is in its ack
    assert acks.acking == 1
    release.set()
    requester.join(5)
    worker.join(5)
    assert order == ["acked", "work"]
    assert (acks.acking, acks.waiting) == (0, 0)


def test_work_waits_for_a_quiet_moment_after_the_last_ack():
    now = [100.0]
    acks = AcksFirst(quiet=0.02, longest=60, clock=lambda: now[0])
    with acks.ack():
        pass  # an ack answered at 100.0
    done = threading.Event()
    worker = threading.Thread(target=lambda: (acks.wait_turn(), done.set()))
    now[0] = 100.01  # 10 ms after it: another click of the burst may be arriving
    worker.start()
    wait_for(lambda: acks.waiting == 1)
    assert not done.is_set()
    now[0] = 100.05
    with acks.ack():  # the next request's answer wakes the waiter, which now sees the quiet
        now[0] = 100.03
    now[0] = 100.08
    done.wait(5)
    worker.join(5)
    assert done.is_set()


def test_a_steady_stream_of_requests_holds_work_back_no_longer_than_longest():
    acks = AcksFirst(quiet=0, longest=0.05)
    with request_in_its_ack(acks):
        started = time.monotonic()
        acks.wait_turn()  # returns though a request is still in its ack
        waited = time.monotonic() - started
        assert acks.acking == 1
    assert 0.04 <= waited < 10


def test_after_ack_work_runs_once_the_burst_is_answered():
    acks = AcksFirst(quiet=0, longest=60)
    pool = AfterAck(2, acks)
    ran = threading.Event()
    try:
        with acks.ack():
            future = pool.run(ran.set, respond=None)
            wait_for(lambda: acks.waiting == 1)
            assert not ran.is_set()
        future.result(timeout=5)
        assert ran.is_set()
    finally:
        pool.shutdown()


def test_the_longest_wait_counts_from_the_hand_off_not_from_a_free_thread():
    """Work that queued behind other work on a busy pool is not held back for another whole ``longest``."""
    now = [100.0]
    acks = AcksFirst(quiet=0.02, longest=0.5, clock=lambda: now[0])
    with request_in_its_ack(acks):
        handed_off = acks.now()
        now[0] = 100.6  # the pool's threads were busy for 0.6 s
        acks.wait_turn(handed_off)  # returns at once though a request is still in its ack
        assert acks.acking == 1
