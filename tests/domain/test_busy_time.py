"""Session time out of 1:1 offers: ``rank_mentors(busy=...)`` and ``AskSpec.asker_busy`` (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.busy import overlaps
from app.domain.directory import browse
from app.domain.matching import rank_mentors
from app.domain.model import AskSpec, Mentor

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday; the UTC mentor's day starts at 09:00
MINUTES = timedelta(minutes=1)


def first_slots(**kwargs):
    ranking = rank_mentors(
        kwargs.pop("spec", AskSpec("UASK", "goal")), [Mentor("UM", frozenset(), "UTC")], {}, now=NOW, **kwargs
    )
    return ranking.offers[0].slots if ranking.offers else ()


def test_touching_ends_do_not_overlap():
    nine = NOW.replace(hour=9)
    session = ((nine, nine + 45 * MINUTES),)
    assert overlaps(session, nine + 15 * MINUTES, 15 * MINUTES)
    assert overlaps(session, nine - 10 * MINUTES, 15 * MINUTES)
    assert not overlaps(session, nine + 45 * MINUTES, 15 * MINUTES)
    assert not overlaps(session, nine - 15 * MINUTES, 15 * MINUTES)


def test_the_mentor_s_session_removes_the_slots_inside_it():
    nine = NOW.replace(hour=9)
    assert first_slots()[0] == nine
    slots = first_slots(busy={"UM": ((nine, nine + 60 * MINUTES),)})
    assert slots[0] == nine + 60 * MINUTES


def test_the_asker_s_session_removes_the_slots_inside_it():
    nine = NOW.replace(hour=9)
    spec = AskSpec("UASK", "goal", asker_busy=((nine + 15 * MINUTES, nine + 45 * MINUTES),))
    assert first_slots(spec=spec)[:2] == (nine, nine + 45 * MINUTES)


def test_the_register_s_next_free_slot_skips_the_mentor_s_session():
    nine = NOW.replace(hour=9)
    mentors = [Mentor("UM", frozenset({"python"}), "UTC")]
    (listed,) = browse(mentors, frozenset(), {}, viewer_id="UV", page=1, now=NOW).entries
    assert listed.next_slot == nine
    busy = {"UM": ((nine, nine + 90 * MINUTES),)}
    (listed,) = browse(mentors, frozenset(), {}, viewer_id="UV", page=1, now=NOW, busy=busy).entries
    assert listed.next_slot == nine + 90 * MINUTES
