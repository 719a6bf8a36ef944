"""One reminder per person before a session, the morning of on their own clock (the evening before for
an early one), through signed requests and the scheduler's sweep with the test's clock: the host in
Berlin at 08:00, a seat holder in Kolkata at 08:00 IST, one in New York the evening before; a later
sweep sends nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from e2e_support import ASKER, MENTOR, OTHER, button
from sqlalchemy import select
from test_hosted_sessions import BERLIN, host_a_session

from app.db.models import HostedSession

NEW_YORK, KOLKATA = ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")


def reminders(h, user_id):
    return [m for m in h.fake.dms_to(user_id) if (m.get("text") or "").startswith("Reminder:")]


def sweep_at(h, instant):
    h.clock.set(instant)
    h.bot.services.hosting.remind_due()
    h.wait_idle()


def test_each_person_is_reminded_once_on_their_own_morning(harness, engine):
    h = harness
    session_id = host_a_session(h, engine)  # noon Berlin, three days ahead: 06:00 NY, 16:30 Kolkata
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    h.click(ASKER, "join_session", join["value"])
    h.click(OTHER, "join_session", join["value"])
    h.wait_idle()
    with engine.connect() as c:
        start = c.scalar(select(HostedSession.start_at).where(HostedSession.id == session_id))
    day = start.astimezone(BERLIN).date()

    sweep_at(h, datetime(day.year, day.month, day.day, 17, 59, tzinfo=NEW_YORK) - timedelta(days=1))
    assert not any(reminders(h, u) for u in (MENTOR, ASKER, OTHER))

    sweep_at(h, datetime(day.year, day.month, day.day, 18, 0, tzinfo=NEW_YORK) - timedelta(days=1))
    (told,) = reminders(h, ASKER)
    assert "with <@UMENTOR01>" in told["text"] and "06:00 EST" in told["text"]
    assert not reminders(h, OTHER) and not reminders(h, MENTOR)

    sweep_at(h, datetime(day.year, day.month, day.day, 8, 0, tzinfo=KOLKATA))
    (told,) = reminders(h, OTHER)
    assert "16:30 IST" in told["text"]
    assert not reminders(h, MENTOR)

    sweep_at(h, datetime(day.year, day.month, day.day, 8, 0, tzinfo=BERLIN))
    (told,) = reminders(h, MENTOR)
    assert "you host" in told["text"] and "12:00 CET" in told["text"]

    sweep_at(h, datetime(day.year, day.month, day.day, 10, 0, tzinfo=BERLIN))  # later sweeps: nothing new
    assert [len(reminders(h, u)) for u in (MENTOR, ASKER, OTHER)] == [1, 1, 1]
