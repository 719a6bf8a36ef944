"""The adjust modal of a program's preview: the preview itself (pairs with why, the unmatched with the
rule), then one change at a time (lock a pair, split one, exclude a person). Submitting applies it and
the modal shows the preview again, so an admin can keep going. Pure Block Kit as dicts."""

from __future__ import annotations

from typing import Any

from app.services.programs import Preview
from app.slack.blocks.programs import preview_body, preview_head
from app.slack.ids import ProgramField as F
from app.slack.ids import View
from app.slack.payloads import PreviewFormRef

WHAT = (
    ("lock", "Lock a pair: keep them together"),
    ("split", "Split a pair: never pair them"),
    ("exclude", "Exclude a person from this wave"),
)


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": value}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _user(field: F, label: str, hint: str) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": field,
        "optional": True,
        "label": _text(label),
        "hint": _text(hint),
        "element": {"type": "users_select", "action_id": field},
    }


def adjust_modal(p: Preview, note: str = "") -> dict[str, Any]:
    """The preview and its form; ``note`` says what the last change did. A published wave shows the
    preview only (its pairs no longer change)."""
    blocks: list[dict[str, Any]] = []
    if note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    blocks += [_section(preview_head(p)), _section(preview_body(p))]
    modal: dict[str, Any] = {
        "type": "modal",
        "callback_id": View.PROGRAM_ADJUST,
        "title": _text("Preview"),
        "close": _text("Done"),
        "private_metadata": PreviewFormRef(p.program[:80], p.wave).encode(),
        "blocks": blocks,
    }
    if p.published:
        return modal
    options = [{"text": _text(label), "value": value} for value, label in WHAT]
    blocks += [
        {"type": "divider"},
        {
            "type": "input",
            "block_id": F.ADJUST_WHAT,
            "label": _text("Change"),
            "element": {"type": "radio_buttons", "action_id": F.ADJUST_WHAT, "options": options},
        },
        _user(F.ADJUST_MENTOR, "Mentor", "For a lock or a split."),
        _user(F.ADJUST_MENTEE, "Mentee", "For a lock or a split."),
        _user(F.ADJUST_PERSON, "Person", "For an exclusion: a mentor or a mentee."),
    ]
    modal["submit"] = _text("Apply and preview")
    return modal
