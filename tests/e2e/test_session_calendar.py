"""A seat in a hosted session is on the person's calendar, through signed requests: the DM after a Join
(and after a waitlist promotion) carries 'Add to calendar' links and an .ics (one UID per session, the
session's title, SEQUENCE 0, REQUEST); the host's cancel sends a CANCEL of that UID at a higher
SEQUENCE to those who had a seat, and nothing to calendar to those who only waited. Read back with
icalendar and vobject."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import vobject
from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, text_of
from sqlalchemy import select
from test_hosted_sessions import host_a_session

from app.db.models import HostedSession

TITLE = "Office hours: careers"  # what host_a_session calls it; its description is "Bring one"


def files_in(h, user_id):
    shared = [f for m in h.fake.dms_to(user_id) for f in m.get("files") or []]
    return [{**f, "content": h.fake.files[f["id"]]["content"]} for f in shared]


def test_a_seat_carries_calendar_links_and_an_ics_and_a_cancel_takes_it_off(harness, engine):
    h = harness
    session_id = host_a_session(h, engine)
    with engine.connect() as c:
        start, minutes = c.execute(select(HostedSession.start_at, HostedSession.minutes)).one()
    uid = f"session-{session_id}@mentorbot"
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    assert "You have a seat" in text_of(h.click(ASKER, "join_session", join["value"]).blocks)
    h.wait_idle()

    dm = [m for m in h.fake.dms_to(ASKER) if not m.get("files")]
    assert len(dm) == 1 and "You have a seat in “Office hours: careers”" in text_of(dm[0]["blocks"])
    links = {b["action_id"]: b["url"] for b in dm[0]["blocks"][-1]["elements"] if b.get("url")}
    google = parse_qs(urlsplit(links["calendar_google"]).query)
    assert google["text"] == [TITLE] and "Bring one" in google["details"][0]
    stamp = "%Y%m%dT%H%M%SZ"
    assert google["dates"] == [f"{start:{stamp}}/{start + timedelta(minutes=minutes):{stamp}}"]
    assert "outlook.office.com" in links["calendar_outlook"]

    (invite,) = files_in(h, ASKER)
    assert invite["name"] == f"mentorbot-session-{session_id}.ics"
    calendar = icalendar.Calendar.from_ical(invite["content"])
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == uid and int(event["SEQUENCE"]) == 0
    assert str(event["SUMMARY"]) == TITLE and "Bring one" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == start and event.decoded("DTEND") == start + timedelta(minutes=minutes)
    assert "meet.example.com" in str(event["LOCATION"])
    second = vobject.readOne(invite["content"].decode())
    assert second.method.value == "REQUEST" and second.vevent.uid.value == uid
    assert second.vevent.dtstart.value == start and second.vevent.summary.value == TITLE

    # The second seat, then one waiting; the host cancels.
    assert "You have a seat" in text_of(h.click(OTHER, "join_session", join["value"]).blocks)
    assert "waitlist" in text_of(h.click(ADMIN, "join_session", join["value"]).blocks)
    h.wait_idle()
    assert not files_in(h, ADMIN)  # waiting is on nobody's calendar
    assert "You cancelled" in text_of(h.click(MENTOR, "cancel_session", join["value"]).blocks)
    h.wait_idle()
    for seated in (ASKER, OTHER):
        invite, cancel = files_in(h, seated)
        assert cancel["name"] == f"mentorbot-session-{session_id}-cancelled.ics"
        calendar = icalendar.Calendar.from_ical(cancel["content"])
        (event,) = calendar.walk("VEVENT")
        assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
        second = vobject.readOne(cancel["content"].decode())
        assert second.method.value == "CANCEL" and int(second.vevent.sequence.value) == 1
    assert not files_in(h, ADMIN)  # told it's off, but there was nothing on their calendar
    assert any("cancelled" in (m.get("text") or "") for m in h.fake.dms_to(ADMIN))


def test_a_seat_from_the_waitlist_is_on_the_calendar_too(harness, engine):
    h = harness
    session_id = host_a_session(h, engine)  # 2 seats
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    for person in (ASKER, OTHER, ADMIN):
        h.click(person, "join_session", join["value"])
    h.click(ASKER, "leave_session", join["value"])
    h.wait_idle()
    offered = [m for m in h.fake.dms_to(ADMIN) if "A seat came free" in (m.get("text") or "")]
    assert offered and not files_in(h, ADMIN)  # offered, not yet theirs: not on the calendar yet
    take = button(offered[0]["blocks"], "take_seat")
    assert "It's yours" in text_of(h.click(ADMIN, "take_seat", take["value"], message=offered[0]).blocks)
    h.wait_idle()
    confirmed = [m for m in h.fake.dms_to(ADMIN) if "You have a seat" in (m.get("text") or "")]
    assert confirmed and any(b.get("block_id") == "add_to_calendar" for b in confirmed[-1]["blocks"])
    (invite,) = files_in(h, ADMIN)
    event = icalendar.Calendar.from_ical(invite["content"]).walk("VEVENT")[0]
    assert str(event["UID"]) == f"session-{session_id}@mentorbot" and int(event["SEQUENCE"]) == 0
    assert vobject.readOne(invite["content"].decode()).vevent.uid.value == str(event["UID"])
