"""Micro-mentoring use cases: ask, pick a slot, accept or decline, cancel, list, expire.

Every use case is one transaction. Anything that must reach someone other than the person in front
of us is enqueued in the outbox inside that same transaction (see ``app.services.outbox``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.db import queries
from app.db.models import Ask, Meeting, Member, MentorProfile
from app.domain.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from app.domain.goal import validate_goal
from app.domain.matching import rank_mentors
from app.domain.model import (
    SLOT_LENGTH,
    AskSpec,
    AskStatus,
    MeetingStatus,
    Mentor,
    Ranking,
)
from app.domain.slots import free_slots, week_start
from app.services import outbox
from app.services.clock import Clock, utc_now
from app.services.people import Person
from app.services.register_cache import RegisterCache, RegisterSnapshot, overlay

SLOT_HORIZON = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class AskOutcome:
    """What the asker sees after ``/mentor ask``: ranked offers, or that nobody is available."""

    ask_id: int
    goal: str
    topics: tuple[str, ...]
    ranking: Ranking
    asker_tz: str

    @property
    def unmet(self) -> bool:
        return not self.ranking.offers


@dataclass(frozen=True, slots=True)
class MeetingView:
    """One conversation from one person's side."""

    meeting_id: int
    ask_id: int
    role: str  # "asker" | "mentor"
    other_id: str
    start: datetime
    status: MeetingStatus
    goal: str
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AskView:
    ask_id: int
    goal: str
    topics: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MyConversations:
    upcoming: tuple[MeetingView, ...]
    pending: tuple[MeetingView, ...]
    open_asks: tuple[AskView, ...]
    tz: str


class SlotTaken(Conflict):
    """Somebody else got the slot first; carries fresh options for the asker."""

    def __init__(self, outcome: AskOutcome) -> None:
        super().__init__("Sorry, that slot was just taken. Here are the current options:")
        self.outcome = outcome


class MentoringService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock = utc_now,
        default_tz: str = "UTC",
        request_expiry: timedelta = timedelta(hours=24),
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._default_tz = default_tz
        self._request_expiry = request_expiry
        self._register = RegisterCache()  # this process's copy of the register, for ranking

    def warm_up(self) -> None:
        """Load the register into memory now, so the first ask after start-up does not pay for it."""
        with self._sessions.begin() as session:
            self._register.sync(session, now=self._clock())

    # --- asking ----------------------------------------------------------------------------------

    def ask(self, person: Person, goal: str, topics: tuple[str, ...]) -> AskOutcome:
        goal = validate_goal(goal)
        now = self._clock()
        with self._sessions.begin() as session:
            register = self._register.sync(session, now=now)
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            ask = Ask(
                asker_id=person.user_id,
                goal=goal,
                topics={"topics": list(topics)},
                status=AskStatus.OPEN.value,
                created_at=now,
                updated_at=now,
            )
            session.add(ask)
            session.flush()
            ranking = self._rank(session, ask, register, now=now, new=True)
            if not ranking.offers:
                ask.status = AskStatus.UNMET.value  # remembered for admins: topics nobody could serve
            return AskOutcome(ask.id, goal, topics, ranking, person.tz)

    def options(self, person: Person, ask_id: int) -> AskOutcome:
        """Fresh ranked options for one of the caller's open asks."""
        now = self._clock()
        with self._sessions.begin() as session:
            register = self._register.sync(session, now=now)
            ask = self._own_ask(session, person.user_id, ask_id)
            if ask.status == AskStatus.UNMET.value:
                ask.status = AskStatus.OPEN.value
            self._require_open(ask)
            ranking = self._rank(session, ask, register, now=now)
            return AskOutcome(
                ask.id,
                ask.goal,
                queries.ask_topics(ask),
                ranking,
                queries.member_tz(session, person.user_id, person.tz),
            )

    def _rank(
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
        asker = session.get(Member, ask.asker_id)
        declined_by: set[str] = set()
        if not new:
            declined_by = set(
                session.scalars(
                    select(Meeting.mentor_id).where(
                        Meeting.ask_id == ask.id, Meeting.status == MeetingStatus.DECLINED.value
                    )
                )
            )
        left_out = declined_by | exclude
        topics = frozenset(queries.ask_topics(ask))
        spec = AskSpec(
            asker_id=ask.asker_id,
            goal=ask.goal,
            topics=topics,
            asker_level=asker.level if asker else None,
        )

        def without_left_out(mentors: Collection[Mentor]) -> Collection[Mentor]:
            return [m for m in mentors if m.user_id not in left_out] if left_out else mentors

        # rank_mentors offers mentors covering an asked topic whenever one of them has a free slot, and
        # ranks them among themselves only; so they are ranked first, found through the topic index.
        # Only when they yield no offer (or no topic was asked) does the whole register compete. The
        # result equals ranking the whole register at once.
        if topics:
            covering = without_left_out(register.covering(topics))
            ranking = rank_mentors(spec, covering, register.loads, now=now)
            if ranking.offers:
                return ranking
        return rank_mentors(spec, without_left_out(register.everyone), register.loads, now=now)

    # --- requesting a slot -----------------------------------------------------------------------

    def request_slot(self, person: Person, ask_id: int, mentor_id: str, start: datetime) -> MeetingView:
        now = self._clock()
        try:
            with self._sessions.begin() as session:
                return self._request_slot(session, person, ask_id, mentor_id, start, now)
        except IntegrityError:
            # The unique hold on (mentor, slot) or on the ask said no: somebody was faster.
            with self._sessions.begin() as session:
                ask = self._own_ask(session, person.user_id, ask_id)
                self._require_open(ask)
            raise SlotTaken(self.options(person, ask_id)) from None

    def _request_slot(
        self, session: Session, person: Person, ask_id: int, mentor_id: str, start: datetime, now: datetime
    ) -> MeetingView:
        ask = self._own_ask(session, person.user_id, ask_id)
        self._require_open(ask)
        # Serialise requests per mentor on PostgreSQL so capacity can't be overrun by a race.
        profile = session.scalar(
            select(MentorProfile).where(MentorProfile.user_id == mentor_id).with_for_update()
        )
        mentor = queries.load_mentor(session, mentor_id)
        member = session.get(Member, mentor_id)
        if (
            profile is None
            or mentor is None
            or member is None
            or member.unreachable_since is not None  # Slack can't reach them: nobody could confirm
            or not profile.active
            or not profile.available
            or (profile.away_until is not None and profile.away_until > now)
        ):
            raise SlotTaken(self._outcome(session, ask, person, now))
        if start <= now:
            raise InvalidInput("That time has passed. Here are the current options: `/mentor list`.")
        load = queries.mentor_loads(session, [mentor_id], now=now).get(mentor_id)
        free = free_slots(
            mentor.windows,
            mentor.tz,
            load.held_starts if load else (),
            mentor.capacity_per_week,
            now=now,
            horizon=SLOT_HORIZON,
        )
        if start not in set(free):
            raise SlotTaken(self._outcome(session, ask, person, now))
        meeting = Meeting(
            ask_id=ask.id,
            active_ask_id=ask.id,
            asker_id=person.user_id,
            mentor_id=mentor_id,
            start_at=start,
            hold_start=start,
            status=MeetingStatus.REQUESTED.value,
            expires_at=min(now + self._request_expiry, start),
            requested_at=now,
        )
        session.add(meeting)
        ask.status, ask.updated_at = AskStatus.REQUESTED.value, now
        session.flush()
        outbox.enqueue(
            session,
            key=f"meeting:{meeting.id}:request",
            kind="mentor_request",
            now=now,
            payload={
                "to": mentor_id,
                "meeting_id": meeting.id,
                "asker_id": person.user_id,
                "goal": ask.goal,
                "topics": list(queries.ask_topics(ask)),
                "start": start.isoformat(),
                "tz": mentor.tz,
                "expires_at": meeting.expires_at.isoformat(),
            },
        )
        outbox.refresh_homes(session, [mentor_id, person.user_id], now=now)
        return self._view(meeting, ask, person.user_id)

    def _outcome(self, session: Session, ask: Ask, person: Person, now: datetime) -> AskOutcome:
        """Fresh options, for a request that could not be made (the transaction has written nothing)."""
        register = self._register.sync(session, now=now)
        ranking = self._rank(session, ask, register, now=now)
        return AskOutcome(ask.id, ask.goal, queries.ask_topics(ask), ranking, person.tz)

    # --- the mentor answers ----------------------------------------------------------------------

    def accept(self, person: Person, meeting_id: int) -> MeetingView:
        now = self._clock()
        with self._sessions.begin() as session:
            meeting = self._meeting_for(session, meeting_id, person.user_id, role="mentor")
            self._require_status(meeting, MeetingStatus.REQUESTED, person.user_id)
            if not queries.claim_meeting_transition(
                session,
                meeting.id,
                from_status=MeetingStatus.REQUESTED.value,
                to_status=MeetingStatus.CONFIRMED.value,
                now=now,
            ):
                session.refresh(meeting)
                self._require_status(meeting, MeetingStatus.REQUESTED, person.user_id)
            session.refresh(meeting)
            meeting.active_ask_id = None  # the ask is settled; the slot stays held by hold_start
            ask = session.get(Ask, meeting.ask_id)
            assert ask is not None
            ask.status, ask.updated_at = AskStatus.CONFIRMED.value, now
            tzs = queries.member_tzs(session, [meeting.asker_id, meeting.mentor_id], self._default_tz)
            outbox.enqueue(
                session,
                key=f"meeting:{meeting.id}:confirmed",
                kind="confirmation",
                now=now,
                payload={
                    "users": [meeting.asker_id, meeting.mentor_id],
                    "asker_id": meeting.asker_id,
                    "mentor_id": meeting.mentor_id,
                    "meeting_id": meeting.id,
                    "goal": ask.goal,
                    "topics": list(queries.ask_topics(ask)),
                    "start": meeting.start_at.isoformat(),
                    "tzs": tzs,
                },
            )
            outbox.refresh_homes(session, [meeting.asker_id, meeting.mentor_id], now=now)
            return self._view(meeting, ask, person.user_id)

    def mentor_unreachable(self, meeting_id: int) -> None:
        """Slack can't deliver a request to its mentor (they left): decline it on their behalf so the
        slot is freed and the asker is offered others. A no-op once the request was answered."""
        with self._sessions() as session:
            mentor_id = session.scalar(select(Meeting.mentor_id).where(Meeting.id == meeting_id))
        if mentor_id is None:
            return
        with contextlib.suppress(DomainError):  # already answered, expired or cancelled: nothing to do
            self.decline(
                Person(mentor_id, mentor_id, "UTC"),
                meeting_id,
                reason="they can't be reached on Slack right now",
            )  # the "close the request DM" update finds no sent DM and settles (Dispatcher._update_original)

    def decline(self, person: Person, meeting_id: int, *, reason: str = "") -> MeetingView:
        now = self._clock()
        with self._sessions.begin() as session:
            register = self._register.sync(session, now=now)
            meeting = self._meeting_for(session, meeting_id, person.user_id, role="mentor")
            self._require_status(meeting, MeetingStatus.REQUESTED, person.user_id)
            if not queries.claim_meeting_transition(
                session,
                meeting.id,
                from_status=MeetingStatus.REQUESTED.value,
                to_status=MeetingStatus.DECLINED.value,
                now=now,
            ):
                session.refresh(meeting)
                self._require_status(meeting, MeetingStatus.REQUESTED, person.user_id)
            session.refresh(meeting)
            ask = self._reopen(session, meeting, now)
            self._tell_asker(
                session,
                meeting,
                ask,
                register,
                {meeting.mentor_id},
                now,
                kind="request_declined",
                reason=reason,
            )
            if reason:  # declined on the mentor's behalf (they left): the DM's buttons must go too
                self._close_request_message(session, meeting, now, f"declined ({reason})")
            return self._view(meeting, ask, person.user_id)

    # --- cancelling ------------------------------------------------------------------------------

    def cancel(self, person: Person, meeting_id: int) -> MeetingView:
        """Either side calls off a requested or confirmed conversation; the other side is told."""
        now = self._clock()
        with self._sessions.begin() as session:
            meeting = self._meeting_for(session, meeting_id, person.user_id, role=None)
            status = MeetingStatus(meeting.status)
            if not status.holds_slot:
                raise Conflict(_already(status, person.user_id == meeting.mentor_id))
            if meeting.start_at + SLOT_LENGTH <= now:
                raise Conflict("That conversation is already over, so there's nothing to cancel.")
            if not queries.claim_meeting_transition(
                session,
                meeting.id,
                from_status=status.value,
                to_status=MeetingStatus.CANCELLED.value,
                now=now,
            ):
                session.refresh(meeting)
                raise Conflict(_already(MeetingStatus(meeting.status), person.user_id == meeting.mentor_id))
            session.refresh(meeting)
            meeting.cancelled_by = person.user_id
            ask = session.get(Ask, meeting.ask_id)
            assert ask is not None
            queries.release_hold(meeting)
            other = meeting.mentor_id if person.user_id == meeting.asker_id else meeting.asker_id
            if person.user_id == meeting.asker_id:
                ask.status = AskStatus.CANCELLED.value
            else:
                ask.status = AskStatus.OPEN.value
            ask.updated_at = now
            tz = queries.member_tz(session, other, self._default_tz)
            outbox.enqueue(
                session,
                key=f"meeting:{meeting.id}:cancelled",
                kind="meeting_cancelled",
                now=now,
                payload={
                    "to": other,
                    "by": person.user_id,
                    "meeting_id": meeting.id,
                    "goal": ask.goal,
                    "start": meeting.start_at.isoformat(),
                    "tz": tz,
                    "ask_id": ask.id,
                    "by_mentor": person.user_id == meeting.mentor_id,
                },
            )
            if status == MeetingStatus.REQUESTED:
                self._close_request_message(session, meeting, now, "cancelled by the asker")
            outbox.refresh_homes(session, [meeting.asker_id, meeting.mentor_id], now=now)
            return self._view(meeting, ask, person.user_id)

    def ask_again(self, person: Person, ask_id: int, *, without: str) -> AskOutcome:
        """A fresh ask with the same goal and topics, without the mentor that wasn't a good fit."""
        now = self._clock()
        with self._sessions.begin() as session:
            register = self._register.sync(session, now=now)
            old = self._own_ask(session, person.user_id, ask_id)
            ask = Ask(
                asker_id=person.user_id,
                goal=old.goal,
                topics=dict(old.topics),
                status=AskStatus.OPEN.value,
                created_at=now,
                updated_at=now,
            )
            session.add(ask)
            session.flush()
            ranking = self._rank(session, ask, register, now=now, exclude={without}, new=True)
            if not ranking.offers:
                ask.status = AskStatus.UNMET.value
            return AskOutcome(ask.id, ask.goal, queries.ask_topics(ask), ranking, person.tz)

    # --- listing ---------------------------------------------------------------------------------

    def my_conversations(self, person: Person) -> MyConversations:
        now = self._clock()
        with self._sessions.begin() as session:
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            meetings = queries.meetings_of(
                session, person.user_id, statuses=queries.HOLDING, since=now - SLOT_LENGTH
            )
            asks = {
                a.id: a for a in session.scalars(select(Ask).where(Ask.id.in_({m.ask_id for m in meetings})))
            }
            views = [self._view(m, asks[m.ask_id], person.user_id) for m in meetings]
            open_asks = [
                AskView(a.id, a.goal, queries.ask_topics(a), a.created_at)
                for a in queries.open_asks_of(session, person.user_id)
            ]
            return MyConversations(
                upcoming=tuple(v for v in views if v.status == MeetingStatus.CONFIRMED),
                pending=tuple(v for v in views if v.status == MeetingStatus.REQUESTED),
                open_asks=tuple(open_asks),
                tz=person.tz,
            )

    def mark_home_seen(self, person: Person) -> None:
        """From now on the person's App Home is republished when something on it changes."""
        now = self._clock()
        with self._sessions.begin() as session:
            member = queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            member.home_seen_at = member.home_seen_at or now

    def week_load(self, person: Person) -> tuple[int, int] | None:
        """(conversations booked this week, weekly capacity) for a mentor on the register, else None."""
        now = self._clock()
        with self._sessions() as session:
            profile = session.get(MentorProfile, person.user_id)
            if profile is None or not profile.active:
                return None
            start = week_start(now, person.tz)
            end = week_start(start + timedelta(days=7, hours=12), person.tz)
            booked = select(Meeting.id).where(
                Meeting.mentor_id == person.user_id, Meeting.hold_start >= start, Meeting.hold_start < end
            )
            return len(list(session.scalars(booked))), profile.capacity_per_week

    # --- scheduled work --------------------------------------------------------------------------

    def expire_stale_requests(self, *, now: datetime | None = None, batch: int = 100) -> int:
        """Requests the mentor left unanswered past their deadline: free the slot, tell the asker."""
        now = now or self._clock()
        expired = 0
        with self._sessions.begin() as session:
            stale = queries.stale_requests(session, now=now, limit=batch)
            if not stale:
                return 0
            register = self._register.sync(session, now=now)  # nothing written yet: safe to share
            freed: set[str] = set()  # mentors whose slots this transaction freed so far
            for meeting in stale:
                meeting.status, meeting.responded_at = MeetingStatus.EXPIRED.value, now
                ask = self._reopen(session, meeting, now)
                freed.add(meeting.mentor_id)
                self._tell_asker(session, meeting, ask, register, freed, now, kind="request_expired")
                self._close_request_message(session, meeting, now, "expired without an answer")
                expired += 1
        return expired

    # --- helpers ---------------------------------------------------------------------------------

    def _reopen(self, session: Session, meeting: Meeting, now: datetime) -> Ask:
        queries.release_hold(meeting)
        ask = session.get(Ask, meeting.ask_id)
        assert ask is not None
        if ask.status == AskStatus.REQUESTED.value:
            ask.status, ask.updated_at = AskStatus.OPEN.value, now
        return ask

    def _tell_asker(
        self,
        session: Session,
        meeting: Meeting,
        ask: Ask,
        register: RegisterSnapshot,
        changed: Set[str],
        now: datetime,
        *,
        kind: str,
        reason: str = "",
    ) -> None:
        """Tell the asker their request fell through, with fresh options (re-checked when clicked).

        ``register`` was synced before this transaction wrote; ``changed`` are the mentors it changed
        since, read again through the session so that a slot freed here is offered.
        """
        session.flush()
        ranking = self._rank(session, ask, overlay(session, register, changed, now=now), now=now)
        options = [
            {
                "mentor_id": o.mentor.user_id,
                "matched": sorted(o.matched_topics),
                "slots": [s.isoformat() for s in o.slots],
            }
            for o in ranking.offers
        ]
        outbox.enqueue(
            session,
            key=f"meeting:{meeting.id}:{kind}",
            kind=kind,
            now=now,
            payload={
                "to": meeting.asker_id,
                "meeting_id": meeting.id,
                "mentor_id": meeting.mentor_id,
                "ask_id": ask.id,
                "goal": ask.goal,
                "start": meeting.start_at.isoformat(),
                "reason": reason,
                "tz": queries.member_tz(session, meeting.asker_id, self._default_tz),
                "options": options,
                "topic_matched": ranking.topic_matched,
            },
        )
        outbox.refresh_homes(session, [meeting.asker_id, meeting.mentor_id], now=now)

    def _close_request_message(self, session: Session, meeting: Meeting, now: datetime, why: str) -> None:
        """Update the mentor's request DM so its buttons no longer invite an answer."""
        outbox.enqueue(
            session,
            key=f"meeting:{meeting.id}:request-closed",
            kind="request_closed",
            now=now,
            payload={
                "update_of": f"meeting:{meeting.id}:request",
                "meeting_id": meeting.id,
                "asker_id": meeting.asker_id,
                "why": why,
            },
        )

    def _own_ask(self, session: Session, user_id: str, ask_id: int) -> Ask:
        ask = session.get(Ask, ask_id)
        if ask is None:
            raise NotFound("I can't find that request any more. Start a new one with `/mentor ask`.")
        if ask.asker_id != user_id:
            raise NotAllowed("Those buttons belong to somebody else's request.")
        return ask

    @staticmethod
    def _require_open(ask: Ask) -> None:
        messages = {
            AskStatus.REQUESTED.value: "You've already asked a mentor for this one; see `/mentor list`.",
            AskStatus.CONFIRMED.value: "This one is already booked; see `/mentor list`.",
            AskStatus.CANCELLED.value: "You cancelled this request. Start a new one with `/mentor ask`.",
            AskStatus.CLOSED.value: "This request is closed. Start a new one with `/mentor ask`.",
        }
        if ask.status in messages:
            raise Conflict(messages[ask.status])

    @staticmethod
    def _meeting_for(session: Session, meeting_id: int, user_id: str, *, role: str | None) -> Meeting:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound("I can't find that conversation any more.")
        allowed = {
            "mentor": {meeting.mentor_id},
            "asker": {meeting.asker_id},
            None: {meeting.mentor_id, meeting.asker_id},
        }
        if user_id not in allowed[role]:
            raise NotAllowed("Only the people in this conversation can do that.")
        return meeting

    @staticmethod
    def _require_status(meeting: Meeting, wanted: MeetingStatus, user_id: str) -> None:
        status = MeetingStatus(meeting.status)
        if status != wanted:
            raise Conflict(_already(status, user_id == meeting.mentor_id))

    @staticmethod
    def _view(meeting: Meeting, ask: Ask, user_id: str) -> MeetingView:
        is_mentor = user_id == meeting.mentor_id
        return MeetingView(
            meeting_id=meeting.id,
            ask_id=ask.id,
            role="mentor" if is_mentor else "asker",
            other_id=meeting.asker_id if is_mentor else meeting.mentor_id,
            start=meeting.start_at,
            status=MeetingStatus(meeting.status),
            goal=ask.goal,
            topics=queries.ask_topics(ask),
        )

    # --- one call per button (appended while the module is being split; the lead files them) ------

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
            register = self._register.sync(session, now=now)
            old = self._own_ask(session, person.user_id, meeting.ask_id)
            ask = Ask(
                asker_id=person.user_id,
                goal=old.goal,
                topics=dict(old.topics),
                status=AskStatus.OPEN.value,
                created_at=now,
                updated_at=now,
            )
            session.add(ask)
            session.flush()
            ranking = self._rank(session, ask, register, now=now, exclude={meeting.mentor_id}, new=True)
            if not ranking.offers:
                ask.status = AskStatus.UNMET.value
            return AskOutcome(ask.id, ask.goal, queries.ask_topics(ask), ranking, person.tz)

    def cancel_and_list(self, person: Person, meeting_id: int) -> CancelOutcome:
        """Cancel from the conversation list: the outcome (or why not) and the list as it now stands.

        A refusal (already cancelled, already over, not yours) is an answer here, not an error, since
        the person still gets the fresh list in place of the stale one.
        """
        try:
            self.cancel(person, meeting_id)
            refusal = None
        except (Conflict, NotFound) as exc:
            refusal = exc.message
        return CancelOutcome(refusal, self.my_conversations(person))


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """What ``cancel_and_list`` did: ``refusal`` is None when the conversation was cancelled."""

    refusal: str | None
    mine: MyConversations


def _already(status: MeetingStatus, is_mentor: bool) -> str:
    return {
        MeetingStatus.CONFIRMED: "This conversation is already confirmed.",
        MeetingStatus.DECLINED: "This request was already declined."
        if is_mentor
        else "The mentor declined this request.",
        MeetingStatus.EXPIRED: "This request expired without an answer, and the slot was freed.",
        MeetingStatus.CANCELLED: "This conversation was cancelled.",
        MeetingStatus.REQUESTED: "This request is still waiting for the mentor's answer.",
    }[status]
