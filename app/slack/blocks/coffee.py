"""Block Kit for coffee roulette: status, introductions, follow-ups, and the admin's round summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.services.coffee import DEFAULT_POOL, CoffeeStatus, PoolChoice, PoolView, RoundSummary, ScheduleView
from app.services.notices import CoffeeHeadsUp, CoffeeIntro, Colleague
from app.slack.blocks.format import counted, local_time, mention, topics_text
from app.slack.blocks.messages import Message, plain
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import CoffeeGroupRef, PauseDays, RoundRef

PRIVATE = "Only the people in this conversation can see it; nothing is posted in channels."
FOREVER_YEAR = 9999  # a pause "until you resume"


def _section(text: str) -> dict[str, Any]:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(text: str) -> dict[str, Any]:
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


def _buttons(*buttons: ButtonElement, block_id: str | None = None) -> dict[str, Any]:
    return ActionsBlock(block_id=block_id, elements=list(buttons)).to_dict()


def pool_choice(choice: PoolChoice) -> Message:
    """``/mentor coffee join`` with several pools: one Join button per pool."""
    buttons = [
        ButtonElement(text=f"Join {name}"[:75], action_id=Action.COFFEE_JOIN, value=f"pool:{name}")
        for name in choice.names[:25]
    ]
    text = "Which coffee pool would you like to join?"
    return Message(text=text, blocks=[_section(text), _buttons(*buttons)])


def pools_list(views: Sequence[PoolView], tz: str) -> Message:
    """``/mentor coffee pools``: each pool, its mode and schedule, the next round in the viewer's zone."""
    lines = [
        f"*{v.name}* ({v.mode}, groups of {v.group_size}{', heads-up the day before' if v.heads_up else ''}):"
        f" {v.members} taking part; {v.schedule}; next round {local_time(v.next_round, tz)}"
        for v in views
    ]
    text = "Coffee pools:\n" + "\n".join(f"• {line}" for line in lines)
    return Message(text=text, blocks=[_section(text)])


def status(view: CoffeeStatus, *, lead: str = "") -> Message:
    if view.opted_out:
        state = "You're *not* taking part in coffee roulette."
    elif view.paused_until is not None:
        until = (
            "until you resume"
            if view.paused_until.year == FOREVER_YEAR
            else f"until {local_time(view.paused_until, view.tz)}"
        )
        state = f"Your coffee roulette is *paused* {until}."
    elif view.in_pool:
        how = "you joined" if view.joined else "through a coffee channel"
        state = (
            f"You're *in* the coffee roulette ({how}). Next round: {local_time(view.next_round, view.tz)}."
        )
    else:
        state = "You're not in the coffee roulette yet. Join to meet a colleague each round."
    if view.avoid_count:
        avoided = counted(view.avoid_count, "person", "people")
        state += f"\nYou keep a private list of {avoided} you won't be paired with."
    if view.pool != DEFAULT_POOL:
        state = f"Pool *{escape(view.pool)}*: {state}"
    text = f"{lead}\n{state}".strip()
    pool_value = "" if view.pool == DEFAULT_POOL else f"pool:{view.pool}"
    buttons = []
    if view.in_pool:
        buttons.append(
            ButtonElement(text="Pause 2 weeks", action_id=Action.COFFEE_PAUSE, value=PauseDays(14).encode())
        )
        buttons.append(
            ButtonElement(
                text="Leave", action_id=Action.COFFEE_LEAVE, value=pool_value or "leave", style="danger"
            )
        )
    elif view.paused_until is not None:
        buttons.append(
            ButtonElement(text="Resume", action_id=Action.COFFEE_RESUME, value="resume", style="primary")
        )
    else:
        buttons.append(
            ButtonElement(
                text="Join", action_id=Action.COFFEE_JOIN, value=pool_value or "join", style="primary"
            )
        )
    return Message(text=text, blocks=[_section(text), _buttons(*buttons)])


def intro(notice: CoffeeIntro) -> Message:
    people = []
    for user_id in notice.users:
        info = notice.people.get(user_id, Colleague())
        details = [escape(info.team)] if info.team else []
        if info.topics:
            details.append("mentors on " + topics_text(list(info.topics)))
        people.append(f"• {mention(user_id)}" + (f" — {' · '.join(details)}" if details else ""))
    size = {2: "pair", 3: "trio"}.get(len(notice.users), "group")
    text = f":coffee: Meet your coffee {size} for this round!"
    return Message(
        text=text,
        blocks=[
            _section(text + "\n" + "\n".join(people)),
            *([_section(_in_person(notice))] if notice.office else []),
            _section(f"*Icebreaker:* {escape(notice.icebreaker)}"),
            _section(
                f"{mention(notice.proposer)}, would you propose a time that works for everyone? "
                "15-30 minutes is plenty."
            ),
            _context(PRIVATE),
        ],
    )


def _in_person(notice: CoffeeIntro) -> str:
    where = f"*In person* at the {escape(notice.office or '')} office"
    if notice.office_day is None:
        return where + "."
    day = FULL_DAY_NAMES[notice.office_day]
    who = "you're all" if notice.all_in else "most of you are"
    return f"{where}: {who} usually in on {day}."


FULL_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def followup(group_id: int) -> Message:
    text = "Did you meet for your coffee chat? Each of you can answer; it helps us make better matches."
    group = CoffeeGroupRef(group_id).encode()
    return Message(
        text=text,
        blocks=[
            _section(text),
            _buttons(
                ButtonElement(text="Yes", action_id=f"{Action.COFFEE_MET}_yes", value=group, style="primary"),
                ButtonElement(text="Not yet", action_id=f"{Action.COFFEE_MET}_not_yet", value=group),
                ButtonElement(text="No", action_id=f"{Action.COFFEE_MET}_no", value=group),
                block_id="coffee_met",
            ),
            _context("Answers are counted for the program, never shown with your name."),
        ],
    )


def answer_noted(answer: str, changed: bool) -> Message:
    words = {
        "yes": "you met :tada:",
        "not_yet": "not yet — there's still time",
        "no": "you didn't meet this time",
    }
    return Message(text=("Thanks! Noted: " if changed else "Already noted: ") + words[answer] + ".")


ASK_LATER_DAYS = 28


def paused(pool: str = DEFAULT_POOL) -> Message:
    """Three check-ins unanswered: Resume, Ask me later (a 4-week pause, then back), or Leave."""
    where = "coffee roulette" if pool == DEFAULT_POOL else f"coffee pool *{escape(pool)}*"
    text = (
        f"I've paused your {where}, since the last three check-ins went unanswered. "
        "No hard feelings! Resume any time, ask me again in 4 weeks, or leave if it's not for you."
    )
    named = "" if pool == DEFAULT_POOL else f"pool:{pool}"
    return Message(
        text=text,
        blocks=[
            _section(text),
            _buttons(
                ButtonElement(
                    text="Resume", action_id=Action.COFFEE_RESUME, value=named or "resume", style="primary"
                ),
                ButtonElement(
                    text="Ask me later",
                    action_id=Action.COFFEE_PAUSE,
                    value=f"{ASK_LATER_DAYS}@{named}" if named else PauseDays(ASK_LATER_DAYS).encode(),
                ),
                ButtonElement(text="Leave", action_id=Action.COFFEE_LEAVE, value=named or "leave"),
            ),
        ],
    )


def left_out() -> Message:
    return Message(
        text="This coffee round I couldn't find you a match that respects everyone's wishes. "
        "You're first in line next round."
    )


def partner_left() -> Message:
    return Message(
        text="Your coffee partner this round can no longer be reached on Slack, so there's no intro for "
        "you this time, and I'm sorry about that. You're first in line next round."
    )


def schedule(view: ScheduleView, tz: str, *, lead: str = "", pool: str | None = None) -> Message:
    default = " (the default)" if view.is_default else ""
    name = f"Pool {escape(pool)}" if pool and pool != DEFAULT_POOL else "Coffee roulette"
    text = (
        f"{lead}\n*{name}:* {view.schedule.describe()}{default}.\n"
        f"Next round: {local_time(view.next_round, tz)}."
    ).strip()
    return Message(text=text, blocks=[_section(text)])


def round_summary(summary: RoundSummary, *, preview: bool) -> Message:
    head = "*Preview* (nobody was told anything):" if preview else f"*Round {summary.round_id} is running.*"
    pairs = len(summary.groups) - summary.trios
    sizes = sorted({len(g) for g in summary.groups})
    if sizes and sizes[-1] > 3:
        of = f"{sizes[0]}-{sizes[-1]}" if len(sizes) > 1 else str(sizes[0])
        split = f"{len(summary.groups)} groups of {of}"
    else:
        split = counted(pairs, "pair") + (f" and {counted(summary.trios, 'trio')}" if summary.trios else "")
    lines = [
        head,
        f"Pool: {summary.pool_size} people → {split}.",
        f"Cross-team groups: {summary.cross_team_share:.0%}.",
        f"Repeats it could not avoid: {len(summary.repeats)}.",
    ]
    if summary.left_out:
        lines.append(f"Could not be placed (their 'don't pair' wishes): {len(summary.left_out)}.")
    if summary.seniors_short:
        lines.append(
            f"Too few seniors: {counted(summary.seniors_short, 'group')} without one "
            "(ordinary groups this round)."
        )
    if summary.unmixed:
        lines.append(f"Sides uneven: {counted(summary.unmixed, 'group')} of one side only this round.")
    if summary.not_placed:
        reasons: dict[str, int] = {}
        for _, why in summary.not_placed:
            reasons[why] = reasons.get(why, 0) + 1
        lines.append(
            "Not placed: " + "; ".join(f"{count} {why}" for why, count in sorted(reasons.items())) + "."
        )
    if summary.preview_state == "same":
        lines.append(
            "Same as the last preview: nothing changed since, so this is the round that will run."
            if preview
            else "As previewed: the round ran on the preview's seed."
        )
    elif summary.preview_state == "stale":
        lines.append(
            "The last preview was stale (the pool, its people or its history changed since): this is a new"
            " one, and the round will follow it while nothing changes."
            if preview
            else "The last preview was stale (the pool, its people or its history changed since it): these"
            " groups differ from it."
        )
    elif preview:
        lines.append("This is the round that will run, unless the pool, its people or its history change.")
    lines.append(f"Seed: `{summary.seed}`")
    if preview and summary.groups:
        shown = summary.groups[:20]
        lines.append(
            "Groups:\n"
            + "\n".join("• " + ", ".join(mention(u) for u in g) for g in shown)
            + (f"\n… and {len(summary.groups) - len(shown)} more" if len(summary.groups) > len(shown) else "")
        )
    if not preview:
        lines.append("Introductions go out in group DMs over the next minutes, within Slack's rate limits.")
    text = "\n".join(lines)
    return Message(text=text, blocks=[_section(text)])


def avoid_noted(user_id: str, removed: bool, count: int) -> Message:
    done = (
        f"Okay, <@{user_id}> can be paired with you again."
        if removed
        else f"Noted: you won't be paired with <@{user_id}>."
    )
    return plain(f"{done} Your list has {counted(count, 'person', 'people')}; only you can see it.")


def channel_added(channel_id: str, members: int | None) -> Message:
    """A new coffee channel; ``members`` is None when Slack wouldn't list them (not invited yet)."""
    if members is None:
        return plain(
            f"I've noted <#{channel_id}>, but I can't read its members yet. For a private "
            "channel, invite me first (`/invite @mentorbot`); I'll try again before each round."
        )
    return plain(
        f"<#{channel_id}> is a coffee channel: its {members} members are in the pool unless they "
        "leave or pause. Nothing will be posted in the channel."
    )


def heads_up(notice: CoffeeHeadsUp) -> Message:
    """The day before a round: Skip this round (this one only), Pause 2 weeks, Leave the pool."""
    where = "" if notice.pool == DEFAULT_POOL else f" in the coffee pool *{escape(notice.pool)}*"
    text = f":coffee: You'll be paired tomorrow{where}. Can't make it this time? Skip this round."
    pool_value = f"pool:{notice.pool}"
    return Message(
        text=text,
        blocks=[
            _section(text),
            _buttons(
                ButtonElement(
                    text="Skip this round",
                    action_id=Action.COFFEE_SKIP,
                    value=RoundRef(notice.pool_id, int(notice.round_at.timestamp())).encode(),
                ),
                ButtonElement(text="Pause 2 weeks", action_id=Action.COFFEE_PAUSE, value=pool_value),
                ButtonElement(text="Leave", action_id=Action.COFFEE_LEAVE, value=pool_value, style="danger"),
            ),
            _context(PRIVATE),
        ],
    )
