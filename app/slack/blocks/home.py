"""The App Home tab: your conversations, coffee roulette, mentoring (for mentors), the dashboard (admins)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from app.services.coffee import CoffeeStatus
from app.services.insight import ProgramStats
from app.services.mentoring import MyConversations
from app.services.programs import Board, ProgramHome
from app.services.register import ProfileView
from app.services.session_views import SessionView
from app.slack.blocks import coffee, hosting
from app.slack.blocks.format import local_time, mention
from app.slack.blocks.insight import dashboard_blocks
from app.slack.blocks.messages import MAX_LISTED
from app.slack.blocks.program_coaching import board as program_board
from app.slack.blocks.program_home import program_home_blocks
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import Availability, MeetingRef

MAX_BOARDS = 3  # a Home holds 100 blocks; a board takes up to four
MAX_HOME_BLOCKS = 100  # views.publish refuses more (Block Kit reference: "Maximum of 100 blocks")


@dataclass(frozen=True)
class HomeData:
    mine: MyConversations
    coffee: CoffeeStatus
    profile: ProfileView | None  # set for mentors on the register
    week_load: tuple[int, int] | None
    stats: ProgramStats | None  # set for admins only
    sessions: Sequence[SessionView] = ()  # hosted, joined or waited for, still to come
    boards: Sequence[Board] = ()  # the boards of the programs they are in (every program's for admins)
    programs: ProgramHome | None = None  # invitations, their pair, admins' figures (blocks/program_home.py)
    open_sessions: Sequence[SessionView] = ()  # with seats left, on their topics or at their office


def _section(text: str, accessory: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text), accessory=accessory)


def home_view(data: HomeData) -> dict[str, Any]:
    mine, tz = data.mine, data.mine.tz
    blocks: list[Any] = [
        HeaderBlock(text="Mentorbot"),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text="Ask for a mentor", action_id=Action.HOME_ASK, value="ask", style="primary"
                ),
                ButtonElement(text="Browse mentors", action_id=Action.HOME_BROWSE, value="browse"),
                ButtonElement(text="About you", action_id=Action.HOME_ABOUT, value="about"),
            ]
        ),
        _section(
            "*Your upcoming conversations*" if mine.upcoming else "*Your upcoming conversations*\n_None yet._"
        ),
    ]
    for v in mine.upcoming[:MAX_LISTED]:
        blocks.append(
            _section(
                f"{local_time(v.start, tz)} with {mention(v.other_id)}\n_{escape(v.goal)}_",
                ButtonElement(
                    text="Cancel", action_id=Action.CANCEL_MEETING, value=MeetingRef(v.meeting_id).encode()
                ),
            )
        )
    blocks.extend(_more(len(mine.upcoming)))
    asked = [v for v in mine.pending if v.role == "asker"]
    if asked or mine.open_asks:
        blocks.append(_section("*Your open requests*"))
        for v in asked[:MAX_LISTED]:
            blocks.append(
                _section(
                    f"Waiting for {mention(v.other_id)}: {local_time(v.start, tz)}\n_{escape(v.goal)}_",
                    ButtonElement(
                        text="Withdraw",
                        action_id=Action.CANCEL_MEETING,
                        value=MeetingRef(v.meeting_id).encode(),
                    ),
                )
            )
        blocks.extend(_more(len(asked)))
        for a in mine.open_asks[:MAX_LISTED]:
            blocks.append(_section(f"No slot picked yet: _{escape(a.goal)}_"))
        blocks.extend(_more(len(mine.open_asks)))
    if data.sessions:
        blocks.append(DividerBlock())
        blocks.append(_section("*Your sessions*"))
        for view in data.sessions[:MAX_LISTED]:
            blocks.extend(hosting.session_blocks(view, tz))
        blocks.extend(_more(len(data.sessions)))
    blocks.extend(program_home_blocks(data.programs, tz))
    if data.open_sessions:
        blocks.append(DividerBlock())
        blocks.append(_section("*Open sessions for your topics and office*"))
        for view in data.open_sessions[:MAX_LISTED]:
            blocks.extend(hosting.session_blocks(view, tz))
        blocks.append(_section("_More in `/mentor sessions`._"))
    blocks.append(DividerBlock())
    status = coffee.status(data.coffee)
    blocks.append(_section("*Coffee roulette*"))
    blocks.extend(status.blocks)
    if data.profile is not None:
        blocks.extend(_mentor_section(data, tz))
    for board in data.boards[:MAX_BOARDS]:
        blocks.append(DividerBlock())
        blocks.extend(program_board(board).blocks or [])
    if data.stats is not None:
        blocks.append(DividerBlock())
        blocks.extend(dashboard_blocks(data.stats))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Conversations are confidential: nothing about who meets whom is posted in "
                    "channels. `/mentor help` lists every command."
                )
            ]
        )
    )
    return View(type="home", blocks=_within_slacks_limit(blocks)).to_dict()


def _within_slacks_limit(blocks: list[Any]) -> list[Any]:
    """Each section is capped, but together they may pass the 100 blocks Slack allows a Home (an admin
    in several programs with many sessions): keep the first 98 and the footer, and say where the rest is."""
    as_dicts = [b if isinstance(b, dict) else b.to_dict() for b in blocks]
    if len(as_dicts) <= MAX_HOME_BLOCKS:
        return as_dicts
    more = ContextBlock(
        elements=[
            MarkdownTextObject(
                text="There is more than the Home can show: `/mentor list`, `/mentor sessions` and "
                "`/mentor programs` show the rest."
            )
        ]
    ).to_dict()
    return [*as_dicts[: MAX_HOME_BLOCKS - 2], more, as_dicts[-1]]


def _mentor_section(data: HomeData, tz: str) -> list[Any]:
    profile = data.profile
    assert profile is not None
    if profile.away_until is not None:
        state, toggle = f"away until {local_time(profile.away_until, tz)}", (True, "I'm back")
    elif profile.available:
        state, toggle = "available for new requests", (False, "Pause new requests")
    else:
        state, toggle = "not taking new requests", (True, "Take requests again")
    used = f"{data.week_load[0]} of {data.week_load[1]}" if data.week_load else "–"
    blocks: list[Any] = [
        DividerBlock(),
        _section(
            f"*Mentoring*\nYou're {state}. This week: {used} conversations.",
            ButtonElement(
                text=toggle[1], action_id=Action.MENTOR_AVAILABLE, value=Availability(toggle[0]).encode()
            ),
        ),
    ]
    blocks.append(
        ActionsBlock(
            block_id="home_hosting",
            elements=[ButtonElement(text="Host a session", action_id=Action.HOME_HOST, value="host")],
        )
    )
    asking_me = [v for v in data.mine.pending if v.role == "mentor"]
    for v in asking_me[:MAX_LISTED]:
        blocks.append(
            _section(f"{mention(v.other_id)} asks for {local_time(v.start, tz)}\n_{escape(v.goal)}_")
        )
        blocks.append(
            ActionsBlock(
                block_id=f"home_request_{v.meeting_id}",
                elements=[
                    ButtonElement(
                        text="Accept",
                        action_id=Action.ACCEPT_REQUEST,
                        value=MeetingRef(v.meeting_id).encode(),
                        style="primary",
                    ),
                    ButtonElement(
                        text="Decline",
                        action_id=Action.DECLINE_REQUEST,
                        value=MeetingRef(v.meeting_id).encode(),
                    ),
                ],
            )
        )
    blocks.extend(_more(len(asking_me)))
    return blocks


def _more(total: int) -> list[Any]:
    """What a capped list leaves out: Slack refuses a Home tab of more than 100 blocks."""
    if total <= MAX_LISTED:
        return []
    return [ContextBlock(elements=[MarkdownTextObject(text=f"… and {total - MAX_LISTED} more.")])]
