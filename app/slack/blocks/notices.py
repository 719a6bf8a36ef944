"""Every notice as the message it is posted as: one ``match`` over the notice types.

The mentoring notices' Block Kit lives here; coffee's and feedback's in their own modules.
"""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from app.domain.model import SLOT_LENGTH
from app.services import notices as n
from app.slack.blocks import (
    coffee,
    feedback,
    program_changes,
    program_coaching,
    program_endings,
    program_sessions,
    programs,
    session_feedback,
    session_notices,
)
from app.slack.blocks.calendar import calendar_buttons
from app.slack.blocks.format import local_time, mention, topics_text
from app.slack.blocks.ics import TITLE
from app.slack.blocks.messages import CONFIDENTIAL, Message, offer_blocks, request_answered
from app.slack.ids import Action
from app.slack.mrkdwn import escape
from app.slack.payloads import AskRef, MeetingRef


def render(notice: n.Notice) -> Message:
    """The message a notice is posted (or, for an update, edited) as. A Home refresh is no message."""
    match notice:
        case n.MentorRequest():
            return mentor_request(notice)
        case n.RequestClosed():
            return request_answered(notice.asker_id, notice.why)
        case n.Confirmation():
            return confirmation(notice)
        case n.RequestDeclined() | n.RequestExpired():
            return request_fell_through(notice)
        case n.MeetingCancelled():
            return meeting_cancelled(notice)
        case n.FeedbackQuestion():
            return feedback.question(
                meeting_id=notice.meeting_id,
                other_id=notice.other_id,
                role=notice.role,
                goal=notice.goal,
                start=notice.start,
                tz=notice.tz,
                reminder=notice.reminder,
            )
        case n.CoffeeIntro():
            return coffee.intro(notice)
        case n.CoffeeFollowup():
            return coffee.followup(notice.group_id)
        case n.CoffeePaused():
            return coffee.paused(notice.pool)
        case n.CoffeeLeftOut():
            return coffee.left_out()
        case n.CoffeeHeadsUp():
            return coffee.heads_up(notice)
        case n.CoffeePartnerLeft():
            return coffee.partner_left()
        case n.SeatConfirmed():
            return session_notices.seat_confirmed(notice)
        case n.SeatOffered():
            return session_notices.seat_offered(notice)
        case n.SeatOfferLapsed():
            return session_notices.seat_offer_lapsed(notice)
        case n.SessionCancelled():
            return session_notices.session_cancelled(notice)
        case n.SessionCheckIn():
            return session_notices.check_in(notice)
        case n.SessionReminder():
            return session_notices.reminder(notice)
        case n.SessionMoved():
            return session_notices.session_moved(notice)
        case n.SessionGathering():
            return session_notices.gathering(notice)
        case n.SessionFeedbackQuestion():
            return session_feedback.question(notice)
        case n.SessionRatingForHost():
            return session_feedback.rating_for_host(notice)
        case n.ProgramInvite():
            return programs.invite(notice)
        case n.ProgramIntro():
            return programs.intro(notice)
        case n.CoachBrief():
            return programs.coach_brief(notice)
        case n.PairEnded():
            return program_endings.pair_ended(notice)
        case n.PairEndedAdmin():
            return program_endings.pair_ended_admin(notice)
        case n.SessionProposed():
            return program_sessions.proposed(notice)
        case n.SessionPicked():
            return program_sessions.picked(notice)
        case n.SessionBooked():
            return program_sessions.booked(notice)
        case n.ProgramCheckIn():
            return program_sessions.check_in(notice)
        case n.CoachDigest():
            return program_coaching.digest(notice)
        case n.CoachPrompt():
            return program_coaching.prompt(notice)
        case n.CoachCheckIn():
            return program_coaching.check_in(notice)
        case n.WaveSurvey():
            return program_coaching.survey_invite(notice)
        # #14 sessions: moved and agenda-set notices are SessionBooked's kin and render as it does.
        case n.SessionSkipped():
            return program_changes.skipped(notice)
        case n.AgendaAsked():
            return program_changes.agenda_asked(notice)
        case n.AgendaShared():
            return program_changes.agenda_shared(notice)
        case n.PairBehind():
            return program_changes.pair_behind(notice)
        case n.CoachBehind():
            return program_changes.coach_behind(notice)
        case n.PartnerLeft():
            return program_changes.partner_left(notice)
        case n.HomeRefresh():
            raise ValueError("a Home refresh is published, not posted")


def _render(text: str, *blocks: Block) -> Message:
    return Message(text=text, blocks=[b.to_dict() for b in blocks])


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def mentor_request(notice: n.MentorRequest) -> Message:
    when = local_time(notice.start, notice.tz)
    text = (
        f"{mention(notice.asker_id)} would like a mentoring lunch with you at {escape(notice.lunch_at)} "
        f"(an hour, in person) on {when}."
        if notice.lunch_at
        else f"{mention(notice.asker_id)} would like a 15-minute conversation with you on {when}."
    )
    details = f"*Goal:* {escape(notice.goal)}" + (
        f"\n*Topics:* {topics_text(list(notice.topics))}" if notice.topics else ""
    )
    meeting = MeetingRef(notice.meeting_id).encode()
    return _render(
        text,
        _section(text),
        _section(details),
        ActionsBlock(
            block_id=f"request_{notice.meeting_id}",
            elements=[
                ButtonElement(text="Accept", action_id=Action.ACCEPT_REQUEST, value=meeting, style="primary"),
                ButtonElement(text="Decline", action_id=Action.DECLINE_REQUEST, value=meeting),
            ],
        ),
        _context(
            f"The slot is held until you answer, at most until {local_time(notice.expires_at, notice.tz)}. "
            "Declining is fine: they'll be offered other mentors."
        ),
    )


def confirmation(notice: n.Confirmation) -> Message:
    start, tzs = notice.start, notice.tzs
    times = ", ".join(
        f"{mention(uid)}: {local_time(start, tzs.get(uid, 'UTC'))}"
        for uid in (notice.asker_id, notice.mentor_id)
    )
    text = (
        f"You're booked: {mention(notice.asker_id)} and {mention(notice.mentor_id)}, "
        f"{local_time(start, tzs.get(notice.asker_id, 'UTC'))}."
    )
    details = (
        f"*Goal:* {escape(notice.goal)}"
        + (f"  {topics_text(list(notice.topics))}" if notice.topics else "")
        + f"\n*When:* {times}\n*Where:* {_meet_at(notice)}\n"
        + (CONFIDENTIAL if not notice.lunch_at else "Confidential unless you both agree otherwise.")
    )
    if notice.lunch_at:
        about = (
            f"Goal: {notice.goal}\nLunch in person at {notice.lunch_at}. Confidential unless you both agree."
        )
    else:
        where = f"Online: {notice.link}" if notice.link else "In your group DM in Slack."
        about = f"Goal: {notice.goal}\n{where} {CONFIDENTIAL}"
    return _render(
        text,
        _section(f":handshake: {text}"),
        _section(details),
        ActionsBlock(
            block_id="add_to_calendar",
            elements=calendar_buttons(
                TITLE, start, timedelta(minutes=notice.minutes) if notice.minutes else SLOT_LENGTH, about
            ),
        ),
        _context("Can't make it? `/mentor list` lets either of you cancel; the other is told."),
    )


def _meet_at(notice: n.Confirmation) -> str:
    """A lunch's office, the mentor's own link, or the group DM. A validated https link may still hold
    characters Slack's <url|text> markup reads: then it is shown as text."""
    link = notice.link
    if notice.lunch_at:
        return f"lunch in person at {escape(notice.lunch_at)}, an hour"
    if not link:
        return "we'll meet in the group DM (start a huddle here)"
    if set("<>|") & set(link):
        return f"online, {escape(link)}"
    return f"online, <{link}|the mentor's meeting link>"


def request_fell_through(notice: n.RequestDeclined | n.RequestExpired) -> Message:
    when = local_time(notice.start, notice.tz)
    if isinstance(notice, n.RequestExpired):
        text = (
            f"{mention(notice.mentor_id)} didn't answer in time, so your request for {when} expired "
            "and the slot was freed."
        )
    else:
        why = f" ({escape(notice.reason)})" if notice.reason else ""
        text = f"{mention(notice.mentor_id)} can't take your request for {when}{why}. No worries, it happens."
    blocks: list[Block] = [_section(text), _section(f"*Your goal:* {escape(notice.goal)}")]
    options = [(o.mentor_id, o.matched, o.slots) for o in notice.options]
    if options:
        blocks.append(_section("Here are other mentors you could pick:"))
        blocks.extend(offer_blocks(notice.ask_id, options, notice.tz))
    else:
        blocks.append(_section("Nobody else is free right now; try `/mentor ask` again in a few days."))
    return _render(text, *blocks)


def meeting_cancelled(notice: n.MeetingCancelled) -> Message:
    when = local_time(notice.start, notice.tz)
    text = f"{mention(notice.by)} cancelled your conversation on {when} (goal: {escape(notice.goal)})."
    blocks: list[Block] = [_section(text)]
    if notice.by_mentor:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text="Find another mentor",
                        action_id=Action.SHOW_OPTIONS,
                        value=AskRef(notice.ask_id).encode(),
                        style="primary",
                    )
                ]
            )
        )
    return _render(text, *blocks)
