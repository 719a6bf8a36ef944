"""The formats of hybrid mentoring and the rules a hosted session's plan must keep (issue #12).

Senior people's time is the scarce thing: they come to the office for a reason and mentor several juniors
at once. Each format has a length range, a seat range and the places it can happen:

| Format                         | Length     | Seats | Where               |
|--------------------------------|------------|-------|---------------------|
| 1:1 micro-mentoring            | 15 min     | 1     | online              |
| 1:1 lunch                      | 45-60 min  | 1     | in person           |
| Group mentoring / office hours | 30-60 min  | 2-7   | online or in person |
| Group lunch                    | 60 min     | 2-6   | in person           |
| Coworking                      | 1-4 h      | 2-7   | online or in person |

Seats stop at 7 because a session's people meet in a Slack group DM, which holds at most 8 people
(the host and seven).

Pure: standard library only; ``now`` is passed in. app/services/hosting.py hosts sessions by these rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from app.domain.errors import InvalidInput
from app.domain.slots import require_aware

GROUP_DM_MAX_PEOPLE = 8  # Slack's limit for a multi-person DM (conversations.open with users)
MAX_SEATS = GROUP_DM_MAX_PEOPLE - 1  # the host takes one place
BOOKING_HORIZON = timedelta(days=90)
MAX_TITLE = 80
MAX_DESCRIPTION = 500
MAX_PLACE = 100
MAX_LINK = 500


class Format(StrEnum):
    MICRO = "micro"
    LUNCH = "lunch"
    GROUP = "group"
    GROUP_LUNCH = "group_lunch"
    COWORKING = "coworking"


class Where(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"


@dataclass(frozen=True, slots=True)
class FormatRules:
    label: str
    min_length: timedelta
    max_length: timedelta
    min_seats: int
    max_seats: int
    places: frozenset[Where]

    @property
    def hosted(self) -> bool:
        """Whether it is a session someone hosts for several people (the 1:1 formats are asked for)."""
        return self.max_seats > 1


def _minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


RULES: dict[Format, FormatRules] = {
    Format.MICRO: FormatRules(
        "1:1 micro-mentoring", _minutes(15), _minutes(15), 1, 1, frozenset({Where.ONLINE})
    ),
    Format.LUNCH: FormatRules("1:1 lunch", _minutes(45), _minutes(60), 1, 1, frozenset({Where.IN_PERSON})),
    Format.GROUP: FormatRules(
        "Group mentoring",
        _minutes(30),
        _minutes(60),
        2,
        MAX_SEATS,
        frozenset({Where.ONLINE, Where.IN_PERSON}),
    ),
    Format.GROUP_LUNCH: FormatRules(
        "Group lunch", _minutes(60), _minutes(60), 2, 6, frozenset({Where.IN_PERSON})
    ),
    Format.COWORKING: FormatRules(
        "Coworking", _minutes(60), _minutes(240), 2, MAX_SEATS, frozenset({Where.ONLINE, Where.IN_PERSON})
    ),
}

_PLACE_WORDS = {Where.ONLINE: "online", Where.IN_PERSON: "in person"}
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """What a host asks for in the "host a session" form, before it is checked."""

    format: Format
    title: str
    start: datetime  # aware
    length: timedelta
    seats: int
    where: Where
    link: str | None = None  # online: the host's meeting link; None means "we'll meet in the group DM"
    office: str | None = None  # in person: one of the admins' offices
    place: str | None = None  # in person: a room, a restaurant
    description: str = ""
    check_ins: bool = False  # coworking: a check-in prompt every 30 minutes in the group DM


class PlanError(InvalidInput):
    """A plan that breaks a rule; ``field`` names the part of the form at fault (title, start, length,
    seats, where, link, office, place, description), so a form can show the message beside it."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _length_words(length: timedelta) -> str:
    minutes = length // timedelta(minutes=1)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour" + ("s" if hours > 1 else "")
    return f"{minutes} minutes"


def _range_words(low: timedelta, high: timedelta) -> str:
    return _length_words(low) if low == high else f"{_length_words(low)} to {_length_words(high)}"


def validate_link(link: str) -> str:
    """A meeting link people can click safely: https, a host name, no spaces, at most 500 characters."""
    text = link.strip()
    if len(text) > MAX_LINK:
        raise InvalidInput(f"A meeting link can be at most {MAX_LINK} characters; this one has {len(text)}.")
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not _HOST.match(host) or any(c.isspace() for c in text) or parts.username:
        raise InvalidInput(
            "A meeting link must be an https:// address, e.g. https://meet.example.com/abc-defg."
        )
    return text


def validate_start(start: datetime, *, now: datetime) -> None:
    """A session's start (at hosting, or moving it): in the future and at most 90 days ahead."""
    require_aware(now, "now")
    require_aware(start, "start")
    if start <= now:
        raise PlanError("That time has passed. Pick a time in the future.", field="start")
    if start > now + BOOKING_HORIZON:
        raise PlanError("Sessions can be planned at most 90 days ahead. Pick an earlier date.", field="start")


def validate_plan(plan: SessionPlan, *, now: datetime, offices: Collection[str]) -> SessionPlan:
    """``plan`` with its text tidied, when it keeps its format's rules; InvalidInput, naming the first rule
    broken in words for the host, otherwise.

    Rules: a title of 1-80 characters; a start in the future and at most 90 days ahead; a length in the
    format's range, in whole quarter hours; seats in the format's range (2-7 for group formats: a group DM
    holds 8); a place the format allows; online, an optional https link; in person, an office from the
    admins' list and an optional place of at most 100 characters; a description of at most 500.
    """
    require_aware(now, "now")
    require_aware(plan.start, "start")
    rules = RULES[plan.format]
    title = " ".join(plan.title.split())
    if not title:
        raise PlanError("Give the session a title, e.g. “Office hours: career questions”.", field="title")
    if len(title) > MAX_TITLE:
        raise PlanError(
            f"A title can be at most {MAX_TITLE} characters; this one has {len(title)}.", field="title"
        )
    validate_start(plan.start, now=now)
    if not rules.min_length <= plan.length <= rules.max_length or plan.length % timedelta(minutes=15):
        raise PlanError(
            f"{rules.label} lasts {_range_words(rules.min_length, rules.max_length)}"
            + ("" if rules.min_length == rules.max_length else ", in quarter hours")
            + ".",
            field="length",
        )
    if not rules.min_seats <= plan.seats <= rules.max_seats:
        limit = " (a Slack group DM holds 8 people: you and 7)" if rules.max_seats == MAX_SEATS else ""
        raise PlanError(
            f"{rules.label} has {rules.min_seats} to {rules.max_seats} seats{limit}.", field="seats"
        )
    if plan.where not in rules.places:
        allowed = " or ".join(_PLACE_WORDS[w] for w in sorted(rules.places))
        raise PlanError(f"{rules.label} happens {allowed}.", field="where")
    description = plan.description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise PlanError(
            f"Keep the description to {MAX_DESCRIPTION} characters (it has {len(description)}).",
            field="description",
        )
    link, office, place = None, None, None
    if plan.where == Where.ONLINE:
        try:
            link = validate_link(plan.link) if plan.link and plan.link.strip() else None
        except InvalidInput as exc:
            raise PlanError(exc.message, field="link") from None
    else:
        office = (plan.office or "").strip()
        if office not in offices:
            known = ", ".join(sorted(offices)) or "none yet: an admin adds them"
            raise PlanError(f"Pick one of the offices ({known}).", field="office")
        place = " ".join((plan.place or "").split()) or None
        if place and len(place) > MAX_PLACE:
            raise PlanError(f"Keep the place to {MAX_PLACE} characters (it has {len(place)}).", field="place")
    if plan.check_ins and plan.format != Format.COWORKING:
        raise PlanError("Check-ins every 30 minutes are for coworking sessions.", field="check_ins")
    return SessionPlan(
        plan.format,
        title,
        plan.start,
        plan.length,
        plan.seats,
        plan.where,
        link,
        office,
        place,
        description,
        plan.check_ins,
    )
