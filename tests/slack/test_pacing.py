"""The pacer keeps to Slack's documented pace and learns the real one from 429s.

Everything here runs on a fake clock: nothing sleeps and nothing depends on the machine's speed. The
simulations drive several senders through the pacer against a simulated Slack (the fake Web API's own
limiter: a token bucket, a fixed window or a sliding window, answering 429 with a whole-second
Retry-After, as Slack does), with seeded random network delays, so each run is the same everywhere.
Their thresholds leave a margin of a few points below what the pacer reaches; the figures against the
fake Web API over HTTP come from benchmarks/delivery_throughput.py.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

import pytest

from app.sandbox.standin import RATE_LIMIT_SHAPES, _RateLimit
from app.slack.pacing import DOCUMENTED_LIMITS, TIER_3, Interrupted, Limit, Pacer, Release


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
    release = pacer.wait("conversations.open")  # paced now, past the first burst
    pacer.rate_limited("conversations.open", "", retry_after=30, release=release)
    started = t.now
    pacer.wait("conversations.open")
    assert t.now - started >= 30
    assert pacer.rate("conversations.open") < 1.0


def test_before_any_429_successes_raise_the_rate_past_the_documented_one():
    t = FakeTime()
    pacer = Pacer({"m": Limit(1.0, burst=1)}, clock=t.clock, sleep=t.sleep)
    for _ in range(100):
        pacer.succeeded("m", "", pacer.wait("m"))
    assert pacer.rate("m") > 40  # no ceiling tied to the documented rate: Slack's 429 says where it is


def test_a_429_within_a_burst_shrinks_the_burst_not_the_rate():
    t = FakeTime()
    pacer = Pacer({"m": Limit(8.0, burst=10)}, clock=t.clock, sleep=t.sleep)
    releases = [pacer.wait("m") for _ in range(5)]
    assert releases[-1] is not None and releases[-1].early
    pacer.rate_limited("m", "", retry_after=1, release=releases[-1])
    assert pacer.rate("m") == 8.0
    t.now += 10  # a pause: the bucket fills up again, but only to the smaller burst
    assert sum(1 for _ in range(10) if isinstance(pacer.try_acquire("m"), Release)) == 5


def test_429s_of_calls_already_in_flight_count_once():
    t = FakeTime()
    pacer = Pacer({"m": Limit(8.0, burst=1)}, clock=t.clock, sleep=t.sleep)
    in_flight = [pacer.wait("m") for _ in range(6)]
    pacer.rate_limited("m", "", retry_after=2, release=in_flight[0])
    once = pacer.rate("m")
    for release in in_flight[1:]:
        pacer.rate_limited("m", "", retry_after=2, release=release)
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
        assert pacer.wait("users.info") is None
    assert t.now == 0


def test_buckets_of_channels_unused_for_a_while_are_forgotten():
    t = FakeTime()
    pacer = Pacer(clock=t.clock, sleep=t.sleep)
    for n in range(3000):
        pacer.wait("chat.postMessage", f"D{n}")
        t.now += 0.1  # 300 s in all
    assert len(pacer._buckets) <= 1300  # the last two minutes' channels, and a few more


def test_a_wait_is_given_up_when_the_caller_stops():
    class Stop:
        def wait(self, timeout: float) -> bool:
            return True  # set while waiting

    pacer = Pacer({"m": Limit(1.0, burst=1)})
    pacer.wait("m")
    with pytest.raises(Interrupted):
        pacer.wait("m", stop=Stop())  # type: ignore[arg-type]


# ---- simulations ---------------------------------------------------------------------------------------


@dataclass
class SimulatedSlack:
    """Slack's limit: ``rate`` a second in the long run, ``burst`` at once, in one of the fake Web API's
    shapes (its own limiter, driven by the fake clock); beyond it a 429 with a whole-second Retry-After
    (at least 1). ``stray`` is the share of calls refused anyway (another app sharing the limit, say)."""

    rate: float
    burst: int
    stray: float = 0.0
    shape: str = "token-bucket"
    limiter: _RateLimit = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = _RateLimit(self.rate, self.burst, shape=self.shape)

    def set_rate(self, rate: float) -> None:
        self.rate = self.limiter.per_second = rate

    def decide(self, now: float, rng: random.Random) -> int | None:
        if self.stray and rng.random() < self.stray:
            return 1
        return self.limiter.take("", now)


@dataclass
class Outcome:
    accepted: list[float]
    refused: int
    pacer: Pacer

    def rate_between(self, start: float, end: float) -> float:
        return sum(1 for t in self.accepted if start <= t < end) / (end - start)

    @property
    def bucket(self):  # the simulated method's bucket, to look at what the pacer learned
        return self.pacer._buckets[("m", "")]


def simulate(
    slack: SimulatedSlack,
    *,
    seconds: float,
    start: Limit = DOCUMENTED_LIMITS["conversations.open"],
    senders: int = 8,
    delay: tuple[float, float] = (0.001, 0.004),
    pause_every: int = 0,
    pause: float = 0.0,
    seed: int = 1,
    limit_changes: tuple[tuple[float, float], ...] = (),
) -> Outcome:
    """``senders`` each send one call after another through the pacer, as delivery's sender threads do:
    wait for the pace, the request travels ``delay`` (uniform) to Slack, the answer travels back, a 429
    is retried. Every ``pause_every`` calls all senders stop for ``pause`` seconds (a slow database).
    ``limit_changes``: (when, new rate) for Slack."""
    rng = random.Random(seed)
    now = 0.0
    events: list[tuple[float, int, str, int, Release | None]] = []
    order = 0

    def at(when: float, what: str, sender: int, release: Release | None = None) -> None:
        nonlocal order
        order += 1
        heapq.heappush(events, (when, order, what, sender, release))

    pacer = Pacer({"m": start}, clock=lambda: now)
    accepted: list[float] = []
    refused = 0
    started = 0
    paused_until = 0.0
    changes = list(limit_changes)
    for sender in range(senders):
        at(0.0, "try", sender)
    while events and events[0][0] < seconds:
        now, _, what, sender, release = heapq.heappop(events)
        while changes and changes[0][0] <= now:
            slack.set_rate(changes.pop(0)[1])
        if what == "try":
            if now < paused_until:
                at(paused_until, "try", sender)
                continue
            answer = pacer.try_acquire("m")
            if isinstance(answer, float):
                at(now + answer, "try", sender)
            else:
                at(now + rng.uniform(*delay), "arrive", sender, answer)
        elif what == "arrive":
            retry_after = slack.decide(now, rng)
            answer = "ok" if retry_after is None else f"429:{retry_after}"
            at(now + rng.uniform(*delay), answer, sender, release)
        elif what == "ok":
            accepted.append(now)
            pacer.succeeded("m", "", release)
            started += 1
            if pause_every and started % pause_every == 0:
                paused_until = now + pause
            at(now, "try", sender)
        else:
            refused += 1
            pacer.rate_limited("m", "", float(what.split(":")[1]), release)
            at(now, "try", sender)
    return Outcome(accepted, refused, pacer)


def test_the_pace_converges_just_under_the_limit_with_few_429s():
    """Slack allows 50 calls a second (60 times Tier 3) with a burst of 5; the pacer starts from Tier 3."""
    run = simulate(SimulatedSlack(rate=50.0, burst=5), seconds=300)
    assert run.rate_between(10, 300) >= 0.94 * 50  # the pacer reaches about 98 %
    assert run.refused <= 0.005 * len(run.accepted)  # about 0.07 %
    assert 0.95 * 50 <= run.pacer.rate("m") <= 50


# Slack documents Tier 3 as 50+ calls a minute, not the limiter's shape. Sped up 30, 60 and 120 times (as
# the benchmark does), with Retry-After still whole seconds: a 429 costs 25 to 100 calls' worth of time.
SHAPE_BURST = {"token-bucket": 5, "fixed-window": 50, "sliding-window": 50}  # windows: 50 calls a minute


@pytest.mark.parametrize("scale", [30, 60, 120])
@pytest.mark.parametrize("shape", RATE_LIMIT_SHAPES)
def test_whatever_the_limiters_shape_and_scale(shape, scale):
    """Three simulated minutes from the documented Tier 3, which is 30-120 times too slow."""
    limit = TIER_3 * scale
    run = simulate(SimulatedSlack(rate=limit, burst=SHAPE_BURST[shape], shape=shape), seconds=180)
    overall = len(run.accepted) / (limit * 180 + SHAPE_BURST[shape])  # the benchmark's "allowed"
    assert overall >= 0.92  # 94.1-96.2 %: the slow start and the first few 429s
    assert run.rate_between(30, 180) >= 0.95 * limit  # 97.5-99.1 %
    assert run.refused <= 0.005 * len(run.accepted)  # 0.02-0.21 %


def test_a_sliding_window_with_jittery_network_delays():
    """Delays of 1-20 ms against a window of half a second: calls bunch up at Slack, which refuses them
    a little below its rate; the pace settles a little lower, not in a cycle of 429s."""
    limit = TIER_3 * 120
    run = simulate(
        SimulatedSlack(rate=limit, burst=50, shape="sliding-window"), seconds=180, delay=(0.001, 0.02)
    )
    assert run.rate_between(30, 180) >= 0.92 * limit  # 95.1 %
    assert run.refused <= 0.005 * len(run.accepted)


def test_a_pace_is_confirmed_before_the_pacer_climbs_towards_the_refused_rate():
    t = FakeTime()
    pacer = Pacer({"m": Limit(1.0, burst=1)}, clock=t.clock, sleep=t.sleep)
    for _ in range(20):  # the slow start
        pacer.succeeded("m", "", pacer.wait("m"))
    refused = pacer.rate("m")
    pacer.rate_limited("m", "", retry_after=1, release=pacer.wait("m"))
    assert pacer.rate("m") == pytest.approx(refused / 2)  # the slow start overshoots: halve
    for _ in range(49):
        pacer.succeeded("m", "", pacer.wait("m"))
    assert pacer.rate("m") == pytest.approx(refused / 2)  # not confirmed yet: 100 calls at the refused rate
    pacer.succeeded("m", "", pacer.wait("m"))
    assert pacer.rate("m") == pytest.approx(refused / 2 * 2**0.25, rel=1e-4)  # a quarter of the way up


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_the_result_does_not_hinge_on_the_network_delays(seed):
    run = simulate(SimulatedSlack(rate=50.0, burst=5), seconds=300, seed=seed, delay=(0.001, 0.02))
    assert run.rate_between(10, 300) >= 0.94 * 50
    assert run.refused <= 0.005 * len(run.accepted)


def test_at_slacks_own_scale_too():
    """Tier 3 itself (the limit three times the documented 50 a minute), 100-200 ms away, for two hours."""
    limit = 3 * TIER_3
    run = simulate(SimulatedSlack(rate=limit, burst=10), seconds=7200, delay=(0.05, 0.2))
    assert run.rate_between(600, 7200) >= 0.95 * limit
    assert run.refused <= 0.01 * len(run.accepted)


def test_pauses_on_our_side_do_not_ratchet_the_pace_down():
    """The defect of an earlier pacer: after each pause the bucket's stored burst went out at once, Slack
    (whose burst was used up) answered 429 below its limit, and each such 429 lowered the bound a little
    more until the pace stalled. Such 429s now shrink the burst; the bound stays where Slack put it."""
    run = simulate(SimulatedSlack(rate=200.0, burst=5), seconds=120, pause_every=100, pause=0.03)
    assert run.pacer.rate("m") >= 0.95 * 200
    assert run.bucket.burst < 5
    assert run.refused <= 0.005 * len(run.accepted)


def test_stray_429s_do_not_ratchet_the_pace_down():
    """One call in 10,000 refused whatever the pace (another app sharing the limit, say). Each such 429
    costs a second and lowers the bound a little, but never below the rate Slack was shown to accept
    between refusals, and the probe wins the ground back."""
    run = simulate(SimulatedSlack(rate=50.0, burst=5, stray=0.0001), seconds=1800)
    assert run.rate_between(900, 1800) >= 0.92 * 50  # about 97 %
    assert run.pacer.rate("m") >= 0.92 * 50


@pytest.mark.parametrize("delay", [(0.001, 0.004), (0.05, 0.2)])
def test_what_slack_was_shown_to_accept_never_exceeds_its_limit(delay):
    limit = 2.5
    run = simulate(SimulatedSlack(rate=limit, burst=10), seconds=1800, delay=delay)
    assert 0 < run.bucket.proven <= limit
    assert run.bucket.too_fast >= run.bucket.proven


def test_a_limit_that_was_raised_is_found_again():
    run = simulate(SimulatedSlack(rate=50.0, burst=5), seconds=900, limit_changes=((300.0, 60.0),))
    assert run.rate_between(200, 300) >= 0.94 * 50
    assert run.pacer.rate("m") >= 0.94 * 60


def test_a_limit_that_was_lowered_is_kept_to_within_a_few_429s():
    """Another replica starts sending: this one's share of the limit halves."""
    run = simulate(SimulatedSlack(rate=50.0, burst=5), seconds=300, limit_changes=((150.0, 25.0),))
    assert run.pacer.rate("m") <= 1.02 * 25  # about 0.99
    assert run.rate_between(200, 300) >= 0.9 * 25  # about 0.96
    assert run.refused <= 40  # about 15 all told
