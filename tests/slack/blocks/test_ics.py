"""The .ics files beside a confirmation and a cancellation, read back with icalendar and with vobject (a
second, independent parser): one UID for both, SEQUENCE counting up, REQUEST then CANCEL, UTC times, the
goal in the description and never in the title."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from app.domain.calendar import CalendarEvent
from app.services import notices as n
from app.slack.blocks.ics import calendar_file

ASKER, MENTOR = "UASKER01", "UMENTOR01"
# A start given in a zone with a DST change between confirmation and meeting: the file says UTC.
START = datetime(2030, 3, 31, 9, 45, tzinfo=ZoneInfo("Europe/Berlin"))
CONFIRMED_AT = datetime(2030, 3, 29, 17, 0, tzinfo=UTC)
CANCELLED_AT = datetime(2030, 3, 30, 8, 30, tzinfo=UTC)
GOAL = 'Prepare for on-call; pagers, runbooks, and "what if"\nSecond line 🙂 ' + "long " * 40


def confirmation(meeting_id: int = 42, goal: str = GOAL) -> n.Confirmation:
    return n.Confirmation(
        key=f"meeting:{meeting_id}:confirmed",
        users=(ASKER, MENTOR),
        asker_id=ASKER,
        mentor_id=MENTOR,
        meeting_id=meeting_id,
        goal=goal,
        topics=("sre",),
        start=START,
        tzs={ASKER: "America/New_York", MENTOR: "Europe/Berlin"},
        at=CONFIRMED_AT,
    )


def cancellation(meeting_id: int = 42, *, confirmed: bool = True) -> n.MeetingCancelled:
    return n.MeetingCancelled(
        key=f"meeting:{meeting_id}:cancelled",
        to=ASKER,
        by=MENTOR,
        meeting_id=meeting_id,
        goal=GOAL,
        start=START,
        tz="America/New_York",
        ask_id=7,
        by_mentor=True,
        confirmed=confirmed,
        at=CANCELLED_AT,
    )


def file_of(notice: n.Notice) -> bytes:
    event = notice.attachment()
    assert event is not None
    return calendar_file(event).content


def read_icalendar(content: bytes) -> tuple[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


def read_vobject(content: bytes):
    calendar = vobject.readOne(content.decode("utf-8"))
    (event,) = calendar.vevent_list
    return calendar.method.value, event


def uid(event) -> str:
    return str(event["UID"]) if isinstance(event, icalendar.Event) else event.uid.value


def sequence(event) -> int:
    return int(event["SEQUENCE"]) if isinstance(event, icalendar.Event) else int(event.sequence.value)


def status(event) -> str:
    return str(event["STATUS"]) if isinstance(event, icalendar.Event) else event.status.value


def test_a_confirmation_is_a_request_at_sequence_0_read_by_both_parsers():
    content = file_of(confirmation())
    assert content.endswith(b"END:VCALENDAR\r\n") and b"\r\n " in content  # CRLF, long lines folded

    method, event = read_icalendar(content)
    assert method == "REQUEST"
    assert str(event["UID"]) == "meeting-42@mentorbot" and int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    begin, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert begin == START and end == START + timedelta(minutes=15)
    assert begin.utcoffset() == timedelta(0)  # written in UTC, not in the zone it was given in
    assert event.decoded("DTSTAMP") == CONFIRMED_AT
    assert str(event["DESCRIPTION"]).startswith(f"Goal: {GOAL}\n")
    assert "on-call" not in str(event["SUMMARY"]) and str(event["SUMMARY"])

    method, event = read_vobject(content)
    assert method == "REQUEST"
    assert event.uid.value == "meeting-42@mentorbot" and int(event.sequence.value) == 0
    assert event.dtstart.value == START and event.dtend.value == START + timedelta(minutes=15)
    assert event.dtstart.value.utcoffset() == timedelta(0)
    assert event.dtstamp.value == CONFIRMED_AT
    assert event.description.value.startswith(f"Goal: {GOAL}\n")
    assert "on-call" not in event.summary.value
    assert event.status.value == "CONFIRMED"


def test_a_cancellation_cancels_the_same_uid_at_a_higher_sequence():
    request, cancel = file_of(confirmation()), file_of(cancellation())
    for read in (read_icalendar, read_vobject):
        (method_1, first), (method_2, second) = read(request), read(cancel)
        assert (method_1, method_2) == ("REQUEST", "CANCEL")
        assert uid(first) == uid(second) == "meeting-42@mentorbot"
        assert sequence(second) > sequence(first)
        assert status(second) == "CANCELLED"

    _, event = read_icalendar(cancel)  # the same times, so a calendar finds the very event
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (START, START + timedelta(minutes=15))
    assert event.decoded("DTSTAMP") == CANCELLED_AT
    assert "on-call" not in str(event["SUMMARY"]) and "on-call" in str(event["DESCRIPTION"])


def test_each_meeting_has_its_own_uid_and_file_name():
    one, other = confirmation(1).attachment(), confirmation(2).attachment()
    assert one is not None and other is not None and one.uid != other.uid
    names = {calendar_file(e).filename for e in (one, other, cancellation(1).attachment()) if e}
    assert names == {
        "mentorbot-meeting-1.ics",
        "mentorbot-meeting-2.ics",
        "mentorbot-meeting-1-cancelled.ics",
    }


def test_the_goal_appears_only_in_the_description():
    content = file_of(confirmation(goal="Negotiate my salary at Initech"))
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    holding = [name for name, value in event.property_items() if "Initech" in str(value)]
    assert holding == ["DESCRIPTION"]
    assert b"Initech" not in content.replace(b"\r\n ", b"").split(b"DESCRIPTION:")[0]


def test_a_request_never_confirmed_has_no_calendar_file_to_take_back():
    assert cancellation(confirmed=False).attachment() is None
    assert n.MentorRequest.attachment is n.NoticeBase.attachment  # most notices attach nothing


def test_what_a_notice_attaches_survives_its_stored_payload():
    for notice in (confirmation(), cancellation()):
        again = type(notice).from_payload(notice.to_payload(), key=notice.key)
        assert again.attachment() == notice.attachment()
    # A row queued before the file existed decodes, and takes nothing back it never sent.
    old = {k: v for k, v in cancellation().to_payload().items() if k not in {"confirmed", "at"}}
    assert n.MeetingCancelled.from_payload(old, key="k").attachment() is None
    old_confirmation = {k: v for k, v in confirmation().to_payload().items() if k != "at"}
    event = n.Confirmation.from_payload(old_confirmation, key="k").attachment()
    assert event is not None and event.sequence == 0


def test_calendar_facts_refuse_naive_times_and_empty_events():
    with pytest.raises(ValueError):
        CalendarEvent("u", 0, datetime(2030, 1, 1), timedelta(minutes=15), "g", CONFIRMED_AT)
    with pytest.raises(ValueError):
        CalendarEvent("u", 0, START, timedelta(0), "g", CONFIRMED_AT)
