"""Micro-mentoring use cases: asking, booking and answering, "my conversations".

Every use case is one transaction. Anything that must reach someone other than the person in front
of us is enqueued in the outbox inside that same transaction (see ``app.services.outbox``). The rules
of the ask and meeting lifecycle (who may do what, when) are the domain's: ``app.domain.meeting``.

``MentoringService`` is the one object the adapters and other services hold; each room does its job:
``asking`` (ask, options, ask again), ``booking`` (request, accept, decline, cancel, expire) and
``conversations`` (the lists and the Home) and ``directory`` (browsing the register).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.domain.errors import Conflict, NotFound
from app.services.clock import Clock, utc_now
from app.services.mentoring.asking import Asking
from app.services.mentoring.booking import SLOT_HORIZON, Booking
from app.services.mentoring.conversations import Conversations
from app.services.mentoring.directory import Directory as _Directory
from app.services.mentoring.directory import DirectoryView, ListedMentor
from app.services.mentoring.views import (
    AskOutcome,
    AskView,
    CancelOutcome,
    MeetingView,
    MyConversations,
    SlotTaken,
)
from app.services.people import Person
from app.services.register_cache import RegisterCache

__all__ = [
    "SLOT_HORIZON",
    "AskOutcome",
    "AskView",
    "CancelOutcome",
    "DirectoryView",
    "ListedMentor",
    "MeetingView",
    "MentoringService",
    "MyConversations",
    "SlotTaken",
]


class MentoringService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Clock = utc_now,
        default_tz: str = "UTC",
        request_expiry: timedelta = timedelta(hours=24),
        reverse_min_level_gap: int = 2,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._register = RegisterCache()  # this process's copy of the register, for ranking
        self.asking = Asking(
            sessions, clock=clock, register=self._register, reverse_min_level_gap=reverse_min_level_gap
        )
        self.booking = Booking(
            sessions, self.asking, clock=clock, default_tz=default_tz, request_expiry=request_expiry
        )
        self.conversations = Conversations(sessions, clock=clock)
        self.directory = _Directory(sessions, clock=clock, register=self._register)

    def warm_up(self) -> None:
        """Load the register into memory now, so the first ask after start-up does not pay for it."""
        with self._sessions.begin() as session:
            self._register.sync(session, now=self._clock())

    # --- asking ----------------------------------------------------------------------------------

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
        """Ranked offers for a new ask; ``mentor_id`` aims it at one mentor (picked from the register),
        ``reverse`` asks for reverse mentoring (someone junior, in another team)."""
        return self.asking.ask(person, goal, topics, mentor_id=mentor_id, reverse=reverse, lunch=lunch)

    def browse_mentors(self, person: Person, topics: tuple[str, ...], page: int = 1) -> DirectoryView:
        return self.directory.browse(person, topics, page)

    def options(self, person: Person, ask_id: int) -> AskOutcome:
        return self.asking.options(person, ask_id)

    def not_a_good_fit(self, person: Person, meeting_id: int) -> AskOutcome:
        return self.asking.not_a_good_fit(person, meeting_id)

    # --- booking and answering -------------------------------------------------------------------

    def request_slot(self, person: Person, ask_id: int, mentor_id: str, start: datetime) -> MeetingView:
        return self.booking.request_slot(person, ask_id, mentor_id, start)

    def accept(self, person: Person, meeting_id: int) -> MeetingView:
        return self.booking.accept(person, meeting_id)

    def decline(self, person: Person, meeting_id: int, *, reason: str = "") -> MeetingView:
        return self.booking.decline(person, meeting_id, reason=reason)

    def mentor_unreachable(self, meeting_id: int) -> None:
        self.booking.mentor_unreachable(meeting_id)

    def cancel(self, person: Person, meeting_id: int) -> MeetingView:
        return self.booking.cancel(person, meeting_id)

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

    def expire_stale_requests(self, *, now: datetime | None = None, batch: int = 100) -> int:
        return self.booking.expire_stale_requests(now=now, batch=batch)

    # --- my conversations ------------------------------------------------------------------------

    def my_conversations(self, person: Person) -> MyConversations:
        return self.conversations.my_conversations(person)

    def mark_home_seen(self, person: Person) -> None:
        self.conversations.mark_home_seen(person)

    def week_load(self, person: Person) -> tuple[int, int] | None:
        return self.conversations.week_load(person)
