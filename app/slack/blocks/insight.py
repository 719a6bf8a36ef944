"""The admin's program figures, as a message and as the App Home dashboard."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.services.erasure import ErasureReport
from app.services.insight import ProgramStats
from app.slack.blocks.format import counted, topics_text
from app.slack.blocks.messages import Message, plain
from app.slack.ids import Action

MAX_TOPICS_SHOWN = 20


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def stats_lines(s: ProgramStats) -> list[str]:
    period = f"last {s.period_days} days" if s.period_days else "all time"
    shown = s.topics_without_mentors[:MAX_TOPICS_SHOWN]
    unmet = ", ".join(f"{topics_text([t]) if t != 'other' else t} {n}" for t, n in shown)
    if len(s.topics_without_mentors) > len(shown):  # a section holds 3000 characters at most
        unmet += f" and {len(s.topics_without_mentors) - len(shown)} more"
    rating = "–" if s.average_rating is None else f"{s.average_rating:.1f} / 5 ({s.ratings} ratings)"
    return [
        f"*Program health, {period}*",
        f"*Participants:* {counted(s.mentors, 'mentor')} · {counted(s.askers, 'person', 'people')} asked · "
        f"{s.coffee_pool} in coffee roulette",
        f"*Asks:* {s.asks_made} made · {s.asks_fulfilled} fulfilled · {s.asks_unmet} unmet"
        + (f"\n*Topics without mentors:* {unmet}" if unmet else ""),
        f"*Conversations:* {s.conversations_held} held · {s.conversations_cancelled} cancelled · "
        f"{s.requests_expired} expired · {s.requests_declined} declined",
        f"*Feedback:* average rating {rating} · goals met {_share(s.goals_met_share)} · "
        f'{s.not_a_good_fit} said "not a good fit"',
        f"*Coffee:* meet rate {_share(s.coffee_meet_rate)} ({s.coffee_answers} answers) · "
        f"{s.coffee_opt_outs} opted out · {s.coffee_paused} paused",
        f"*Mentor load:* median {s.mentor_load_median:g} conversations · "
        f"busiest mentor {s.mentor_load_busiest}",
        f"*Weekly conversations:* `{s.sparkline}` ({len(s.weekly_conversations)} weeks, oldest first)",
        *_format_lines(s),
        *_delivery_lines(s),
    ]


def _format_lines(s: ProgramStats) -> list[str]:
    """Per format: held, seats filled, attendance (share of answers saying they came), average rating."""
    if not s.formats:
        return []
    rows = []
    for f in s.formats:
        parts = [f"{f.held} held"]
        if f.seats:
            parts.append(f"seats filled {_share(f.filled_share)}")
        if f.label != "1:1":
            parts.append(f"attendance {_share(f.attendance_share)}")
        rating = "–" if f.average_rating is None else f"{f.average_rating:.1f} / 5 ({f.ratings})"
        parts.append(f"rating {rating}")
        rows.append(f"{f.label}: " + " · ".join(parts))
    return ["*By format:* " + "\n".join(rows)]


def _delivery_lines(s: ProgramStats) -> list[str]:
    """Only when something is wrong: messages Slack refused for good, and people we can't reach."""
    lines = []
    failed = sum(n for _, n in s.delivery_failures)
    if failed:
        reasons = ", ".join(f"`{reason}` {n}" for reason, n in s.delivery_failures)
        lines.append(
            f"*Delivery:* {failed} message{'s' if failed != 1 else ''} could not be delivered ({reasons})"
        )
    if s.unreachable_people:
        lines.append(
            f"*Unreachable:* {s.unreachable_people} "
            f"{'person' if s.unreachable_people == 1 else 'people'} left Slack or can't be messaged; "
            "they're left out of matches and rounds until they're back"
        )
    return lines


def stats_message(s: ProgramStats) -> Message:
    lines = stats_lines(s)
    return Message(
        text=lines[0],
        blocks=[
            SectionBlock(text=MarkdownTextObject(text="\n".join(lines))).to_dict(),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="Figures only: no names, no comments. "
                        'Groups under 5 people are merged into "other". '
                        "`/mentor export` sends the weekly and per-team figures as CSV."
                    )
                ]
            ).to_dict(),
        ],
    )


def dashboard_blocks(s: ProgramStats) -> list[dict[str, Any]]:
    return [SectionBlock(text=MarkdownTextObject(text="\n".join(stats_lines(s)))).to_dict()]


# --- erasure (`/mentor forget-me`) -------------------------------------------------------------------


def forget_me_question() -> Message:
    """Ask before erasing: what goes, what stays, and that nobody can undo it."""
    text = (
        "*Erase what Mentorbot holds about you?* Your mentor profile and topics, your goals, notes and "
        'answers, your coffee choices and "don\'t pair" list, and your pairing history go. Upcoming '
        "conversations are cancelled (the other person is told). Only anonymous counts stay in the "
        "program's totals. Nobody, not even an admin, can undo this."
    )
    return Message(
        text=text,
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=text)).to_dict(),
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text="Erase my data", action_id=Action.FORGET_CONFIRM, value="forget", style="danger"
                    ),
                    ButtonElement(text="Keep it", action_id=Action.FORGET_CANCEL, value="keep"),
                ]
            ).to_dict(),
        ],
    )


def erasure_report(r: ErasureReport) -> Message:
    lines = ["Done. I've erased what I held about you:"]
    lines.append("• your mentor profile and topics" if r.mentor_profile else "• (you had no mentor profile)")
    lines.append(f"• {counted(r.goals, 'goal')} and {counted(r.notes, 'private note')}")
    answers, groups = counted(r.answers, "feedback answer"), counted(r.coffee_groups, "coffee group")
    lines.append(f"• {answers} and {groups} in your history")
    lines.append(f'• your "don\'t pair" list ({r.avoid_entries}) and coffee choices')
    if r.cancelled_conversations:
        lines.append(
            f"• {counted(r.cancelled_conversations, 'upcoming conversation')} cancelled; the others were told"
        )
    lines.append(
        "Only anonymous counts remain. If you're in a coffee channel, leave it to stay out of rounds."
    )
    return plain("\n".join(lines))
