"""Every notice the bot sends, as a frozen dataclass: its kind, key, recipients, priority and rules.

A notice is stored as an outbox row: ``kind`` (the strings below, kept as they were so a running
database upgraded in place keeps delivering), ``key`` and ``payload`` (``to_payload()``, the same JSON
shape as before these types existed, so old rows decode). The key is carried, not derived: several
kinds' keys name things their payload does not hold (a round, a moment), and stored rows keep theirs.

``recipients`` are every Slack user the notice concerns (whom it is sent to and whom it names): the
outbox writes them to ``notice_people``, so erasure and "what did we send to whom" are queries.
``send_to`` are the people of the conversation it is posted in. Delivery asks the type what to do
(``delivery``, ``updates``, ``if_unreachable``) instead of branching on kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from app.services.notices.base import (
    Delivery,
    IfUnreachable,
    MentorGone,
    NoticeBase,
    OnlyTo,
    PartnerStranded,
    Priority,
    Undecodable,
    UnknownKind,
)
from app.services.notices.coffee import (
    CoffeeFollowup,
    CoffeeHeadsUp,
    CoffeeIntro,
    CoffeeLeftOut,
    CoffeePartnerLeft,
    CoffeePaused,
    Colleague,
)
from app.services.notices.mentoring import (
    Confirmation,
    FeedbackQuestion,
    MeetingCancelled,
    MentorOption,
    MentorRequest,
    RequestClosed,
    RequestDeclined,
    RequestExpired,
)
from app.services.notices.program_changes import (
    AgendaAsked,
    AgendaShared,
    CoachBehind,
    PairBehind,
    PartnerLeft,
    ProgramSessionMoved,
    SessionAgendaSet,
    SessionSkipped,
)
from app.services.notices.program_coaching import (
    CoachCheckIn,
    CoachDigest,
    CoachPrompt,
    DigestLine,
    WaveSurvey,
)
from app.services.notices.program_sessions import (
    ProgramCheckIn,
    SessionBooked,
    SessionPicked,
    SessionProposed,
)
from app.services.notices.programs import CoachBrief, PairEnded, PairEndedAdmin, ProgramIntro, ProgramInvite
from app.services.notices.sessions import (
    AboutASession,
    SeatConfirmed,
    SeatOffered,
    SeatOfferLapsed,
    SessionCancelled,
    SessionCheckIn,
    SessionFeedbackQuestion,
    SessionGathering,
    SessionMoved,
    SessionRatingForHost,
    SessionReminder,
)


@dataclass(frozen=True, kw_only=True)
class HomeRefresh(OnlyTo):
    """Republish a person's App Home after something of theirs changed."""

    kind: ClassVar[str] = "home_refresh"
    priority: ClassVar[Priority] = Priority.NOW  # after a person's own click
    delivery: ClassVar[Delivery] = Delivery.HOME


Notice = (
    MentorRequest
    | RequestClosed
    | Confirmation
    | RequestDeclined
    | RequestExpired
    | MeetingCancelled
    | FeedbackQuestion
    | CoffeeIntro
    | CoffeeFollowup
    | CoffeePaused
    | CoffeeLeftOut
    | CoffeeHeadsUp
    | CoffeePartnerLeft
    | SeatConfirmed
    | SeatOffered
    | SessionCancelled
    | SessionGathering
    | SessionCheckIn
    | SessionMoved
    | SessionReminder
    | SessionFeedbackQuestion
    | SessionRatingForHost
    | ProgramInvite
    | ProgramIntro
    | CoachBrief
    | PairEnded
    | PairEndedAdmin
    | SessionProposed
    | SessionPicked
    | SessionBooked
    | ProgramCheckIn
    | CoachDigest
    | CoachPrompt
    | CoachCheckIn
    | WaveSurvey
    | AgendaAsked
    | AgendaShared
    | CoachBehind
    | PairBehind
    | PartnerLeft
    | ProgramSessionMoved
    | SessionAgendaSet
    | SessionSkipped
    | HomeRefresh
    | SeatOfferLapsed
)

KINDS: dict[str, type[Notice]] = {
    cls.kind: cls
    for cls in (
        MentorRequest,
        RequestClosed,
        Confirmation,
        RequestDeclined,
        RequestExpired,
        MeetingCancelled,
        FeedbackQuestion,
        CoffeeIntro,
        CoffeeFollowup,
        CoffeePaused,
        CoffeeLeftOut,
        CoffeeHeadsUp,
        CoffeePartnerLeft,
        SeatConfirmed,
        SeatOffered,
        SessionCancelled,
        SessionGathering,
        SessionCheckIn,
        SessionMoved,
        SessionReminder,
        SessionFeedbackQuestion,
        SessionRatingForHost,
        ProgramInvite,
        ProgramIntro,
        CoachBrief,
        PairEnded,
        PairEndedAdmin,
        SessionProposed,
        SessionPicked,
        SessionBooked,
        ProgramCheckIn,
        CoachDigest,
        CoachPrompt,
        CoachCheckIn,
        WaveSurvey,
        AgendaAsked,
        AgendaShared,
        CoachBehind,
        PairBehind,
        PartnerLeft,
        ProgramSessionMoved,
        SessionAgendaSet,
        SessionSkipped,
        HomeRefresh,
        SeatOfferLapsed,
    )
}


def decode(kind: str, payload: Mapping[str, Any], *, key: str) -> Notice:
    """A stored row as its type. ``UnknownKind`` for a kind this code doesn't know; a payload that
    doesn't fit its kind raises what reading it raised (KeyError, ValueError, …)."""
    cls = KINDS.get(kind)
    if cls is None:
        raise UnknownKind(f"unknown notice kind {kind}")
    notice: Notice = cls.from_payload(payload, key=key)
    return notice


__all__ = [
    "KINDS",
    "AboutASession",
    "AgendaAsked",
    "AgendaShared",
    "CoachBehind",
    "CoachBrief",
    "CoachCheckIn",
    "CoachDigest",
    "CoachPrompt",
    "CoffeeFollowup",
    "CoffeeHeadsUp",
    "CoffeeIntro",
    "CoffeeLeftOut",
    "CoffeePartnerLeft",
    "CoffeePaused",
    "Colleague",
    "Confirmation",
    "Delivery",
    "DigestLine",
    "FeedbackQuestion",
    "HomeRefresh",
    "IfUnreachable",
    "MeetingCancelled",
    "MentorGone",
    "MentorOption",
    "MentorRequest",
    "Notice",
    "NoticeBase",
    "PairBehind",
    "PairEnded",
    "PairEndedAdmin",
    "PartnerLeft",
    "PartnerStranded",
    "Priority",
    "ProgramCheckIn",
    "ProgramIntro",
    "ProgramInvite",
    "ProgramSessionMoved",
    "RequestClosed",
    "RequestDeclined",
    "RequestExpired",
    "SeatConfirmed",
    "SeatOfferLapsed",
    "SeatOffered",
    "SessionAgendaSet",
    "SessionBooked",
    "SessionCancelled",
    "SessionCheckIn",
    "SessionFeedbackQuestion",
    "SessionGathering",
    "SessionMoved",
    "SessionPicked",
    "SessionProposed",
    "SessionRatingForHost",
    "SessionReminder",
    "SessionSkipped",
    "Undecodable",
    "UnknownKind",
    "WaveSurvey",
    "decode",
]
