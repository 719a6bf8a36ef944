"""The sub-commands of ``/mentor`` as frozen dataclasses: what ``command_text.parse`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TypeAlias

DEFAULT_STATS_DAYS = 30


@dataclass(frozen=True, slots=True)
class Help:
    """``/mentor``, ``/mentor help``: show the help text."""


@dataclass(frozen=True, slots=True)
class Unknown:
    """A first word that is no sub-command; ``word`` is as typed (at most 40 characters)."""

    word: str


@dataclass(frozen=True, slots=True)
class Ask:
    """``ask [reverse|lunch] <goal> [#topic …]``: a goal (plain text, unescaped, whitespace collapsed) and
    topics; ``reverse`` asks for reverse mentoring (a more junior colleague, in another team), ``lunch``
    for an hour in person at the asker's office."""

    goal: str
    topics: tuple[str, ...] = ()
    reverse: bool = False
    lunch: bool = False


@dataclass(frozen=True, slots=True)
class Join:
    """``join [#topic …]``: join the mentor register; no topics means "open the profile modal"."""

    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    """``profile``: open the mentor profile modal."""


@dataclass(frozen=True, slots=True)
class SetAvailable:
    """``available on|off``: take new requests, or not."""

    available: bool


@dataclass(frozen=True, slots=True)
class Away:
    """``away 2w|10d|2025-09-01|off``: at most one of ``duration`` and ``until`` is set.

    Neither set means "I'm back now". ``until`` is not checked against today here (no clock):
    the service does that.
    """

    duration: timedelta | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Leave:
    """``leave``: leave the mentor register."""


@dataclass(frozen=True, slots=True)
class ListMine:
    """``list``: my asks and conversations."""


@dataclass(frozen=True, slots=True)
class About:
    """``about``: open the "about you" modal (working hours, team, level)."""


@dataclass(frozen=True, slots=True)
class Offices:
    """``offices`` (list), ``offices add <name> <zone>`` and ``offices remove <name>`` (admins)."""

    action: str = "list"  # "list" | "add" | "remove"
    name: str = ""
    tz: str = ""


@dataclass(frozen=True, slots=True)
class Mentors:
    """``mentors [#topic …]``: browse the mentors on the register (those covering a topic, when given)."""

    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Host:
    """``host``: open the "host a session" modal (people on the register only)."""


@dataclass(frozen=True, slots=True)
class Sessions:
    """``sessions [#topic …] [online|in person|<office>]``: upcoming hosted sessions; ``place`` as typed
    (the service knows the offices)."""

    topics: tuple[str, ...] = ()
    place: str | None = None


@dataclass(frozen=True, slots=True)
class CoffeeHelp:
    """``coffee`` alone, ``coffee help``, or ``coffee <unknown>`` (then ``unknown`` is that word)."""

    unknown: str | None = None


@dataclass(frozen=True, slots=True)
class CoffeeJoin:
    """``coffee join``."""


@dataclass(frozen=True, slots=True)
class CoffeePoolNew:
    """``coffee pool new``: the "New coffee pool" form (admins)."""


@dataclass(frozen=True, slots=True)
class CoffeePools:
    """``coffee pools``: every coffee pool, its schedule and next round."""


@dataclass(frozen=True, slots=True)
class CoffeeLeave:
    """``coffee leave``."""


@dataclass(frozen=True, slots=True)
class CoffeePause:
    """``coffee pause 2w|10d|2025-09-01``: exactly one of ``duration`` and ``until`` is set."""

    duration: timedelta | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class CoffeeResume:
    """``coffee resume``."""


@dataclass(frozen=True, slots=True)
class CoffeeStatus:
    """``coffee status``."""


@dataclass(frozen=True, slots=True)
class CoffeeChannel:
    """``coffee channel #name``: ``channel_id`` when Slack sent a channel link, else None.

    ``channel_name`` is lower-case without ``#``; it is ``""`` when Slack sent only the id (``<#C123>``).
    At least one of the two is always set.
    """

    channel_id: str | None
    channel_name: str


@dataclass(frozen=True, slots=True)
class CoffeeAvoid:
    """``coffee avoid @someone`` (``remove=False``) or ``coffee unavoid @someone`` (``remove=True``)."""

    user_id: str
    remove: bool = False


@dataclass(frozen=True, slots=True)
class CoffeeSchedule:
    """``coffee schedule weekly mon 10:00 [Europe/Berlin]``: ``weekday`` 0 is Monday.

    ``every_weeks`` is one of the domain's ``ALLOWED_EVERY_WEEKS``; ``tz`` is a canonical IANA name, or
    None when not given.
    """

    every_weeks: int
    weekday: int
    at: time
    tz: str | None = None
    pool: str | None = None  # ``coffee schedule <pool> weekly …``; None: the pool "coffee"


@dataclass(frozen=True, slots=True)
class CoffeeScheduleShow:
    """``coffee schedule [pool]`` or ``coffee schedule show``: show a pool's schedule."""

    pool: str | None = None


@dataclass(frozen=True, slots=True)
class CoffeeRun:
    """``coffee run [pool]``: run a pool's round now (admins); no name: the pool "coffee"."""

    pool: str | None = None


@dataclass(frozen=True, slots=True)
class CoffeePreview:
    """``coffee preview [pool]``: plan a pool's next round without telling anyone (admins)."""

    pool: str | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    """``stats [30d|90d|all]``: ``period_days`` None means all time."""

    period_days: int | None = DEFAULT_STATS_DAYS


@dataclass(frozen=True, slots=True)
class Export:
    """``export``: a CSV of program activity (admins)."""


@dataclass(frozen=True, slots=True)
class ForgetMe:
    """``forget-me``: erase what the bot holds about the person (the listener asks to confirm)."""


@dataclass(frozen=True, slots=True)
class ProgramCommand:
    """``programs`` (action "list") and ``program new|invite|preview|lock|split|exclude|publish|wave``
    (admins): ``name`` is the program's, ``users`` and ``channels`` the ids mentioned after it."""

    action: str
    name: str = ""
    users: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    wave: int | None = None  # ``stats <name> wave N``


Command: TypeAlias = (
    Help
    | Unknown
    | Ask
    | Join
    | Profile
    | SetAvailable
    | Away
    | Leave
    | ListMine
    | Mentors
    | About
    | Offices
    | Host
    | Sessions
    | CoffeeHelp
    | CoffeeJoin
    | CoffeeLeave
    | CoffeePause
    | CoffeeResume
    | CoffeeStatus
    | CoffeeChannel
    | CoffeeAvoid
    | CoffeeSchedule
    | CoffeeScheduleShow
    | CoffeeRun
    | CoffeePreview
    | CoffeePools
    | CoffeePoolNew
    | Stats
    | Export
    | ProgramCommand
    | ForgetMe
)
