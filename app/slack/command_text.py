"""The text after ``/mentor`` as a typed sub-command: ``parse("ask How do I … #sre")`` -> ``Ask(...)``.

PURE: standard library and ``app.domain`` only; no clock, no I/O beyond reading the time zone names
``zoneinfo`` knows. Malformed input raises :class:`~app.domain.errors.InvalidInput` with a short message
for the person who typed it, always with an example of what works; a piece of their input it quotes is
plain text as they typed it (Slack's escaping undone), so whoever shows it escapes it once for mrkdwn.
An unknown first word is not an error: it parses to :class:`Unknown`, and the listener answers with the
help text.

What Slack sends: ``&``, ``<`` and ``>`` typed by a person arrive as ``&amp;``, ``&lt;``, ``&gt;``, so a
raw ``<…>`` is always Slack's own markup. With "escape channels, users, and links" on (the manifest's
``should_escape: true``) a picked user arrives as ``<@U123|ana>``, a channel as ``<#C123|sre>`` (or
``<#C123>`` / ``<#C123|>`` with no name) and a link as ``<https://…|label>``; a ``#word`` naming no
channel stays plain text. Both forms are accepted wherever they make sense.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache
from typing import TypeAlias
from zoneinfo import available_timezones

from app.domain.errors import InvalidInput
from app.domain.model import MAX_GOAL_LENGTH, MAX_TOPICS

MAX_TOPIC_LENGTH = 30
MAX_CHANNEL_NAME = 80
MAX_PERIOD_DAYS = 365
DEFAULT_STATS_DAYS = 30
COFFEE_INTERVALS = (1, 2, 4)  # weeks between roulette rounds


# ---------------------------------------------------------------------------------------------------
# The sub-commands
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Help:
    """``/mentor``, ``/mentor help``: show the help text."""


@dataclass(frozen=True, slots=True)
class Unknown:
    """A first word that is no sub-command; ``word`` is as typed (at most 40 characters)."""

    word: str


@dataclass(frozen=True, slots=True)
class Ask:
    """``ask <goal> [#topic …]``: a goal (plain text, unescaped, whitespace collapsed) and topics."""

    goal: str
    topics: tuple[str, ...] = ()


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
class CoffeeHelp:
    """``coffee`` alone, ``coffee help``, or ``coffee <unknown>`` (then ``unknown`` is that word)."""

    unknown: str | None = None


@dataclass(frozen=True, slots=True)
class CoffeeJoin:
    """``coffee join``."""


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

    ``every_weeks`` is one of COFFEE_INTERVALS; ``tz`` is a canonical IANA name, or None when not given.
    """

    every_weeks: int
    weekday: int
    at: time
    tz: str | None = None


@dataclass(frozen=True, slots=True)
class CoffeeScheduleShow:
    """``coffee schedule`` or ``coffee schedule show``: show the current schedule."""


@dataclass(frozen=True, slots=True)
class CoffeeRun:
    """``coffee run``: run a round now (admins)."""


@dataclass(frozen=True, slots=True)
class CoffeePreview:
    """``coffee preview``: plan the next round without telling anyone (admins)."""


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
    | Stats
    | Export
    | ForgetMe
)


# ---------------------------------------------------------------------------------------------------
# Help
# ---------------------------------------------------------------------------------------------------

_FORGET_ME_LINE = "\n• `/mentor forget-me` — Erase everything Mentorbot holds about you"

# The help is shown as mrkdwn: a literal "<" or ">" is written &lt; / &gt;, or Slack reads it as markup.
_MENTORING_HELP = """\
*Mentoring*
• `/mentor ask &lt;goal&gt; #topic` — Ask for a 15-minute chat: \
`/mentor ask How do I prepare for on-call? #sre`
• `/mentor list` — Your asks and upcoming conversations
• `/mentor forget-me` — Erase everything Mentorbot holds about you"""

_MENTORS_HELP = """\
*Mentors*
• `/mentor join #topic …` — Offer to mentor on a few topics (no topics opens your profile)
• `/mentor profile` — Edit your topics, hours and how many conversations a week you take
• `/mentor available on|off` — Take new requests, or pause them
• `/mentor away 2w|2025-09-01|off` — Step away for a while; `off` when you're back
• `/mentor leave` — Leave the mentor list"""

_COFFEE_HELP = """\
*Coffee roulette*
• `/mentor coffee join` · `coffee leave` — Meet a colleague or two for coffee every round, or stop
• `/mentor coffee pause 2w|2025-09-01` · `coffee resume` — Sit out a few rounds
• `/mentor coffee avoid @someone` · `coffee unavoid @someone` — Never be paired with someone (only you know)
• `/mentor coffee status` — Whether you're in, and when the next round is"""

_ADMINS_HELP = """\
*Admins*
• `/mentor coffee channel #channel` — Members of this channel take part in coffee roulette
• `/mentor coffee schedule weekly mon 10:00 Europe/Berlin` — When rounds run (`coffee schedule` shows it)
• `/mentor coffee preview` · `coffee run` — Try the next round without telling anyone, or run it now
• `/mentor stats 30d|90d|all` — How the program is doing, in aggregate
• `/mentor export` — Download program activity as a CSV"""

HELP_TEXT = (
    ":wave: *Mentorbot* finds you a colleague for a short, focused conversation, "
    "and pairs people up for coffee.\n\n"
    + "\n\n".join((_MENTORING_HELP, _MENTORS_HELP, _COFFEE_HELP, _ADMINS_HELP))
)
"""The full help, Slack mrkdwn: every sub-command with a one-line description."""

_NOT_YET_LINES: tuple[str, ...] = ()  # every documented sub-command is served


def _without_unreleased(text: str) -> str:
    for line in _NOT_YET_LINES:
        text = text.replace(line, "")
    return text


MENTORING_HELP_TEXT = _without_unreleased(
    ":wave: *Mentorbot* finds you a colleague for a short, focused conversation, "
    "and pairs people up for coffee.\n\n"
    + "\n\n".join((_MENTORING_HELP, _MENTORS_HELP, _COFFEE_HELP, _ADMINS_HELP))
)
"""The help for what this release serves: micro-mentoring, the register and coffee roulette."""

COFFEE_HELP_TEXT = _without_unreleased(_COFFEE_HELP + "\n\n" + _ADMINS_HELP)
"""The coffee roulette part of the help, for ``/mentor coffee`` alone."""


def usage_hint() -> str:
    """The slash command's usage hint, as in manifest.yml (a test keeps the two equal)."""
    return "ask <goal> #topic | join | list | help"


# ---------------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------------


def parse(text: str) -> Command:
    """Turn the text after ``/mentor`` into a sub-command. Raises InvalidInput, and nothing else."""
    words = text.split(maxsplit=1)
    if not words:
        return Help()
    word, rest = words[0].lower(), words[1] if len(words) > 1 else ""
    if word in _HELP_WORDS:
        return CoffeeHelp() if rest.lower().split()[:1] == ["coffee"] else Help()
    if word == "forget" and rest.lower().split() == ["me"]:
        return ForgetMe()
    handler = _TOP_LEVEL.get(word)
    if handler is None:
        return Unknown(_unescape(words[0])[:40])
    return handler(rest)


def _parse_coffee(rest: str) -> Command:
    words = rest.split(maxsplit=1)
    if not words or words[0].lower() in _HELP_WORDS:
        return CoffeeHelp()
    word, args = words[0].lower(), words[1] if len(words) > 1 else ""
    handler = _COFFEE.get(word)
    if handler is None:
        return CoffeeHelp(unknown=_unescape(words[0])[:40])
    return handler(args)


_ASK_EXAMPLE = "e.g. `/mentor ask How do I prepare for on-call? #sre`"


def _parse_ask(rest: str) -> Ask:
    words, topics = _words_and_topics(rest)
    goal = " ".join(words)
    if not goal:
        raise InvalidInput(f"Tell me what you'd like to get out of the conversation, {_ASK_EXAMPLE}")
    if len(goal) > MAX_GOAL_LENGTH:
        raise InvalidInput(
            f"Your goal is {len(goal)} characters long; please keep it to {MAX_GOAL_LENGTH} or fewer, "
            + _ASK_EXAMPLE
        )
    return Ask(goal=goal, topics=topics)


def parse_topics(text: str) -> tuple[str, ...]:
    """Topics typed into a form: ``python, career`` or ``#python #career``, normalised as in commands."""
    words = [word for word in re.split(r"[\s,;]+", text) if word]
    _, topics = _words_and_topics(" ".join(w if w.startswith("#") else f"#{w}" for w in words))
    return topics


def _parse_join(rest: str) -> Join:
    words, topics = _words_and_topics(rest)
    if words:
        raise InvalidInput(
            f"`{words[0][:40]}` isn't a topic: start each topic with #, e.g. `/mentor join #sre #python`"
            " (or just `/mentor join` to fill in your profile)"
        )
    return Join(topics=topics)


_ON_WORDS = frozenset({"on", "yes", "true"})
_OFF_WORDS = frozenset({"off", "no", "false"})


def _parse_available(rest: str) -> SetAvailable:
    value = rest.strip().lower()
    if value in _ON_WORDS:
        return SetAvailable(available=True)
    if value in _OFF_WORDS:
        return SetAvailable(available=False)
    raise InvalidInput(
        "Say `/mentor available on` to take new requests, or `/mentor available off` to pause them"
    )


def _parse_away(rest: str) -> Away:
    example = "e.g. `/mentor away 2w`, `/mentor away 10d`, `/mentor away 2025-09-01`, or `/mentor away off`"
    if rest.strip().lower() in ("off", "back"):
        return Away()
    duration, until = _period(rest, example=example)
    return Away(duration=duration, until=until)


def _parse_coffee_pause(rest: str) -> CoffeePause:
    example = "e.g. `/mentor coffee pause 2w` or `/mentor coffee pause 2025-09-01`"
    if rest.strip().lower() in ("off", "back"):
        raise InvalidInput("To take part again, say `/mentor coffee resume`")
    duration, until = _period(rest, example=example)
    return CoffeePause(duration=duration, until=until)


_CHANNEL_LINK = re.compile(r"<#([A-Z0-9]{1,32})(?:\|([^<>]*))?>")  # ids fit the 32-character columns
_CHANNEL_NAME = re.compile(r"[\w-]{1,80}")


def _parse_coffee_channel(rest: str) -> CoffeeChannel:
    example = "e.g. `/mentor coffee channel #coffee-roulette`"
    value = rest.strip()
    if not value:
        raise InvalidInput(f"Which channel's members should take part? Name it, {example}")
    link = _CHANNEL_LINK.fullmatch(value)
    if link:
        # Slack's channel names have at most 80 characters; a crafted label gets no more room than that.
        name = (link[2] or "").strip().lower()[:MAX_CHANNEL_NAME]
        return CoffeeChannel(channel_id=link[1], channel_name=name)
    name = value.removeprefix("#").lower()
    if not _CHANNEL_NAME.fullmatch(name):
        raise InvalidInput(f"`{_unescape(value)[:80]}` doesn't look like one channel; {example}")
    return CoffeeChannel(channel_id=None, channel_name=name)


_USER_LINK = re.compile(r"<@([UW][A-Z0-9]{1,31})(?:\|[^<>]*)?>")


def _parse_coffee_avoid(rest: str, *, remove: bool) -> CoffeeAvoid:
    verb = "unavoid" if remove else "avoid"
    example = f"e.g. `/mentor coffee {verb} @Ana`"
    value = rest.strip()
    link = _USER_LINK.fullmatch(value)
    if link:
        return CoffeeAvoid(user_id=link[1], remove=remove)
    if not value:
        raise InvalidInput(f"Who? Mention one person, {example}")
    if value.startswith("@") and len(value.split()) == 1:
        raise InvalidInput(
            f"I couldn't tell who `{_unescape(value)[:40]}` is. As you type @, pick the person from "
            f"Slack's suggestions so their name turns into a mention, {example}"
        )
    raise InvalidInput(f"Mention one person, picked from Slack's suggestions as you type @, {example}")


_SCHEDULE_EXAMPLE = "e.g. `/mentor coffee schedule weekly mon 10:00 Europe/Berlin`"
_INTERVAL_PHRASES: dict[tuple[str, ...], int] = {
    ("weekly",): 1,
    ("every", "week"): 1,
    ("biweekly",): 2,
    ("fortnightly",): 2,
    ("every", "other", "week"): 2,
    ("monthly",): 4,
    ("every", "month"): 4,
}
_EVERY_N_WEEKS = re.compile(r"every ([0-9]{1,3}) weeks?")
_FILLER_WORDS = frozenset({"at", "on"})


def _parse_coffee_schedule(rest: str) -> CoffeeSchedule | CoffeeScheduleShow:
    words = rest.split()
    if not words or [w.lower() for w in words] == ["show"]:
        return CoffeeScheduleShow()
    every_weeks, used = _interval(words)
    weekday: int | None = None
    at: time | None = None
    tz: str | None = None
    for word in words[used:]:
        lowered = word.lower()
        if lowered in _FILLER_WORDS:
            continue
        if (day := _weekday(lowered)) is not None and weekday is None:
            weekday = day
        elif (clock := _clock(lowered)) is not None and at is None:
            at = clock
        elif tz is None and ("/" in word or lowered == "utc"):
            tz = _timezone(word)
        else:
            raise InvalidInput(
                f"I didn't understand `{_unescape(word)[:40]}`. Give how often, a weekday, a time and "
                f"optionally a time zone, {_SCHEDULE_EXAMPLE}"
            )
    if weekday is None or at is None:
        missing = "a weekday" if weekday is None else "a time such as 10:00"
        raise InvalidInput(f"The schedule needs {missing}, {_SCHEDULE_EXAMPLE}")
    return CoffeeSchedule(every_weeks=every_weeks, weekday=weekday, at=at, tz=tz)


def _parse_stats(rest: str) -> Stats:
    value = " ".join(rest.split()).lower()
    if not value:
        return Stats()
    if value in ("all", "all time", "ever"):
        return Stats(period_days=None)
    days = _days(value)
    if days is None:
        raise InvalidInput(
            "Pick a period, e.g. `/mentor stats 30d`, `/mentor stats 90d` or `/mentor stats all`"
        )
    return Stats(period_days=_checked_days(days, example="e.g. `/mentor stats 90d`"))


def _no_arguments(
    name: str, make: Callable[[], Command], *, coffee: bool = False
) -> Callable[[str], Command]:
    """A handler for a sub-command that takes nothing; extra words are an error, not silently dropped."""
    full = f"coffee {name}" if coffee else name

    def handler(rest: str) -> Command:
        extra = rest.split()
        if extra:
            hint = ""
            if not coffee and extra[0].lower() == "coffee" and name in _COFFEE:
                hint = f" Did you mean `/mentor coffee {name}`?"
            raise InvalidInput(f"`/mentor {full}` doesn't take anything after it.{hint}")
        return make()

    return handler


_HELP_WORDS = frozenset({"help", "-h", "--help", "?"})

_COFFEE: dict[str, Callable[[str], Command]] = {
    "join": _no_arguments("join", CoffeeJoin, coffee=True),
    "leave": _no_arguments("leave", CoffeeLeave, coffee=True),
    "pause": _parse_coffee_pause,
    "resume": _no_arguments("resume", CoffeeResume, coffee=True),
    "status": _no_arguments("status", CoffeeStatus, coffee=True),
    "channel": _parse_coffee_channel,
    "avoid": lambda rest: _parse_coffee_avoid(rest, remove=False),
    "unavoid": lambda rest: _parse_coffee_avoid(rest, remove=True),
    "schedule": _parse_coffee_schedule,
    "run": _no_arguments("run", CoffeeRun, coffee=True),
    "preview": _no_arguments("preview", CoffeePreview, coffee=True),
}

_TOP_LEVEL: dict[str, Callable[[str], Command]] = {
    "ask": _parse_ask,
    "join": _parse_join,
    "profile": _no_arguments("profile", Profile),
    "available": _parse_available,
    "away": _parse_away,
    "leave": _no_arguments("leave", Leave),
    "list": _no_arguments("list", ListMine),
    "coffee": _parse_coffee,
    "stats": _parse_stats,
    "export": _no_arguments("export", Export),
    "forget-me": _no_arguments("forget-me", ForgetMe),
}


def subcommand_word(text: str) -> str | None:
    """``ask``, ``coffee``, ``help``… when ``text`` starts with a sub-command, else None: the log may name
    a sub-command, but any other first word is something a person wrote."""
    words = text.split(maxsplit=1)
    word = words[0].lower() if words else ""
    return word if word in _TOP_LEVEL or word in _HELP_WORDS or word == "forget" else None


# ---------------------------------------------------------------------------------------------------
# Pieces: Slack markup, topics, periods, schedules
# ---------------------------------------------------------------------------------------------------

_SLACK_MARKUP = re.compile(r"<([^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_TOPIC = re.compile(r"[a-z0-9+._-]+")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def _plain(markup: re.Match[str]) -> str:
    """One piece of Slack markup as plain text; a channel link becomes a ``#name`` word (or nothing)."""
    inner = markup[1]
    target, _, label = inner.partition("|")
    if target.startswith("#"):  # <#C123|sre>: a topic; <#C123> or <#C123|>: nothing we can use
        return f" #{label} " if label.strip() else " "
    if target.startswith("@"):  # <@U123|ana> -> @ana
        return "@" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@sre-team>, <!date^…|fallback>
        return label or "@" + target[1:].partition("^")[0]
    if target.startswith("mailto:") and label:
        return label
    return target  # a link: the address itself


def _unescape(text: str) -> str:
    """Undo Slack's escaping of &, < and > (in one pass, so ``&amp;lt;`` stays ``&lt;``)."""
    return _ENTITY.sub(lambda entity: _ENTITIES[entity[1]], text)


def _words_and_topics(text: str) -> tuple[list[str], tuple[str, ...]]:
    """Split text into plain words and normalised ``#topics`` (deduplicated, in order of appearance)."""
    words: list[str] = []
    topics: list[str] = []
    for word in _SLACK_MARKUP.sub(_plain, text).split():
        if not word.startswith("#"):
            words.append(_unescape(word))
        elif (topic := _topic(word)) is not None and topic not in topics:
            topics.append(topic)
    if len(topics) > MAX_TOPICS:
        raise InvalidInput(
            f"That's {len(topics)} topics; please pick at most {MAX_TOPICS}, e.g. `#sre #kubernetes #on-call`"
        )
    return words, tuple(topics)


def _topic(word: str) -> str | None:
    """``#SRE,`` -> ``sre``; None for a bare ``#``. Raises InvalidInput for a topic we can't store."""
    name = _unescape(word).lstrip("#").rstrip(_TRAILING_PUNCTUATION).lower()
    if not name:
        return None
    if len(name) > MAX_TOPIC_LENGTH:
        raise InvalidInput(
            f"The topic `#{name[:MAX_TOPIC_LENGTH]}…` is {len(name)} characters long; "
            f"topics can be at most {MAX_TOPIC_LENGTH}, e.g. `#kubernetes`"
        )
    if not _TOPIC.fullmatch(name):
        raise InvalidInput(
            f"`#{name}` can't be a topic: use letters a-z, digits and `+ . _ -`, "
            "e.g. `#sre`, `#c++`, `#on-call`"
        )
    return name


_DAYS = re.compile(r"([0-9]+) ?(d|days?|w|wks?|weeks?)")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _days(value: str) -> int | None:
    """``10d`` -> 10, ``2w`` / ``2 weeks`` -> 14; None when ``value`` is no such thing."""
    match = _DAYS.fullmatch(value)
    if match is None:
        return None
    count = int(match[1]) if len(match[1]) <= 6 else 10**6
    return count * (7 if match[2].startswith("w") else 1)


def _checked_days(days: int, *, example: str) -> int:
    if not 1 <= days <= MAX_PERIOD_DAYS:
        raise InvalidInput(f"Pick between 1 and {MAX_PERIOD_DAYS} days (that was {days}), {example}")
    return days


def _period(text: str, *, example: str) -> tuple[timedelta | None, date | None]:
    """``2w`` -> (14 days, None); ``2025-09-01`` -> (None, that date). Raises InvalidInput otherwise."""
    value = " ".join(text.split()).lower()
    if not value:
        raise InvalidInput(f"For how long? {example[0].upper()}{example[1:]}")
    days = _days(value)
    if days is not None:
        return timedelta(days=_checked_days(days, example=example)), None
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        raise InvalidInput(f"I didn't understand `{text.strip()[:40]}`, {example}")
    try:
        return None, date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise InvalidInput(f"`{value}` isn't a date on the calendar, {example}") from None


def _interval(words: list[str]) -> tuple[int, int]:
    """How often rounds run, from the first words: (weeks, number of words used)."""
    lowered = [word.lower() for word in words]
    for length in (3, 2, 1):
        weeks = _INTERVAL_PHRASES.get(tuple(lowered[:length]))
        if weeks is not None:
            return weeks, length
    match = _EVERY_N_WEEKS.fullmatch(" ".join(lowered[:3]))
    if match is not None:
        weeks = int(match[1])
        if weeks not in COFFEE_INTERVALS:
            raise InvalidInput(f"Rounds can run every 1, 2 or 4 weeks, not {weeks}; {_SCHEDULE_EXAMPLE}")
        return weeks, 3
    raise InvalidInput(
        "Start with how often: `weekly`, `biweekly` (every 2 weeks) or `monthly` (every 4 weeks), "
        + _SCHEDULE_EXAMPLE
    )


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(word: str) -> int | None:
    """``mon``, ``Monday``, ``mondays``, ``tues``, ``thurs`` -> 0 … 6; None for anything else."""
    for candidate in (word, word.removesuffix("s")):
        if len(candidate) >= 3:
            for index, name in enumerate(_WEEKDAY_NAMES):
                if name.startswith(candidate):
                    return index
    return None


_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?(am|pm)?")


def _clock(word: str) -> time | None:
    """``10:00``, ``9.30``, ``9am``, ``2:30pm`` -> a time; None otherwise (``10`` alone is ambiguous)."""
    match = _CLOCK.fullmatch(word)
    if match is None or (match[2] is None and match[3] is None):
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@cache
def _known_timezones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def _timezone(word: str) -> str:
    """An IANA time zone name in its canonical spelling (``europe/berlin`` -> ``Europe/Berlin``)."""
    name = _known_timezones().get(word.lower())
    if name is None:
        raise InvalidInput(
            f"I don't know the time zone `{_unescape(word)[:60]}`; use an IANA name such as `Europe/Berlin`, "
            "`America/New_York` or `UTC`"
        )
    return name
