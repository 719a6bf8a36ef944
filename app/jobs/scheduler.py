"""APScheduler jobs. Each only calls a service; claiming in the database makes them safe to run in
several replicas at once and to catch up after downtime."""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from app.services.container import Services
from app.slack.delivery import Dispatcher

log = logging.getLogger(__name__)

DELIVERY_EVERY_SECONDS = 2
SWEEP_EVERY_SECONDS = 60


def create_scheduler(services: Services, dispatcher: Dispatcher) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30}
    )
    jobs: list[tuple[str, Callable[[], object], int]] = [
        ("deliver_due_notices", dispatcher.drain, DELIVERY_EVERY_SECONDS),
        ("expire_stale_requests", services.mentoring.expire_stale_requests, SWEEP_EVERY_SECONDS),
        ("request_due_feedback", services.feedback.request_due_feedback, SWEEP_EVERY_SECONDS),
    ]
    for name, func, seconds in jobs:
        scheduler.add_job(_logged(name, func), "interval", seconds=seconds, id=name, name=name)
    return scheduler


def _logged(name: str, func: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            func()
        except Exception:  # one failed tick must not stop the metronome
            log.exception("job %s failed", name)

    run.__name__ = name
    return run
