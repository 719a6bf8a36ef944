"""The text after ``/mentor`` as a typed sub-command: ``parse("ask How do I … #sre")`` -> ``Ask(...)``.

PURE: standard library and ``app.domain`` only; no clock, no I/O beyond reading the time zone names
``zoneinfo`` knows. Malformed input raises :class:`~app.domain.errors.InvalidInput` with a short message
for the person who typed it, always with an example of what works; a piece of their input it quotes is
plain text as they typed it (Slack's escaping undone, see :mod:`app.slack.mrkdwn`), so whoever shows it
escapes it once for mrkdwn. An unknown first word is not an error: it parses to :class:`Unknown`, and the
listener answers with the help text. Slack's channel, user and link markup is accepted wherever it makes
sense.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time

from app.domain.errors import InvalidInput
from app.domain.goal import validate_goal
from app.slack import time_words as tw
from app.slack.mrkdwn import unescape
from app.slack.program_text import parse_program, parse_programs
from app.slack.subcommands import (
    About,
    Ask,
    Away,
    CoffeeAvoid,
    CoffeeChannel,
    CoffeeHelp,
    CoffeeJoin,
    CoffeeLeave,
    CoffeePause,
    CoffeePoolNew,
    CoffeePools,
    CoffeePreview,
    CoffeeResume,
    CoffeeRun,
    CoffeeSchedule,
    CoffeeScheduleShow,
    CoffeeStatus,
    Command,
    Export,
    ForgetMe,
    Help,
    Host,
    Join,
    Leave,
    ListMine,
    Mentors,
    Offices,
    Profile,
    Sessions,
    SetAvailable,
    Stats,
    Unknown,
)
from app.slack.topics import words_and_topics

MAX_CHANNEL_NAME = 80


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
        return Unknown(unescape(words[0])[:40])
    return handler(rest)


def _parse_coffee(rest: str) -> Command:
    words = rest.split(maxsplit=1)
    if not words or words[0].lower() in _HELP_WORDS:
        return CoffeeHelp()
    word, args = words[0].lower(), words[1] if len(words) > 1 else ""
    handler = _COFFEE.get(word)
    if handler is None:
        return CoffeeHelp(unknown=unescape(words[0])[:40])
    return handler(args)


_ASK_EXAMPLE = "For example: `/mentor ask How do I prepare for on-call? #sre`"


def _parse_ask(rest: str) -> Ask:
    words, topics = words_and_topics(rest)
    # "ask reverse <goal>": reverse mentoring. A goal that starts with the word needs a second word
    # anyway ("reverse engineering tips" reads as a reverse ask for "engineering tips"; the help says so).
    reverse = len(words) > 1 and words[0].lower() == "reverse"
    # "ask lunch <goal>": an hour in person at the asker's office (the same two-word rule).
    lunch = not reverse and len(words) > 1 and words[0].lower() == "lunch"
    try:
        goal = validate_goal(" ".join(words[1:] if reverse or lunch else words))
    except InvalidInput as exc:  # the domain's one message, and (as every refusal here) what works
        raise InvalidInput(f"{exc.message} {_ASK_EXAMPLE}") from None
    return Ask(goal=goal, topics=topics, reverse=reverse, lunch=lunch)


def _parse_join(rest: str) -> Join:
    words, topics = words_and_topics(rest)
    if words:
        raise InvalidInput(
            f"`{words[0][:40]}` isn't a topic: start each topic with #, e.g. `/mentor join #sre #python`"
            " (or just `/mentor join` to fill in your profile)"
        )
    return Join(topics=topics)


_OFFICES_EXAMPLE = "e.g. `/mentor offices add Berlin Europe/Berlin` or `/mentor offices remove Berlin`"


def _parse_offices(rest: str) -> Offices:
    words = unescape(rest).split()
    if not words or (words[0].lower() == "list" and len(words) == 1):
        return Offices()
    action = words[0].lower()
    if action == "add" and len(words) >= 3:
        return Offices("add", " ".join(words[1:-1]), words[-1])
    if action == "remove" and len(words) >= 2:
        return Offices("remove", " ".join(words[1:]))
    raise InvalidInput(f"`/mentor offices` lists the offices; admins add or remove them, {_OFFICES_EXAMPLE}.")


def _parse_mentors(rest: str) -> Mentors:
    words, topics = words_and_topics(rest)
    if words:
        raise InvalidInput(
            f"`{words[0][:40]}` isn't a topic: start each topic with #, e.g. `/mentor mentors #python`"
            " (or just `/mentor mentors` to see everyone)"
        )
    return Mentors(topics=topics)


MAX_PLACE_WORDS = 60


def _parse_sessions(rest: str) -> Sessions:
    words, topics = words_and_topics(rest)
    place = unescape(" ".join(words))
    if len(place) > MAX_PLACE_WORDS:
        raise InvalidInput(
            "Say where, if you like: `online`, `in person` or an office, "
            "e.g. `/mentor sessions #python online` or `/mentor sessions Berlin`"
        )
    return Sessions(topics=topics, place=place or None)


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
    example = (
        "e.g. `/mentor away 2w`, `/mentor away 10d` or `/mentor away off`, or until a date written YYYY-MM-DD"
    )
    if rest.strip().lower() in ("off", "back"):
        return Away()
    duration, until = tw.period(rest, example=example)
    return Away(duration=duration, until=until)


def _parse_coffee_pause(rest: str) -> CoffeePause:
    example = "e.g. `/mentor coffee pause 2w`, or until a date written YYYY-MM-DD"
    if rest.strip().lower() in ("off", "back"):
        raise InvalidInput("To take part again, say `/mentor coffee resume`")
    duration, until = tw.period(rest, example=example)
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
        raise InvalidInput(f"`{unescape(value)[:80]}` doesn't look like one channel; {example}")
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
            f"I couldn't tell who `{unescape(value)[:40]}` is. As you type @, pick the person from "
            f"Slack's suggestions so their name turns into a mention, {example}"
        )
    raise InvalidInput(f"Mention one person, picked from Slack's suggestions as you type @, {example}")


_SCHEDULE_EXAMPLE = "e.g. `/mentor coffee schedule weekly mon 10:00 Europe/Berlin`"
_FILLER_WORDS = frozenset({"at", "on"})


def _parse_coffee_schedule(rest: str) -> CoffeeSchedule | CoffeeScheduleShow:
    words = rest.split()
    if not words or [w.lower() for w in words] == ["show"]:
        return CoffeeScheduleShow()
    pool: str | None = None
    try:
        every_weeks, used = tw.interval(words, example=_SCHEDULE_EXAMPLE)
    except InvalidInput as not_an_interval:  # ``coffee schedule <pool> …``: the first word names the pool
        if len(words) == 1:
            return CoffeeScheduleShow(pool=words[0])
        try:
            every_weeks, used = tw.interval(words[1:], example=_SCHEDULE_EXAMPLE)
        except InvalidInput:
            raise not_an_interval from None
        pool, words = words[0], words[1:]
    weekday: int | None = None
    at: time | None = None
    tz: str | None = None
    for word in words[used:]:
        lowered = word.lower()
        if lowered in _FILLER_WORDS:
            continue
        if (day := tw.weekday(lowered)) is not None and weekday is None:
            weekday = day
        elif (clock := tw.clock(lowered)) is not None and at is None:
            at = clock
        elif tz is None and ("/" in word or lowered == "utc"):
            tz = tw.timezone(word)
        else:
            raise InvalidInput(
                f"I didn't understand `{unescape(word)[:40]}`. Give how often, a weekday, a time and "
                f"optionally a time zone, {_SCHEDULE_EXAMPLE}"
            )
    if weekday is None or at is None:
        missing = "a weekday" if weekday is None else "a time such as 10:00"
        raise InvalidInput(f"The schedule needs {missing}, {_SCHEDULE_EXAMPLE}")
    return CoffeeSchedule(every_weeks=every_weeks, weekday=weekday, at=at, tz=tz, pool=pool)


def _parse_stats(rest: str) -> Stats:
    value = " ".join(rest.split()).lower()
    if not value:
        return Stats()
    if value in ("all", "all time", "ever"):
        return Stats(period_days=None)
    days = tw.days(value)
    if days is None:
        raise InvalidInput(
            "Pick a period, e.g. `/mentor stats 30d`, `/mentor stats 90d` or `/mentor stats all`"
        )
    return Stats(period_days=tw.checked_days(days, example="e.g. `/mentor stats 90d`"))


def _pool_named(name: str, rest: str, make: Callable[[str | None], Command]) -> Command:
    """``coffee <name> [pool]``: nothing, or one pool's name."""
    words = rest.split()
    if len(words) > 1:
        raise InvalidInput(
            f"`/mentor coffee {name}` takes at most a pool's name, e.g. `/mentor coffee {name} mentors`."
        )
    return make(words[0] if words else None)


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
    "run": lambda rest: _pool_named("run", rest, CoffeeRun),
    "preview": lambda rest: _pool_named("preview", rest, CoffeePreview),
    "pools": _no_arguments("pools", CoffeePools, coffee=True),
    "pool": lambda rest: _parse_coffee_pool(rest),
}


def _parse_coffee_pool(rest: str) -> CoffeePoolNew:
    if rest.strip().lower() != "new":
        raise InvalidInput(
            "To make a coffee pool, say `/mentor coffee pool new`; `/mentor coffee pools` lists them."
        )
    return CoffeePoolNew()


_TOP_LEVEL: dict[str, Callable[[str], Command]] = {
    "ask": _parse_ask,
    "join": _parse_join,
    "profile": _no_arguments("profile", Profile),
    "available": _parse_available,
    "away": _parse_away,
    "leave": _no_arguments("leave", Leave),
    "list": _no_arguments("list", ListMine),
    "mentors": _parse_mentors,
    "about": _no_arguments("about", About),
    "offices": _parse_offices,
    "host": _no_arguments("host", Host),
    "sessions": _parse_sessions,
    "coffee": _parse_coffee,
    "stats": _parse_stats,
    "export": _no_arguments("export", Export),
    "forget-me": _no_arguments("forget-me", ForgetMe),
    "program": parse_program,
    "programs": parse_programs,
}


def subcommand_word(text: str) -> str | None:
    """``ask``, ``coffee``, ``help``… when ``text`` starts with a sub-command, else None: the log may name
    a sub-command, but any other first word is something a person wrote."""
    words = text.split(maxsplit=1)
    word = words[0].lower() if words else ""
    return word if word in _TOP_LEVEL or word in _HELP_WORDS or word == "forget" else None
