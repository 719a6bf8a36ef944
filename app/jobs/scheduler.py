"""APScheduler jobs. Each only calls a service; claiming in the database makes them safe to run in
several replicas at once and to catch up after downtime."""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from app.logs import log_context
from app.services.clock import utc_now
from app.services.container import Services
from app.services.delivery import NoticeDelivery

log = logging.getLogger(__name__)

DELIVERY_EVERY_SECONDS = 2
SWEEP_EVERY_SECONDS = 60


Job = tuple[str, Callable[[], object], int]  # name, what it calls, every how many seconds


def periodic_jobs(services: Services, delivery: NoticeDelivery) -> list[Job]:
    """Every job the bot runs on its own. The sandbox runs the same list when its clock moves, so
    nothing that is due is left out there."""
    return [
        ("deliver_due_notices", delivery.deliver_due_notices, DELIVERY_EVERY_SECONDS),
        ("expire_stale_requests", services.mentoring.expire_stale_requests, SWEEP_EVERY_SECONDS),
        ("request_due_feedback", services.feedback.request_due_feedback, SWEEP_EVERY_SECONDS),
        ("send_feedback_reminders", services.feedback.send_reminders, SWEEP_EVERY_SECONDS),
        ("run_due_coffee_round", services.coffee_channels.run_due_round, SWEEP_EVERY_SECONDS),
        ("send_coffee_followups", services.roulette.send_due_followups, SWEEP_EVERY_SECONDS),
        ("send_coffee_heads_ups", services.roulette.send_due_heads_ups, SWEEP_EVERY_SECONDS),
        ("settle_coffee_followups", services.roulette.settle_followups, SWEEP_EVERY_SECONDS),
        ("gather_due_sessions", services.hosting.gather_due, SWEEP_EVERY_SECONDS),
        ("remind_due_sessions", services.hosting.remind_due, SWEEP_EVERY_SECONDS),
        ("post_session_check_ins", services.hosting.check_in_due, SWEEP_EVERY_SECONDS),
        ("propose_program_sessions", services.programs.propose_due_sessions, SWEEP_EVERY_SECONDS),
        ("remind_program_sessions", services.programs.remind_sessions, SWEEP_EVERY_SECONDS),
        ("ask_after_program_sessions", services.programs.ask_after_sessions, SWEEP_EVERY_SECONDS),
        ("send_coach_digests", services.programs.send_coach_digests, SWEEP_EVERY_SECONDS),
        ("send_wave_surveys", services.programs.send_wave_surveys, SWEEP_EVERY_SECONDS),
        ("ask_program_agendas", services.programs.ask_for_agendas, SWEEP_EVERY_SECONDS),
        ("judge_programs_behind", services.programs.judge_behind, SWEEP_EVERY_SECONDS),
        ("expire_seat_offers", services.waitlist.expire_offers, SWEEP_EVERY_SECONDS),
        ("ask_session_feedback", services.session_feedback.ask_due, SWEEP_EVERY_SECONDS),
        ("forget_old_event_ids", services.operations.forget_old_events, 3600),
    ]


def create_scheduler(services: Services, delivery: NoticeDelivery) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30}
    )
    jobs = periodic_jobs(services, delivery)
    # APScheduler runs on the wall clock (not a test's clock): "now" here means "at once".
    started = utc_now()
    for name, func, seconds in jobs:
        # First run right away: a round or reminder that came due while the bot was down doesn't wait
        # a whole interval more.
        scheduler.add_job(
            _logged(name, func), "interval", seconds=seconds, id=name, name=name, next_run_time=started
        )
    return scheduler


def _logged(name: str, func: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            with log_context(job=name):
                func()
        except Exception:  # one failed tick must not stop the metronome
            log.exception("job %s failed", name)

    run.__name__ = name
    return run
