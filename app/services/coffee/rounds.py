"""Rounds: preview, run now, run what is due, and regroup someone whose partner can't be reached.

Each pool runs on its own schedule. A round is claimed by inserting its row (``(pool_id, scheduled_for)``
is unique) in the same transaction that
plans the groups and enqueues every introduction, so a due round runs exactly once across restarts
and replicas, and a crash before commit leaves nothing half-done.

A round's transaction first locks its pool's row (PostgreSQL; SQLite's writers are serialised by
``BEGIN IMMEDIATE`` already), so two rounds of one pool never plan side by side. An admin's "run now"
is one round per pool within :data:`RERUN_GAP`: a second one (a double click, two admins at once)
waits for the first, sees it and says so, rather than running a second round on top of it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db.models import CoffeeGroup, CoffeeGroupMember, CoffeePool, CoffeeRound
from app.domain.errors import Conflict
from app.domain.icebreakers import ICEBREAKERS
from app.domain.pairing import PairHistory, PairingPolicy, Participant, Plan, plan_groups
from app.domain.pairing.groups import as_plan, plan_sized_groups
from app.domain.schedule import latest_due, local_morning
from app.services import admins, notices, outbox
from app.services.clock import Clock
from app.services.coffee.headsup import skipped
from app.services.coffee.modes import in_person_days, plan_in_person_round, plan_lottery, two_sides
from app.services.coffee.previews import fingerprint, seed_keeping_preview
from app.services.coffee.regroup import regroup_stranded
from app.services.coffee.schedule import Schedule, find_pool
from app.services.coffee.views import RouletteSettings, RoundSummary
from app.services.people import Person

# A second "run now" of a pool within this long of the last one is taken for the same request.
RERUN_GAP = timedelta(minutes=2)


class Rounds:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: RouletteSettings,
        schedule: Schedule,
        *,
        clock: Clock,
        seed_source: Callable[[], int],
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._schedule = schedule
        self._clock = clock
        self._seed_source = seed_source

    def preview(self, person: Person, pool: str | None = None) -> RoundSummary:
        """Plan a pool's round without storing or telling anyone (admins only)."""
        admins.require_admin(self._settings.admins, person)
        now = self._clock()
        with self._sessions.begin() as session:
            found = find_pool(session, pool, now=now)
            choose = seed_keeping_preview(session, found.id, self._seed_source, by=person.user_id, now=now)
            next_round = self._schedule.view(found, now).next_round
            plan, pool_size, seed, state = self._plan(session, found, choose, now, next_round)
        return replace(RoundSummary.of(None, seed, pool_size, plan), preview_state=state)

    def run_now(self, person: Person, pool: str | None = None) -> RoundSummary:
        admins.require_admin(self._settings.admins, person)
        now = self._clock()
        with self._sessions.begin() as session:
            pool_id = find_pool(session, pool, now=now).id
        summary = self._run_round(pool_id, now, kind="manual", started_by=person.user_id, now=now)
        if summary is None:  # the same instant claimed by another run that we did not see (no lock)
            raise Conflict("A round of this pool is running right now, so no second one was started.")
        return summary

    def round_is_due(self, *, now: datetime | None = None) -> bool:
        return bool(self._due_rounds(now or self._clock()))

    def run_due_rounds(self, *, now: datetime | None = None) -> int:
        """Run each pool's latest due round unless it already ran or is older than the grace period;
        how many ran here (another replica may have claimed some)."""
        now = now or self._clock()
        ran = 0
        for pool_id, due in self._due_rounds(now):
            if self._run_round(pool_id, due, kind="scheduled", started_by=None, now=now):
                ran += 1
        return ran

    def partner_unreachable(self, group_id: int, user_id: str) -> int | None:
        """Delivery found everyone else in ``user_id``'s group unreachable. Move them into another group
        of the round whose intro has not gone out (it becomes a trio; its intro now names them too);
        failing that, tell them kindly and put them first in line for the next round.

        Returns the group they joined, or None. Safe to call again for the same person (a retried intro):
        once they are out of ``group_id`` there is nothing left to do."""
        with self._sessions.begin() as session:
            return regroup_stranded(session, group_id, user_id, now=self._clock())

    def _due_rounds(self, now: datetime) -> list[tuple[int, datetime]]:
        """Each pool whose latest round is due and has not run: (pool id, the round's instant)."""
        due_rounds = []
        with self._sessions.begin() as session:
            cq.default_pool(session, now=now)
            for pool in cq.pools(session):
                due = latest_due(self._schedule.view(pool, now).schedule, now)
                if due is None or now - due > self._settings.grace:
                    continue
                if not cq.round_ran(session, pool.id, due):
                    due_rounds.append((pool.id, due))
        return due_rounds

    def _run_round(
        self, pool_id: int, scheduled_for: datetime, *, kind: str, started_by: str | None, now: datetime
    ) -> RoundSummary | None:
        try:
            with self._sessions.begin() as session:
                # The pool's lock: a second run of this pool waits here until the first has committed.
                pool = session.get(CoffeePool, pool_id, with_for_update=True)
                if pool is None:
                    return None  # removed meanwhile
                if kind == "manual":
                    _refuse_a_rerun(session, pool, now)
                round_ = CoffeeRound(
                    pool_id=pool_id,
                    scheduled_for=scheduled_for,
                    kind=kind,
                    seed=0,  # set once planned: the kept preview's seed or a fresh one
                    pool_size=0,
                    started_by=started_by,
                    created_at=now,
                    followup_due_at=now + self._settings.followup_after,
                )
                session.add(round_)
                session.flush()  # the claim: a second replica fails here on (pool_id, scheduled_for)
                choose = seed_keeping_preview(session, pool_id, self._seed_source, by=None, now=now)
                plan, pool_size, seed, state = self._plan(
                    session, pool, choose, now, scheduled_for, round_id=round_.id
                )
                round_.pool_size, round_.seed = pool_size, seed
                intro_at = time.fromisoformat(pool.intro_at) if pool.intro_at else None
                self._store_groups(
                    session,
                    round_,
                    plan,
                    random.Random(seed),
                    now,
                    intro_at,
                    in_person=pool.mode == "in_person",
                )
                return replace(RoundSummary.of(round_.id, seed, pool_size, plan), preview_state=state)
        except IntegrityError:
            return None  # somebody else ran this round

    def _plan(
        self,
        session: Session,
        pool: CoffeePool,
        choose: Callable[[str], tuple[int, str]],
        now: datetime,
        scheduled_for: datetime,
        *,
        round_id: int | None = None,
    ) -> tuple[Plan, int, int, str]:
        """The round's groups, its seed (``choose`` picks it from the inputs' fingerprint) and whether
        a kept preview held; whoever skipped the round at ``scheduled_for`` sits it out."""
        out = skipped(session, pool.id, scheduled_for)
        members = [m for m in cq.pool_members(session, pool.id, now=now) if m.user_id not in out]
        waiting = cq.first_in_line(session, pool.id)
        people = [
            Participant(
                m.user_id,
                team=m.team,
                level=m.level,
                utc_offset_minutes=_utc_offset_minutes(m.tz, now),
                first_in_line=m.user_id in waiting,
            )
            for m in members
        ]
        window = pool.repeat_window or self._settings.repeat_window
        history = PairHistory.from_rounds(cq.recent_rounds(session, pool.id, window))
        policy = PairingPolicy(repeat_window=window, mix_levels=self._settings.mix_levels)
        avoid = cq.avoid_pairs(session, (p.user_id for p in people))
        seed, state = choose(fingerprint(session, pool, people, avoid, exclude_round=round_id))
        plan, size = self._plan_mode(session, pool, people, history, window, policy, avoid, seed)
        return plan, size, seed, state

    def _plan_mode(
        self,
        session: Session,
        pool: CoffeePool,
        people: list[Participant],
        history: PairHistory,
        window: int,
        policy: PairingPolicy,
        avoid: list[tuple[str, str]],
        seed: int,
    ) -> tuple[Plan, int]:
        if pool.mode == "lottery":
            return plan_lottery(session, pool, people, random.Random(seed), avoid), len(people)
        if pool.mode == "in_person":
            rng = random.Random(seed)
            return plan_in_person_round(session, pool, people, history, window, rng, avoid), len(people)
        sides: dict[str, bool] | None = None
        outside: list[str] = []
        if pool.mode == "two_sides":
            sides, outside = two_sides(session, pool, people)
            people = [p for p in people if p.user_id in sides]
        senior_level = pool.settings.get("level") if pool.mode == "senior" else None
        if pool.mode == "random" and pool.group_size == 2 and not pool.never_same_team:
            plan = plan_groups(people, history, rng=random.Random(seed), policy=policy, avoid=avoid)
            return plan, len(people)
        sized = plan_sized_groups(
            people,
            history,
            rng=random.Random(seed),
            size=pool.group_size,
            repeat_window=window,
            avoid=avoid,
            never_same_team=pool.never_same_team,
            senior_level=senior_level if isinstance(senior_level, int) else None,
            sides=sides,
        )
        plan = as_plan(sized, people)
        if outside:
            plan = replace(plan, not_placed=tuple((u, "on neither side") for u in outside))
        return plan, len(people)

    def _store_groups(
        self,
        session: Session,
        round_: CoffeeRound,
        plan: Plan,
        rng: random.Random,
        now: datetime,
        intro_at: time | None,
        *,
        in_person: bool = False,
    ) -> None:
        """The groups and their intros, each due at the group's local morning (``intro_at`` in the zone
        most of it shares) or, without ``intro_at``, at once."""
        members = cq.members_by_id(session, (u for g in plan.groups for u in g.members))
        topics = cq.mentor_topics(session, members)
        offices = cq.offices_of(session, members) if in_person else {}
        for group in plan.groups:
            office, day, all_in = in_person_days(offices, group.members) if in_person else (None, None, False)
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
                notices.CoffeeIntro(
                    key=cq.intro_key(round_.id, row.id),
                    users=tuple(group.members),
                    proposer=group.proposer,
                    icebreaker=row.icebreaker,
                    group_id=row.id,
                    people={
                        u: notices.Colleague(
                            members[u].team if u in members else None, tuple(topics.get(u, []))
                        )
                        for u in group.members
                    },
                    office=office,
                    office_day=day,
                    all_in=all_in,
                ),
                now=now,
                due_at=None
                if intro_at is None
                else local_morning([members[u].tz for u in group.members if u in members], intro_at, now),
            )
        # The promise of the "left out" message: whoever got no group is placed first next round.
        placed = {u for g in plan.groups for u in g.members}
        cq.clear_first_in_line(session, round_.pool_id, cq.first_in_line(session, round_.pool_id) & placed)
        cq.set_first_in_line(session, round_.pool_id, plan.left_out, now=now)
        for user_id in plan.left_out:
            outbox.enqueue(
                session,
                notices.CoffeeLeftOut(key=f"coffee:{round_.id}:left-out:{user_id}", to=user_id),
                now=now,
            )


def _refuse_a_rerun(session: Session, pool: CoffeePool, now: datetime) -> None:
    """Conflict when this pool's last manual round started within RERUN_GAP (the first of two clicks)."""
    earlier = cq.manual_round_since(session, pool.id, now - RERUN_GAP)
    if earlier is None:
        return
    by = f" by <@{earlier.started_by}>" if earlier.started_by else ""
    raise Conflict(
        f"A round of the pool “{pool.name}” was started{by} moments ago (round {earlier.id}), so no second "
        "one was started: its intros are on their way. To run another round, wait a couple of minutes."
    )


def _utc_offset_minutes(tz: str, now: datetime) -> int | None:
    try:
        offset = now.astimezone(ZoneInfo(tz)).utcoffset()
    except (ValueError, OSError, KeyError):
        return None
    return int(offset.total_seconds() // 60) if offset is not None else None
