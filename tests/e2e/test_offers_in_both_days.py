"""Slots in both people's day, as the asker sees them through Slack: a New York asker is offered a Berlin
mentor's afternoon (their morning), and a Kolkata mentor only at the nearest hours, marked as such."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from e2e_support import ASKER, MENTOR, OTHER, slot_buttons, slot_of, text_of

NEW_YORK = ZoneInfo("America/New_York")


def test_a_new_york_asker_is_offered_only_slots_inside_their_own_working_day(harness):
    harness.answer(MENTOR, "join #python")  # Berlin
    harness.answer(OTHER, "join #python")  # Kolkata: its day is New York's night
    offers = harness.answer(ASKER, "ask Review my first PR #python")
    slots = slot_buttons(offers.blocks)
    assert slots and {slot_of(b)[1] for b in slots} == {MENTOR}
    for b in slots:
        local = slot_of(b)[2].astimezone(NEW_YORK).time()
        assert time(9) <= local < time(17), b["text"]["text"]
    assert "Pick a 15-minute slot" in text_of(offers.blocks, offers.text)


def test_with_no_time_in_both_days_the_nearest_are_offered_and_marked(harness):
    harness.answer(OTHER, "join #python")
    offers = harness.answer(ASKER, "ask Review my first PR #python")
    said = text_of(offers.blocks, offers.text)
    assert "No time in the next two weeks is inside both your working hours" in said
    slots = slot_buttons(offers.blocks)
    assert slots and {slot_of(b)[1] for b in slots} == {OTHER}
    for b in slots:
        local = slot_of(b)[2].astimezone(NEW_YORK)
        # Kolkata's 16:45 is New York's 06:15 (05:15 in summer): the nearest to a 09:00 start.
        assert local.time() < time(9)
        assert b["text"]["text"].endswith(", early morning"), b["text"]["text"]
    picked = slots[0]
    harness.click(ASKER, picked["action_id"], picked["value"])  # out of hours, but still the asker's choice
    harness.wait_idle()
    assert harness.fake.messages_in(harness.fake.dm_channel_for(OTHER))
