"""Coaches and the end of a wave, as Block Kit: a coach's digest and check-in prompt, the survey's
invitation and its modal, and the board. Coaches' messages hold counts only: no rating, no note."""

from __future__ import annotations

from typing import Any

from app.domain.program_survey import EFFECTIVE_WORDS, EXPERIENCE_WORDS, GOAL_WORDS
from app.services import notices as n
from app.services.programs import Board
from app.slack.blocks.format import counted, local_time, mention
from app.slack.blocks.messages import Message
from app.slack.blocks.program_forms import _input, _modal, _select
from app.slack.ids import Action, View
from app.slack.ids import ProgramField as F
from app.slack.mrkdwn import escape
from app.slack.payloads import CoachNudgeRef, WaveRef

YES_NO_WORDS = {"yes": "Yes", "no": "No"}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def digest(notice: n.CoachDigest) -> Message:
    program = escape(notice.program)
    behind = [line for line in notice.lines if line.behind]
    head = f"Your weekly digest for *{program}*: {counted(len(notice.lines), 'pair')}, {len(behind)} behind."
    rows = []
    for line in notice.lines:
        who = f"{mention(line.mentor_id)} with {mention(line.mentee_id)}"
        if line.ended:
            rows.append(f"• {who}: ended (no blame).")
            continue
        booked = f"next {local_time(line.next_start, notice.tz)}" if line.next_start else "no session booked"
        mark = " :warning: *behind*" if line.behind else ""
        rows.append(f"• {who}: {line.held} held of {line.due} due ({notice.of} in all); {booked}.{mark}")
    text = head + "\n" + "\n".join(rows)
    return Message(
        text=head,
        blocks=[
            _section(text),
            _context("Counts only: their ratings and notes stay theirs. Only you see this digest."),
        ],
    )


def prompt(notice: n.CoachPrompt) -> Message:
    text = (
        f"Check-in {notice.k} of 3 for *{escape(notice.program)}*: time to reach out to "
        f"{mention(notice.mentor_id)}, who mentors {mention(notice.mentee_id)}. "
        f"They have held {notice.held} of the {counted(notice.due, 'session')} due so far. "
        "A short note asking how it's going (and whether they need anything) keeps pairs meeting."
    )
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Ask them from me"},
        "action_id": Action.PROGRAM_COACH_NUDGE,
        "value": CoachNudgeRef(notice.pair_id, notice.k).encode(),
    }
    return Message(
        text=text,
        blocks=[
            _section(text),
            {"type": "actions", "block_id": f"coach_nudge_{notice.pair_id}_{notice.k}", "elements": [button]},
            _context("Write to them yourself, or let me send them a short check-in in your name."),
        ],
    )


def check_in(notice: n.CoachCheckIn) -> Message:
    text = (
        f"{mention(notice.coach_id)}, your coach in *{escape(notice.program)}*, is checking in: how is it "
        f"going with {mention(notice.mentee_id)}? If anything is in the way (finding times, the agenda, "
        f"the fit), write to {mention(notice.coach_id)} directly: they're there to help."
    )
    return Message(text=text, blocks=[_section(text)])


def survey_invite(notice: n.WaveSurvey) -> Message:
    program = escape(notice.program)
    if notice.reminder:
        text = f"A reminder: the end-of-wave survey of *{program}* takes a minute and is still open."
    else:
        text = (
            f"Wave {notice.number} of *{program}* has come to its end: thank you for taking part! "
            "Six short questions tell us whether it worked."
        )
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Answer the survey"},
        "action_id": Action.PROGRAM_SURVEY,
        "value": WaveRef(notice.wave_id).encode(),
        "style": "primary",
    }
    return Message(
        text=text,
        blocks=[
            _section(text),
            {"type": "actions", "block_id": f"program_survey_{notice.wave_id}", "elements": [button]},
            _context("Answers are counted in aggregate only (groups under 5 are never shown)."),
        ],
    )


def survey_modal(program: str, metadata: str) -> dict[str, Any]:
    effective = list(EFFECTIVE_WORDS.items())
    blocks = [
        _section(f"How was *{escape(program)}*? You answer once."),
        _input(F.SURVEY_GOAL, "Did you achieve your goal?", _select(list(GOAL_WORDS.items()))),
        _input(F.SURVEY_EXPERIENCE, "How good was the experience?", _select(list(EXPERIENCE_WORDS.items()))),
        _input(F.SURVEY_BUSINESS, "How effective was it for the business?", _select(effective)),
        _input(F.SURVEY_PERSONAL, "How effective was it for your personal growth?", _select(effective)),
        _input(
            F.SURVEY_BRAND,
            "Does the program reflect well on the organisation?",
            _select(list(YES_NO_WORDS.items())),
        ),
        _input(
            F.SURVEY_ALUMNI,
            "Would you like to join the alumni group?",
            _select(list(YES_NO_WORDS.items())),
        ),
    ]
    return _modal(View.PROGRAM_SURVEY, "End-of-wave survey", "Send", blocks, metadata)


def board(b: Board) -> Message:
    program = escape(b.program)
    head = f"*{program}*, wave {b.wave}: sessions up to date."
    if b.departments:
        departments = "\n".join(
            f"{k + 1}. {escape(r.department)}: {r.share:.0%} up to date ({r.up_to_date} of {r.people} people)"
            for k, r in enumerate(b.departments)
        )
    else:
        departments = "Too few people per department to show yet (groups under 5 are merged)."
    blocks = [_section(head), _section("*By department*\n" + departments)]
    if b.pairs:
        pairs = "\n".join(
            f"{k + 1}. {mention(p.mentor_id)} & {mention(p.mentee_id)}: {p.held} of {p.due} due held"
            + (" :white_check_mark:" if p.up_to_date else "")
            for k, p in enumerate(b.pairs[:40])
        )
        title = "*Every pair* (admin view)" if b.everyone else "*Pairs who agreed to be named*"
        blocks.append(_section(f"{title}\n{pairs}"))
    if b.hidden:
        hidden = counted(b.hidden, "pair")
        blocks.append(_context(f"{hidden} chose not to be named: they count in their departments."))
    return Message(text=head, blocks=blocks)
