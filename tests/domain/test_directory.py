"""Who the register lists, in what order, a page at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.directory import browse
from app.domain.model import Mentor, MentorLoad

NOW = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)  # a Wednesday


def mentor(user_id, *topics, **kw):
    return Mentor(user_id=user_id, topics=frozenset(topics), tz="Europe/Berlin", **kw)


def ids(page):
    return [e.mentor.user_id for e in page.entries]


def test_most_topics_covered_first_then_fewer_recent_conversations_then_id():
    mentors = [mentor("U3", "go"), mentor("U2", "go", "sre"), mentor("U1", "go"), mentor("U4", "python")]
    loads = {"U1": MentorLoad(recent_conversations=5)}
    page = browse(mentors, frozenset({"go", "sre"}), loads, viewer_id="U9", page=1, now=NOW)
    assert ids(page) == ["U2", "U3", "U1"]  # U4 covers neither topic
    assert page.entries[0].matched_topics == {"go", "sre"} and page.total == 3


def test_the_viewer_paused_and_zero_capacity_mentors_are_not_listed_and_away_ones_are_counted():
    mentors = [
        mentor("U1", "go"),
        mentor("U2", "go", available=False),
        mentor("U3", "go", capacity_per_week=0),
        mentor("U4", "go", away_until=NOW + timedelta(days=3)),
        mentor("U5", "go", away_until=NOW - timedelta(days=1)),  # back already
        mentor("U9", "go"),
    ]
    page = browse(mentors, frozenset(), {}, viewer_id="U9", page=1, now=NOW)
    assert ids(page) == ["U1", "U5"] and page.away == 1


def test_pages_are_clamped_and_each_entry_has_its_next_free_slot():
    mentors = [mentor(f"U{n:02d}", "go") for n in range(5)]
    last = browse(mentors, frozenset(), {}, viewer_id="U9", page=99, now=NOW, page_size=2)
    assert (last.page, last.pages, ids(last)) == (3, 3, ["U04"])
    first = browse(mentors, frozenset(), {}, viewer_id="U9", page=0, now=NOW, page_size=2)
    assert first.page == 1 and ids(first) == ["U00", "U01"]
    assert all(e.next_slot is not None and e.next_slot >= NOW for e in first.entries)
    nobody = browse([], frozenset({"go"}), {}, viewer_id="U9", page=1, now=NOW)
    assert (nobody.page, nobody.pages, nobody.total, nobody.entries) == (1, 1, 0, ())


def test_a_fully_booked_mentor_is_listed_without_a_next_slot():
    booked = mentor("U1", "go", capacity_per_week=1)
    weeks = [NOW + timedelta(days=7 * n) for n in range(4)]
    page = browse(
        [booked], frozenset(), {"U1": MentorLoad(held_starts=tuple(weeks))}, viewer_id="U9", page=1, now=NOW
    )
    assert ids(page) == ["U1"] and page.entries[0].next_slot is None


def test_a_page_size_below_one_is_a_mistake():
    with pytest.raises(ValueError):
        browse([], frozenset(), {}, viewer_id="U9", page=1, now=NOW, page_size=0)
