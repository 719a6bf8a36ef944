"""Asking: ``/mentor ask``, fresh options for an open ask, "not a good fit" (ask again without them).

Ranking lives here too, since booking re-ranks when a request can't be made or falls through.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Set
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.db import directory_queries, queries
from app.db import meeting_queries as mq
from app.db.engine import create_read_session_factory
from app.db.models import Ask, Meeting, Member
from app.domain import meeting as lifecycle
from app.domain.busy import NOBODY_BUSY, Busy
from app.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.domain.goal import validate_goal
from app.domain.matching import rank_mentors
from app.domain.meeting import reverse_shortfall
from app.domain.model import DEFAULT_WINDOWS, AskSpec, AskStatus, Mentor, Ranking, WorkingHours
from app.services.clock import Clock
from app.services.members import working_hours
from app.services.mentoring.lunch import rank_lunch
from app.services.mentoring.places import lunch_office
from app.services.mentoring.views import AskOutcome
from app.services.people import Person
from app.services.register_cache import RegisterCache, RegisterSnapshot
from app.services.session_time import busy_in_horizon, offered_mentors_talks, own_busy, with_busy

# At most this many rankings more when offered mentors turn out to be asking someone else then; a pick
# of a slot still taken that way is refused at request time anyway.
RE_RANKINGS = 3


class Asking:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock,
        register: RegisterCache,
        reverse_min_level_gap: int = 2,
    ) -> None:
        self._gap = reverse_min_level_gap
        self._sessions = sessions
        self._reads = create_read_session_factory(sessions)
        self._clock = clock
        self._register = register  # this process's copy of the register, for ranking

    def ask(
        self,
        person: Person,
        goal: str,
        topics: tuple[str, ...],
        *,
        mentor_id: str | None = None,
        reverse: bool = False,
        lunch: bool = False,
    ) -> AskOutcome:
        """Rank on this process's register in a read-only transaction, then write only the ask.

        Ranking takes most of an ask's time; inside the write transaction it held SQLite's write lock
        (and every other writer) that long. Offers are suggestions, not claims: a slot is claimed when
        the asker picks it (``request_slot`` checks it is still free), so ranking before the write loses
        nothing.

        Aimed at ``mentor_id`` (picked from the register), it offers that mentor's slots alone; when they
        can't take it (not on the register, away, paused, fully booked, or the asker themself) the others
        are offered, and the outcome says the one asked for could not be.
        """
        goal = validate_goal(goal)
        now = self._clock()
        user_id = person.user_id
        with self._reads.begin() as session:
            register = self._register.sync(session, now=now)
            current = queries.member_is_current(session, user_id, name=person.name, tz=person.tz)
            level, team, own_hours = queries.asker_facts(session, user_id)
            # sessions' and 1:1s' time; the offered mentors' own asks are read once they are known
            busy = busy_in_horizon(session, now=now, people=[user_id], mentors_asks=False)
        if reverse and (level is None or not team):
            raise InvalidInput(
                "For reverse mentoring I need your team and level, to find someone junior in another "
                "team: tell me with `/mentor about`, then ask again."
            )
        spec = AskSpec(
            asker_id=user_id,
            goal=goal,
            topics=frozenset(topics),
            asker_level=level,
            asker_hours=WorkingHours(own_hours or DEFAULT_WINDOWS, person.tz),  # the zone upsert will keep
            reverse=reverse,
            asker_team=team,
            min_level_gap=self._gap,
            asker_busy=own_busy(busy, user_id),
        )
        lunch_at = None
        if lunch:  # in person at the asker's office, with its mentors on their office days
            with self._reads.begin() as session:
                ranking, lunch_at = rank_lunch(session, spec, register, now=now)
            aimed = None
        else:
            aimed = _aimed(spec, register, mentor_id, now=now, busy=busy) if mentor_id else None
            ranking = aimed if aimed is not None else rank_register(spec, register, now=now, busy=busy)
            with self._reads.begin() as session:
                # An offered mentor is asking someone else then: rank again without that time (the
                # new offers are checked too; a rare case, so the read stays open for it).
                for _ in range(RE_RANKINGS):
                    more = offered_mentors_talks(session, ranking, now=now)
                    if not more:
                        break
                    busy = with_busy(busy, more)
                    aimed = _aimed(spec, register, mentor_id, now=now, busy=busy) if mentor_id else None
                    ranking = (
                        aimed if aimed is not None else rank_register(spec, register, now=now, busy=busy)
                    )
        with self._sessions.begin() as session:
            if not current:
                queries.upsert_member(session, user_id, name=person.name, tz=person.tz, now=now)
            ask = Ask(
                asker_id=user_id,
                goal=goal,
                topics={"topics": list(topics)},
                reverse=reverse,
                lunch=lunch,
                # UNMET is remembered for admins: topics nobody could serve
                status=(AskStatus.OPEN if ranking.offers else AskStatus.UNMET).value,
                created_at=now,
                updated_at=now,
            )
            session.add(ask)
            session.flush()
            hit, missed = (mentor_id, None) if aimed is not None else (None, mentor_id)
            shortfall = (
                reverse_shortfall(register.everyone, spec, now) if reverse and not ranking.offers else None
            )
            return AskOutcome(
                ask.id,
                goal,
                topics,
                ranking,
                person.tz,
                aimed_at=hit,
                aimed_missed=missed,
                reverse=reverse,
                reverse_shortfall=shortfall,
                min_level_gap=self._gap,
                bios=_bios(session, ranking),
                lunch_at=lunch_at,
            )

    def options(self, person: Person, ask_id: int) -> AskOutcome:
        """Fresh ranked options for one of the caller's open asks."""
        now = self._clock()
        with self._sessions.begin() as session:
            register = self._register.sync(session, now=now)
            ask = own_ask(session, person.user_id, ask_id)
            if ask.status == AskStatus.UNMET.value:
                ask.status = AskStatus.OPEN.value
            lifecycle.require_open(ask.status)
            ranking = self.rank(session, ask, register, now=now)
            return AskOutcome(
                ask.id,
                ask.goal,
                queries.ask_topics(ask),
                ranking,
                queries.member_tz(session, person.user_id, person.tz),
                bios=_bios(session, ranking),
                lunch_at=lunch_office(session, ask) or None,
            )

    def not_a_good_fit(self, person: Person, meeting_id: int) -> AskOutcome:
        """The asker says a conversation's match didn't fit, and is offered the other mentors.

        One transaction: the answer is counted (never shown to the mentor) and a fresh ask with the
        same goal and topics is ranked without that mentor, so a crash can't count one without the other.
        """
        now = self._clock()
        with self._sessions.begin() as session:
            row = queries.feedback_row(session, meeting_id, person.user_id)
            if row is None or row.role != "asker":
                raise NotAllowed("Only the person who asked can say that.")
            if row.not_a_good_fit:
                raise Conflict(
                    "Already noted. Your other options are in `/mentor list` and in my earlier answer."
                )
            row.not_a_good_fit = True
            row.answered_at = row.answered_at or now
            meeting = session.get(Meeting, meeting_id)
            assert meeting is not None  # a feedback row belongs to a meeting
            old = own_ask(session, person.user_id, meeting.ask_id)
            return self._again(session, person, old, meeting.mentor_id, now=now)

    def _again(
        self, session: Session, person: Person, old: Ask, without: str, *, now: datetime
    ) -> AskOutcome:
        register = self._register.sync(session, now=now)
        ask = Ask(
            asker_id=person.user_id,
            goal=old.goal,
            topics=dict(old.topics),
            reverse=old.reverse,
            lunch=old.lunch,
            status=AskStatus.OPEN.value,
            created_at=now,
            updated_at=now,
        )
        session.add(ask)
        session.flush()
        ranking = self.rank(session, ask, register, now=now, exclude={without}, new=True)
        if not ranking.offers:
            ask.status = AskStatus.UNMET.value
        return AskOutcome(
            ask.id,
            ask.goal,
            queries.ask_topics(ask),
            ranking,
            person.tz,
            bios=_bios(session, ranking),
            lunch_at=lunch_office(session, ask) or None,
        )

    def snapshot(self, session: Session, *, now: datetime) -> RegisterSnapshot:
        """The register as of now; call it before the transaction writes (see ``overlay``)."""
        return self._register.sync(session, now=now)

    def outcome(self, session: Session, ask: Ask, person: Person, now: datetime) -> AskOutcome:
        """Fresh options, for a request that could not be made (the transaction has written nothing)."""
        register = self._register.sync(session, now=now)
        ranking = self.rank(session, ask, register, now=now)
        return AskOutcome(
            ask.id,
            ask.goal,
            queries.ask_topics(ask),
            ranking,
            person.tz,
            bios=_bios(session, ranking),
            lunch_at=lunch_office(session, ask) or None,
        )

    def rank(
        self,
        session: Session,
        ask: Ask,
        register: RegisterSnapshot,
        *,
        now: datetime,
        exclude: Set[str] = frozenset(),
        new: bool = False,
    ) -> Ranking:
        """Rank ``register`` for ``ask``, leaving out ``exclude`` and mentors who declined this ask
        (none can have, when it is ``new``)."""
        declined_by: set[str] = set() if new else mq.declined_by(session, ask.id)
        if ask.lunch:
            lunch_spec = ask_spec(session, ask, min_level_gap=self._gap)
            return rank_lunch(session, lunch_spec, register, now=now, left_out=declined_by | exclude)[0]
        busy = busy_in_horizon(session, now=now, people=[ask.asker_id], mentors_asks=False)
        spec = replace(
            ask_spec(session, ask, min_level_gap=self._gap), asker_busy=own_busy(busy, ask.asker_id)
        )
        left_out = declined_by | exclude
        ranking = rank_register(spec, register, now=now, left_out=left_out, busy=busy)
        for _ in range(RE_RANKINGS):  # an offered mentor is asking someone else then: without that time
            more = offered_mentors_talks(session, ranking, now=now)
            if not more:
                break
            busy = with_busy(busy, more)
            ranking = rank_register(spec, register, now=now, left_out=left_out, busy=busy)
        return ranking

    def spec(self, session: Session, ask: Ask) -> AskSpec:
        return ask_spec(session, ask, min_level_gap=self._gap)


def _bios(session: Session, ranking: Ranking) -> Mapping[str, str]:
    """The offered mentors' bios (the register keeps no text), for the asker to choose by."""
    return directory_queries.bios(session, [offer.mentor.user_id for offer in ranking.offers])


def _aimed(
    spec: AskSpec, register: RegisterSnapshot, mentor_id: str, *, now: datetime, busy: Busy
) -> Ranking | None:
    """That one mentor's offer (the same rules as any ranking), or None when they can't take it."""
    mentor = register.mentors.get(mentor_id)
    if mentor is None:
        return None
    ranking = rank_mentors(spec, [mentor], register.loads, now=now, busy=busy)
    return ranking if ranking.offers else None


def rank_register(
    spec: AskSpec,
    register: RegisterSnapshot,
    *,
    now: datetime,
    left_out: Set[str] = frozenset(),
    busy: Busy = NOBODY_BUSY,
) -> Ranking:
    """Rank the register's mentors (but ``left_out``) for ``spec``; no database."""

    def without_left_out(mentors: Collection[Mentor]) -> Collection[Mentor]:
        return [m for m in mentors if m.user_id not in left_out] if left_out else mentors

    # rank_mentors offers mentors covering an asked topic whenever one of them has a free slot, and
    # ranks them among themselves only; so they are ranked first, found through the topic index.
    # Only when they yield no offer (or no topic was asked) does the whole register compete. The
    # result equals ranking the whole register at once.
    if spec.topics:
        covering = without_left_out(register.covering(spec.topics))
        ranking = rank_mentors(spec, covering, register.loads, now=now, busy=busy)
        if ranking.offers:
            return ranking
    return rank_mentors(spec, without_left_out(register.everyone), register.loads, now=now, busy=busy)


def ask_spec(session: Session, ask: Ask, *, min_level_gap: int) -> AskSpec:
    """What matching (and the lifecycle rules) need to know about an ask and its asker."""
    asker = session.get(Member, ask.asker_id)
    return AskSpec(
        asker_id=ask.asker_id,
        goal=ask.goal,
        topics=frozenset(queries.ask_topics(ask)),
        asker_level=asker.level if asker else None,
        asker_hours=working_hours(asker) if asker and asker.tz else None,
        reverse=ask.reverse,
        asker_team=asker.team if asker else None,
        min_level_gap=min_level_gap,
    )


def own_ask(session: Session, user_id: str, ask_id: int) -> Ask:
    ask = session.get(Ask, ask_id)
    if ask is None:
        raise NotFound("I can't find that request any more. Start a new one with `/mentor ask`.")
    if ask.asker_id != user_id:
        raise NotAllowed("Those buttons belong to somebody else's request.")
    return ask
