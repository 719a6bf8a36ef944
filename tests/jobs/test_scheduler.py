"""The scheduler is a metronome over services: each job calls one service (no Slack client in sight), and
a failing tick is logged without stopping the others."""

from __future__ import annotations

import logging

from app.bootstrap import create_services
from app.config import load_settings
from app.jobs.scheduler import create_scheduler
from app.services.delivery import NoticeDelivery
from app.services.people import Person


class FakeCourier:
    def __init__(self) -> None:
        self.drains = 0

    def drain(self) -> int:
        self.drains += 1
        return 0


class NoChannels:
    def humans_in(self, channel_id: str) -> list[Person] | None:
        return None


def test_every_job_is_a_service_call_and_a_failing_one_only_logs(engine, caplog):
    settings = load_settings(_env_file=None, slack_bot_token="xoxb-test", slack_signing_secret="s")
    services = create_services(engine, settings, channel_members=NoChannels())
    courier = FakeCourier()
    scheduler = create_scheduler(services, NoticeDelivery(courier))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "deliver_due_notices",
        "expire_stale_requests",
        "gather_due_sessions",
        "remind_due_sessions",
        "post_session_check_ins",
        "propose_program_sessions",
        "remind_program_sessions",
        "ask_after_program_sessions",
        "send_coach_digests",
        "send_wave_surveys",
        "ask_program_agendas",
        "judge_programs_behind",
        "ask_session_feedback",
        "expire_seat_offers",
        "request_due_feedback",
        "send_feedback_reminders",
        "run_due_coffee_round",
        "send_coffee_followups",
        "send_coffee_heads_ups",
        "settle_coffee_followups",
        "forget_old_event_ids",
    }
    jobs["deliver_due_notices"].func()
    assert courier.drains == 1
    for name, job in jobs.items():
        if name != "deliver_due_notices":
            job.func()  # each runs against an empty database without raising

    def broken() -> int:
        raise RuntimeError("database away")

    courier.drain = broken  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="app.jobs.scheduler"):
        jobs["deliver_due_notices"].func()
    assert "job deliver_due_notices failed" in caplog.text
