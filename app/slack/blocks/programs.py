"""Programs' messages: the invitation (Apply), a pair's introduction, a coach's brief, the preview and
the listing an admin sees."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.domain.cohorts import rule_words
from app.services import notices as n
from app.services.programs import Preview, ProgramView, Published
from app.slack.blocks.format import counted, mention
from app.slack.blocks.messages import Message
from app.slack.blocks.program_endings import end_button
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import ProgramAdjustRef, WaveRef

# Buttons for at most this many pairs and unmatched people (Slack: 50 blocks a message); the rest by command.
BUTTON_PAIRS = 15
BUTTON_UNMATCHED = 10

GUIDELINES = (
    "*How this works*\n"
    "• What you say to each other stays between you, unless you both agree otherwise.\n"
    "• The mentor sets the agenda for each session.\n"
    "• Nobody does all the talking: take turns asking and answering."
)


def tags(names: tuple[str, ...] | list[str]) -> str:
    """Interest tags as Slack shows small labels: `chess` `rock climbing`."""
    return " ".join(f"`{escape(t).replace('`', '')}`" for t in names)


def _section(text: str) -> dict[str, object]:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(text: str) -> dict[str, object]:
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


def invite(notice: n.ProgramInvite) -> Message:
    text = f"You're invited to the mentoring program *{escape(notice.program)}*."
    apply = ButtonElement(
        text="Apply", action_id=Action.PROGRAM_APPLY, value=WaveRef(notice.wave_id).encode(), style="primary"
    )
    blocks = [_section(text)]
    if notice.purpose:
        blocks.append(_section(escape(notice.purpose)))
    blocks.append(ActionsBlock(block_id=f"program_apply_{notice.wave_id}", elements=[apply]).to_dict())
    blocks.append(_context("Your intro is shown only to your future partner."))
    return Message(text=text, blocks=blocks)


def intro(notice: n.ProgramIntro) -> Message:
    text = (
        f"Meet your {escape(notice.program)} partner: {mention(notice.mentor_id)} mentors "
        f"{mention(notice.mentee_id)}."
    )
    cadence = (
        f"{notice.sessions} sessions of {notice.minutes} minutes, one every {notice.every_weeks} "
        f"week{'s' if notice.every_weeks != 1 else ''}."
    )
    blocks = [_section(text)]
    if notice.purpose:
        blocks.append(_section(f"*Why this program:* {escape(notice.purpose)}"))
    for uid in (notice.mentor_id, notice.mentee_id):
        words = notice.intros.get(uid, "")
        if words:
            blocks.append(_section(f"*{mention(uid)} says:* {escape(words)}"))
        hopes = notice.goals.get(uid, "")
        if hopes:
            blocks.append(_section(f"*{mention(uid)} hopes to learn or can offer:* {escape(hopes)}"))
    blocks += [_section(cadence), _section(GUIDELINES)]
    if notice.pair_id:
        blocks += end_button(notice.pair_id)
    return Message(text=text, blocks=blocks)


def coach_brief(notice: n.CoachBrief) -> Message:
    text = f"You're coaching {counted(len(notice.pairs), 'pair')} in {escape(notice.program)}."
    lines = "\n".join(f"• {mention(a)} mentors {mention(b)}" for a, b in notice.pairs)
    return Message(text=text, blocks=[_section(text), _section(lines), _context("Only you see this list.")])


def program_list(views: list[ProgramView]) -> Message:
    if not views:
        return Message(text="No programs yet. `/mentor program new` creates one.")
    lines = []
    for v in views:
        waves = "; ".join(
            f"wave {w.number}: {w.applicants} applied, {w.matched} matched"
            + ("" if w.published else " (not published)")
            + (f", {w.ended} ended without blame, {w.rematched} re-matched" if w.ended or w.rematched else "")
            for w in v.waves
        )
        lines.append(f"• *{escape(v.name)}* ({v.kind.value}, starts {v.start_date:%Y-%m-%d}): {waves}")
    text = "Programs:\n" + "\n".join(lines)
    return Message(text=text, blocks=[_section(text)])


ALREADY = "Nothing changed: that was already done."


def preview_head(p: Preview) -> str:
    r = p.result
    return (
        f"*{escape(p.program)}*, wave {p.wave} (seed {p.seed}): {counted(len(r.pairs), 'pair')}, "
        f"{len(r.unmatched)} unmatched; across teams {r.share_across_teams:.0%}, "
        f"across locations {r.share_across_locations:.0%}."
        + (" Published." if p.published else " Nobody has been told yet.")
        + ("" if p.changed else f" {ALREADY}")
    )


def preview_body(p: Preview) -> str:
    """Each pair with why, then everyone unmatched with the rule (cut to fit one Slack section)."""
    r = p.result
    lines = []
    for pair in r.pairs:
        why = []
        if pair.shared_interests:
            why.append("shared: " + tags(pair.shared_interests))
        if pair.level_gap is not None:
            why.append(f"level gap {pair.level_gap}")
        why.append(f"{pair.hours_overlap} h a week in both working days")
        lock = " (locked)" if pair.locked else ""
        lines.append(f"• {mention(pair.mentor)} → {mention(pair.mentee)}{lock}: {'; '.join(why)}")
    for u in r.unmatched:
        lines.append(
            f"• unmatched {u.role.value} {mention(u.user_id)}: {rule_words(u.rule, u.role, p.rules)}"
        )
    return ("\n".join(lines) or "Nobody to show.")[:2900]


def preview(p: Preview) -> Message:
    head = preview_head(p)
    hint = (
        f"Adjust: `/mentor program lock {p.program} @mentor @mentee`, `… split …`, "
        f"`/mentor program exclude {p.program} @person`; then `/mentor program publish {p.program}`."
    )
    return Message(
        text=head,
        blocks=[_section(head), _section(preview_body(p)), *_adjust_buttons(p), _context(escape(hint))],
    )


def _button(n: int, label: str, ref: ProgramAdjustRef) -> dict[str, object]:
    return ButtonElement(text=label, action_id=f"{Action.PROGRAM_ADJUST}_{n}", value=ref.encode()).to_dict()


def _adjust_buttons(p: Preview) -> list[dict[str, object]]:
    """Lock / Split beside each pair, Exclude beside each unmatched person, and Preview again."""
    if p.published:
        return []
    blocks: list[dict[str, object]] = []
    for k, pair in enumerate(p.result.pairs[:BUTTON_PAIRS]):
        lock = ProgramAdjustRef(p.program, "lock", pair.mentor, pair.mentee, p.wave)
        split = ProgramAdjustRef(p.program, "split", pair.mentor, pair.mentee, p.wave)
        blocks.append(_context(f"{mention(pair.mentor)} → {mention(pair.mentee)}"))
        elements = [_button(0, "Split", split)] + ([] if pair.locked else [_button(1, "Lock", lock)])
        blocks.append({"type": "actions", "block_id": f"program_pair_{k}", "elements": elements})
    people = [u for u in p.result.unmatched if u.rule.value != "excluded"][:BUTTON_UNMATCHED]
    if people:
        elements = [
            _button(k, f"Exclude {k + 1}", ProgramAdjustRef(p.program, "exclude", u.user_id, wave=p.wave))
            for k, u in enumerate(people)
        ]
        names = ", ".join(f"{k + 1}: {mention(u.user_id)}" for k, u in enumerate(people))
        blocks.append(_context(f"Exclude someone from this wave ({names})"))
        blocks.append({"type": "actions", "block_id": "program_unmatched", "elements": elements})
    again = _button(0, "Preview again", ProgramAdjustRef(p.program, "preview"))
    form = ButtonElement(
        text="Adjust in a form…",
        action_id=Action.PROGRAM_ADJUST_FORM,
        value=ProgramAdjustRef(p.program, "preview").encode(),
    ).to_dict()
    blocks.append({"type": "actions", "block_id": "program_again", "elements": [again, form]})
    return blocks


def published(p: Published) -> Message:
    text = (
        f"Published wave {p.wave} of *{escape(p.program)}*: {counted(p.pairs, 'pair')} introduced in group "
        "DMs, "
        f"{counted(p.coaches, 'coach', 'coaches')} told privately."
    )
    return Message(text=text)
