"""One example of every notice type, for tests that need a notice of a kind, not a particular one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.services import notices as n

START = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)


def example(kind: str, key: str, *, to: str = "U1", other: str = "U2") -> n.Notice:
    """A notice of ``kind`` with ``key``, sent to ``to`` (and ``other``, for a pair), naming ``other``."""
    session_fields = dict(
        session_id=4,
        program="Reverse",
        number=1,
        of=7,
        minutes=60,
        mentor_id=other,
        mentee_id=to,
        mentor_tz="UTC",
        mentee_tz="UTC",
    )
    fell_through = dict(
        key=key,
        to=to,
        meeting_id=1,
        mentor_id=other,
        ask_id=1,
        goal="Talk about tests",
        start=START,
        reason="",
        tz="UTC",
        options=(n.MentorOption("U3", ("python",), (START,)),),
        topic_matched=True,
    )
    examples: dict[str, n.Notice] = {
        "mentor_request": n.MentorRequest(
            key=key,
            to=to,
            meeting_id=1,
            asker_id=other,
            goal="Talk about tests",
            topics=("python",),
            start=START,
            tz="UTC",
            expires_at=START,
        ),
        "request_closed": n.RequestClosed(
            key=key, update_of="meeting:1:request", meeting_id=1, asker_id=other, why="you accepted"
        ),
        "confirmation": n.Confirmation(
            key=key,
            users=(other, to),
            asker_id=other,
            mentor_id=to,
            meeting_id=1,
            goal="Talk about tests",
            topics=(),
            start=START,
            tzs={to: "UTC", other: "Europe/Berlin"},
        ),
        "request_declined": n.RequestDeclined(**fell_through),  # type: ignore[arg-type]
        "request_expired": n.RequestExpired(**fell_through),  # type: ignore[arg-type]
        "meeting_cancelled": n.MeetingCancelled(
            key=key,
            to=to,
            by=other,
            meeting_id=1,
            goal="Talk about tests",
            start=START,
            tz="UTC",
            ask_id=1,
            by_mentor=True,
        ),
        "feedback_question": n.FeedbackQuestion(
            key=key, to=to, meeting_id=1, role="asker", other_id=other, goal="Talk", start=START, tz="UTC"
        ),
        "coffee_intro": n.CoffeeIntro(
            key=key,
            users=(to, other),
            proposer=to,
            icebreaker="Tea or coffee?",
            group_id=1,
            people={to: n.Colleague("Platform", ("python",)), other: n.Colleague()},
        ),
        "coffee_followup": n.CoffeeFollowup(key=key, users=(to, other), group_id=1),
        "coffee_paused": n.CoffeePaused(key=key, to=to),
        "coffee_left_out": n.CoffeeLeftOut(key=key, to=to),
        "coffee_heads_up": n.CoffeeHeadsUp(key=key, to=to, pool="mentors", pool_id=2, round_at=START),
        "coffee_partner_left": n.CoffeePartnerLeft(key=key, to=to),
        "session_seat_confirmed": n.SeatConfirmed(
            key=key,
            to=to,
            session_id=1,
            host_id=other,
            title="Office hours",
            start=START,
            tz="UTC",
            minutes=45,
            where="online: https://meet.example.com/abc",
            about="Bring one question",
            sequence=2,
            at=START,
            on_calendar=True,
        ),
        "session_check_in": n.SessionCheckIn(
            key=key,
            users=(other, to),
            session_id=1,
            host_id=other,
            title="Deep work",
            number=2,
            minutes_left=90,
        ),
        "session_feedback_question": n.SessionFeedbackQuestion(
            key=key,
            to=to,
            session_id=1,
            host_id=other,
            title="Office hours",
            start=START,
            tz="Asia/Kolkata",
            minutes=45,
            where="online: https://meet.example.com/abc",
            at=START,
        ),
        "session_rating_for_host": n.SessionRatingForHost(
            key=key, to=to, session_id=1, title="Office hours", average=4.33, ratings=3
        ),
        "session_reminder": n.SessionReminder(
            key=key,
            to=to,
            session_id=1,
            host_id=other,
            title="Office hours",
            start=START,
            tz="Asia/Kolkata",
            minutes=45,
            where="online: https://meet.example.com/abc",
            at=START,
        ),
        "session_moved": n.SessionMoved(
            key=key,
            to=to,
            session_id=1,
            host_id=other,
            title="Office hours",
            start=START,
            tz="Europe/Berlin",
            minutes=60,
            where="Berlin, room 3",
            sequence=1,
            at=START,
            on_calendar=True,
            was=START - timedelta(days=1),
        ),
        "session_seat_offered": n.SeatOffered(
            key=key, to=to, session_id=1, host_id=other, title="Office hours", start=START, tz="UTC"
        ),
        "session_seat_offer_lapsed": n.SeatOfferLapsed(
            key=key, to=to, session_id=1, host_id=other, title="Office hours", start=START, tz="UTC"
        ),
        "session_cancelled": n.SessionCancelled(
            key=key, to=to, session_id=1, host_id=other, title="Office hours", start=START, tz="Asia/Tokyo"
        ),
        "session_gathering": n.SessionGathering(
            key=key,
            users=(other, to),
            session_id=1,
            host_id=other,
            title="Office hours",
            start=START,
            minutes=45,
            where="online: https://meet.example.com/abc",
            tzs={to: "UTC", other: "Europe/Berlin"},
        ),
        "program_invite": n.ProgramInvite(key=key, to=to, wave_id=1, program="Reverse", purpose="Learn"),
        "program_intro": n.ProgramIntro(
            key=key,
            mentor_id=other,
            mentee_id=to,
            program="Reverse",
            purpose="Learn",
            intros={other: "I build", to: "I lead"},
            sessions=7,
            every_weeks=4,
            minutes=60,
            pair_id=5,
            goals={to: "Learn how releases work"},
        ),
        "program_coach_brief": n.CoachBrief(key=key, to=to, program="Reverse", pairs=((other, "U3"),)),
        "program_pair_ended": n.PairEnded(key=key, to=to, program="Reverse", mentor_id=other, mentee_id=to),
        "program_pair_ended_admin": n.PairEndedAdmin(
            key=key,
            to=to,
            program="Reverse",
            pair_id=3,
            mentor_id=other,
            mentee_id="U3",
            ended_by=other,
            reason="no time",
            options=((other, "U4", 2),),
        ),
        "program_session_proposed": n.SessionProposed(
            key=key,
            slots=(START,),
            **session_fields,  # type: ignore[arg-type]
        ),
        "program_session_picked": n.SessionPicked(
            key=key,
            to=to,
            session_id=4,
            program="Reverse",
            number=1,
            start=START,
            minutes=60,
            mentee_id=other,
            tz="UTC",
        ),
        "program_session_booked": n.SessionBooked(
            key=key,
            start=START,
            at=START,
            **session_fields,  # type: ignore[arg-type]
        ),
        "program_session_check_in": n.ProgramCheckIn(
            key=key, to=to, session_id=4, program="Reverse", number=1, partner_id=other
        ),
        "program_coach_digest": n.CoachDigest(
            key=key,
            to=to,
            program="Reverse",
            of=7,
            tz="UTC",
            lines=(n.DigestLine(other, "U3", 2, 3, START), n.DigestLine("U4", "U5", 0, 1, None, ended=True)),
        ),
        "program_coach_check_in": n.CoachCheckIn(
            key=key, to=to, program="Reverse", coach_id=other, mentee_id="U3"
        ),
        "program_coach_prompt": n.CoachPrompt(
            key=key, to=to, pair_id=3, program="Reverse", mentor_id=other, mentee_id="U3", held=2, due=3, k=1
        ),
        "program_wave_survey": n.WaveSurvey(key=key, to=to, wave_id=1, program="Reverse", number=1),
        # #14 sessions: moved, skipped, the agenda, behind schedule, a partner who left.
        "program_session_moved": n.ProgramSessionMoved(
            key=key,
            start=START,
            at=START,
            moves=1,
            moved_by=to,
            **session_fields,  # type: ignore[arg-type]
        ),
        "program_session_agenda": n.SessionAgendaSet(
            key=key,
            update_of="program-session:4:booked",
            start=START,
            at=START,
            agenda="Budgets",
            **session_fields,  # type: ignore[arg-type]
        ),
        "program_session_skipped": n.SessionSkipped(
            key=key,
            skipped_by=to,
            next_at=START + timedelta(weeks=4),
            start=START,
            moves=0,
            at=START,
            **session_fields,  # type: ignore[arg-type]
        ),
        "program_agenda_asked": n.AgendaAsked(
            key=key, to=to, session_id=4, program="Reverse", number=1, start=START, tz="UTC", mentee_id=other
        ),
        "program_agenda_shared": n.AgendaShared(
            key=key,
            to=to,
            session_id=4,
            program="Reverse",
            number=1,
            start=START,
            tz="UTC",
            mentor_id=other,
            agenda="Budgets",
            version=1,
        ),
        "program_pair_behind": n.PairBehind(
            key=key, program="Reverse", mentor_id=other, mentee_id=to, number=1, next_at=None
        ),
        "program_coach_behind": n.CoachBehind(
            key=key, to=to, program="Reverse", mentor_id=other, mentee_id="U3", missed=2
        ),
        "program_partner_left": n.PartnerLeft(key=key, to=to, program="Reverse", gone_id=other),
        "home_refresh": n.HomeRefresh(key=key, to=to),
    }
    return examples[kind]
