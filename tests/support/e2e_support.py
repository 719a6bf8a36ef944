"""Reading what the bot sent: buttons and text inside Block Kit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

SIGNING_SECRET = "e2e-signing-secret"
ADMIN = "UADMIN01"
MENTOR = "UMENTOR01"  # Berlin
ASKER = "UASKER01"  # New York
OTHER = "UOTHER01"  # Kolkata


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks or []:
        elements = (
            block.get("elements", []) if block.get("type") == "actions" else [block.get("accessory") or {}]
        )
        found.extend(e for e in elements if e.get("type") == "button")
    return found


def button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    matches = [b for b in buttons(blocks) if b["action_id"] == action_id]
    assert matches, f"no button {action_id!r} in {[b['action_id'] for b in buttons(blocks)]}"
    return matches[0]


def slot_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in buttons(blocks) if b["action_id"].startswith("pick_slot")]


def slot_of(btn: dict[str, Any]) -> tuple[int, str, datetime]:
    value = json.loads(btn["value"])
    return value["a"], value["m"], datetime.fromtimestamp(value["s"], UTC)


def text_of(blocks: list[dict[str, Any]] | None, fallback: str = "") -> str:
    """All visible text of a message, for assertions."""
    parts = [fallback]
    for block in blocks or []:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key].get("text", ""))
        for element in block.get("elements", []) or []:
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
            elif isinstance(element.get("text"), dict):
                parts.append(element["text"].get("text", ""))
        accessory = block.get("accessory") or {}
        if isinstance(accessory.get("text"), dict):
            parts.append(accessory["text"].get("text", ""))
    return "\n".join(p for p in parts if p)


def confirmed_meeting(h: Any, goal: str = "Learn pytest fixtures") -> tuple[datetime, dict[str, Any]]:
    """MENTOR joins #python, ASKER asks and picks the first slot, MENTOR accepts: the slot's start and the
    confirmation as posted in their group DM (a calendar file follows it there)."""
    h.answer(MENTOR, "join #python")
    offers = h.answer(ASKER, f"ask {goal} #python")
    chosen = slot_buttons(offers.blocks)[0]
    h.click(ASKER, chosen["action_id"], chosen["value"])
    h.wait_idle()
    request = h.fake.messages_in(h.fake.dm_channel_for(MENTOR))[-1]
    h.click(MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request)
    h.wait_idle()
    (confirmation,) = [
        m for m in h.fake.messages_in(h.fake.dm_channel_for(ASKER, MENTOR)) if "You're booked" in m["text"]
    ]
    return slot_of(chosen)[2], confirmation
