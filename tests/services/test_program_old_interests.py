"""Applications stored before interests were tags (free comma text, any case) still read as tags and
score on them (#13)."""

from __future__ import annotations

from datetime import timedelta

from clocks import TestClock
from sqlalchemy import update

from app.bootstrap import create_services
from app.config import load_settings
from app.db.models import ProgramApplication
from app.domain.cohorts import ProgramKind, Role
from app.services.people import Person
from app.services.programs import Application, ProgramSettings

ADMIN = Person("UADMIN", "Ada Admin", "UTC")


def test_old_comma_text_reads_as_tags(engine) -> None:
    clock = TestClock()
    settings = load_settings(
        _env_file=None,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        database_url="sqlite://",
        mentorbot_admins="UADMIN",
    )
    svc = create_services(engine, settings, clock).programs
    start = clock.now().date() + timedelta(days=14)
    svc.create(ADMIN, ProgramSettings("Old tags", "why", ProgramKind.REVERSE, start_date=start))
    svc.invite(ADMIN, "Old tags", ["UM", "UE"])
    view = svc.programs(ADMIN)[0]
    wave_id = 1
    assert view.waves[0].number == 1
    svc.apply(
        Person("UM", "M", "Europe/Berlin"), wave_id, Application(Role.MENTOR, "eng", 1, (), "", "", False)
    )
    svc.apply(
        Person("UE", "E", "Europe/Paris"), wave_id, Application(Role.MENTEE, "ops", 5, (), "", "", False)
    )
    with engine.begin() as c:  # as rows written before tags: free text, spaces, capitals
        c.execute(
            update(ProgramApplication)
            .where(ProgramApplication.user_id == "UM")
            .values(interests="Rock  Climbing, Chess")
        )
        c.execute(
            update(ProgramApplication)
            .where(ProgramApplication.user_id == "UE")
            .values(interests="chess,rock climbing ,")
        )
    [pair] = svc.preview(ADMIN, "Old tags").result.pairs
    assert pair.shared_interests == ("chess", "rock climbing")
    assert pair.hours_overlap == 40  # Berlin and Paris share a zone: the whole default week
