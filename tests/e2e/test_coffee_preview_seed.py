"""The preview is the round that will run (#15): the preview's seed is kept with a fingerprint of the
pool and its history; previewing again shows the same round, the round uses that seed while nothing
changed, and a change makes the preview stale, said when previewing again and in the run's answer.

Signed slash commands in; answers through response_url on the fake Slack. The test owns the clock.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, text_of
from sqlalchemy import select

from app.db.models import CoffeeGroup, CoffeeGroupMember, CoffeeRound

START = datetime(2031, 1, 9, 12, 0, tzinfo=UTC)
PEOPLE = [f"UPSEED{i:02d}" for i in range(4)]


def said(h, user_id, command):
    answer = h.answer(user_id, command)
    return text_of(answer.blocks, answer.text)


def seed_and_groups(text):
    seed = int(re.search(r"Seed: `(\d+)`", text).group(1))
    groups = sorted(  # (text_of may hold the text twice: the blocks' and the notification's)
        {
            tuple(sorted(re.findall(r"<@(U[A-Z0-9]+)>", line)))
            for line in text.splitlines()
            if line.startswith("•")
        }
    )
    return seed, groups


def stored_round(engine, round_id):
    with engine.connect() as connection:
        seed = connection.execute(select(CoffeeRound.seed).where(CoffeeRound.id == round_id)).scalar_one()
        rows = connection.execute(
            select(CoffeeGroupMember.group_id, CoffeeGroupMember.user_id)
            .join(CoffeeGroup, CoffeeGroup.id == CoffeeGroupMember.group_id)
            .where(CoffeeGroup.round_id == round_id)
        ).all()
    groups: dict[int, list[str]] = {}
    for group_id, user_id in rows:
        groups.setdefault(group_id, []).append(user_id)
    return seed, sorted(tuple(sorted(g)) for g in groups.values())


def test_the_round_runs_as_previewed_and_a_change_makes_the_preview_stale(harness, engine):
    h = harness
    h.clock.set(START)
    for i, user_id in enumerate(PEOPLE):
        h.fake.add_user(user_id, f"pseed{i}", real_name=f"Seed {i}", tz="Europe/Berlin")
    for user_id in (ASKER, MENTOR, OTHER, *PEOPLE[:3]):
        h.answer(user_id, "coffee join")

    first = said(h, ADMIN, "coffee preview")
    assert "This is the round that will run" in first
    seed, groups = seed_and_groups(first)
    assert sum(len(g) for g in groups) == 6
    again = said(h, ADMIN, "coffee preview coffee")  # the pool named: the same pool "coffee"
    assert "Same as the last preview" in again and seed_and_groups(again) == (seed, groups)

    h.answer(PEOPLE[3], "coffee join")  # the pool changed: the kept preview no longer holds
    stale = said(h, ADMIN, "coffee preview")
    assert "The last preview was stale" in stale
    seed2, groups2 = seed_and_groups(stale)
    assert sum(len(g) for g in groups2) == 7

    ran = said(h, ADMIN, "coffee run")
    assert "As previewed: the round ran on the preview's seed." in ran
    round_id = int(re.search(r"Round (\d+) is running", ran).group(1))
    assert stored_round(engine, round_id) == (seed2, groups2)  # exactly the previewed groups

    # A preview, then someone leaves before the run: the run says the preview was stale.
    assert "This is the round that will run" in said(h, ADMIN, "coffee preview")
    h.answer(ASKER, "coffee leave")
    h.clock.set(START + timedelta(hours=1))
    ran2 = said(h, ADMIN, "coffee run")
    assert "The last preview was stale" in ran2 and "As previewed" not in ran2
    round2 = int(re.search(r"Round (\d+) is running", ran2).group(1))
    assert ASKER not in {u for g in stored_round(engine, round2)[1] for u in g}
    # The preview is used up by the round: the next preview is a fresh one.
    assert "This is the round that will run" in said(h, ADMIN, "coffee preview")
    assert "no coffee pool called" in said(h, ADMIN, "coffee run nosuchpool")
