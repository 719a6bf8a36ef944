"""Coffee roulette: who is in the pool, the schedule, running rounds, introductions and follow-ups.

A round is claimed by inserting its row (``scheduled_for`` is unique) in the same transaction that
plans the groups and enqueues every introduction, so a due round runs exactly once across restarts
and replicas, and a crash before commit leaves nothing half-done.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db import queries
from app.db.models import (
    CoffeeAvoid,
    CoffeeChannel,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeParticipant,
    CoffeeRound,
    CoffeeSchedule,
    Member,
)
from app.domain.errors import InvalidInput, NotAllowed, NotFound
from app.domain.icebreakers import ICEBREAKERS
from app.domain.pairing import PairHistory, PairingPolicy, Participant, Plan, plan_groups
from app.domain.schedule import RoundSchedule, latest_due, next_after
from app.services import outbox
from app.services.clock import Clock, utc_now
from app.services.coffee_regroup import regroup_stranded
from app.services.people import Person

DEFAULT_ANCHOR = date(2024, 1, 1)  # a Monday; the rhythm for fortnightly rounds until an admin sets one
UNANSWERED_BEFORE_PAUSE = 3
ANSWERS = ("yes", "not_yet", "no")


@dataclass(frozen=True, slots=True)
class RouletteSettings:
    admins: frozenset[str]
    default_tz: str = "UTC"
    repeat_window: int = 6
    grace: timedelta = timedelta(hours=12)
    followup_after: timedelta = timedelta(days=3)
    answer_window: timedelta = timedelta(days=3)
    mix_levels: bool = False


@dataclass(frozen=True, slots=True)
class CoffeeStatus:
    in_pool: bool
    joined: bool  # joined themselves (rather than through a channel)
    via_channel: bool
    opted_out: bool
    paused_until: datetime | None
    next_round: datetime
    avoid_count: int
    tz: str


@dataclass(frozen=True, slots=True)
class ScheduleView:
    schedule: RoundSchedule
    next_round: datetime
    is_default: bool


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """What a round did (or, for a preview, would do). Names only for the admin who asked."""

    round_id: int | None
    seed: int
    pool_size: int
    groups: tuple[tuple[str, ...], ...]
    trios: int
    repeats: tuple[tuple[str, str], ...]
    left_out: tuple[str, ...]
    cross_team_share: float


@dataclass(frozen=True, slots=True)
class FollowupAnswer:
    group_id: int
    answer: str
    changed: bool


class RouletteService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: RouletteSettings,
        *,
        clock: Clock = utc_now,
        seed_source: Callable[[], int] = lambda: secrets.randbits(62),
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._clock = clock
        self._seed_source = seed_source

    # --- the pool ----------------------------------------------------------------------------------

    def join(self, person: Person) -> CoffeeStatus:
        return self._update(person, opted_in=True, opted_out=False, paused_until=None)

    def leave(self, person: Person) -> CoffeeStatus:
        return self._update(person, opted_in=False, opted_out=True, paused_until=None)

    def resume(self, person: Person) -> CoffeeStatus:
        return self._update(person, opted_out=False, paused_until=None, unanswered_streak=0)

    def pause(
        self, person: Person, *, duration: timedelta | None = None, until_date: date | None = None
    ) -> CoffeeStatus:
        now = self._clock()
        if duration is not None:
            until = now + duration
        elif until_date is not None:
            until = datetime.combine(until_date, time(0, 0), tzinfo=ZoneInfo(person.tz)).astimezone(UTC)
            if until <= now:
                raise InvalidInput(
                    "That date is in the past: pick a future one, e.g. `/mentor coffee pause 2w`."
                )
        else:
            raise InvalidInput(
                "For how long? e.g. `/mentor coffee pause 2w` or `/mentor coffee pause 2026-01-31`."
            )
        return self._update(person, paused_until=until)

    def status(self, person: Person) -> CoffeeStatus:
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            return self._status(session, person, now)

    def _update(self, person: Person, **changes: object) -> CoffeeStatus:
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            row = cq.participant(session, person.user_id, now=now)
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_at = now
            session.flush()
            return self._status(session, person, now)

    def _status(self, session: Session, person: Person, now: datetime) -> CoffeeStatus:
        row = session.get(CoffeeParticipant, person.user_id)
        via_channel = person.user_id in cq.channel_member_ids(session)
        joined = bool(row and row.opted_in)
        opted_out = bool(row and row.opted_out)
        paused = row.paused_until if row and row.paused_until and row.paused_until > now else None
        avoid_count = len(
            list(session.scalars(select(CoffeeAvoid.avoided_id).where(CoffeeAvoid.user_id == person.user_id)))
        )
        return CoffeeStatus(
            in_pool=(joined or via_channel) and not opted_out and paused is None,
            joined=joined,
            via_channel=via_channel,
            opted_out=opted_out,
            paused_until=paused,
            next_round=next_after(self._schedule(session).schedule, now),
            avoid_count=avoid_count,
            tz=person.tz,
        )

    def avoid(self, person: Person, other_id: str, *, remove: bool) -> int:
        """Keep (or drop) a confidential "don't pair me with"; returns how many the person keeps."""
        if other_id == person.user_id:
            raise InvalidInput("You'll never be paired with yourself, promise.")
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            existing = session.get(CoffeeAvoid, (person.user_id, other_id))
            if remove and existing is not None:
                session.delete(existing)
            elif not remove and existing is None:
                session.add(CoffeeAvoid(user_id=person.user_id, avoided_id=other_id, created_at=now))
            session.flush()
            return len(
                list(
                    session.scalars(
                        select(CoffeeAvoid.avoided_id).where(CoffeeAvoid.user_id == person.user_id)
                    )
                )
            )

    # --- channels (admin) ----------------------------------------------------------------------------

    def add_channel(self, person: Person, channel_id: str, name: str) -> None:
        self.require_admin(person)
        now = self._clock()
        with self._sessions.begin() as session:
            if session.get(CoffeeChannel, channel_id) is None:
                session.add(
                    CoffeeChannel(channel_id=channel_id, name=name, added_by=person.user_id, added_at=now)
                )

    def channels(self) -> list[str]:
        with self._sessions() as session:
            return list(session.scalars(select(CoffeeChannel.channel_id).order_by(CoffeeChannel.channel_id)))

    def record_channel_members(self, channel_id: str, people: Iterable[Person]) -> int:
        """Store a channel's human members as Slack listed them (the adapter leaves out bots and leavers)."""
        now = self._clock()
        people = list(people)
        with self._sessions.begin() as session:
            channel = cq.lock_channel(session, channel_id)
            if channel is None:
                raise NotFound("That channel is not a coffee channel.")
            for member in people:
                queries.upsert_member(session, member.user_id, name=member.name, tz=member.tz, now=now)
            cq.replace_channel_members(session, channel_id, (p.user_id for p in people))
            channel.synced_at = now
        return len(people)

    # --- schedule ------------------------------------------------------------------------------------

    def schedule(self) -> ScheduleView:
        with self._sessions() as session:
            return self._schedule(session)

    def set_schedule(
        self, person: Person, *, every_weeks: int, weekday: int, at: time, tz: str | None
    ) -> ScheduleView:
        self.require_admin(person)
        now = self._clock()
        tz = tz or person.tz
        local_today = now.astimezone(ZoneInfo(tz)).date()
        schedule = RoundSchedule(every_weeks, weekday, at, tz, local_today)  # validates
        with self._sessions.begin() as session:
            row = session.get(CoffeeSchedule, 1)
            if row is None:
                row = CoffeeSchedule(id=1)
                session.add(row)
            row.every_weeks, row.weekday, row.at_time, row.tz = every_weeks, weekday, at.strftime("%H:%M"), tz
            row.anchor = datetime.combine(local_today, time(0, 0), tzinfo=UTC)
            row.updated_by, row.updated_at = person.user_id, now
            return ScheduleView(schedule, next_after(schedule, now), is_default=False)

    def _schedule(self, session: Session) -> ScheduleView:
        row = session.get(CoffeeSchedule, 1)
        now = self._clock()
        if row is None:
            schedule = RoundSchedule(1, 0, time(9, 0), self._settings.default_tz, DEFAULT_ANCHOR)
            return ScheduleView(schedule, next_after(schedule, now), is_default=True)
        schedule = RoundSchedule(
            row.every_weeks, row.weekday, time.fromisoformat(row.at_time), row.tz, row.anchor.date()
        )
        return ScheduleView(schedule, next_after(schedule, now), is_default=False)

    # --- rounds --------------------------------------------------------------------------------------

    def preview(self, person: Person) -> RoundSummary:
        """Plan a round without storing or telling anyone (admins only)."""
        self.require_admin(person)
        seed = self._seed_source()
        with self._sessions() as session:
            plan, pool_size = self._plan(session, seed, self._clock())
        return _summary(None, seed, pool_size, plan)

    def run_now(self, person: Person) -> RoundSummary:
        self.require_admin(person)
        now = self._clock()
        summary = self._run_round(now, kind="manual", started_by=person.user_id, now=now)
        assert summary is not None  # a manual round's instant is fresh
        return summary

    def round_is_due(self, *, now: datetime | None = None) -> bool:
        return self._due_round(now or self._clock()) is not None

    def run_due_rounds(self, *, now: datetime | None = None) -> int:
        """Run the latest due round unless it already ran or is older than the grace period."""
        now = now or self._clock()
        due = self._due_round(now)
        if due is None:
            return 0
        return 1 if self._run_round(due, kind="scheduled", started_by=None, now=now) else 0

    def _due_round(self, now: datetime) -> datetime | None:
        with self._sessions() as session:
            due = latest_due(self._schedule(session).schedule, now)
            if due is None or now - due > self._settings.grace:
                return None
            if session.scalar(select(CoffeeRound.id).where(CoffeeRound.scheduled_for == due)) is not None:
                return None
            return due

    def _run_round(
        self, scheduled_for: datetime, *, kind: str, started_by: str | None, now: datetime
    ) -> RoundSummary | None:
        seed = self._seed_source()
        try:
            with self._sessions.begin() as session:
                round_ = CoffeeRound(
                    scheduled_for=scheduled_for,
                    kind=kind,
                    seed=seed,
                    pool_size=0,
                    started_by=started_by,
                    created_at=now,
                    followup_due_at=now + self._settings.followup_after,
                )
                session.add(round_)
                session.flush()  # the claim: a second replica fails here on the unique scheduled_for
                plan, pool_size = self._plan(session, seed, now)
                round_.pool_size = pool_size
                self._store_groups(session, round_, plan, random.Random(seed), now)
                return _summary(round_.id, seed, pool_size, plan)
        except IntegrityError:
            return None  # somebody else ran this round

    def _plan(self, session: Session, seed: int, now: datetime) -> tuple[Plan, int]:
        members = cq.pool_members(session, now=now)
        waiting = cq.first_in_line(session)
        pool = [
            Participant(
                m.user_id,
                team=m.team,
                level=m.level,
                utc_offset_minutes=_utc_offset_minutes(m.tz, now),
                first_in_line=m.user_id in waiting,
            )
            for m in members
        ]
        history = PairHistory.from_rounds(cq.recent_rounds(session, self._settings.repeat_window))
        policy = PairingPolicy(
            repeat_window=self._settings.repeat_window, mix_levels=self._settings.mix_levels
        )
        plan = plan_groups(
            pool,
            history,
            rng=random.Random(seed),
            policy=policy,
            avoid=cq.avoid_pairs(session, (p.user_id for p in pool)),
        )
        return plan, len(pool)

    def _store_groups(
        self, session: Session, round_: CoffeeRound, plan: Plan, rng: random.Random, now: datetime
    ) -> None:
        members = {
            m.user_id: m
            for m in session.scalars(
                select(Member).where(Member.user_id.in_([u for g in plan.groups for u in g.members]))
            )
        }
        topics = cq.mentor_topics(session, members)
        for group in plan.groups:
            row = CoffeeGroup(
                round_id=round_.id, proposer_id=group.proposer, icebreaker=rng.choice(ICEBREAKERS)
            )
            session.add(row)
            session.flush()
            session.add_all(
                CoffeeGroupMember(group_id=row.id, user_id=u, settled=False) for u in group.members
            )
            outbox.enqueue(
                session,
                key=cq.intro_key(round_.id, row.id),
                kind="coffee_intro",
                now=now,
                payload={
                    "users": list(group.members),
                    "proposer": group.proposer,
                    "icebreaker": row.icebreaker,
                    "group_id": row.id,
                    "people": {
                        u: {"team": members[u].team if u in members else None, "topics": topics.get(u, [])}
                        for u in group.members
                    },
                },
            )
        # The promise of the "left out" message: whoever got no group is placed first next round.
        placed = {u for g in plan.groups for u in g.members}
        cq.clear_first_in_line(session, cq.first_in_line(session) & placed)
        cq.set_first_in_line(session, plan.left_out, now=now)
        for user_id in plan.left_out:
            outbox.enqueue(
                session,
                key=f"coffee:{round_.id}:left-out:{user_id}",
                kind="coffee_left_out",
                now=now,
                payload={"to": user_id},
            )

    def partner_unreachable(self, group_id: int, user_id: str) -> int | None:
        """Delivery found everyone else in ``user_id``'s group unreachable. Move them into another group
        of the round whose intro has not gone out (it becomes a trio; its intro now names them too);
        failing that, tell them kindly and put them first in line for the next round.

        Returns the group they joined, or None. Safe to call again for the same person (a retried intro):
        once they are out of ``group_id`` there is nothing left to do."""
        with self._sessions.begin() as session:
            return regroup_stranded(session, group_id, user_id, now=self._clock())

    # --- follow-up -----------------------------------------------------------------------------------

    def send_due_followups(self, *, now: datetime | None = None) -> int:
        """A few days after a round, ask each group "Did you meet?" (once)."""
        now = now or self._clock()
        asked = 0
        with self._sessions.begin() as session:
            query = select(CoffeeRound).where(
                CoffeeRound.followup_sent_at.is_(None), CoffeeRound.followup_due_at <= now
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for round_ in session.scalars(query):
                round_.followup_sent_at = now
                for group in session.scalars(select(CoffeeGroup).where(CoffeeGroup.round_id == round_.id)):
                    rows = list(
                        session.scalars(
                            select(CoffeeGroupMember).where(CoffeeGroupMember.group_id == group.id)
                        )
                    )
                    if len(rows) < 2:  # its partner was moved to another group: nobody to meet
                        continue
                    for row in rows:
                        row.asked_at = now
                    outbox.enqueue(
                        session,
                        key=f"coffee:{round_.id}:{group.id}:followup",
                        kind="coffee_followup",
                        now=now,
                        payload={"users": [r.user_id for r in rows], "group_id": group.id},
                    )
                    asked += 1
        return asked

    def answer_followup(self, person: Person, group_id: int, answer: str) -> FollowupAnswer:
        if answer not in ANSWERS:
            raise InvalidInput("That answer isn't one I know.")
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(CoffeeGroupMember, (group_id, person.user_id))
            if row is None:
                raise NotAllowed("Only the people in this group can answer for it.")
            changed = row.answer != answer
            row.answer, row.answered_at = answer, now
            participant = cq.participant(session, person.user_id, now=now)
            participant.unanswered_streak = 0
            return FollowupAnswer(group_id, answer, changed)

    def settle_followups(self, *, now: datetime | None = None) -> int:
        """Count follow-ups left unanswered; after three in a row, pause the person and tell them."""
        now = now or self._clock()
        paused = 0
        with self._sessions.begin() as session:
            for row in cq.unsettled_followups(session, asked_before=now - self._settings.answer_window):
                row.settled = True
                participant = cq.participant(session, row.user_id, now=now)
                if row.answer is not None:
                    participant.unanswered_streak = 0
                    continue
                participant.unanswered_streak += 1
                if (
                    participant.unanswered_streak >= UNANSWERED_BEFORE_PAUSE
                    and participant.paused_until is None
                ):
                    participant.paused_until = datetime(9999, 1, 1, tzinfo=UTC)  # until they resume
                    participant.updated_at = now
                    outbox.enqueue(
                        session,
                        key=f"coffee:paused:{row.user_id}:{row.group_id}",
                        kind="coffee_paused",
                        now=now,
                        payload={"to": row.user_id},
                    )
                    paused += 1
        return paused

    # --- members import (admin CLI) ----------------------------------------------------------------

    def import_members(self, rows: Iterable[tuple[str, str | None, int | None]]) -> int:
        now = self._clock()
        count = 0
        with self._sessions.begin() as session:
            for user_id, team, level in rows:
                member = session.get(Member, user_id)
                if member is None:
                    member = Member(
                        user_id=user_id,
                        display_name=user_id,
                        tz=self._settings.default_tz,
                        created_at=now,
                        updated_at=now,
                    )
                    session.add(member)
                member.team, member.level, member.updated_at = team, level, now
                count += 1
        return count

    def require_admin(self, person: Person) -> None:
        if person.user_id not in self._settings.admins:
            raise NotAllowed("Only Mentorbot admins can do that. Ask one of them, or see `/mentor help`.")

    # --- one call per command (appended while the module is being split; the lead files them) ------

    def add_channel_and_sync(
        self, person: Person, channel_id: str, name: str, read_members: ChannelReader
    ) -> int | None:
        """Make a channel a coffee channel and record its members now; None if Slack won't list them.

        The channel is kept either way (members are read again before each round). Slack is read
        between the two transactions, never inside one.
        """
        self.add_channel(person, channel_id, name)
        people = read_members(channel_id)
        return None if people is None else self.record_channel_members(channel_id, people)

    def sync_channels_and_run_now(self, person: Person, read_members: ChannelReader) -> RoundSummary:
        """An admin's "run a round now": refresh every coffee channel's members, then run the round."""
        self.require_admin(person)
        for channel_id in self.channels():
            people = read_members(channel_id)
            if people is not None:  # an unreadable channel keeps the members it had
                self.record_channel_members(channel_id, people)
        return self.run_now(person)


# A coffee channel's human members as Slack lists them, or None when Slack won't (the adapter's job).
ChannelReader = Callable[[str], "list[Person] | None"]


def _utc_offset_minutes(tz: str, now: datetime) -> int | None:
    try:
        offset = now.astimezone(ZoneInfo(tz)).utcoffset()
    except (ValueError, OSError, KeyError):
        return None
    return int(offset.total_seconds() // 60) if offset is not None else None


def _summary(round_id: int | None, seed: int, pool_size: int, plan: Plan) -> RoundSummary:
    groups = tuple(g.members for g in plan.groups)
    return RoundSummary(
        round_id=round_id,
        seed=seed,
        pool_size=pool_size,
        groups=groups,
        trios=sum(1 for g in groups if len(g) == 3),
        repeats=tuple(plan.repeats),
        left_out=tuple(plan.left_out),
        cross_team_share=plan.cross_team_share,
    )
