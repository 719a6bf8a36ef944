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
    pacer.wait("conversations.open")  # paced now, past the first burst
    pacer.rate_limited("conversations.open", "", retry_after=30)
    started = t.now
    pacer.wait("conversations.open")
    assert t.now - started >= 30
    assert pacer.rate("conversations.open") < 1.0


def test_before_any_429_successes_raise_the_rate_past_the_documented_one():
    t = FakeTime()
    pacer = Pacer({"m": Limit(1.0, burst=1)}, clock=t.clock, sleep=t.sleep)
    for _ in range(100):
        pacer.wait("m")
        pacer.succeeded("m")
    assert pacer.rate("m") > 40  # no ceiling tied to the documented rate: Slack's 429 says where it is


def test_the_pace_converges_on_the_limit_from_above_with_few_429s():
    """A simulated Slack that accepts 50 calls a second (burst 5) and says 429 (Retry-After 1) beyond."""
    t = FakeTime()
    pacer = Pacer({"m": Limit(1.0, burst=3)}, clock=t.clock, sleep=t.sleep)
    limit, tokens, updated = 50.0, 5.0, 0.0
    refused = accepted = 0
    while t.now < 300:
        pacer.wait("m")
        tokens = min(5.0, tokens + (t.now - updated) * limit)
        updated = t.now
        if tokens >= 1:
            tokens -= 1
            accepted += 1
            pacer.succeeded("m")
        else:
            refused += 1
            pacer.rate_limited("m", "", retry_after=1)
    assert accepted / (limit * t.now) >= 0.95
    assert refused <= 15
    assert 0.9 * limit <= pacer.rate("m") <= limit


def test_a_429_within_the_first_burst_shrinks_the_burst_not_the_rate():
    t = FakeTime()
    pacer = Pacer({"m": Limit(8.0, burst=10)}, clock=t.clock, sleep=t.sleep)
    for _ in range(5):
        pacer.wait("m")
    pacer.rate_limited("m", "", retry_after=1)
    assert pacer.rate("m") == 8.0


def test_429s_of_calls_already_in_flight_count_once():
    t = FakeTime()
    pacer = Pacer({"m": Limit(8.0, burst=1)}, clock=t.clock, sleep=t.sleep)
    pacer.wait("m")
    pacer.wait("m")
    pacer.rate_limited("m", "", retry_after=2)
    once = pacer.rate("m")
    for _ in range(5):
        pacer.rate_limited("m", "", retry_after=2)
    assert pacer.rate("m") == once < 8.0


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


def test_buckets_of_channels_unused_for_a_while_are_forgotten():
    t = FakeTime()
    pacer = Pacer(clock=t.clock, sleep=t.sleep)
    for n in range(3000):
        pacer.wait("chat.postMessage", f"D{n}")
        t.now += 0.1  # 300 s in all
    assert len(pacer._buckets) <= 1300  # the last two minutes' channels, and a few more
