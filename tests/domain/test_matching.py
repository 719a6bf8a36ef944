"""rank_mentors: who is offered, in which order, with which slots."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.matching import rank_mentors
from app.domain.model import DEFAULT_WINDOWS, AskSpec, Mentor, MentorLoad, Ranking, WeeklyWindow, WorkingHours
from app.domain.shared_hours import AskerDay
from app.domain.slots import free_slots, week_start

# Monday 5 January 2026, 08:00 UTC: with 30 minutes' lead, the first default slot is 09:00 UTC today.
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
NINE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def mentor(user_id: str, *topics: str, **fields) -> Mentor:
    fields.setdefault("tz", "UTC")
    return Mentor(user_id=user_id, topics=frozenset(topics), **fields)


def ask(*topics: str, asker: str = "UASKER", level: int | None = None) -> AskSpec:
    return AskSpec(asker_id=asker, goal="Prepare for on-call", topics=frozenset(topics), asker_level=level)


def ids(ranking: Ranking) -> list[str]:
    return [offer.mentor.user_id for offer in ranking.offers]


def test_empty_register_gives_no_offers():
    assert rank_mentors(ask(), [], {}, now=NOW) == Ranking(offers=(), topic_matched=True)
    assert rank_mentors(ask("sre"), [], {}, now=NOW) == Ranking(offers=(), topic_matched=False)


def test_the_asker_is_never_offered():
    ranking = rank_mentors(ask("sre", asker="U1"), [mentor("U1", "sre"), mentor("U2")], {}, now=NOW)
    assert ids(ranking) == ["U2"]
    assert ranking.topic_matched is False


def test_unavailable_and_away_mentors_are_skipped():
    mentors = [
        mentor("UOFF", available=False),
        mentor("UAWAY", away_until=NOW + timedelta(days=3)),
        mentor("UBACK", away_until=NOW - timedelta(minutes=1)),
        mentor("UNOW", away_until=NOW),
    ]
    assert ids(rank_mentors(ask(), mentors, {}, now=NOW)) == ["UBACK", "UNOW"]


@pytest.mark.parametrize(
    ("mentor_level", "reverse_ok", "asker_level", "offered"),
    [
        (2, False, 4, False),  # junior would mentor a senior without consent
        (2, True, 4, True),
        (4, False, 4, True),  # same level is not reverse
        (5, False, 4, True),
        (None, False, 4, True),  # unknown levels never block
        (2, False, None, True),
    ],
)
def test_reverse_mentoring_needs_consent(mentor_level, reverse_ok, asker_level, offered):
    m = mentor("UM", level=mentor_level, reverse_ok=reverse_ok)
    ranking = rank_mentors(ask(level=asker_level), [m], {}, now=NOW)
    assert ids(ranking) == (["UM"] if offered else [])


def test_more_topics_matched_ranks_first_and_non_matching_are_left_out():
    mentors = [
        mentor("UNONE", "design"),
        mentor("UONE", "sre", capacity_per_week=9),  # more spare capacity does not beat a topic
        mentor("UTWO", "sre", "oncall"),
    ]
    ranking = rank_mentors(ask("sre", "oncall"), mentors, {}, now=NOW)
    assert ids(ranking) == ["UTWO", "UONE"]
    assert ranking.topic_matched is True
    assert [offer.matched_topics for offer in ranking.offers] == [
        frozenset({"sre", "oncall"}),
        frozenset({"sre"}),
    ]


def test_lower_tiers_fill_up_to_max_offers():
    mentors = [mentor(f"U{i}", "sre", "oncall") for i in range(2)] + [
        mentor(f"V{i}", "sre") for i in range(5)
    ]
    ranking = rank_mentors(ask("sre", "oncall"), mentors, {}, now=NOW, max_offers=4)
    assert ids(ranking) == ["U0", "U1", "V0", "V1"]


def test_no_topic_match_falls_back_to_the_best_others():
    mentors = [mentor("UB", "design"), mentor("UA", "frontend"), mentor("UC")]
    loads = {"UA": MentorLoad(recent_conversations=4)}
    ranking = rank_mentors(ask("kubernetes"), mentors, loads, now=NOW)
    assert ranking.topic_matched is False
    assert ids(ranking) == ["UB", "UC", "UA"]
    assert all(offer.matched_topics == frozenset() for offer in ranking.offers)


def test_topic_mentors_without_a_free_slot_do_not_count_as_a_match():
    mentors = [mentor("UFULL", "sre", capacity_per_week=1), mentor("UOTHER", "design")]
    loads = {"UFULL": MentorLoad(held_starts=(NINE, NINE + timedelta(days=7)))}
    ranking = rank_mentors(ask("sre"), mentors, loads, now=NOW)
    assert ids(ranking) == ["UOTHER"]
    assert ranking.topic_matched is False


def test_no_topics_asked_everyone_eligible_competes_and_counts_as_matched():
    ranking = rank_mentors(ask(), [mentor("UB", "design"), mentor("UA")], {}, now=NOW)
    assert ids(ranking) == ["UA", "UB"]
    assert ranking.topic_matched is True


def test_full_capacity_means_not_offered():
    held = (NINE, NINE + timedelta(days=7))  # one conversation in each of the two weeks ahead
    mentors = [mentor("UFULL", capacity_per_week=1), mentor("UZERO", capacity_per_week=0), mentor("UFREE")]
    ranking = rank_mentors(ask(), mentors, {"UFULL": MentorLoad(held_starts=held)}, now=NOW)
    assert ids(ranking) == ["UFREE"]


def test_mentor_with_no_window_in_the_horizon_is_not_offered():
    mentors = [mentor("UNONE", windows=()), mentor("UOK")]
    assert ids(rank_mentors(ask(), mentors, {}, now=NOW)) == ["UOK"]


def test_mentor_with_an_unknown_time_zone_is_skipped_not_fatal():
    mentors = [mentor("UBAD", tz="Mars/Olympus"), mentor("UOK")]
    assert ids(rank_mentors(ask(), mentors, {}, now=NOW)) == ["UOK"]


def test_spare_capacity_in_the_week_of_the_first_slot_ranks_first():
    mentors = [
        mentor("UA", capacity_per_week=3),  # one held this week: spare 2
        mentor("UB", capacity_per_week=2),  # spare 2, but one more recent conversation than UA
        mentor("UC", capacity_per_week=5),  # spare 5
        mentor("UD", capacity_per_week=3),  # two held this week: spare 1
    ]
    loads = {
        "UA": MentorLoad(held_starts=(NINE + timedelta(days=1),)),
        "UB": MentorLoad(recent_conversations=1),
        "UD": MentorLoad(held_starts=(NINE + timedelta(days=1), NINE + timedelta(days=2))),
    }
    ranking = rank_mentors(ask(), mentors, loads, now=NOW, max_offers=4)
    assert ids(ranking) == ["UC", "UA", "UB", "UD"]


def test_spare_capacity_is_measured_in_the_week_of_the_first_free_slot():
    # UFULL's current week is full (capacity 1): its first free slot is next Monday, a week with spare 1,
    # which ties with UNEXT's spare 1; then the earlier first slot wins.
    mentors = [mentor("UFULL", capacity_per_week=1), mentor("UNEXT", capacity_per_week=1)]
    loads = {"UFULL": MentorLoad(held_starts=(NINE + timedelta(days=2),))}
    ranking = rank_mentors(ask(), mentors, loads, now=NOW)
    assert ids(ranking) == ["UNEXT", "UFULL"]
    assert ranking.offers[1].slots[0] == datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def test_fairness_fewer_recent_conversations_first():
    mentors = [mentor("UA"), mentor("UB"), mentor("UC")]
    loads = {"UA": MentorLoad(recent_conversations=5), "UB": MentorLoad(recent_conversations=2)}
    assert ids(rank_mentors(ask(), mentors, loads, now=NOW)) == ["UC", "UB", "UA"]


def test_earlier_first_slot_then_user_id_break_ties():
    late = tuple(WeeklyWindow(day, time(11, 0), time(17, 0)) for day in range(5))
    mentors = [mentor("UA", windows=late), mentor("UC"), mentor("UB"), mentor("UD", tz="America/New_York")]
    ranking = rank_mentors(ask(), mentors, {}, now=NOW, max_offers=4)
    # UB and UC start 09:00 UTC, UA 11:00 UTC, UD 09:00 New York = 14:00 UTC.
    assert ids(ranking) == ["UB", "UC", "UA", "UD"]
    assert [offer.slots[0].hour for offer in ranking.offers] == [9, 9, 11, 14]


def test_ranking_is_deterministic_whatever_the_input_order():
    rng = random.Random(7)
    mentors = [mentor(f"U{i:03d}", *rng.sample(["sre", "design", "go"], 2)) for i in range(60)]
    loads = {m.user_id: MentorLoad(recent_conversations=rng.randint(0, 2)) for m in mentors}
    expected = rank_mentors(ask("sre", "go"), mentors, loads, now=NOW, max_offers=5)
    for _ in range(5):
        rng.shuffle(mentors)
        assert rank_mentors(ask("sre", "go"), mentors, loads, now=NOW, max_offers=5) == expected


def test_offer_slots_are_the_first_free_slots_and_skip_held_ones():
    m = mentor("UA", tz="Europe/Berlin", capacity_per_week=3)
    held = (datetime(2026, 1, 5, 8, 15, tzinfo=UTC),)  # 09:15 Berlin
    ranking = rank_mentors(ask(), [m], {"UA": MentorLoad(held_starts=held)}, now=NOW)
    (offer,) = ranking.offers
    # now is 09:00 Berlin; 30 minutes' lead -> 09:30 Berlin = 08:30 UTC.
    assert offer.slots == (
        datetime(2026, 1, 5, 8, 30, tzinfo=UTC),
        datetime(2026, 1, 5, 8, 45, tzinfo=UTC),
        datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
    )
    assert list(offer.slots) == free_slots(m.windows, m.tz, held, 3, now=NOW, limit=3)


def test_max_offers_and_slots_per_offer():
    mentors = [mentor(f"U{i}") for i in range(10)]
    ranking = rank_mentors(ask(), mentors, {}, now=NOW, max_offers=2, slots_per_offer=5)
    assert ids(ranking) == ["U0", "U1"]
    assert [len(offer.slots) for offer in ranking.offers] == [5, 5]
    with pytest.raises(ValueError):
        rank_mentors(ask(), mentors, {}, now=NOW, max_offers=0)
    with pytest.raises(ValueError):
        rank_mentors(ask(), mentors, {}, now=NOW, slots_per_offer=0)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="now"):
        rank_mentors(ask(), [mentor("UA")], {}, now=datetime(2026, 1, 5, 8))


# --------------------------------------------------------------------------------------------------
# Property: the pruned search gives exactly what ranking every mentor in full would give

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]
WINDOW_SETS = [
    None,  # the defaults
    (),
    (WeeklyWindow(0, time(9), time(9, 45)), WeeklyWindow(3, time(14), time(15))),
    tuple(WeeklyWindow(day, time(20), time(22)) for day in range(7)),
    (WeeklyWindow(6, time(1), time(4)),),
]


def reference_ranking(the_ask, mentors, loads, now, max_offers, slots_per_offer):
    scored = []
    for m in mentors:
        if m.user_id == the_ask.asker_id or not m.available:
            continue
        if m.away_until is not None and m.away_until > now:
            continue
        if (
            m.level is not None
            and the_ask.asker_level is not None
            and m.level < the_ask.asker_level
            and not m.reverse_ok
        ):
            continue
        load = loads.get(m.user_id, MentorLoad())
        slots = free_slots(m.windows, m.tz, load.held_starts, m.capacity_per_week, now=now)
        if not slots:
            continue
        first_week = week_start(slots[0], m.tz)
        spare = m.capacity_per_week - sum(week_start(h, m.tz) == first_week for h in load.held_starts)
        matched = m.topics & the_ask.topics
        key = (-len(matched), -spare, load.recent_conversations, slots[0], m.user_id)
        scored.append((key, m, matched, tuple(slots[:slots_per_offer])))
    scored.sort(key=lambda entry: entry[0])
    matching = [entry for entry in scored if entry[2]]
    if the_ask.topics and not matching:
        chosen, topic_matched = scored, False
    else:
        chosen, topic_matched = (matching if the_ask.topics else scored), True
    return [(m.user_id, matched, slots) for _, m, matched, slots in chosen[:max_offers]], topic_matched


@st.composite
def registers(draw: st.DrawFn):
    count = draw(st.integers(min_value=0, max_value=12))
    mentors, loads = [], {}
    for i in range(count):
        windows = draw(st.sampled_from(WINDOW_SETS))
        fields = {} if windows is None else {"windows": windows}
        m = Mentor(
            user_id=f"U{i:02d}",
            topics=frozenset(draw(st.sets(st.sampled_from(["sre", "go", "design"])))),
            tz=draw(st.sampled_from(ZONES)),
            capacity_per_week=draw(st.integers(min_value=0, max_value=3)),
            available=draw(st.booleans()) or draw(st.booleans()),
            away_until=draw(st.sampled_from([None, None, NOW - timedelta(days=1), NOW + timedelta(days=2)])),
            level=draw(st.sampled_from([None, 1, 3])),
            reverse_ok=draw(st.booleans()),
            **fields,
        )
        mentors.append(m)
        if draw(st.booleans()):
            offsets = draw(st.lists(st.integers(min_value=-100, max_value=1300), max_size=4))
            loads[m.user_id] = MentorLoad(
                held_starts=tuple(NOW + timedelta(minutes=15 * k) for k in offsets),
                recent_conversations=draw(st.integers(min_value=0, max_value=2)),
            )
    return mentors, loads


@settings(max_examples=120, deadline=None)
@given(
    register=registers(),
    topics=st.sets(st.sampled_from(["sre", "go", "design", "rust"]), max_size=2),
    asker=st.sampled_from(["U00", "U01", "UOUT"]),
    asker_level=st.sampled_from([None, 2]),
    max_offers=st.integers(min_value=1, max_value=4),
    slots_per_offer=st.integers(min_value=1, max_value=3),
    minutes_later=st.integers(min_value=0, max_value=60 * 24 * 7),
)
def test_rank_mentors_matches_a_full_reference_ranking(
    register, topics, asker, asker_level, max_offers, slots_per_offer, minutes_later
):
    mentors, loads = register
    now = NOW + timedelta(minutes=minutes_later)
    the_ask = AskSpec(asker_id=asker, goal="g", topics=frozenset(topics), asker_level=asker_level)
    ranking = rank_mentors(
        the_ask, mentors, loads, now=now, max_offers=max_offers, slots_per_offer=slots_per_offer
    )
    expected, topic_matched = reference_ranking(the_ask, mentors, loads, now, max_offers, slots_per_offer)
    assert [(o.mentor.user_id, o.matched_topics, o.slots) for o in ranking.offers] == expected
    assert ranking.topic_matched is topic_matched


# --------------------------------------------------------------------------------------------------
# The asker's day: slots inside both people's hours first, else the nearest, marked


def _inside_by_wall_clock(hours: WorkingHours):
    """Brute force: the slot's 15 minutes, on the asker's wall clock, lie in one of their windows."""
    zone = ZoneInfo(hours.tz)

    def inside(instant: datetime) -> bool:
        local = instant.astimezone(zone).replace(tzinfo=None)
        end = local + timedelta(minutes=15)
        for w in hours.windows:
            if local.weekday() != w.weekday or local.time() < w.start:
                continue
            if end.date() == local.date() and end.time() <= w.end:
                return True
            if w.end == time.max and end == datetime.combine(local.date() + timedelta(days=1), time()):
                return True
        return False

    return inside


def reference_with_hours(the_ask, mentors, loads, now, max_offers, slots_per_offer):
    hours = the_ask.asker_hours
    if hours is None:
        expected, matched = reference_ranking(the_ask, mentors, loads, now, max_offers, slots_per_offer)
        return expected, matched, True
    inside = _inside_by_wall_clock(hours)
    day = AskerDay(hours)

    def scored(keep):
        rows = []
        for m in mentors:
            if m.user_id == the_ask.asker_id or not m.available:
                continue
            if m.away_until is not None and m.away_until > now:
                continue
            lower = m.level is not None and the_ask.asker_level is not None and m.level < the_ask.asker_level
            if lower and not m.reverse_ok:
                continue
            load = loads.get(m.user_id, MentorLoad())
            free = free_slots(m.windows, m.tz, load.held_starts, m.capacity_per_week, now=now)
            slots = [s for s in free if keep(s)]
            if not slots:
                continue
            first_week = week_start(slots[0], m.tz)
            spare = m.capacity_per_week - sum(week_start(h, m.tz) == first_week for h in load.held_starts)
            matched = m.topics & the_ask.topics
            key = (-len(matched), -spare, load.recent_conversations, slots[0], m.user_id)
            rows.append((key, m, matched, slots, free))
        rows.sort(key=lambda row: row[0])
        return rows

    populations = [lambda row: bool(row[2])] if the_ask.topics else []
    populations.append((lambda row: not row[2]) if the_ask.topics else (lambda row: True))
    for index, population in enumerate(populations):
        for keep, in_both in ((inside, True), (lambda s: True, False)):
            chosen = [row for row in scored(keep) if population(row)][:max_offers]
            if not chosen:
                continue
            offers = []
            for _, m, matched, slots, free in chosen:
                if in_both:
                    shown = tuple(slots[:slots_per_offer])
                else:
                    shown = tuple(
                        sorted(sorted(free, key=lambda s: (day.minutes_outside(s), s))[:slots_per_offer])
                    )
                offers.append((m.user_id, matched, shown))
            topic_matched = index == 0 if the_ask.topics else True
            return offers, topic_matched, in_both
    return [], not the_ask.topics, True


ASKER_HOURS = [
    None,
    *(WorkingHours(DEFAULT_WINDOWS, tz) for tz in ZONES),
    WorkingHours((WeeklyWindow(2, time(22), time.max), WeeklyWindow(3, time(0), time(1))), "Asia/Tokyo"),
    WorkingHours((), "UTC"),
]


@settings(max_examples=120, deadline=None)
@given(
    register=registers(),
    topics=st.sets(st.sampled_from(["sre", "go", "design", "rust"]), max_size=2),
    hours=st.sampled_from(ASKER_HOURS),
    max_offers=st.integers(min_value=1, max_value=4),
    slots_per_offer=st.integers(min_value=1, max_value=3),
    minutes_later=st.integers(min_value=0, max_value=60 * 24 * 7),
)
def test_with_the_asker_s_hours_rank_mentors_matches_a_full_reference_ranking(
    register, topics, hours, max_offers, slots_per_offer, minutes_later
):
    mentors, loads = register
    now = NOW + timedelta(minutes=minutes_later)
    the_ask = AskSpec(asker_id="UOUT", goal="g", topics=frozenset(topics), asker_hours=hours)
    ranking = rank_mentors(
        the_ask, mentors, loads, now=now, max_offers=max_offers, slots_per_offer=slots_per_offer
    )
    expected, topic_matched, in_both = reference_with_hours(
        the_ask, mentors, loads, now, max_offers, slots_per_offer
    )
    assert [(o.mentor.user_id, o.matched_topics, o.slots) for o in ranking.offers] == expected
    assert ranking.topic_matched is topic_matched
    assert ranking.in_both_days is in_both


def test_a_los_angeles_asker_is_offered_a_tokyo_mentor_s_slots_in_their_own_afternoon():
    tokyo = mentor("UTOKYO", "sre", tz="Asia/Tokyo")
    london = mentor("ULONDON", "sre", tz="Europe/London")
    the_ask = AskSpec(
        asker_id="ULA",
        goal="g",
        topics=frozenset({"sre"}),
        asker_hours=WorkingHours(DEFAULT_WINDOWS, "America/Los_Angeles"),
    )
    ranking = rank_mentors(the_ask, [tokyo, london], {}, now=NOW)
    # Tokyo's 09:00-10:00 is 16:00-17:00 in LA (PST); London's day ends at 09:00 LA, so London is not offered.
    assert ranking.in_both_days and ids(ranking) == ["UTOKYO"]
    la = ZoneInfo("America/Los_Angeles")
    for offer in ranking.offers:
        assert all(time(9) <= s.astimezone(la).time() < time(17) for s in offer.slots)


def test_with_no_shared_hours_the_nearest_slots_are_offered_and_flagged():
    sydney = mentor("USYD", "sre", tz="Australia/Sydney")
    the_ask = AskSpec(
        asker_id="ULON",
        goal="g",
        topics=frozenset({"sre"}),
        asker_hours=WorkingHours(DEFAULT_WINDOWS, "Europe/London"),
    )
    ranking = rank_mentors(the_ask, [sydney], {}, now=NOW)
    assert not ranking.in_both_days and ids(ranking) == ["USYD"]
    london = ZoneInfo("Europe/London")
    # Sydney's 16:45 is London's 05:45, the nearest to 09:00 there: on each of the next three days.
    shown = [s.astimezone(london) for s in ranking.offers[0].slots]
    assert [s.strftime("%H:%M") for s in shown] == ["05:45"] * 3 and len({s.date() for s in shown}) == 3


def test_an_asker_zone_nobody_can_read_is_as_if_no_hours_were_given():
    the_ask = AskSpec(asker_id="UX", goal="g", asker_hours=WorkingHours(DEFAULT_WINDOWS, "Mars/Olympus"))
    plain = AskSpec(asker_id="UX", goal="g")
    assert rank_mentors(the_ask, [mentor("U1")], {}, now=NOW) == rank_mentors(
        plain, [mentor("U1")], {}, now=NOW
    )
