"""A seat that comes free in a full session is offered, not given: the first on the waitlist has
``WAITLIST_CONFIRM_HOURS`` (or until the group DM opens, an hour before, if sooner) to Take it; Pass, or
the time running out (``expire_offers``, a scheduler sweep), offers it to the next waiting.

The held seat counts as taken (``taken``), so nobody joining meanwhile gets it. Take is one transaction
on the seat's row: a late or second click finds it no longer offered and is told so, with no effect.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db import session_queries as sq
from app.db.models import HostedSession
from app.domain.errors import Conflict
from app.services import outbox
from app.services.clock import Clock, utc_now
from app.services.notices import SeatConfirmed, SeatOffered, SeatOfferLapsed
from app.services.people import Person
from app.services.session_checks import found
from app.services.session_notices import about_session

GATHER_LEAD = timedelta(hours=1)  # as hosting's: joining closes when the group DM opens


def offer_next(
    session: Session, row: HostedSession, *, now: datetime, within: timedelta, default_tz: str
) -> None:
    """Hold the seat just freed for the first waiting, and offer it to them (in the caller's
    transaction, which freed the seat)."""
    waiting = sq.seats_by_status(session, row.id, sq.WAITLISTED)
    if not waiting or row.gathered_at is not None or not sq.take_a_seat(session, row.id, now=now):
        return
    first = waiting[0]
    until = min(now + within, row.start_at - GATHER_LEAD)
    sq.set_seat_status(first, sq.OFFERED, now=now)
    first.offer_expires_at = until
    notice = about_session(
        SeatOffered,
        session,
        row,
        first.user_id,
        key=f"session:{row.id}:offer:{first.user_id}:{first.id}:{int(now.timestamp())}",
        now=now,
        default_tz=default_tz,
        on_calendar=False,
    )
    outbox.enqueue(session, notice.with_until(until), now=now)


class WaitlistService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock = utc_now,
        default_tz: str = "UTC",
        within: timedelta = timedelta(hours=4),
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._default_tz = default_tz
        self.within = within

    def take(self, person: Person, session_id: int) -> HostedSession:
        """Take the seat held for you: it's yours, and your DM gets it with its calendar file."""
        now = self._clock()
        with self._sessions.begin() as session:
            row = found(session, session_id)
            seat = sq.seat_of(session, session_id, person.user_id)
            if seat is not None and seat.status == sq.TAKEN:
                raise Conflict(f"You already have a seat in “{row.title}”.")
            if row.status == sq.CANCELLED:
                raise Conflict(f"The host cancelled “{row.title}”.")
            held = seat is not None and seat.status == sq.OFFERED
            if seat is None or not held or seat.offer_expires_at is None or seat.offer_expires_at <= now:
                raise Conflict(
                    f"The seat in “{row.title}” was passed on to the next person waiting: its time ran "
                    "out or you passed. `/mentor sessions` shows what's open."
                )
            sq.set_seat_status(seat, sq.TAKEN, now=now)
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
            session.flush()
            session.expunge(row)
            return row

    def expire_offers(self, *, now: datetime | None = None, batch: int = 100) -> int:
        """Offers whose time ran out: the seat goes to the next waiting (or back to open). How many."""
        now = now or self._clock()
        with self._sessions.begin() as session:
            lapsed = sq.lapsed_offers(session, now=now, limit=batch)
            for seat in lapsed:
                sq.set_seat_status(seat, sq.LEFT, now=now)
                row = found(session, seat.session_id)
                self._tell_lapsed(session, row, seat.user_id, seat.id, now=now)
                sq.free_a_seat(session, row.id, now=now)
                if row.status == sq.OPEN and row.start_at > now:
                    session.flush()
                    offer_next(session, row, now=now, within=self.within, default_tz=self._default_tz)
            return len(lapsed)

    def _tell_lapsed(
        self, session: Session, row: HostedSession, user_id: str, seat_id: int, *, now: datetime
    ) -> None:
        """The one the seat was held for hears it went on (once per offer: the key names the seat)."""
        notice = about_session(
            SeatOfferLapsed,
            session,
            row,
            user_id,
            key=f"session:{row.id}:offer-lapsed:{user_id}:{seat_id}:{int(now.timestamp())}",
            now=now,
            default_tz=self._default_tz,
            on_calendar=False,
        )
        outbox.enqueue(session, notice, now=now)
