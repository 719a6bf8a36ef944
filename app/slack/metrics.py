"""``GET /metrics`` in Prometheus' text format: Slack requests and their ack time (this process), and the
outbox, rounds and unreachable people (read from the database, so every replica reports the same totals).

A registry per bot, not the library's global one, so two bots in one test process don't share counters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.services.operations import OperationsSnapshot

# Slack wants an answer within 3 s; the buckets are dense below that.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


class _OperationsCollector(Collector):
    def __init__(self, snapshot: Callable[[], OperationsSnapshot]) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        snap = self._snapshot()
        notices = GaugeMetricFamily(
            "mentorbot_notices", "Notices in the outbox by status (all replicas).", labels=["status"]
        )
        for status in ("queued", "sending", "sent", "failed"):
            notices.add_metric([status], snap.notices_by_status.get(status, 0))
        yield notices
        failed = GaugeMetricFamily(
            "mentorbot_notices_failed_by_reason",
            "Notices that failed for good, by Slack's error (all replicas).",
            labels=["reason"],
        )
        for reason, count in sorted(snap.failed_by_reason.items()):
            failed.add_metric([reason], count)
        yield failed
        rounds = CounterMetricFamily("mentorbot_coffee_rounds", "Coffee roulette rounds run (all replicas).")
        rounds.add_metric([], snap.rounds_run)
        yield rounds
        yield GaugeMetricFamily(
            "mentorbot_unreachable_people",
            "People left out of matches and rounds because Slack said they can't be reached.",
            value=snap.unreachable_people,
        )


class Metrics:
    def __init__(self, snapshot: Callable[[], OperationsSnapshot] | None = None) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "mentorbot_slack_requests",
            "Requests from Slack (HTTP or Socket Mode) by kind and status (this process).",
            ["kind", "status"],
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "mentorbot_slack_ack_seconds",
            "Time from a Slack request's arrival to our answer (the ack), by kind (this process).",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        if snapshot is not None:
            self.registry.register(_OperationsCollector(snapshot))

    def observe_request(self, kind: str, status: int, seconds: float) -> None:
        self.requests.labels(kind=kind, status=str(status)).inc()
        self.ack_seconds.labels(kind=kind).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
