"""A 1:1 booked first blocks hosting over it, through signed requests: the host form refuses the time
with a clear message on the date field and nothing is hosted; a time clear of it is hosted."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ASKER, MENTOR, confirmed_meeting
from test_hosted_sessions import BERLIN, COMMAND_CHANNEL, form, open_host, sessions_in


def test_a_conversation_booked_first_blocks_hosting_over_it(harness, engine):
    h = harness
    start, _ = confirmed_meeting(h)  # MENTOR (Berlin) and ASKER, 15 minutes at ``start``
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER], name="general")
    modal = open_host(h, MENTOR)
    local = start.astimezone(BERLIN)
    # A 45-minute session starting 30 minutes before the conversation overlaps it.
    overlapping = local - timedelta(minutes=30)
    reply = h.sender.submit(
        MENTOR, view=modal, values=form(overlapping.date().isoformat(), at=f"{overlapping:%H:%M}")
    )
    body = reply.json()
    assert body["response_action"] == "errors", body
    assert f"You have a 1:1 conversation at {local:%H:%M}" in body["errors"]["session_date"]
    assert sessions_in(engine) == 0

    clear = local + timedelta(minutes=15)  # starts as the conversation ends
    ok = h.sender.submit(MENTOR, view=modal, values=form(clear.date().isoformat(), at=f"{clear:%H:%M}"))
    assert ok.status == 200 and not ok.body
    h.wait_idle()
    assert sessions_in(engine) == 1
