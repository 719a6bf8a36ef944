"""The pacer keeps to Slack's documented pace and learns from 429s (a fake clock, no sleeping)."""

from app.slack.pacing import DOCUMENTED_LIMITS, Limit, Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_burst_then_the_documented_rate():
    t = FakeTime()
    pacer = Pacer({"conversations.open": Limit(1.0, burst=3)}, clock=t.clock, sleep=t.sleep)
    for _ in range(3):
        pacer.wait("conversations.open")
    assert t.now == 0
    for _ in range(5):
        pacer.wait("conversations.open")
    assert abs(t.now - 5.0) < 1e-9  # one a second after the burst


def test_a_429_blocks_for_retry_after_and_slows_down():
    t = FakeTime()
    pacer = Pacer({"conversations.open": Limit(1.0, burst=1)}, clock=t.clock, sleep=t.sleep)
    pacer.wait("conversations.open")
    pacer.rate_limited("conversations.open", "", retry_after=30)
    pacer.wait("conversations.open")
    assert t.now >= 30
    assert pacer.rate("conversations.open") < 1.0


def test_successes_speed_back_up_to_a_ceiling():
    t = FakeTime()
    pacer = Pacer({"m": Limit(1.0, burst=1)}, clock=t.clock, sleep=t.sleep)
    for _ in range(1000):
        pacer.succeeded("m")
    assert pacer.rate("m") == 4.0


def test_post_message_is_paced_per_channel():
    t = FakeTime()
    pacer = Pacer(clock=t.clock, sleep=t.sleep)
    assert DOCUMENTED_LIMITS["chat.postMessage"].per_channel
    for channel in ("D1", "D2", "D3", "D4", "D5"):
        pacer.wait("chat.postMessage", channel)
    assert t.now == 0  # different channels never wait for each other


def test_unknown_methods_are_not_paced():
    t = FakeTime()
    pacer = Pacer(clock=t.clock, sleep=t.sleep)
    for _ in range(100):
        pacer.wait("users.info")
    assert t.now == 0
