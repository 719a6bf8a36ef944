"""The ask and meeting lifecycle over statuses: who may do what to an ask or a conversation, and when.

Pure: plain values in (statuses, ids, instants), a decision or a ``DomainError`` out. The service
layer loads rows, asks here, and only then writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from app.domain.errors import Conflict, NotAllowed
from app.domain.model import SLOT_LENGTH, AskSpec, AskStatus, MeetingStatus, Mentor
from app.domain.slots import require_aware

Role = Literal["asker", "mentor"]

# Why an ask that is no longer open can't take another request, as the asker reads it.
_ASK_NOT_OPEN = {
    AskStatus.REQUESTED: "You've already asked a mentor for this one; see `/mentor list`.",
    AskStatus.CONFIRMED: "This one is already booked; see `/mentor list`.",
    AskStatus.CANCELLED: "You cancelled this request. Start a new one with `/mentor ask`.",
    AskStatus.CLOSED: "This request is closed. Start a new one with `/mentor ask`.",
}


def require_open(status: AskStatus | str) -> None:
    """An ask takes a request while it is open or unmet (nobody was available when it was made)."""
    message = _ASK_NOT_OPEN.get(AskStatus(status))
    if message is not None:
        raise Conflict(message)


def reopened(status: AskStatus | str) -> AskStatus:
    """The ask's status once its pending request fell through (declined, expired): open again, unless
    it had moved on meanwhile."""
    status = AskStatus(status)
    return AskStatus.OPEN if status == AskStatus.REQUESTED else status


def already(status: MeetingStatus | str, *, by_mentor: bool) -> str:
    """What a person is told when a conversation has moved on from where their button expected it."""
    status = MeetingStatus(status)
    if status == MeetingStatus.DECLINED:
        return "This request was already declined." if by_mentor else "The mentor declined this request."
    return {
        MeetingStatus.CONFIRMED: "This conversation is already confirmed.",
        MeetingStatus.EXPIRED: "This request expired without an answer, and the slot was freed.",
        MeetingStatus.CANCELLED: "This conversation was cancelled.",
        MeetingStatus.REQUESTED: "This request is still waiting for the mentor's answer.",
    }[status]


def require_status(status: MeetingStatus | str, wanted: MeetingStatus, *, by_mentor: bool) -> None:
    """The mentor answers a request only while it waits for them (accept, decline)."""
    if MeetingStatus(status) != wanted:
        raise Conflict(already(status, by_mentor=by_mentor))


def require_party(user_id: str, *, asker_id: str, mentor_id: str, role: Role | None) -> None:
    """Only the people in a conversation act on it; ``role`` narrows it to one side (None: either)."""
    allowed = {"asker": (asker_id,), "mentor": (mentor_id,), None: (asker_id, mentor_id)}[role]
    if user_id not in allowed:
        raise NotAllowed("Only the people in this conversation can do that.")


def require_cancellable(
    status: MeetingStatus | str, start: datetime, *, by_mentor: bool, now: datetime
) -> None:
    """Either side calls off a requested or confirmed conversation until it is over."""
    status = MeetingStatus(status)
    if not status.holds_slot:
        raise Conflict(already(status, by_mentor=by_mentor))
    if start + SLOT_LENGTH <= now:
        raise Conflict("That conversation is already over, so there's nothing to cancel.")


def ask_after_cancel(*, by_asker: bool) -> AskStatus:
    """The asker calling off ends the ask; the mentor calling off leaves it open for another mentor."""
    return AskStatus.CANCELLED if by_asker else AskStatus.OPEN


def request_deadline(now: datetime, start: datetime, expiry: timedelta) -> datetime:
    """A request waits for the mentor at most ``expiry``, and never past the slot itself."""
    return min(now + expiry, start)


def may_mentor(mentor: Mentor, ask: AskSpec, now: datetime) -> bool:
    """Everything about a mentor except their calendar: not the asker, present, and a fitting level.

    Matching offers only mentors for whom this holds; a request is checked again against it (and
    against the register, see ``may_take_request``) because the world may have moved since the offer.
    """
    if mentor.user_id == ask.asker_id or not mentor.available or mentor.capacity_per_week <= 0:
        return False
    if mentor.away_until is not None:
        require_aware(mentor.away_until, f"away_until of {mentor.user_id}")
        if mentor.away_until > now:
            return False
    if ask.reverse:
        return fits_reverse(mentor, ask)
    # Reverse mentoring (a junior mentoring a senior) only with the mentor's consent.
    return (
        mentor.reverse_ok
        or mentor.level is None
        or ask.asker_level is None
        or mentor.level >= ask.asker_level
    )


def fits_reverse(mentor: Mentor, ask: AskSpec) -> bool:
    """The hard rules of a reverse pairing: the mentor is open to it, ``min_level_gap`` or more levels
    below the asker, and in another team. Anything unknown on either side is a no."""
    return (
        mentor.reverse_ok
        and mentor.level is not None
        and ask.asker_level is not None
        and ask.asker_level - mentor.level >= ask.min_level_gap
        and bool(mentor.team)
        and bool(ask.asker_team)
        and (mentor.team or "").casefold() != (ask.asker_team or "").casefold()
    )


@dataclass(frozen=True, slots=True)
class ReverseShortfall:
    """Why a reverse ask found nobody, counted over the mentors open to reverse mentoring."""

    open_to_it: int
    in_your_team: int  # else fitting, but in the asker's team
    too_close: int  # fewer than the gap levels below the asker (or above)
    unknown: int  # level or team unknown


def reverse_shortfall(mentors: Iterable[Mentor], ask: AskSpec, now: datetime) -> ReverseShortfall:
    open_to_it = in_team = too_close = unknown = 0
    for mentor in mentors:
        if not mentor.reverse_ok or mentor.user_id == ask.asker_id:
            continue
        open_to_it += 1
        if mentor.level is None or not mentor.team:
            unknown += 1
        elif ask.asker_level is None or ask.asker_level - mentor.level < ask.min_level_gap:
            too_close += 1
        elif (mentor.team or "").casefold() == (ask.asker_team or "").casefold():
            in_team += 1
    return ReverseShortfall(open_to_it, in_team, too_close, unknown)


def may_take_request(
    mentor: Mentor | None, ask: AskSpec, *, on_register: bool, reachable: bool, now: datetime
) -> bool:
    """A mentor may be sent a request when they are on the register, Slack can reach them (else nobody
    could confirm) and matching would offer them (``may_mentor``); their calendar is checked apart."""
    return mentor is not None and on_register and reachable and may_mentor(mentor, ask, now)
