"""A person's other 1:1s are busy time in their offers, through signed requests (issue #12): an asker
with a confirmed conversation at the earliest common slot is offered the next one by another mentor,
and a stale pick of the overlapping slot is refused with a clear answer, and nothing is booked."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ASKER, MENTOR, OTHER, confirmed_meeting, slot_buttons, slot_of, text_of
from sqlalchemy import func, select
from test_hosted_sessions import COMMAND_CHANNEL

from app.db.models import Meeting

SECOND = OTHER + "B"  # a second mentor in Berlin, with MENTOR's default hours


def offered(reply, mentor_id):
    return [b for b in slot_buttons(reply.blocks) if slot_of(b)[1] == mentor_id]


def count_meetings(engine):
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Meeting))


def test_an_asker_with_a_confirmed_talk_is_offered_the_next_slot_and_a_stale_pick_books_nothing(
    harness, engine
):
    h = harness
    h.fake.add_user(SECOND, "ben", real_name="Ben Berlin", tz="Europe/Berlin")
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, SECOND], name="general")
    h.answer(SECOND, "join #sre")
    stale = offered(h.answer(ASKER, "ask Talk about on-call #sre"), SECOND)
    earliest = slot_of(stale[0])[2]

    start, _ = confirmed_meeting(h)  # with MENTOR, whose hours are SECOND's: the same earliest slot
    assert start == earliest

    again = h.answer(ASKER, "ask Talk about on-call again #sre")
    starts = [slot_of(b)[2] for b in offered(again, SECOND)]
    assert starts and earliest not in starts
    assert starts[0] == earliest + timedelta(minutes=15)

    before = count_meetings(engine)
    picked = h.click(ASKER, stale[0]["action_id"], stale[0]["value"])
    h.wait_idle()
    assert picked.status == 200
    assert "You have another conversation then" in text_of(picked.blocks, picked.text)
    assert count_meetings(engine) == before
    assert not h.fake.messages_in(h.fake.dm_channel_for(SECOND))  # no request reached the other mentor

    # The next slot, from the fresh offers, still books.
    nxt = offered(again, SECOND)[0]
    h.click(ASKER, nxt["action_id"], nxt["value"])
    h.wait_idle()
    assert count_meetings(engine) == before + 1
    assert h.fake.messages_in(h.fake.dm_channel_for(SECOND))
