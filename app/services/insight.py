"""Program insight for admins: aggregate figures only, never a person's comments or who met whom.

Any breakdown whose group is smaller than ``MIN_GROUP`` (a topic asked by fewer than five asks, a team
of fewer than five people) is merged into "other", so no figure points at an individual.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db import insight_queries as iq
from app.db import operations_queries as oq
from app.domain.model import SLOT_LENGTH, AskStatus, MeetingStatus
from app.services import admins
from app.services.clock import Clock, utc_now
from app.services.people import Person
from app.services.session_feedback import FormatFigures, format_figures

MIN_GROUP = 5
OTHER = "other"
SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class ProgramStats:
    period_days: int | None
    since: datetime | None
    mentors: int
    askers: int
    coffee_pool: int
    asks_made: int
    asks_fulfilled: int
    asks_unmet: int
    topics_without_mentors: tuple[tuple[str, int], ...]  # asked-for topics no active mentor offers
    conversations_held: int
    conversations_cancelled: int
    requests_expired: int
    requests_declined: int
    average_rating: float | None
    ratings: int
    goals_met_share: float | None
    not_a_good_fit: int
    coffee_answers: int
    coffee_meet_rate: float | None
    coffee_opt_outs: int
    coffee_paused: int
    mentor_load_median: float
    mentor_load_busiest: int
    weekly_conversations: tuple[tuple[datetime, int], ...]
    # Messages Slack refused for good (by its error) in the period, and people we can't reach now.
    delivery_failures: tuple[tuple[str, int], ...] = ()
    unreachable_people: int = 0
    # Per format (1:1 first, then each hosted format): held, seats filled, attendance, rating.
    formats: tuple[FormatFigures, ...] = ()

    @property
    def sparkline(self) -> str:
        return sparkline([count for _, count in self.weekly_conversations])


def sparkline(values: list[int]) -> str:
    if not values:
        return ""
    top = max(values)
    if top == 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, round(v / top * (len(SPARK) - 1)))] for v in values)


def week_start(instant: datetime) -> datetime:
    day = instant.astimezone(UTC).date()
    monday = day - timedelta(days=day.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def merge_small(counts: Counter[str], *, minimum: int = MIN_GROUP) -> tuple[tuple[str, int], ...]:
    """Keep groups of at least ``minimum``; fold the rest into "other" (dropped if it is itself small)."""
    kept = [(name, n) for name, n in counts.most_common() if n >= minimum and name != OTHER]
    rest = sum(n for name, n in counts.items() if n < minimum or name == OTHER)
    if rest >= minimum:
        kept.append((OTHER, rest))
    return tuple(kept)


class InsightService:
    def __init__(
        self, sessions: sessionmaker[Session], *, admins: frozenset[str], clock: Clock = utc_now
    ) -> None:
        self._sessions = sessions
        self._admins = admins
        self._clock = clock

    def stats(self, person: Person, period_days: int | None) -> ProgramStats:
        self._require_admin(person)
        now = self._clock()
        since = now - timedelta(days=period_days) if period_days else None
        with self._sessions() as session:
            return _compute(session, now, since, period_days)

    def export_csv(self, person: Person, period_days: int | None) -> str:
        self._require_admin(person)
        now = self._clock()
        since = now - timedelta(days=period_days) if period_days else None
        with self._sessions() as session:
            return _export(session, now, since)

    def is_admin(self, person: Person) -> bool:
        return admins.is_admin(self._admins, person)

    def _require_admin(self, person: Person) -> None:
        admins.require_admin(self._admins, person)


def _compute(
    session: Session, now: datetime, since: datetime | None, period_days: int | None
) -> ProgramStats:
    asks = iq.asks(session, since)
    meetings = iq.meetings(session, since)
    held = [m for m in meetings if m.status == MeetingStatus.CONFIRMED and m.start_at + SLOT_LENGTH <= now]
    feedback = iq.feedback(session, since)
    ratings = [f.rating for f in feedback if f.rating is not None]
    goal_answers = [f.goal_met for f in feedback if f.role == "asker" and f.goal_met is not None]
    coffee = [c.answer for c in iq.coffee_answers(session, since) if c.answer is not None]
    offered = iq.offered_topics(session)
    missing: Counter[str] = Counter()
    for ask in asks:
        missing.update(t for t in (ask.topics or {}).get("topics") or [] if t not in offered)
    load = Counter(m.mentor_id for m in held)
    active_ids = iq.active_mentor_ids(session)
    per_mentor = [load.get(user_id, 0) for user_id in active_ids]
    weeks = _weeks(now, since)
    weekly = Counter(week_start(m.start_at) for m in held)
    participants = iq.coffee_participants(session)
    return ProgramStats(
        period_days=period_days,
        since=since,
        mentors=len(active_ids),
        askers=len({a.asker_id for a in asks}),
        coffee_pool=cq.everyone_in_a_pool(session, now=now),
        asks_made=len(asks),
        asks_fulfilled=sum(1 for a in asks if a.status == AskStatus.CONFIRMED),
        asks_unmet=sum(1 for a in asks if a.status == AskStatus.UNMET),
        topics_without_mentors=merge_small(missing),
        conversations_held=len(held),
        conversations_cancelled=sum(1 for m in meetings if m.status == MeetingStatus.CANCELLED),
        requests_expired=sum(1 for m in meetings if m.status == MeetingStatus.EXPIRED),
        requests_declined=sum(1 for m in meetings if m.status == MeetingStatus.DECLINED),
        average_rating=statistics.fmean(ratings) if ratings else None,
        ratings=len(ratings),
        goals_met_share=(goal_answers.count("yes") / len(goal_answers)) if goal_answers else None,
        not_a_good_fit=sum(1 for f in feedback if f.not_a_good_fit),
        coffee_answers=len(coffee),
        coffee_meet_rate=(coffee.count("yes") / len(coffee)) if coffee else None,
        coffee_opt_outs=sum(
            1 for p in participants if p.opted_out and (since is None or p.updated_at >= since)
        ),
        coffee_paused=sum(1 for p in participants if p.paused_until is not None and p.paused_until > now),
        mentor_load_median=statistics.median(per_mentor) if per_mentor else 0.0,
        mentor_load_busiest=max(per_mentor, default=0),
        weekly_conversations=tuple((week, weekly.get(week, 0)) for week in weeks),
        delivery_failures=tuple(oq.failed_by_reason(session, since).items()),
        unreachable_people=oq.unreachable_people(session),
        formats=_formats(session, now, since, held=len(held), ratings=ratings),
    )


def _formats(
    session: Session, now: datetime, since: datetime | None, *, held: int, ratings: list[int]
) -> tuple[FormatFigures, ...]:
    one_to_one = FormatFigures(
        label="1:1",
        held=held,
        seats=0,
        filled=0,
        attendance_share=None,
        average_rating=statistics.fmean(ratings) if ratings else None,
        ratings=len(ratings),
    )
    return (one_to_one, *format_figures(session, now=now, since=since))


def _weeks(now: datetime, since: datetime | None) -> list[datetime]:
    last = week_start(now)
    count = 26 if since is None else max(1, min(26, (now - since).days // 7 + 1))
    return [last - timedelta(weeks=i) for i in reversed(range(count))]


def _csv_safe(text: str) -> str:
    """A team name like ``=HYPERLINK(…)`` must stay text when the admin opens the CSV in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _export(session: Session, now: datetime, since: datetime | None) -> str:
    """Per week and per team, as CSV. Teams under five people are folded into "other"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "section",
            "week_or_team",
            "asks",
            "fulfilled",
            "unmet",
            "conversations",
            "average_rating",
            "goals_met_share",
            "coffee_answers",
            "coffee_meet_rate",
            "sessions_held",
            "seats_filled_share",
            "attendance_share",
            "people",
        ]
    )
    asks = iq.asks(session, since)
    meetings = iq.meetings(session, since)
    held = {
        m.id: m for m in meetings if m.status == MeetingStatus.CONFIRMED and m.start_at + SLOT_LENGTH <= now
    }
    feedback = iq.feedback(session, since)
    coffee = iq.coffee_answers(session, since)
    # People who took part in the period: asked, held a conversation (either side), answered feedback or
    # were in a coffee group. Each is counted once, whatever their rows were re-pointed at by erasure (an
    # erased person's rows all carry one stand-in id), and a person who merely has a profile or used a
    # command doesn't count. Teams are folded by these counts, so "under five" means five who took part.
    took_part = _participants(asks, held.values(), feedback, coffee)
    teams = iq.teams(session)
    team_sizes = Counter(teams.get(user_id) or OTHER for user_id in took_part)
    big = {team for team, n in team_sizes.items() if n >= MIN_GROUP and team != OTHER}

    def team_of(user_id: str) -> str:
        team = teams.get(user_id) or OTHER
        return team if team in big else OTHER

    def row(section: str, key: str, rows: dict[str, list[Any]], people: int | str) -> list[object]:
        key = _csv_safe(key)
        a, m, f, c = (rows.get(k, []) for k in ("asks", "held", "feedback", "coffee"))
        ratings = [x.rating for x in f if x.rating is not None]
        goals = [x.goal_met for x in f if x.role == "asker" and x.goal_met]
        answers = [x.answer for x in c if x.answer]
        return [
            section,
            key,
            len(a),
            sum(1 for x in a if x.status == AskStatus.CONFIRMED),
            sum(1 for x in a if x.status == AskStatus.UNMET),
            len(m),
            f"{statistics.fmean(ratings):.2f}" if ratings else "",
            f"{goals.count('yes') / len(goals):.2f}" if goals else "",
            len(answers),
            f"{answers.count('yes') / len(answers):.2f}" if answers else "",
            "",
            "",
            "",
            people,
        ]

    by_week: dict[datetime, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for a in asks:
        by_week[week_start(a.created_at)]["asks"].append(a)
    for m in held.values():
        by_week[week_start(m.start_at)]["held"].append(m)
    for f in feedback:
        by_week[week_start(f.asked_at)]["feedback"].append(f)
    for c in coffee:
        by_week[week_start(c.asked_at)]["coffee"].append(c)
    for week in sorted(by_week):
        writer.writerow(row("week", week.date().isoformat(), by_week[week], ""))

    by_team: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for a in asks:
        by_team[team_of(a.asker_id)]["asks"].append(a)
    for m in held.values():
        by_team[team_of(m.asker_id)]["held"].append(m)
    for f in feedback:
        by_team[team_of(f.user_id)]["feedback"].append(f)
    for c in coffee:
        by_team[team_of(c.user_id)]["coffee"].append(c)
    folded_sizes = Counter(team_of(u) for u in took_part)
    for team in sorted(by_team, key=lambda t: (t == OTHER, t)):
        if folded_sizes.get(team, 0) < MIN_GROUP:
            continue  # even "other" is too small to show without pointing at someone
        writer.writerow(row("team", team, by_team[team], folded_sizes[team]))
    ratings = [f.rating for f in feedback if f.rating is not None]
    for figures in _formats(session, now, since, held=len(held), ratings=ratings):
        writer.writerow(_format_row(figures))
    return out.getvalue()


def _format_row(f: FormatFigures) -> list[object]:
    """A format's aggregate row; the columns that are about asks, goals, coffee and people stay empty."""

    def share(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else ""

    return [
        "format",
        f.label,
        "",
        "",
        "",
        "",
        share(f.average_rating),
        "",
        "",
        "",
        f.held,
        share(f.filled_share),
        share(f.attendance_share),
        "",
    ]


def _participants(
    asks: Iterable[Any], held: Iterable[Any], feedback: Iterable[Any], coffee: Iterable[Any]
) -> set[str]:
    people = {a.asker_id for a in asks} | {f.user_id for f in feedback} | {c.user_id for c in coffee}
    for meeting in held:
        people.update((meeting.asker_id, meeting.mentor_id))
    return people
