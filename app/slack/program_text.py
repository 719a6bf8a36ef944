"""The text after ``/mentor program`` (and ``/mentor programs``) -> a ProgramCommand. Pure."""

from __future__ import annotations

import re

from app.domain.errors import InvalidInput
from app.slack.mrkdwn import unescape
from app.slack.subcommands import ProgramCommand

_USER = re.compile(r"<@([UW][A-Z0-9]{1,31})(?:\|[^<>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]{1,31})(?:\|[^<>]*)?>")
_MENTION = re.compile(r"<[@#][^<>]*>")
ACTIONS = (
    "new",
    "add",
    "invite",
    "preview",
    "lock",
    "split",
    "exclude",
    "publish",
    "wave",
    "stats",
    "board",
    "alumni",
)
_WAVE = re.compile(r"\s+wave\s+(\d{1,3})\s*$", re.IGNORECASE)
USAGE = (
    "`/mentor program new` · `/mentor programs` · `/mentor program invite <name> @people #channel` · "
    "`/mentor program preview <name>` · `/mentor program lock|split <name> @mentor @mentee` · "
    "`/mentor program exclude <name> @person` · `/mentor program publish <name>` · "
    "`/mentor program wave <name>` · `/mentor program add <name>` (paste a CSV) · "
    "`/mentor program stats <name> [wave N]` · `/mentor program board <name>` · "
    "`/mentor program alumni <name> #channel`"
)


def parse_programs(rest: str) -> ProgramCommand:
    if rest.strip():
        raise InvalidInput("`/mentor programs` doesn't take anything after it.")
    return ProgramCommand("list")


def parse_program(rest: str) -> ProgramCommand:
    words = rest.split(maxsplit=1)
    action = words[0].lower() if words else ""
    tail = words[1] if len(words) > 1 else ""
    if action not in ACTIONS:
        raise InvalidInput(f"Program commands (admins): {USAGE}")
    if action == "new":
        if tail.strip():
            raise InvalidInput("`/mentor program new` opens a form: type nothing after it.")
        return ProgramCommand("new")
    wave = None
    if action == "stats" and (found := _WAVE.search(tail)):
        wave, tail = int(found.group(1)), tail[: found.start()]
    first = _MENTION.search(tail)
    name = " ".join(unescape(tail[: first.start()] if first else tail).split())
    if not name:
        raise InvalidInput(f"Which program? Name it, e.g. `/mentor program {action} Reverse 2027`.")
    after = tail[first.start() :] if first else ""
    users = tuple(_USER.findall(after))
    channels = tuple(_CHANNEL.findall(after))
    leftover = _MENTION.sub(" ", after).split()
    if leftover:
        raise InvalidInput(
            "After the program's name, mention people (pick them as you type @) or channels (#): "
            f"`{unescape(leftover[0])[:40]}` is neither."
        )
    if action == "alumni":
        if len(channels) != 1 or users:
            raise InvalidInput(f"Name one channel: e.g. `/mentor program alumni {name[:40]} #alumni`.")
        return ProgramCommand(action, name, users, channels)
    wanted = {"invite": None, "lock": 2, "split": 2, "exclude": 1}.get(action, 0)  # add: the name only
    if action == "invite" and not (users or channels):
        raise InvalidInput("Whom? e.g. `/mentor program invite Reverse 2027 @Ana #leads`.")
    if wanted is not None and (len(users) != wanted or channels):
        if wanted == 0:
            raise InvalidInput(f"`/mentor program {action}` takes only the program's name.")
        who = "@mentor @mentee" if wanted == 2 else "@person"
        raise InvalidInput(f"e.g. `/mentor program {action} {name[:40]} {who}`.")
    return ProgramCommand(action, name, users, channels, wave)
