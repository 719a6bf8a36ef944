"""The programs' two modals: a new program (admins) and the application. Pure Block Kit as dicts."""

from __future__ import annotations

from typing import Any

from app.domain.cohorts import ProgramKind, Role
from app.domain.interests import TAGS_EXAMPLE
from app.services.programs import ApplicationForm
from app.slack.ids import ProgramField as F
from app.slack.ids import View
from app.slack.mrkdwn import escape

KIND_WORDS = {
    ProgramKind.REVERSE: "Reverse: mentors below their mentees",
    ProgramKind.CLASSIC: "Classic: mentors above their mentees",
    ProgramKind.PEER: "Peer: either way",
}


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


def _input(field: F, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = "") -> dict:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field,
        "label": _text(label),
        "element": {**element, "action_id": field},
        "optional": optional,
    }
    if hint:
        block["hint"] = _text(hint)
    return block


def _select(options: list[tuple[str, str]], initial: str | None = None) -> dict[str, Any]:
    opts = [_option(v, label) for v, label in options]
    element: dict[str, Any] = {"type": "static_select", "options": opts}
    chosen = [o for o in opts if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _plain(*, multiline: bool = False, initial: str = "", max_length: int = 1000) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial
    return element


def _modal(callback: View, title: str, submit: str, blocks: list[dict], metadata: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": _text(title),
        "submit": _text(submit),
        "close": _text("Cancel"),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def new_program_modal(metadata: str) -> dict[str, Any]:
    numbers = [(str(k), str(k)) for k in range(0, 5)]
    yes = _option("yes", "Mentor and mentee in different teams")
    blocks = [
        _input(F.NAME, "Name", _plain(max_length=80)),
        _input(F.PURPOSE, "Purpose (shown to everyone invited)", _plain(multiline=True)),
        _input(F.KIND, "Kind", _select([(k.value, w) for k, w in KIND_WORDS.items()], ProgramKind.REVERSE)),
        _input(F.GAP, "Minimum level gap", _select(numbers, "2")),
        _input(
            F.OTHER_TEAM,
            "Rules",
            {"type": "checkboxes", "options": [yes], "initial_options": [yes]},
            optional=True,
        ),
        _input(F.SESSIONS, "Sessions", _select([(str(k), str(k)) for k in range(1, 13)], "7")),
        _input(F.EVERY, "Every how many weeks", _select([(str(k), str(k)) for k in range(1, 9)], "4")),
        _input(F.MINUTES, "Session length", _select([("30", "30 minutes"), ("60", "60 minutes")], "60")),
        _input(F.START, "Start date", {"type": "datepicker"}),
        _input(F.COACHES, "Coaches", {"type": "multi_users_select"}, optional=True),
        _input(F.CAPACITY, "Mentees per mentor", _select([(str(k), str(k)) for k in range(1, 6)], "1")),
    ]
    return _modal(View.PROGRAM_NEW, "New program", "Create", blocks, metadata)


def role_label(kind: ProgramKind, gap: int, role: Role) -> str:
    """The role as the program's kind makes it: who sits above whom (reverse: mentors below)."""
    name = "Mentor" if role is Role.MENTOR else "Mentee"
    partner = "mentee" if role is Role.MENTOR else "mentor"
    if gap <= 0 and kind is ProgramKind.PEER:
        return name
    if kind is ProgramKind.PEER:
        return f"{name}: {gap}+ levels apart from your {partner}"
    below = (kind is ProgramKind.REVERSE) == (role is Role.MENTOR)
    return f"{name}: {gap}+ levels {'below' if below else 'above'} your {partner}"


def application_modal(form: ApplicationForm, metadata: str) -> dict[str, Any]:
    # Both sides are offered (a prefilled level may be corrected below); a role the level can't take is
    # refused on submit with the reason. When only one fits the prefilled level, it is chosen.
    roles = [(r.value, role_label(form.kind, form.min_level_gap, r)) for r in (Role.MENTOR, Role.MENTEE)]
    chosen = form.roles[0].value if len(form.roles) == 1 else None
    levels = [(str(k), str(k)) for k in range(1, 6)]
    level = _select(levels, str(form.level) if form.level else None)
    consent = _option("yes", "Show my name to the other participants of this program")
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(form.purpose) or escape(form.program)}},
        _input(F.ROLE, "I apply as", _select(roles, chosen), hint=KIND_WORDS[form.kind]),
        _input(F.TEAM, "Team", _plain(initial=form.team or "", max_length=80)),
        _input(F.LEVEL, "Level (1-5)", level),
        _input(
            F.INTERESTS,
            "Interests and hobbies",
            _plain(max_length=400),
            optional=True,
            hint=f"Tags, separated by commas: {TAGS_EXAMPLE}",
        ),
        _input(
            F.GOALS,
            "What you want to learn, or can offer",
            _plain(multiline=True),
            optional=True,
            hint="Shown only to your future partner, in your introduction.",
        ),
        _input(
            F.INTRO,
            "A short intro",
            _plain(multiline=True, max_length=600),
            optional=True,
            hint="Shown only to your future partner.",
        ),
        _input(F.CONSENT, "Your name", {"type": "checkboxes", "options": [consent]}, optional=True),
    ]
    return _modal(View.PROGRAM_APPLY, form.program[:24], "Apply", blocks, metadata)


def add_people_modal(program: str, metadata: str) -> dict[str, Any]:
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"Add applicants to *{escape(program)}*'s current wave."},
        },
        _input(
            F.CSV,
            "Rows: Slack ID, role, team, level, interests",
            _plain(multiline=True, max_length=3000),
            hint="e.g. U0123ABCD,mentor,Support,2,chess;hiking (interests separated by ;)",
        ),
    ]
    return _modal(View.PROGRAM_ADD, "Add people", "Add", blocks, metadata)


def end_pair_modal(program: str, metadata: str) -> dict[str, Any]:
    """ "This isn't working, no blame": an optional reason, read only by the program's admin."""
    blocks = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"End your pairing in *{escape(program)}*? It happens, and it's nobody's fault. "
                "Your partner is told kindly, without any reason; their coach and the admin are told too.",
            },
        },
        _input(
            F.END_REASON,
            "Anything the admin should know? (only the admin reads this)",
            _plain(multiline=True),
            optional=True,
        ),
    ]
    return _modal(View.PROGRAM_END, "End this pairing", "End pairing", blocks, metadata)


def session_note_modal(metadata: str) -> dict[str, Any]:
    blocks = [
        _input(
            F.NOTE,
            "A note for yourself (only you ever read it)",
            _plain(multiline=True),
        )
    ]
    return _modal(View.PROGRAM_NOTE, "Private note", "Save", blocks, metadata)
