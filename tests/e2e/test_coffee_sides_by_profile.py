"""Across two groups by a profile field (#15): `sides=level:1-2|3-5` (level bands) and
`sides=office:Berlin|London` (offices), besides team A/B and mentors. Pools made with the "New coffee
pool" form, previewed and run by signed `/mentor coffee preview|run <pool>`; every group mixes both
sides and whoever is on neither side is not placed, and the preview says so. The form refuses sides it
can't read. Levels and offices are profile data the bot keeps; this test writes them directly."""

from __future__ import annotations

from datetime import UTC, datetime

from e2e_support import ADMIN, text_of
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from test_coffee_pool_modes import form, groups_of
from test_coffee_pools import open_pool_form

from app.db.models import CoffeePool, Member, MemberOffice, Office

START = datetime(2031, 1, 9, 12, 0, tzinfo=UTC)
JUNIORS = [f"USIDEJ{i:02d}" for i in range(4)]  # levels 1-2
SENIORS = [f"USIDES{i:02d}" for i in range(3)]  # levels 3-5
UNLEVELLED = "USIDEN00"  # no level: on neither side
BERLIN = [f"USIDEB{i:02d}" for i in range(3)]
LONDON = [f"USIDEL{i:02d}" for i in range(3)]
NO_OFFICE = "USIDEO00"


def made(h, name, channel, sides):
    values = form(name, channel, mode="two_sides", settings=f"sides={sides}", weekday="2")
    assert h.sender.submit(ADMIN, view=open_pool_form(h, ADMIN), values=values).status == 200
    h.wait_idle()


def said(h, command):
    answer = h.answer(ADMIN, command)
    return text_of(answer.blocks, answer.text)


def test_level_bands_and_offices_split_a_pool_in_two_and_every_group_mixes_both(harness, engine):
    h = harness
    h.clock.set(START)
    everyone = [*JUNIORS, *SENIORS, UNLEVELLED, *BERLIN, *LONDON, NO_OFFICE]
    for user_id in everyone:
        h.fake.add_user(user_id, user_id.lower(), real_name=user_id, tz="Europe/London")
    h.fake.add_channel("C0SIDES1", members=[*JUNIORS, *SENIORS, UNLEVELLED], name="bands")
    h.fake.add_channel("C0SIDES2", members=[*BERLIN, *LONDON, NO_OFFICE], name="offices")
    for office in ("Berlin Europe/Berlin", "London Europe/London"):
        h.answer(ADMIN, f"offices add {office}")
    made(h, "bands", "C0SIDES1", "level:1-2|3-5")
    made(h, "offices", "C0SIDES2", "office:berlin|London")  # names matched without regard to case
    with Session(engine) as session, session.begin():
        pools = {p.name: p.settings for p in session.scalars(select(CoffeePool))}
        assert pools["bands"] == {"sides": "level:1-2|3-5"}
        for k, user_id in enumerate([*JUNIORS, *SENIORS]):
            level = [1, 2, 2, 1, 3, 5, 4][k]
            session.execute(update(Member).where(Member.user_id == user_id).values(level=level))
        office_ids = {o.name: o.id for o in session.scalars(select(Office))}
        for name, people in (("Berlin", BERLIN), ("London", LONDON)):
            session.add_all(MemberOffice(user_id=u, office_id=office_ids[name], days="1") for u in people)

    preview = said(h, "coffee preview bands")
    assert "Pool: 7 people" in preview and "Not placed: 1 on neither side" in preview, preview
    assert "Not placed: 1 on neither side" in said(h, "coffee preview offices")

    for pool, first, second, outside in (
        ("bands", JUNIORS, SENIORS, UNLEVELLED),
        ("offices", BERLIN, LONDON, NO_OFFICE),
    ):
        assert "is running" in said(h, f"coffee run {pool}")
        groups = list(groups_of(engine, pool).values())
        placed = {u for g in groups for u in g}
        assert placed == {*first, *second} and outside not in placed, groups
        assert all(set(g) & set(first) and set(g) & set(second) for g in groups), groups  # both sides


def test_the_form_refuses_sides_it_cannot_read(harness, engine):
    h = harness
    h.clock.set(START)
    h.fake.add_channel("C0SIDES3", members=JUNIORS, name="sides")
    modal = open_pool_form(h, ADMIN)
    for sides in ("level:1-3|3-5", "level:1-2|6", "office:Berlin", "office:Berlin|berlin", "desk:A|B"):
        values = form("x", "C0SIDES3", mode="two_sides", settings=f"sides={sides}", weekday="0")
        body = h.sender.submit(ADMIN, view=modal, values=values).json()
        assert body["response_action"] == "errors", (sides, body)
        assert "sides=level:1-2|3-5" in body["errors"]["pool_settings"], body
    with Session(engine) as session:
        assert session.scalars(select(CoffeePool).where(CoffeePool.name == "x")).first() is None
