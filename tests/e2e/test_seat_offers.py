"""A seat that comes free is offered to the first waiting, through signed requests and the test's clock:
Take it makes it theirs (a second or late click changes nothing); Pass or the time running out (the
scheduler's sweep) offers it to the next; while it is held nobody else can join into it."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, ASKER, OTHER, button, text_of
from test_hosted_sessions import LATE, host_a_session, said, seats_by_status

CONFIRM = timedelta(hours=4)  # WAITLIST_CONFIRM_HOURS' default


def offers(h, user_id):
    return [m for m in h.fake.dms_to(user_id) if "A seat came free" in (m.get("text") or "")]


def full_with_two_waiting(h, engine):
    session_id = host_a_session(h, engine)
    h.fake.add_user(LATE, "lee", real_name="Lee Late", tz="Australia/Sydney")
    join = button(h.answer(ASKER, "sessions").blocks, "join_session")
    for user_id in (ASKER, OTHER, ADMIN, LATE):
        h.click(user_id, "join_session", join["value"])
    assert seats_by_status(engine) == {
        ASKER: "taken",
        OTHER: "taken",
        ADMIN: "waitlisted",
        LATE: "waitlisted",
    }
    return session_id, join["value"]


def click_on_offer(h, user_id, action_id):
    (offer,) = offers(h, user_id)[-1:]
    return h.click(user_id, action_id, button(offer["blocks"], action_id)["value"], message=offer)


def test_take_it_makes_the_seat_yours_once(harness, engine):
    h = harness
    _, ref = full_with_two_waiting(h, engine)
    h.click(ASKER, "leave_session", ref)
    h.wait_idle()
    (offer,) = offers(h, ADMIN)
    assert "held for you until" in offer["text"] and not offer.get("files")
    assert seats_by_status(engine)[ADMIN] == "offered"
    # Held: someone joining now doesn't get it.
    assert "is full" in said(h.click(ASKER, "join_session", ref))
    taken = click_on_offer(h, ADMIN, "take_seat")
    assert "It's yours" in said(taken)
    assert seats_by_status(engine)[ADMIN] == "taken"
    again = click_on_offer(h, ADMIN, "take_seat")
    assert "You already have a seat" in said(again)
    h.wait_idle()
    assert any("You have a seat" in text_of(m.get("blocks"), m.get("text", "")) for m in h.fake.dms_to(ADMIN))


def test_pass_or_the_time_running_out_offers_it_to_the_next(harness, engine):
    h = harness
    _, ref = full_with_two_waiting(h, engine)
    h.click(ASKER, "leave_session", ref)
    h.wait_idle()
    assert "passed on the seat" in said(click_on_offer(h, ADMIN, "pass_seat"))
    h.wait_idle()
    assert seats_by_status(engine)[ADMIN] == "left" and seats_by_status(engine)[LATE] == "offered"
    assert "isn't held for you" in said(click_on_offer(h, ADMIN, "pass_seat"))  # twice: no effect
    assert len(offers(h, LATE)) == 1

    h.clock.set(h.clock.now() + CONFIRM - timedelta(minutes=1))
    assert h.bot.services.waitlist.expire_offers() == 0
    h.clock.set(h.clock.now() + timedelta(minutes=2))
    assert h.bot.services.waitlist.expire_offers() == 1
    h.wait_idle()
    assert seats_by_status(engine)[LATE] == "left"
    late = click_on_offer(h, LATE, "take_seat")
    assert "was passed on to the next person waiting" in said(late)
    assert seats_by_status(engine)[LATE] == "left"
    assert "1 of 2 seats left" in said(h.answer(OTHER, "sessions"))  # nobody left waiting: open again
