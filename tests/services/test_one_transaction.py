"""Leaving the register and erasing oneself are each ONE transaction: a crash half-way commits nothing.

Before, each ran as several transactions: a crash after the first left an inactive mentor holding
requests nobody would answer, or conversations cancelled for somebody who was never erased.
"""

from __future__ import annotations

from datetime import time

import pytest
from clocks import TestClock
from sqlalchemy import select

from app.bootstrap import create_services
from app.config import load_settings
from app.db.models import Ask, Meeting, Member, MentorProfile, Notice
from app.domain.model import MeetingStatus, WeeklyWindow
from app.services import erasure
from app.services.people import Person
from app.services.register import ProfileInput

MENTOR = Person("UMENTOR", "Mia Mentor", "Europe/Berlin")
ASKERS = [Person(f"UASKER{i}", f"Asker {i}", "UTC") for i in range(2)]


class Crash(Exception):
    """Stands in for the process dying (or the database refusing) half-way through."""


@pytest.fixture
def services(engine):
    settings = load_settings(
        slack_bot_token="xoxb-test", slack_signing_secret="secret", database_url="sqlite://"
    )
    return create_services(engine, settings, TestClock())


def _mentor(services) -> None:
    every_day = tuple(WeeklyWindow(day, time(0, 0), time(23, 45)) for day in range(7))
    services.register.save_profile(
        MENTOR,
        ProfileInput(("python",), "", every_day, 20, reverse_ok=True, team=None, level=None),
    )


def _request(services, asker: Person, nth: int) -> int:
    outcome = services.mentoring.ask(asker, "Learn about type hints", ("python",))
    offer = outcome.ranking.offers[0]
    return services.mentoring.request_slot(asker, outcome.ask_id, MENTOR.user_id, offer.slots[nth]).meeting_id


def _state(engine) -> dict[str, object]:
    with engine.connect() as connection:
        return {
            "meetings": sorted(
                connection.execute(select(Meeting.id, Meeting.status, Meeting.hold_start)).all()
            ),
            "asks": sorted(connection.execute(select(Ask.id, Ask.status, Ask.asker_id, Ask.goal)).all()),
            "profiles": sorted(connection.execute(select(MentorProfile.user_id, MentorProfile.active)).all()),
            "members": sorted(connection.scalars(select(Member.user_id)).all()),
            "notices": sorted(connection.execute(select(Notice.key, Notice.status)).all()),
        }


def test_leave_is_one_transaction(services, engine, monkeypatch):
    _mentor(services)
    meetings = [_request(services, asker, i) for i, asker in enumerate(ASKERS)]
    before = _state(engine)

    booking = services.register._mentoring.booking
    decline_within = booking.decline_within
    calls: list[int] = []

    def second_decline_crashes(session, person, meeting_id, **kwargs):
        calls.append(meeting_id)
        if len(calls) == 2:
            raise Crash
        return decline_within(session, person, meeting_id, **kwargs)

    monkeypatch.setattr(booking, "decline_within", second_decline_crashes)
    with pytest.raises(Crash):
        services.register.leave(MENTOR)
    assert calls == meetings  # the first request was declined (in the transaction) before the crash
    assert _state(engine) == before  # ...and nothing of it was committed: still on the register

    monkeypatch.undo()
    left = services.register.leave(MENTOR)
    assert [m.id for m in left.pending] == meetings
    with engine.connect() as connection:
        assert connection.scalar(select(MentorProfile.active)) is False
        statuses = connection.scalars(select(Meeting.status).order_by(Meeting.id)).all()
        declined = connection.scalars(select(Notice.key).where(Notice.kind == "request_declined")).all()
    assert statuses == [MeetingStatus.DECLINED.value] * 2
    assert sorted(declined) == sorted(f"meeting:{m}:request_declined" for m in meetings)


def test_forget_is_one_transaction(services, engine, monkeypatch):
    _mentor(services)
    asker = ASKERS[0]
    meeting_id = _request(services, asker, 0)
    services.mentoring.accept(MENTOR, meeting_id)
    before = _state(engine)

    def crash(*_args, **_kwargs):
        raise Crash

    # The cancellations come first, then the rows are re-pointed: crash at the first write after them.
    monkeypatch.setattr(erasure.eq, "add_stand_in", crash)
    with pytest.raises(Crash):
        services.erasure.forget(asker)
    assert _state(engine) == before  # the conversation is not cancelled, the asker not half-erased

    monkeypatch.undo()
    report = services.erasure.forget(asker)
    assert report.cancelled_conversations == 1
    with engine.connect() as connection:
        assert connection.scalar(select(Meeting.status)) == MeetingStatus.CANCELLED.value
        assert asker.user_id not in connection.scalars(select(Member.user_id)).all()
        told = connection.scalars(select(Notice.key).where(Notice.kind == "meeting_cancelled")).all()
    assert told == [f"meeting:{meeting_id}:cancelled"]
