"""Booking and answering: the asker requests a slot, the mentor accepts or declines, either side
cancels, and requests left unanswered expire.

Each public use case is one transaction. ``decline_within`` and ``cancel_within`` do their work inside
a caller's transaction, so leaving the register or erasing oneself is one transaction too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Set
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.db import meeting_queries as mq
from app.db import queries
from app.db.models import Ask, Meeting, Member
from app.domain import meeting as lifecycle
from app.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from app.domain.lunch import LUNCH_LENGTH
from app.domain.model import SLOT_LENGTH, AskStatus, MeetingStatus, Mentor
from app.domain.slots import free_slots
from app.services import notices, outbox
from app.services.clock import Clock
from app.services.mentoring.asking import Asking, own_ask
from app.services.mentoring.lunch import is_lunch_slot
from app.services.mentoring.places import lunch_office, meeting_link
from app.services.mentoring.views import MeetingView, SlotTaken, meeting_view
from app.services.people import Person
from app.services.register_cache import RegisterSnapshot, overlay
from app.services.session_time import in_a_session, in_another_talk

SLOT_HORIZON = timedelta(days=14)
ANOTHER_TALK = (
    "You have another conversation then, so I didn't book this one. Pick another time, or see yours "
    "in `/mentor list`."
)


class Booking:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        asking: Asking,
        *,
        clock: Clock,
        default_tz: str,
        request_expiry: timedelta,
    ) -> None:
        self._sessions = sessions
        self._asking = asking
        self._clock = clock
        self._default_tz = default_tz
        self._request_expiry = request_expiry

    # --- requesting a slot -----------------------------------------------------------------------

    def request_slot(self, person: Person, ask_id: int, mentor_id: str, start: datetime) -> MeetingView:
        now = self._clock()
        try:
            with self._sessions.begin() as session:
                return self._request_slot(session, person, ask_id, mentor_id, start, now)
        except IntegrityError:
            # The unique hold on (mentor, slot) or on the ask said no: somebody was faster.
            with self._sessions.begin() as session:
                ask = own_ask(session, person.user_id, ask_id)
                lifecycle.require_open(ask.status)
            raise SlotTaken(self._asking.options(person, ask_id)) from None

    def _request_slot(
        self, session: Session, person: Person, ask_id: int, mentor_id: str, start: datetime, now: datetime
    ) -> MeetingView:
        ask = own_ask(session, person.user_id, ask_id)
        lifecycle.require_open(ask.status)
        profile = mq.lock_mentor_profile(session, mentor_id)
        # A second click of the same offer waited on that lock while the first one booked (PostgreSQL):
        # read the ask again, so it is told it already asked, not that it has another conversation.
        session.refresh(ask)
        lifecycle.require_open(ask.status)
        mentor = queries.load_mentor(session, mentor_id)
        member = session.get(Member, mentor_id)
        if not lifecycle.may_take_request(
            mentor,
            self._asking.spec(session, ask),
            on_register=profile is not None and profile.active,
            reachable=member is not None and member.unreachable_since is None,
            now=now,
        ):
            raise SlotTaken(self._asking.outcome(session, ask, person, now))
        assert mentor is not None
        if start <= now:
            raise InvalidInput("That time has passed. Here are the current options: `/mentor list`.")
        length = LUNCH_LENGTH if ask.lunch else SLOT_LENGTH
        if in_another_talk(session, person.user_id, start, length, now=now):
            raise Conflict(ANOTHER_TALK)
        if ask.lunch:
            register = self._asking.snapshot(session, now=now)
            if not is_lunch_slot(
                session, self._asking.spec(session, ask), register, mentor_id, start, now=now
            ):
                raise SlotTaken(self._asking.outcome(session, ask, person, now))
        elif not self._free_for_a_talk(session, mentor, person, start, now=now):
            raise SlotTaken(self._asking.outcome(session, ask, person, now))
        meeting = Meeting(
            ask_id=ask.id,
            active_ask_id=ask.id,
            asker_id=person.user_id,
            mentor_id=mentor_id,
            start_at=start,
            hold_start=start,
            status=MeetingStatus.REQUESTED.value,
            expires_at=lifecycle.request_deadline(now, start, self._request_expiry),
            requested_at=now,
            minutes=LUNCH_LENGTH // timedelta(minutes=1) if ask.lunch else None,
        )
        return self._hold(session, meeting, ask, person, mentor.tz, now=now)

    def _free_for_a_talk(
        self, session: Session, mentor: Mentor, person: Person, start: datetime, *, now: datetime
    ) -> bool:
        """A 15-minute slot still free in the mentor's windows and clear of both people's sessions and
        other 1:1s."""
        mentor_id = mentor.user_id
        load = queries.mentor_loads(session, [mentor_id], now=now).get(mentor_id)
        free = free_slots(
            mentor.windows,
            mentor.tz,
            load.held_starts if load else (),
            mentor.capacity_per_week,
            now=now,
            horizon=SLOT_HORIZON,
        )
        return start in set(free) and not in_a_session(session, [mentor_id, person.user_id], start, now=now)

    def _hold(
        self, session: Session, meeting: Meeting, ask: Ask, person: Person, mentor_tz: str, *, now: datetime
    ) -> MeetingView:
        """Hold the slot and ask the mentor (the request DM), in the caller's transaction."""
        mentor_id, start = meeting.mentor_id, meeting.start_at
        session.add(meeting)
        ask.status, ask.updated_at = AskStatus.REQUESTED.value, now
        session.flush()
        outbox.enqueue(
            session,
            notices.MentorRequest(
                key=request_key(meeting.id),
                to=mentor_id,
                meeting_id=meeting.id,
                asker_id=person.user_id,
                goal=ask.goal,
                topics=tuple(queries.ask_topics(ask)),
                start=start,
                tz=mentor_tz,
                expires_at=meeting.expires_at,
                lunch_at=lunch_office(session, ask),
            ),
            now=now,
        )
        outbox.refresh_homes(session, [mentor_id, person.user_id], now=now)
        return meeting_view(meeting, ask, person.user_id)

    # --- the mentor answers ----------------------------------------------------------------------

    def accept(self, person: Person, meeting_id: int) -> MeetingView:
        now = self._clock()
        with self._sessions.begin() as session:
            meeting = _answer_request(session, person, meeting_id, MeetingStatus.CONFIRMED, now)
            meeting.active_ask_id = None  # the ask is settled; the slot stays held by hold_start
            ask = session.get(Ask, meeting.ask_id)
            assert ask is not None
            ask.status, ask.updated_at = AskStatus.CONFIRMED.value, now
            tzs = queries.member_tzs(session, [meeting.asker_id, meeting.mentor_id], self._default_tz)
            outbox.enqueue(
                session,
                notices.Confirmation(
                    key=f"meeting:{meeting.id}:confirmed",
                    users=(meeting.asker_id, meeting.mentor_id),
                    asker_id=meeting.asker_id,
                    mentor_id=meeting.mentor_id,
                    meeting_id=meeting.id,
                    goal=ask.goal,
                    topics=tuple(queries.ask_topics(ask)),
                    start=meeting.start_at,
                    tzs=tzs,
                    at=now,
                    link="" if ask.lunch else meeting_link(session, meeting.mentor_id),
                    lunch_at=lunch_office(session, ask),
                    minutes=meeting.minutes or 0,
                ),
                now=now,
            )
            outbox.refresh_homes(session, [meeting.asker_id, meeting.mentor_id], now=now)
            return meeting_view(meeting, ask, person.user_id)

    def mentor_unreachable(self, meeting_id: int) -> None:
        """Slack can't deliver a request to its mentor (they left): decline it on their behalf so the
        slot is freed and the asker is offered others. A no-op once the request was answered."""
        with self._sessions() as session:
            mentor_id = mq.mentor_of(session, meeting_id)
        if mentor_id is None:
            return
        with contextlib.suppress(DomainError):  # already answered, expired or cancelled: nothing to do
            self.decline(
                Person(mentor_id, mentor_id, "UTC"),
                meeting_id,
                reason="they can't be reached on Slack right now",
            )  # the "close the request DM" update finds no sent DM and settles (Sender.update_original)

    def decline(self, person: Person, meeting_id: int, *, reason: str = "") -> MeetingView:
        now = self._clock()
        with self._sessions.begin() as session:
            register = self._asking.snapshot(session, now=now)
            return self.decline_within(session, person, meeting_id, reason=reason, register=register, now=now)

    def decline_within(
        self,
        session: Session,
        person: Person,
        meeting_id: int,
        *,
        reason: str,
        register: RegisterSnapshot,
        now: datetime,
    ) -> MeetingView:
        """Decline inside the caller's transaction; ``register`` was synced before it wrote anything."""
        meeting = _answer_request(session, person, meeting_id, MeetingStatus.DECLINED, now)
        ask = self._reopen(session, meeting, now)
        self._tell_asker(
            session,
            meeting,
            ask,
            register,
            {meeting.mentor_id},
            now,
            fell_through=notices.RequestDeclined,
            reason=reason,
        )
        if reason:  # declined on the mentor's behalf (they left): the DM's buttons must go too
            self._close_request_message(session, meeting, now, f"declined ({reason})")
        return meeting_view(meeting, ask, person.user_id)

    # --- cancelling ------------------------------------------------------------------------------

    def cancel(self, person: Person, meeting_id: int) -> MeetingView:
        """Either side calls off a requested or confirmed conversation; the other side is told."""
        now = self._clock()
        with self._sessions.begin() as session:
            return self.cancel_within(session, person, meeting_id, now=now)

    def cancel_within(
        self, session: Session, person: Person, meeting_id: int, *, now: datetime
    ) -> MeetingView:
        """Cancel inside the caller's transaction. A ``Conflict`` is raised before anything is written."""
        meeting = _meeting_for(session, meeting_id, person.user_id, role=None)
        status = MeetingStatus(meeting.status)
        by_mentor = person.user_id == meeting.mentor_id
        lifecycle.require_cancellable(status, meeting.start_at, by_mentor=by_mentor, now=now)
        if not queries.claim_meeting_transition(
            session,
            meeting.id,
            from_status=status.value,
            to_status=MeetingStatus.CANCELLED.value,
            now=now,
        ):
            session.refresh(meeting)
            raise Conflict(lifecycle.already(meeting.status, by_mentor=by_mentor))
        session.refresh(meeting)
        meeting.cancelled_by = person.user_id
        ask = session.get(Ask, meeting.ask_id)
        assert ask is not None
        queries.release_hold(meeting)
        other = meeting.mentor_id if person.user_id == meeting.asker_id else meeting.asker_id
        ask.status = lifecycle.ask_after_cancel(by_asker=person.user_id == meeting.asker_id).value
        ask.updated_at = now
        tz = queries.member_tz(session, other, self._default_tz)
        outbox.enqueue(
            session,
            notices.MeetingCancelled(
                key=f"meeting:{meeting.id}:cancelled",
                to=other,
                by=person.user_id,
                meeting_id=meeting.id,
                goal=ask.goal,
                start=meeting.start_at,
                tz=tz,
                ask_id=ask.id,
                by_mentor=person.user_id == meeting.mentor_id,
                confirmed=status == MeetingStatus.CONFIRMED,
                at=now,
            ),
            now=now,
        )
        if status == MeetingStatus.REQUESTED:
            self._close_request_message(session, meeting, now, "cancelled by the asker")
        outbox.refresh_homes(session, [meeting.asker_id, meeting.mentor_id], now=now)
        return meeting_view(meeting, ask, person.user_id)

    # --- scheduled work --------------------------------------------------------------------------

    def expire_stale_requests(self, *, now: datetime | None = None, batch: int = 100) -> int:
        """Requests the mentor left unanswered past their deadline: free the slot, tell the asker."""
        now = now or self._clock()
        expired = 0
        with self._sessions.begin() as session:
            stale = queries.stale_requests(session, now=now, limit=batch)
            if not stale:
                return 0
            register = self._asking.snapshot(session, now=now)  # nothing written yet: safe to share
            freed: set[str] = set()  # mentors whose slots this transaction freed so far
            for meeting in stale:
                meeting.status, meeting.responded_at = MeetingStatus.EXPIRED.value, now
                ask = self._reopen(session, meeting, now)
                freed.add(meeting.mentor_id)
                self._tell_asker(
                    session, meeting, ask, register, freed, now, fell_through=notices.RequestExpired
                )
                self._close_request_message(session, meeting, now, "expired without an answer")
                expired += 1
        return expired

    # --- helpers ---------------------------------------------------------------------------------

    def _reopen(self, session: Session, meeting: Meeting, now: datetime) -> Ask:
        queries.release_hold(meeting)
        ask = session.get(Ask, meeting.ask_id)
        assert ask is not None
        status = lifecycle.reopened(ask.status)
        if status != ask.status:
            ask.status, ask.updated_at = status.value, now
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
        fell_through: type[notices.RequestDeclined | notices.RequestExpired],
        reason: str = "",
    ) -> None:
        """Tell the asker their request fell through, with fresh options (re-checked when clicked).

        ``register`` was synced before this transaction wrote; ``changed`` are the mentors it changed
        since, read again through the session so that a slot freed here is offered.
        """
        session.flush()
        ranking = self._asking.rank(session, ask, overlay(session, register, changed, now=now), now=now)
        options = tuple(
            notices.MentorOption(o.mentor.user_id, tuple(sorted(o.matched_topics)), tuple(o.slots))
            for o in ranking.offers
        )
        outbox.enqueue(
            session,
            fell_through(
                key=f"meeting:{meeting.id}:{fell_through.kind}",
                to=meeting.asker_id,
                meeting_id=meeting.id,
                mentor_id=meeting.mentor_id,
                ask_id=ask.id,
                goal=ask.goal,
                start=meeting.start_at,
                reason=reason,
                tz=queries.member_tz(session, meeting.asker_id, self._default_tz),
                options=options,
                topic_matched=ranking.topic_matched,
            ),
            now=now,
        )
        outbox.refresh_homes(session, [meeting.asker_id, meeting.mentor_id], now=now)

    def _close_request_message(self, session: Session, meeting: Meeting, now: datetime, why: str) -> None:
        """Update the mentor's request DM so its buttons no longer invite an answer."""
        outbox.enqueue(
            session,
            notices.RequestClosed(
                key=f"meeting:{meeting.id}:request-closed",
                update_of=request_key(meeting.id),
                meeting_id=meeting.id,
                asker_id=meeting.asker_id,
                why=why,
            ),
            now=now,
        )


def request_key(meeting_id: int) -> str:
    """The key of a mentor's request DM, which a later notice updates."""
    return f"meeting:{meeting_id}:request"


def _meeting_for(session: Session, meeting_id: int, user_id: str, *, role: lifecycle.Role | None) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("I can't find that conversation any more.")
    lifecycle.require_party(user_id, asker_id=meeting.asker_id, mentor_id=meeting.mentor_id, role=role)
    return meeting


def _answer_request(
    session: Session, person: Person, meeting_id: int, answer: MeetingStatus, now: datetime
) -> Meeting:
    """The mentor's answer claims the request: of two clicks (or two replicas) racing, one wins and the
    other is told the request was already answered."""
    meeting = _meeting_for(session, meeting_id, person.user_id, role="mentor")
    _require_requested(meeting, person.user_id)
    if not queries.claim_meeting_transition(
        session, meeting.id, from_status=MeetingStatus.REQUESTED.value, to_status=answer.value, now=now
    ):
        session.refresh(meeting)
        _require_requested(meeting, person.user_id)
    session.refresh(meeting)
    return meeting


def _require_requested(meeting: Meeting, user_id: str) -> None:
    lifecycle.require_status(meeting.status, MeetingStatus.REQUESTED, by_mentor=user_id == meeting.mentor_id)
