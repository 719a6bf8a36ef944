"""Hosted sessions (group mentoring, group lunches, coworking): host, find, join, leave, cancel.

Each use case is one transaction. A join takes a seat with one conditional UPDATE of the session's
``taken`` counter (``session_queries.take_a_seat``), so when several people click the last seat at once
exactly one gets it and the others go on the waitlist. Leaving frees the seat and gives it to the first
on the waitlist, who is told (and may leave in turn). The host's cancel tells everyone with a seat or on
the waitlist. Refusals are DomainErrors with words for the person, and change nothing.

Cancelling and moving live in ``session_cancelling`` and ``session_moving``, the views in ``session_views``;
this service is their one entry point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db import office_queries, queries
from app.db import session_queries as sq
from app.db.models import HostedSession
from app.domain.errors import Conflict, InvalidInput, NotAllowed
from app.domain.formats import (
    RULES,
    Format,
    SessionPlan,
    Where,
    validate_plan,
    validate_start,
)
from app.domain.reminders import reminder_at
from app.domain.slots import load_zone
from app.services import outbox
from app.services.clock import Clock, utc_now
from app.services.notices import (
    SeatConfirmed,
    SessionCheckIn,
    SessionGathering,
    SessionReminder,
)
from app.services.people import Person
from app.services.session_cancelling import cancel_within
from app.services.session_checks import found, joinable, movable, no_conversation_then, place_filter
from app.services.session_moving import move_within
from app.services.session_notices import about_session, where_words
from app.services.session_views import JoinResult, SessionView, views, views_of
from app.services.waitlist import offer_next

MAX_TOPICS = 5
REMIND_WITHIN = timedelta(hours=40)  # a reminder comes at most this long before the start (18:00 the eve)
CHECK_IN_EVERY = timedelta(minutes=30)
GATHER_LEAD = timedelta(hours=1)  # the group DM opens this long before the start; joining closes then
__all__ = ["HostingService", "JoinResult", "SessionView"]
NOT_ON_REGISTER = (
    "Only people on the mentor register host sessions. `/mentor join #topic` puts you on it first."
)


class HostingService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock = utc_now,
        default_tz: str = "UTC",
        confirm_within: timedelta = timedelta(hours=4),
    ):
        self._sessions = sessions
        self._clock = clock
        self._default_tz = default_tz
        self._confirm_within = confirm_within

    def offices_for_host(self, person: Person) -> list[str]:
        """The offices a session can be at, for the form; NotAllowed for someone not on the register."""
        with self._sessions() as session:
            if not sq.on_register(session, person.user_id):
                raise NotAllowed(NOT_ON_REGISTER)
            return [o.name for o in office_queries.all_offices(session)]

    def host(self, person: Person, plan: SessionPlan, topics: Sequence[str] = ()) -> SessionView:
        """Put a session on the calendar; only people on the register host."""
        now = self._clock()
        if len(topics) > MAX_TOPICS:
            raise InvalidInput(f"Give a session at most {MAX_TOPICS} topics.")
        with self._sessions.begin() as session:
            if not sq.on_register(session, person.user_id):
                raise NotAllowed(NOT_ON_REGISTER)
            offices = {o.name: o.id for o in office_queries.all_offices(session)}
            plan = validate_plan(plan, now=now, offices=offices)
            if plan.where == Where.ONLINE and plan.link is None:
                # No link typed: the host's own (from their profile), else they meet in the group DM.
                plan = replace(plan, link=sq.meeting_link_of(session, person.user_id))
            no_conversation_then(session, person, plan.start, plan.start + plan.length)
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            row = HostedSession(
                host_id=person.user_id,
                format=plan.format.value,
                title=plan.title,
                topics=sq.topics_column(list(dict.fromkeys(topics))),
                start_at=plan.start,
                minutes=plan.length // timedelta(minutes=1),
                seats=plan.seats,
                taken=0,
                where=plan.where.value,
                link=plan.link,
                office_id=offices[plan.office] if plan.office else None,
                place=plan.place,
                description=plan.description,
                check_ins=plan.check_ins,
                status=sq.OPEN,
                sequence=0,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            sq.set_topics(session, row.id, topics, start=plan.start)
            return self._view(session, row, person.user_id)

    def upcoming(
        self, person: Person, topics: Sequence[str] = (), place: str | None = None
    ) -> list[SessionView]:
        """Open sessions that haven't started, soonest first; ``place`` is "online", "in person" or an
        office's name."""
        now = self._clock()
        with self._sessions() as session:
            where, office_id = place_filter(session, place)
            page = sq.upcoming(
                session, now=now, viewer=person.user_id, topics=topics, where=where, office_id=office_id
            )
            return views_of(page, person.user_id)

    def mine(self, person: Person) -> list[SessionView]:
        """The sessions still to come that the person hosts, has a seat in or waits for (the Home)."""
        with self._sessions() as session:
            return self._views(
                session, sq.upcoming_of(session, person.user_id, now=self._clock()), person.user_id
            )

    def open_for(self, person: Person, *, limit: int = 5) -> list[SessionView]:
        """Sessions with a seat left on the person's topics (those they mentor on and recently asked
        about) or at their office, that they are not in yet (the Home's "open for you")."""
        now = self._clock()
        with self._sessions() as session:
            topics = sq.topics_of_person(session, person.user_id)
            office = office_queries.office_of(session, person.user_id)
            rows = sq.open_for(
                session,
                person.user_id,
                topics=topics,
                office_id=office[0].id if office else None,
                now=now,
                limit=limit,
            )
            return self._views(session, rows, person.user_id)

    def session(self, person: Person, session_id: int) -> SessionView:
        with self._sessions() as session:
            return self._view(session, found(session, session_id), person.user_id)

    def join(self, person: Person, session_id: int) -> JoinResult:
        """A seat if one is left, else a place on the waitlist."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = joinable(session, session_id, now=now)
            if row.host_id == person.user_id:
                raise InvalidInput("You're hosting this session: your place is kept.")
            seat = sq.seat_of(session, session_id, person.user_id)
            if seat is not None and seat.status == sq.TAKEN:
                raise Conflict(f"You already have a seat in “{row.title}”.")
            if seat is not None and seat.status == sq.WAITLISTED:
                raise Conflict(f"You're already on the waitlist for “{row.title}”.")
            if seat is not None and seat.status == sq.OFFERED:
                raise Conflict(f"A seat in “{row.title}” is held for you: *Take it* in my DM.")
            queries.upsert_member(session, person.user_id, name=person.name, tz=person.tz, now=now)
            seated = sq.take_a_seat(session, session_id, now=now)
            status = sq.TAKEN if seated else sq.WAITLISTED
            if seat is not None:  # they had left: back in, at the end of the waitlist if it's full
                sq.set_seat_status(seat, status, now=now)
            elif not sq.add_seat(session, session_id, person.user_id, status, now=now):
                # The same person's second click won the race for their row: roll this one back.
                raise Conflict(f"You're already in “{row.title}”.")
            session.flush()
            session.refresh(row)
            position = 0
            if seated:
                notice = about_session(
                    SeatConfirmed,
                    session,
                    row,
                    person.user_id,
                    key=f"session:{session_id}:seat:{person.user_id}:{int(now.timestamp())}",
                    now=now,
                    default_tz=self._default_tz,
                    on_calendar=True,
                )
                outbox.enqueue(session, notice, now=now)
            else:
                waiting = [s.user_id for s in sq.seats_by_status(session, session_id, sq.WAITLISTED)]
                position = waiting.index(person.user_id) + 1
            return JoinResult(self._view(session, row, person.user_id), seated, position)

    def leave(self, person: Person, session_id: int) -> SessionView:
        """Give up a seat (or a place on the waitlist); a freed seat goes to the first on the waitlist."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = self.leave_within(session, person.user_id, session_id, now=now)
            return self._view(session, row, person.user_id)

    def leave_within(
        self, session: Session, user_id: str, session_id: int, *, now: datetime
    ) -> HostedSession:
        """Leave in the caller's transaction (erasure calls it too)."""
        row = found(session, session_id)
        seat = sq.seat_of(session, session_id, user_id)
        if seat is None or seat.status == sq.LEFT:
            raise Conflict(f"You have no seat in “{row.title}”.")
        if row.start_at <= now:
            raise Conflict(f"“{row.title}” has already started.")
        was_seated = seat.status in (sq.TAKEN, sq.OFFERED)  # an offered seat is held: pass it on
        sq.set_seat_status(seat, sq.LEFT, now=now)
        if was_seated and row.status == sq.OPEN:
            # The UPDATE locks the session's row until commit: a concurrent leave or join waits, so
            # the waitlist read below is the one that counts.
            sq.free_a_seat(session, session_id, now=now)
            self._seat_the_next(session, row, now=now)
        session.flush()
        session.refresh(row)
        return row

    def pass_offer(self, person: Person, session_id: int) -> SessionView:
        """Pass on a seat offered from the waitlist: it is offered to the next waiting."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = found(session, session_id)
            seat = sq.seat_of(session, session_id, person.user_id)
            if seat is None or seat.status != sq.OFFERED:
                raise Conflict(f"The seat in “{row.title}” isn't held for you any more: nothing to pass.")
            row = self.leave_within(session, person.user_id, session_id, now=now)
            return self._view(session, row, person.user_id)

    def cancel(self, person: Person, session_id: int) -> SessionView:
        """The host calls it off; everyone with a seat or on the waitlist is told."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = self.cancel_within(session, person.user_id, session_id, now=now)
            return self._view(session, row, person.user_id)

    def cancel_within(
        self, session: Session, user_id: str, session_id: int, *, now: datetime
    ) -> HostedSession:
        """Cancel in the caller's transaction (erasure calls it too)."""
        return cancel_within(session, user_id, session_id, now=now, default_tz=self._default_tz)

    def movable(self, person: Person, session_id: int) -> SessionView:
        """The session, for the host's "move" form; refused as ``move`` would refuse it."""
        with self._sessions() as session:
            row = movable(session, person.user_id, session_id, now=self._clock())
            return self._view(session, row, person.user_id)

    def move(self, person: Person, session_id: int, start: datetime) -> SessionView:
        """The host moves the session to ``start`` (aware): its calendar revision goes up, its group DM
        will open again an hour before the new time, and everyone with a seat or waiting is told."""
        now = self._clock()
        validate_start(start, now=now)
        with self._sessions.begin() as session:
            row = move_within(session, person, session_id, start, now=now, default_tz=self._default_tz)
            return self._view(session, row, person.user_id)

    def forget_within(self, session: Session, user_id: str, *, now: datetime) -> int:
        """Before a person is erased: leave every seat still to come (the next waiting gets it) and cancel
        every session they host (everyone told). How many sessions that touched."""
        touched = 0
        for session_id in sq.upcoming_seats_of(session, user_id, now=now):
            self.leave_within(session, user_id, session_id, now=now)
            touched += 1
        for session_id in sq.upcoming_hosted_by(session, user_id, now=now):
            self.cancel_within(session, user_id, session_id, now=now)
            touched += 1
        return touched

    def gather_due(self, *, now: datetime | None = None, batch: int = 100) -> int:
        """Open the group DM of every session starting within the hour: the host and everyone with a
        seat, told once (the claim is ``gathered_at``). A session nobody joined is only marked."""
        now = now or self._clock()
        gathered = 0
        with self._sessions.begin() as session:
            for row in sq.due_for_gathering(session, now=now, lead=GATHER_LEAD, limit=batch):
                row.gathered_at = now
                seated = [s.user_id for s in sq.seats_by_status(session, row.id, sq.TAKEN)]
                if not seated:
                    continue
                users = (row.host_id, *seated)
                notice = SessionGathering(
                    key=f"session:{row.id}:gathering",
                    users=users,
                    session_id=row.id,
                    host_id=row.host_id,
                    title=row.title,
                    start=row.start_at,
                    minutes=row.minutes,
                    where=where_words(row, sq.office_name(session, row.office_id)),
                    tzs=queries.member_tzs(session, users, self._default_tz),
                )
                outbox.enqueue(session, notice, now=now)
                gathered += 1
        return gathered

    def remind_due(self, *, now: datetime | None = None) -> int:
        """The morning-of reminder (``domain.reminders``) to the host and each seat holder whose moment
        has come, once each: the notice's key names the session's revision and the person, and the
        outbox ignores a key it holds, so a later sweep (or another replica) adds nothing, while a moved
        session reminds again. How many reminders this sweep found due (queued now or before)."""
        now = now or self._clock()
        due = 0
        with self._sessions.begin() as session:
            for row in sq.starting_between(session, after=now, until=now + REMIND_WITHIN):
                people = [row.host_id, *(s.user_id for s in sq.seats_by_status(session, row.id, sq.TAKEN))]
                tzs = queries.member_tzs(session, people, self._default_tz)
                for user_id in people:
                    if reminder_at(row.start_at, load_zone(tzs[user_id])) > now:
                        continue
                    notice = about_session(
                        SessionReminder,
                        session,
                        row,
                        user_id,
                        key=f"session:{row.id}:reminder:{row.sequence}:{user_id}",
                        now=now,
                        default_tz=self._default_tz,
                        on_calendar=False,
                    )
                    outbox.enqueue(session, notice, now=now)
                    due += 1
        return due

    def check_in_due(self, *, now: datetime | None = None) -> int:
        """The latest check-in prompt due in each coworking session under way that asked for them: one
        every ``CHECK_IN_EVERY`` from its start, none at its end, each once (the outbox's key); after
        downtime only the latest, not a backlog. How many were found due."""
        now = now or self._clock()
        due = 0
        with self._sessions.begin() as session:
            for row in sq.running_with_check_ins(
                session, now=now, longest=RULES[Format.COWORKING].max_length
            ):
                number = (now - row.start_at) // CHECK_IN_EVERY
                end = row.start_at + timedelta(minutes=row.minutes)
                if number < 1 or row.start_at + number * CHECK_IN_EVERY >= end:
                    continue
                seated = [s.user_id for s in sq.seats_by_status(session, row.id, sq.TAKEN)]
                if not seated:
                    continue
                notice = SessionCheckIn(
                    key=f"session:{row.id}:checkin:{row.sequence}:{number}",
                    users=(row.host_id, *seated),
                    session_id=row.id,
                    host_id=row.host_id,
                    title=row.title,
                    number=number,
                    minutes_left=(end - now) // timedelta(minutes=1),
                )
                outbox.enqueue(session, notice, now=now)
                due += 1
        return due

    def _seat_the_next(self, session: Session, row: HostedSession, *, now: datetime) -> None:
        offer_next(session, row, now=now, within=self._confirm_within, default_tz=self._default_tz)

    def _view(self, session: Session, row: HostedSession, viewer: str) -> SessionView:
        return self._views(session, [row], viewer)[0]

    def _views(self, session: Session, rows: Sequence[HostedSession], viewer: str) -> list[SessionView]:
        return views(session, rows, viewer)
