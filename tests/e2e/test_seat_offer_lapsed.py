"""Someone whose held seat passed on because their time to take it ran out is told so, kindly, once:
through signed requests, the test's clock and the scheduler's sweep; someone who passed is not told."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, ASKER, text_of
from test_hosted_sessions import LATE, seats_by_status
from test_seat_offers import CONFIRM, click_on_offer, full_with_two_waiting, offers


def lapsed(h, user_id):
    return [
        m
        for m in h.fake.dms_to(user_id)
        if "has gone to the next person waiting" in text_of(m.get("blocks"), m.get("text", ""))
    ]


def test_the_one_whose_offer_ran_out_hears_the_seat_went_on(harness, engine):
    h = harness
    _, ref = full_with_two_waiting(h, engine)
    h.click(ASKER, "leave_session", ref)
    h.wait_idle()
    assert len(offers(h, ADMIN)) == 1
    h.clock.set(h.clock.now() + CONFIRM + timedelta(minutes=1))
    assert h.bot.services.waitlist.expire_offers() == 1
    h.wait_idle()
    assert seats_by_status(engine)[ADMIN] == "left" and seats_by_status(engine)[LATE] == "offered"
    (told,) = lapsed(h, ADMIN)
    said = text_of(told.get("blocks"), told.get("text", ""))
    assert "Office hours: careers" in said and "the time to take it ran out" in said
    assert "`/mentor sessions`" in said
    assert not told.get("files")  # it was never on their calendar
    assert h.bot.services.waitlist.expire_offers() == 0  # a second sweep tells nobody again
    h.wait_idle()
    assert len(lapsed(h, ADMIN)) == 1 and not lapsed(h, LATE)

    # Passing is a choice, not a lapse: no such message.
    click_on_offer(h, LATE, "pass_seat")
    h.wait_idle()
    assert not lapsed(h, LATE)
