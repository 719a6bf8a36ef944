"""Typed button values and modal ``private_metadata``: what the app puts in, and reads back.

Slack hands these strings back verbatim, but anyone can forge a request with any string, and a
message sent months ago still carries the format of its day. So each payload decodes strictly and
raises ``BadPayload`` (an ``InvalidInput``, which the error handler turns into a friendly ephemeral
answer) on anything it did not write. The wire formats are the ones the app has always used, so
buttons already sitting in people's DMs keep working after an upgrade.

A payload carries ids, never a whole object, and never a ``response_url``: those are short-lived
credentials to post into a conversation and have no business travelling through Slack's client.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

from app.domain.errors import InvalidInput

MAX_ID = 2**63 - 1  # a database id; anything larger is not ours
_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,30}$")
_CHANNEL_ID = re.compile(r"^[CDG][A-Z0-9]{1,30}$")
# Epoch seconds a slot may carry: 2000-01-01 .. 2100-01-01, so fromtimestamp never overflows.
_MIN_EPOCH, _MAX_EPOCH = 946_684_800, 4_102_444_800

STALE_BUTTON = "That button doesn't carry what I expected. Please run the command again."


class BadPayload(InvalidInput):
    """A button value or private_metadata the app did not write (forged, garbled or from another era)."""

    def __init__(self, message: str = STALE_BUTTON) -> None:
        super().__init__(message)


def _id(raw: Any) -> int:
    # bool is an int in Python, and "+1" / " 1" parse with int(): accept only plain digits.
    if isinstance(raw, bool):
        raise BadPayload
    text = str(raw)
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        raise BadPayload
    value = int(text)
    if not 0 < value <= MAX_ID:
        raise BadPayload
    return value


@dataclass(frozen=True, slots=True)
class MeetingRef:
    """A button about one conversation (accept, decline, cancel, rate, goal met, note, not a good fit)."""

    meeting_id: int

    def encode(self) -> str:
        return str(self.meeting_id)

    @classmethod
    def decode(cls, raw: str) -> Self:
        return cls(_id(raw))


@dataclass(frozen=True, slots=True)
class WaveRef:
    """A program wave's Apply button (and its application modal): ``w<id>``."""

    wave_id: int

    def encode(self) -> str:
        return f"w{self.wave_id}"

    @classmethod
    def decode(cls, raw: str) -> Self:
        if not isinstance(raw, str) or not raw.startswith("w"):
            raise BadPayload
        return cls(_id(raw[1:]))


@dataclass(frozen=True, slots=True)
class PairRef:
    """A program pair's "this isn't working" button and its modal: ``pp<id>``."""

    pair_id: int

    def encode(self) -> str:
        return f"pp{self.pair_id}"

    @classmethod
    def decode(cls, raw: str) -> Self:
        if not isinstance(raw, str) or not raw.startswith("pp"):
            raise BadPayload
        return cls(_id(raw[2:]))


@dataclass(frozen=True, slots=True)
class ProgramSlotRef:
    """A program session's button: ``ps<id>`` (Confirm) or ``ps<id>.<k>`` (pick the k-th time offered)."""

    session_id: int
    index: int | None = None

    def encode(self) -> str:
        return f"ps{self.session_id}" + ("" if self.index is None else f".{self.index}")

    @classmethod
    def decode(cls, raw: str) -> Self:
        if not isinstance(raw, str) or not raw.startswith("ps"):
            raise BadPayload
        head, dot, tail = raw[2:].partition(".")
        if not dot:
            return cls(_id(head))
        if tail not in ("0", "1", "2"):
            raise BadPayload
        return cls(_id(head), int(tail))


@dataclass(frozen=True, slots=True)
class CoachNudgeRef:
    """A coach's "Ask them from me" on check-in prompt ``k`` of a pair: ``cn<pair id>.<k>``."""

    pair_id: int
    k: int

    def encode(self) -> str:
        return f"cn{self.pair_id}.{self.k}"

    @classmethod
    def decode(cls, raw: str) -> Self:
        if not isinstance(raw, str) or not raw.startswith("cn"):
            raise BadPayload
        head, _, tail = raw[2:].partition(".")
        if tail not in ("1", "2", "3"):
            raise BadPayload
        return cls(_id(head), int(tail))


@dataclass(frozen=True, slots=True)
class RepairRef:
    """An admin's Re-pair button: the ended pair, the person of it re-paired, and the candidate."""

    pair_id: int
    for_user: str
    candidate: str

    def encode(self) -> str:
        return json.dumps({"p": self.pair_id, "u": self.for_user, "c": self.candidate}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> Self:
        value = _json_object(raw, {"p", "u", "c"})
        users = (value["u"], value["c"])
        if not all(isinstance(u, str) and _USER_ID.match(u) for u in users):
            raise BadPayload
        return cls(_id(value["p"]), value["u"], value["c"])


@dataclass(frozen=True, slots=True)
class SessionRef:
    """A button about one hosted session (Join, Leave, Cancel): ``s<id>``, so it can't pass for a meeting."""

    session_id: int

    def encode(self) -> str:
        return f"s{self.session_id}"

    @classmethod
    def decode(cls, raw: str) -> Self:
        if not isinstance(raw, str) or not raw.startswith("s"):
            raise BadPayload
        return cls(_id(raw[1:]))


@dataclass(frozen=True, slots=True)
class AskRef:
    """A button about one ask ("Show mentors")."""

    ask_id: int

    def encode(self) -> str:
        return str(self.ask_id)

    @classmethod
    def decode(cls, raw: str) -> Self:
        return cls(_id(raw))


@dataclass(frozen=True, slots=True)
class CoffeeGroupRef:
    """A follow-up button about one coffee group ("did you meet?")."""

    group_id: int

    def encode(self) -> str:
        return str(self.group_id)

    @classmethod
    def decode(cls, raw: str) -> Self:
        return cls(_id(raw))


@dataclass(frozen=True, slots=True)
class SlotPick:
    """A slot button: this mentor, at this start, for this ask. ``start`` is whole seconds, UTC."""

    ask_id: int
    mentor_id: str
    start: datetime

    def encode(self) -> str:
        return json.dumps(
            {"a": self.ask_id, "m": self.mentor_id, "s": int(self.start.timestamp())}, separators=(",", ":")
        )

    @classmethod
    def decode(cls, raw: str) -> Self:
        bad = BadPayload("That button doesn't carry a slot I understand. Please run `/mentor ask` again.")
        try:
            value = json.loads(raw)
        except (ValueError, TypeError):
            raise bad from None
        if not isinstance(value, dict) or set(value) != {"a", "m", "s"}:
            raise bad
        mentor, seconds = value["m"], value["s"]
        if not isinstance(mentor, str) or not _USER_ID.match(mentor):
            raise bad
        if type(seconds) is not int or not _MIN_EPOCH <= seconds <= _MAX_EPOCH:
            raise bad
        if type(value["a"]) is not int or not 0 < value["a"] <= MAX_ID:
            raise bad
        return cls(value["a"], mentor, datetime.fromtimestamp(seconds, UTC))


@dataclass(frozen=True, slots=True)
class Availability:
    """The Home's "take new requests" toggle: the state the click asks for."""

    available: bool

    def encode(self) -> str:
        return "on" if self.available else "off"

    @classmethod
    def decode(cls, raw: str) -> Self:
        if raw not in ("on", "off"):
            raise BadPayload
        return cls(raw == "on")


@dataclass(frozen=True, slots=True)
class RoundRef:
    """A "Skip this round" button: the pool's id and the round's instant (epoch seconds)."""

    pool_id: int
    at: int

    def encode(self) -> str:
        return f"{self.pool_id}:{self.at}"

    @classmethod
    def decode(cls, raw: str) -> Self:
        text = str(raw)
        pool, _, at = text.partition(":")
        if len(text) > 40 or not (pool.isascii() and pool.isdigit() and at.isascii() and at.isdigit()):
            raise BadPayload
        return cls(int(pool), int(at))


@dataclass(frozen=True, slots=True)
class PauseDays:
    """A coffee "Pause" button: how many days, 1 to 365."""

    days: int

    def __post_init__(self) -> None:
        if not 1 <= self.days <= 365:
            raise BadPayload

    def encode(self) -> str:
        return str(self.days)

    @classmethod
    def decode(cls, raw: str) -> Self:
        text = str(raw)
        if not text.isascii() or not text.isdigit() or len(text) > 3:
            raise BadPayload
        return cls(int(text))


@dataclass(frozen=True, slots=True)
class NoteForm:
    """The private-note modal's metadata: which conversation the note is about."""

    meeting_id: int

    def encode(self) -> str:
        return str(self.meeting_id)

    @classmethod
    def decode(cls, raw: str) -> Self:
        try:
            return cls(_id(raw))
        except BadPayload:
            raise BadPayload("This form lost track of its conversation; open it again.") from None


@dataclass(frozen=True, slots=True)
class ProfileForm:
    """The profile modal's metadata: the conversation it was opened from, to confirm the save there.

    ``channel_id`` is None when it was opened where there is no conversation (the App Home); the
    confirmation then goes to the app's DM with the person.
    """

    channel_id: str | None = None

    def encode(self) -> str:
        return json.dumps({"c": self.channel_id} if self.channel_id else {}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> Self:
        try:
            value = json.loads(raw)
        except (ValueError, TypeError):
            raise BadPayload("This form lost track of where it was opened; open it again.") from None
        if not isinstance(value, dict) or not set(value) <= {"c"}:
            raise BadPayload("This form lost track of where it was opened; open it again.")
        channel = value.get("c")
        if channel is not None and (not isinstance(channel, str) or not _CHANNEL_ID.match(channel)):
            raise BadPayload("This form lost track of where it was opened; open it again.")
        return cls(channel)


# Topics a register button carries: what `/mentor mentors #…` was asked for (app.slack.topics' rules).
_PAYLOAD_TOPIC = re.compile(r"^[a-z0-9+._-]{1,30}$")
_MAX_PAYLOAD_TOPICS = 5


def _topics(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) > _MAX_PAYLOAD_TOPICS:
        raise BadPayload
    if not all(isinstance(t, str) and _PAYLOAD_TOPIC.match(t) for t in raw):
        raise BadPayload
    return tuple(raw)


def _json_object(raw: str, keys: set[str]) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (ValueError, TypeError):
        raise BadPayload from None
    if not isinstance(value, dict) or set(value) != keys:
        raise BadPayload
    return value


@dataclass(frozen=True, slots=True)
class DirectoryPageRef:
    """A register page button ("Next", "Previous"): the page wanted, for the same topics."""

    page: int
    topics: tuple[str, ...] = ()

    def encode(self) -> str:
        return json.dumps({"p": self.page, "t": list(self.topics)}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> Self:
        value = _json_object(raw, {"p", "t"})
        if type(value["p"]) is not int or not 1 <= value["p"] <= 10_000:
            raise BadPayload
        return cls(value["p"], _topics(value["t"]))


@dataclass(frozen=True, slots=True)
class MentorPick:
    """A register entry's "Ask" button: this mentor, and the topics the list was for."""

    mentor_id: str
    topics: tuple[str, ...] = ()

    def encode(self) -> str:
        return json.dumps({"m": self.mentor_id, "t": list(self.topics)}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> Self:
        value = _json_object(raw, {"m", "t"})
        if not isinstance(value["m"], str) or not _USER_ID.match(value["m"]):
            raise BadPayload
        return cls(value["m"], _topics(value["t"]))


@dataclass(frozen=True, slots=True)
class ProgramAdjustRef:
    """A preview's button: lock or split a pair, exclude a person, or preview again, in a program;
    ``wave`` the wave previewed (0 on buttons sent before it was carried: then the current one)."""

    program: str
    action: str  # "lock" | "split" | "exclude" | "preview"
    user_id: str = ""
    mentee_id: str = ""
    wave: int = 0

    def encode(self) -> str:
        value: dict[str, Any] = {"p": self.program, "a": self.action, "u": self.user_id, "m": self.mentee_id}
        if self.wave:
            value["w"] = self.wave
        return json.dumps(value, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> Self:
        try:
            value = _json_object(raw, {"p", "a", "u", "m", "w"})
        except BadPayload:
            value = {**_json_object(raw, {"p", "a", "u", "m"}), "w": 0}
        program, action, user, mentee, wave = (value[k] for k in ("p", "a", "u", "m", "w"))
        if not all(isinstance(v, str) for v in (program, action, user, mentee)):
            raise BadPayload
        if isinstance(wave, bool) or not isinstance(wave, int) or not 0 <= wave < 10_000:
            raise BadPayload
        if not 0 < len(program) <= 80 or action not in ("lock", "split", "exclude", "preview"):
            raise BadPayload
        wanted = {"lock": 2, "split": 2, "exclude": 1, "preview": 0}[action]
        ids = [u for u in (user, mentee) if u]
        if len(ids) != wanted or not all(_USER_ID.match(u) for u in ids) or (wanted == 1 and mentee):
            raise BadPayload
        return cls(program, action, user, mentee, wave)


@dataclass(frozen=True, slots=True)
class AskForm:
    """The ask modal's metadata: the mentor it is aimed at (picked from the register), or none."""

    mentor_id: str | None = None

    def encode(self) -> str:
        return json.dumps({"m": self.mentor_id}, separators=(",", ":")) if self.mentor_id else ""

    @classmethod
    def decode(cls, raw: str) -> Self:
        if not raw:  # the Home's plain "Ask for a mentor" form carries nothing
            return cls(None)
        try:
            value = _json_object(raw, {"m"})
        except BadPayload:
            raise BadPayload("This form lost track of the mentor you picked; open it again.") from None
        if not isinstance(value["m"], str) or not _USER_ID.match(value["m"]):
            raise BadPayload("This form lost track of the mentor you picked; open it again.")
        return cls(value["m"])


@dataclass(frozen=True, slots=True)
class ProgramMoveRef:
    """A program session's move form: ``pm<id>.<moves>``, the number of moves when it was opened (a
    move meanwhile makes the form stale)."""

    session_id: int
    moves: int

    def encode(self) -> str:
        return f"pm{self.session_id}.{self.moves}"

    @classmethod
    def decode(cls, raw: str) -> Self:
        if not isinstance(raw, str) or not raw.startswith("pm"):
            raise BadPayload
        head, dot, tail = raw[2:].partition(".")
        if not dot or not tail.isascii() or not tail.isdigit() or len(tail) > 4:
            raise BadPayload
        return cls(_id(head), int(tail))


@dataclass(frozen=True, slots=True)
class PreviewFormRef:
    """The adjust modal of a program's preview: the program and the wave shown when it was opened."""

    program: str
    wave: int

    def encode(self) -> str:
        return json.dumps({"p": self.program, "w": self.wave}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> Self:
        value = _json_object(raw, {"p", "w"})
        program, wave = value["p"], value["w"]
        if not isinstance(program, str) or not 0 < len(program) <= 80:
            raise BadPayload
        if isinstance(wave, bool) or not isinstance(wave, int) or not 0 < wave < 10_000:
            raise BadPayload
        return cls(program, wave)
