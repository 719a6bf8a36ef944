"""ProgramsService: create, invite, apply, import, preview, adjust, publish, waves; refusals change
nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from clocks import TestClock
from sqlalchemy import func, select

from app.bootstrap import create_services
from app.config import load_settings
from app.db.models import Notice, ProgramApplication, ProgramPair
from app.domain.cohorts import ProgramKind, Role, Rule
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.services.people import Person
from app.services.programs import EXCLUDE, LOCK, Application, ProgramSettings

ADMIN = Person("UADMIN", "Ada Admin", "UTC")
BOB = Person("UBOB", "Bob", "Europe/Berlin")


class Channels:
    def humans_in(self, channel_id: str) -> list[Person] | None:
        return [Person("UCH1", "One", "UTC"), Person("UCH2", "Two", "UTC")] if channel_id == "CPROG" else None


class Workspace:
    def find(self, user_id: str) -> Person | None:
        return None if user_id.startswith("UGONE") else Person(user_id, user_id, "UTC")


@pytest.fixture
def svc(engine, clock):
    settings = load_settings(
        _env_file=None,
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        database_url="sqlite://",
        mentorbot_admins="UADMIN",
    )
    services = create_services(engine, settings, clock, channel_members=Channels())
    services.programs._workspace = Workspace()
    svc = services.programs
    svc.erasure = services.erasure  # type: ignore[attr-defined]  # for the erasure test
    return svc


def settings(clock: TestClock, **kw) -> ProgramSettings:
    values = dict(
        name="Reverse 2027",
        purpose="Leaders learn from the people closest to the work.",
        kind=ProgramKind.REVERSE,
        start_date=clock.now().date() + timedelta(days=14),
        coaches=("UCOACH1", "UCOACH2"),
    )
    values.update(kw)
    return ProgramSettings(**values)  # type: ignore[arg-type]


def app(
    role: Role, team: str, level: int, interests: tuple[str, ...] = ("chess",), intro: str = "Hi"
) -> Application:
    return Application(role, team, level, interests, "learn things", intro, False)


def count(engine, model) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model))


def test_a_wave_from_creation_to_publication(svc, clock, engine) -> None:
    view = svc.create(ADMIN, settings(clock))
    assert [w.number for w in view.waves] == [1]
    name, new = svc.invite(ADMIN, "reverse 2027", ["UM1", "UE1", "UE2"], ["CPROG"])
    assert (name, new) == ("Reverse 2027", 5)
    assert svc.invite(ADMIN, "Reverse 2027", ["UM1"])[1] == 0  # invited once
    wave_id = svc.application_form(Person("UM1", "M1", "UTC"), _wave_id(engine)).wave_id
    svc.apply(Person("UM1", "M1", "UTC"), wave_id, app(Role.MENTOR, "eng", 1))
    svc.apply(Person("UM2", "M2", "UTC"), wave_id, app(Role.MENTOR, "eng", 2, ("go",)))
    svc.apply(Person("UE1", "E1", "UTC"), wave_id, app(Role.MENTEE, "sales", 5, intro="I lead sales"))
    svc.apply(Person("UE2", "E2", "UTC"), wave_id, app(Role.MENTEE, "eng", 5))  # same team as both

    shown = svc.preview(ADMIN, "Reverse 2027")
    assert [(p.mentor, p.mentee) for p in shown.result.pairs] == [("UM1", "UE1")]
    reasons = {u.user_id: u.rule for u in shown.result.unmatched}
    assert reasons == {"UE2": Rule.SAME_TEAM, "UM2": Rule.TAKEN}
    assert svc.preview(ADMIN, "Reverse 2027") == shown  # the stored seed: the same pairs

    locked = svc.adjust(ADMIN, "Reverse 2027", LOCK, "UM2", "UE1")
    assert [(p.mentor, p.mentee, p.locked) for p in locked.result.pairs] == [("UM2", "UE1", True)]
    with pytest.raises(InvalidInput, match="same team"):
        svc.adjust(ADMIN, "Reverse 2027", LOCK, "UM1", "UE2")
    excluded = svc.adjust(ADMIN, "Reverse 2027", EXCLUDE, "UM1")
    assert {u.user_id: u.rule for u in excluded.result.unmatched}["UM1"] == Rule.EXCLUDED

    before = count(engine, Notice)
    done = svc.publish(ADMIN, "Reverse 2027")
    assert (done.pairs, done.coaches) == (1, 1)
    assert count(engine, Notice) == before + 2  # one group DM, one coach's brief
    with pytest.raises(Conflict, match="already published"):
        svc.publish(ADMIN, "Reverse 2027")
    assert count(engine, Notice) == before + 2

    [listed] = svc.programs(ADMIN)
    assert [(w.applicants, w.matched, w.published) for w in listed.waves] == [(4, 2, True)]
    second = svc.start_wave(ADMIN, "Reverse 2027")
    assert [w.number for w in second.waves] == [1, 2]
    wave2 = _wave_id(engine)
    svc.apply(Person("UM2", "M2", "UTC"), wave2, app(Role.MENTOR, "eng", 1))
    svc.apply(Person("UE1", "E1", "UTC"), wave2, app(Role.MENTEE, "sales", 5))
    again = svc.preview(ADMIN, "Reverse 2027")
    assert again.result.pairs == ()  # wave 1's partners are never paired again
    assert {u.rule for u in again.result.unmatched} == {Rule.EARLIER_WAVE}
    with pytest.raises(InvalidInput, match="nobody to match"):
        svc.publish(ADMIN, "Reverse 2027")


def _wave_id(engine) -> int:
    from app.db.models import ProgramWave

    with engine.connect() as c:
        return c.scalar(select(func.max(ProgramWave.id)))


def test_refusals_change_nothing(svc, clock, engine) -> None:
    with pytest.raises(NotAllowed):
        svc.create(BOB, settings(clock))
    svc.create(ADMIN, settings(clock))
    with pytest.raises(Conflict, match="already a program"):
        svc.create(ADMIN, settings(clock, name="reverse 2027"))
    yesterday = clock.now().date() - timedelta(days=1)
    for bad in (dict(minutes=45), dict(start_date=yesterday), dict(min_level_gap=7), dict(sessions=0)):
        with pytest.raises(InvalidInput):
            svc.create(ADMIN, settings(clock, name="Other", **bad))
    with pytest.raises(InvalidInput):
        svc.create(ADMIN, settings(clock, name=" "))
    for call in (
        lambda: svc.invite(BOB, "Reverse 2027", ["UX"]),
        lambda: svc.preview(BOB, "Reverse 2027"),
        lambda: svc.publish(BOB, "Reverse 2027"),
        lambda: svc.programs(BOB),
        lambda: svc.start_wave(BOB, "Reverse 2027"),
    ):
        with pytest.raises(NotAllowed):
            call()
    with pytest.raises(NotFound):
        svc.preview(ADMIN, "Nope")
    with pytest.raises(InvalidInput, match="nobody to match"):
        svc.publish(ADMIN, "Reverse 2027")
    wave = _wave_id(engine)
    with pytest.raises(InvalidInput, match="1 to 5"):
        svc.apply(BOB, wave, app(Role.MENTOR, "eng", 6))
    svc.apply(BOB, wave, app(Role.MENTOR, "eng", 1))
    with pytest.raises(Conflict, match="already applied"):
        svc.apply(BOB, wave, app(Role.MENTEE, "eng", 4))
    with pytest.raises(InvalidInput, match="can't read"):
        svc.invite(ADMIN, "Reverse 2027", [], ["CPRIVATE"])
    clock.advance(timedelta(days=14))  # the program starts
    with pytest.raises(Conflict, match="has started"):
        svc.apply(Person("ULATE", "Late", "UTC"), wave, app(Role.MENTEE, "sales", 5))
    with pytest.raises(Conflict, match="has started"):
        svc.invite(ADMIN, "Reverse 2027", ["ULATE"])
    assert count(engine, ProgramApplication) == 1
    assert count(engine, ProgramPair) == 0


def test_csv_import_skips_people_not_in_the_workspace_and_bad_rows(svc, clock, engine) -> None:
    svc.create(ADMIN, settings(clock))
    text = (
        "slack_id,role,team,level,interests\n"
        "UA1,mentor,eng,1,chess;go\n"
        "UGONE1,mentee,sales,5,chess\n"
        "UA2,mentee,sales,9,\n"
        "UA3,boss,sales,5,\n"
        "UA4,mentee,sales,5,chess\n"
        "UA1,mentee,sales,5,\n"
    )
    report = svc.import_csv(ADMIN, "Reverse 2027", text)
    assert report.added == 2
    assert [s.split(":")[0] for s in report.skipped] == ["row 3", "row 4", "row 5", "row 7"]
    assert "not in this workspace" in report.skipped[0]
    with pytest.raises(NotAllowed):
        svc.import_csv(BOB, "Reverse 2027", text)
    shown = svc.preview(ADMIN, "Reverse 2027")
    [pair] = shown.result.pairs
    assert (pair.mentor, pair.mentee, pair.shared_interests) == ("UA1", "UA4", ("chess",))


def test_forget_me_erases_applications_and_keeps_the_figures(svc, clock, engine) -> None:
    svc.create(ADMIN, settings(clock))
    wave = _wave_id(engine)
    mentee = Person("UE1", "E1", "UTC")
    svc.apply(Person("UM1", "M1", "UTC"), wave, app(Role.MENTOR, "eng", 1))
    svc.apply(mentee, wave, app(Role.MENTEE, "sales", 5, intro="my words"))
    svc.publish(ADMIN, "Reverse 2027")
    svc.erasure.forget(mentee)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).where(ProgramApplication.user_id == "UE1")) == 0
        assert c.scalar(select(func.count()).where(ProgramPair.mentee_id == "UE1")) == 0
    [listed] = svc.programs(ADMIN)
    assert listed.waves[0].matched == 2


def test_a_coffee_avoid_wish_holds_in_programs(svc, clock, engine) -> None:
    from app.db.models import CoffeeAvoid

    svc.create(ADMIN, settings(clock))
    wave = _wave_id(engine)
    svc.apply(Person("UM1", "M1", "UTC"), wave, app(Role.MENTOR, "eng", 1))
    svc.apply(Person("UE1", "E1", "UTC"), wave, app(Role.MENTEE, "sales", 5))
    assert len(svc.preview(ADMIN, "Reverse 2027").result.pairs) == 1
    with engine.begin() as c:
        c.execute(
            CoffeeAvoid.__table__.insert().values(user_id="UE1", avoided_id="UM1", created_at=clock.now())
        )
    shown = svc.preview(ADMIN, "Reverse 2027")
    assert shown.result.pairs == () and {u.rule for u in shown.result.unmatched} == {Rule.AVOID}
