"""The App Home's programs section: invitations with Apply, where an application stands, the program a
person is in (their partner and next session), and for admins each program's figures per wave with
Preview (it opens the preview's adjust modal). Capped: the Home holds at most 100 blocks."""

from __future__ import annotations

from typing import Any

from app.services.programs import ProgramHome
from app.slack.blocks.format import local_time, mention
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import ProgramAdjustRef, WaveRef

ADMIN_LISTED = 5
PURPOSE_SHOWN = 300


def _section(text: str, button: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}}
    if button is not None:
        block["accessory"] = button
    return block


def _button(text: str, action_id: str, value: str, primary: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }
    if primary:
        out["style"] = "primary"
    return out


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def program_home_blocks(home: ProgramHome | None, tz: str) -> list[dict[str, Any]]:
    """Nothing at all for someone no program concerns."""
    if home is None or home.empty:
        return []
    blocks: list[dict[str, Any]] = [{"type": "divider"}, _section("*Mentoring programs*")]
    for inv in home.invitations:
        purpose = escape(inv.purpose[:PURPOSE_SHOWN]) if inv.purpose else ""
        text = f"You're invited to *{escape(inv.program)}*." + (f"\n{purpose}" if purpose else "")
        apply = _button("Apply", Action.PROGRAM_HOME_APPLY, WaveRef(inv.wave_id).encode(), primary=True)
        blocks.append(_section(text, apply))
    for app in home.applications:
        blocks.append(
            _context(
                f"You've applied to *{escape(app.program)}* (wave {app.wave}) as a {app.role.value}: "
                "you'll hear when you're matched."
            )
        )
    for p in home.participations:
        who = (
            f"You mentor {mention(p.partner_id)}"
            if p.role.value == "mentor"
            else f"{mention(p.partner_id)} mentors you"
        )
        if p.next_session is not None:
            nxt = f"Next session: {local_time(p.next_session, tz)}."
        elif p.pending == "proposed":
            nxt = "Next session: times are proposed in your group DM" + (
                ", pick one." if p.role.value == "mentee" else "; your mentee picks one."
            )
        elif p.pending == "picked":
            nxt = "Next session: a time is picked" + (
                ", confirm it in your DMs." if p.role.value == "mentor" else "; your mentor confirms it."
            )
        else:
            nxt = "Next session: I'll propose times when it comes due."
        blocks.append(_section(f"*{escape(p.program)}*: {who}.\n{nxt}"))
        if p.others:
            names = ", ".join(mention(u) for u in p.others)
            blocks.append(_context(f"Also in this program (they chose to show their name): {names}"))
    if home.admin is not None:
        blocks.extend(_admin_blocks(home))
    return blocks


def _admin_blocks(home: ProgramHome) -> list[dict[str, Any]]:
    assert home.admin is not None
    if not home.admin:
        return [_context("No programs yet. `/mentor program new` creates one.")]
    blocks = [_section("*Programs you run*")]
    for v in home.admin[:ADMIN_LISTED]:
        waves = "\n".join(
            f"wave {w.number}: {w.applicants} applied, {w.matched} matched"
            + ("" if w.published else " (not published)")
            for w in v.waves[-3:]
        )
        preview = (
            _button("Preview", Action.PROGRAM_ADJUST_FORM, ProgramAdjustRef(v.name[:80], "preview").encode())
            if v.name in home.previewable
            else None
        )
        blocks.append(_section(f"*{escape(v.name)}* ({v.kind.value})\n{waves}", preview))
    if len(home.admin) > ADMIN_LISTED:
        blocks.append(_context(f"… and {len(home.admin) - ADMIN_LISTED} more: `/mentor programs` lists all."))
    return blocks
