"""Every command, action_id, callback_id and block_id, defined once."""

from __future__ import annotations

import re
from enum import StrEnum

COMMAND = "/mentor"


class Action(StrEnum):
    # Button values are the typed payloads of app/slack/payloads.py (SlotPick, MeetingRef, …).
    PICK_SLOT = "pick_slot"  # value: {"a": ask_id, "m": mentor_id, "s": epoch seconds}
    ACCEPT_REQUEST = "accept_request"  # value: meeting id
    DECLINE_REQUEST = "decline_request"  # value: meeting id
    CANCEL_MEETING = "cancel_meeting"  # value: meeting id
    SHOW_OPTIONS = "show_options"  # value: ask id
    LEAVE_CONFIRM = "leave_confirm"
    LEAVE_STAY = "leave_stay"
    EDIT_PROFILE = "edit_profile"
    RATE = "rate"  # prefix: rate_1 … rate_5, value: meeting id
    GOAL_MET = "goal_met"  # prefix: goal_met_yes|partly|no, value: meeting id
    FEEDBACK_NOTE = "feedback_note"  # value: meeting id
    NOT_A_GOOD_FIT = "not_a_good_fit"  # value: meeting id
    FORGET_CONFIRM = "forget_confirm"
    FORGET_CANCEL = "forget_cancel"
    HOME_ASK = "home_ask"
    HOME_ABOUT = "home_about"
    HOME_BROWSE = "home_browse"
    CALENDAR_GOOGLE = "calendar_google"  # a link button: acked, nothing else
    CALENDAR_OUTLOOK = "calendar_outlook"
    MENTOR_AVAILABLE = "mentor_available"  # value: "on" | "off"
    DIRECTORY_PAGE = "directory_page"  # prefix: directory_page_prev|next, value: DirectoryPageRef
    ASK_MENTOR = "ask_mentor"  # prefix: ask_mentor_<n>, value: MentorPick
    JOIN_SESSION = "join_session"  # value: SessionRef
    LEAVE_SESSION = "leave_session"  # value: SessionRef
    CANCEL_SESSION = "cancel_session"  # value: SessionRef
    TAKE_SEAT = "take_seat"  # value: SessionRef (a seat offered from the waitlist)
    PASS_SEAT = "pass_seat"  # value: SessionRef
    MOVE_SESSION = "move_session"  # value: SessionRef; opens View.MOVE
    HOME_HOST = "home_host"
    PROGRAM_APPLY = "program_apply"  # value: WaveRef
    PROGRAM_ADJUST = "program_adjust"  # prefix: program_adjust_<n>, value: ProgramAdjustRef
    PROGRAM_END = "program_end"  # value: PairRef
    PROGRAM_REPAIR = "program_repair"  # prefix: program_repair_<n>, value: RepairRef
    PROGRAM_PICK = "program_pick"  # prefix: program_pick_<k>, value: ProgramSlotRef with index
    PROGRAM_CONFIRM = "program_confirm"  # value: ProgramSlotRef
    PROGRAM_RATE = "program_rate"  # prefix: program_rate_1..5 (it happened), value: ProgramSlotRef
    PROGRAM_NOT_HELD = "program_not_held"  # value: ProgramSlotRef
    PROGRAM_NOTE = "program_note"  # value: ProgramSlotRef
    PROGRAM_SURVEY = "program_survey"  # value: WaveRef; opens View.PROGRAM_SURVEY
    PROGRAM_COACH_NUDGE = "program_coach_nudge"  # value: CoachNudgeRef
    # A booked program session (#14): move it (opens View.PROGRAM_MOVE), skip it, set its agenda.
    PROGRAM_MOVE = "program_move"  # value: ProgramSlotRef
    PROGRAM_SKIP = "program_skip"  # value: ProgramSlotRef
    PROGRAM_AGENDA = "program_agenda"  # value: ProgramSlotRef; opens View.PROGRAM_AGENDA
    PROGRAM_ADJUST_FORM = "program_adjust_form"  # value: ProgramAdjustRef ("preview"): the adjust modal
    PROGRAM_HOME_APPLY = "program_home_apply"  # value: WaveRef (Apply on the App Home)
    COFFEE_JOIN = "coffee_join"
    COFFEE_SKIP = "coffee_skip"  # value: RoundRef (pool id, the round's epoch seconds)
    COFFEE_LEAVE = "coffee_leave"
    COFFEE_PAUSE = "coffee_pause"  # value: days
    COFFEE_RESUME = "coffee_resume"
    COFFEE_MET = "coffee_met"  # prefix: coffee_met_yes|not_yet|no, value: group id
    SESSION_ANSWER = "session_answer"  # prefix: session_answer_attended_yes|rating_3|got_partly…, SessionRef


# Slack wants action_ids unique within a block, so one-of-five buttons carry the choice in the id.
RATE_PATTERN = re.compile(r"^rate_([1-5])$")
GOAL_MET_PATTERN = re.compile(r"^goal_met_(yes|partly|no)$")
COFFEE_MET_PATTERN = re.compile(r"^coffee_met_(yes|not_yet|no)$")
PICK_SLOT_PATTERN = re.compile(r"^pick_slot(_\d+)?$")
DIRECTORY_PAGE_PATTERN = re.compile(r"^directory_page_(prev|next)$")
ASK_MENTOR_PATTERN = re.compile(r"^ask_mentor_\d+$")
PROGRAM_ADJUST_PATTERN = re.compile(r"^program_adjust_\d+$")
PROGRAM_REPAIR_PATTERN = re.compile(r"^program_repair_\d+$")
PROGRAM_PICK_PATTERN = re.compile(r"^program_pick_\d$")
PROGRAM_RATE_PATTERN = re.compile(r"^program_rate_([1-5])$")
SESSION_ANSWER_PATTERN = re.compile(
    r"^session_answer_(attended_(?:yes|no)|rating_[1-5]|got_(?:yes|partly|no))$"
)


class View(StrEnum):
    COFFEE_POOL = "coffee_pool_new"  # private_metadata: ProfileForm (the channel it was opened from)
    PROFILE = "mentor_profile"  # private_metadata: ProfileForm (the channel it was opened from)
    FEEDBACK_NOTE = "feedback_note"  # private_metadata: NoteForm (a meeting id)
    ABOUT = "about_you"  # private_metadata: ProfileForm (the channel it was opened from)
    ASK = "ask_modal"  # private_metadata: AskForm (the mentor it is aimed at, if any)
    HOST = "host_session"  # private_metadata: ProfileForm (the channel it was opened from)
    MOVE = "move_session_form"  # private_metadata: SessionRef
    PROGRAM_NEW = "program_new"  # private_metadata: ProfileForm (the channel it was opened from)
    PROGRAM_APPLY = "program_apply"  # private_metadata: WaveRef
    PROGRAM_ADD = "program_add"  # private_metadata: ProgramAdjustRef (action "preview": the program)
    PROGRAM_END = "program_end"  # private_metadata: PairRef
    PROGRAM_NOTE = "program_note"  # private_metadata: ProgramSlotRef
    PROGRAM_SURVEY = "program_survey_form"  # private_metadata: WaveRef
    PROGRAM_MOVE = "program_move"  # private_metadata: ProgramMoveRef (the session, its moves so far)
    PROGRAM_AGENDA = "program_agenda"  # private_metadata: ProgramSlotRef
    PROGRAM_ADJUST = "program_adjust_view"  # private_metadata: PreviewFormRef


class ProgramField(StrEnum):
    """The programs' modal inputs: each is both its block's block_id and its input's action_id."""

    NAME = "program_name"
    PURPOSE = "program_purpose"
    KIND = "program_kind"
    GAP = "program_gap"
    OTHER_TEAM = "program_other_team"
    SESSIONS = "program_sessions"
    EVERY = "program_every"
    MINUTES = "program_minutes"
    START = "program_start"
    COACHES = "program_coaches"
    CAPACITY = "program_capacity"
    ROLE = "program_role"
    TEAM = "program_team"
    LEVEL = "program_level"
    INTERESTS = "program_interests"
    GOALS = "program_goals"
    INTRO = "program_intro"
    CONSENT = "program_consent"
    CSV = "program_csv"
    END_REASON = "program_end_reason"
    NOTE = "program_note_text"
    SURVEY_GOAL = "program_survey_goal"
    SURVEY_EXPERIENCE = "program_survey_experience"
    SURVEY_BUSINESS = "program_survey_business"
    SURVEY_PERSONAL = "program_survey_personal"
    SURVEY_BRAND = "program_survey_brand"
    SURVEY_ALUMNI = "program_survey_alumni"
    MOVE_TO = "program_move_to"
    AGENDA = "program_agenda_text"
    ADJUST_WHAT = "program_adjust_what"
    ADJUST_MENTOR = "program_adjust_mentor"
    ADJUST_MENTEE = "program_adjust_mentee"
    ADJUST_PERSON = "program_adjust_person"


class Block(StrEnum):
    POOL_NAME = "pool_name"
    POOL_CHANNEL = "pool_channel"
    POOL_EVERY = "pool_every"
    POOL_WEEKDAY = "pool_weekday"
    POOL_TIME = "pool_time"
    POOL_TZ = "pool_tz"
    POOL_SIZE = "pool_size"
    POOL_WINDOW = "pool_window"
    POOL_MODE = "pool_mode"
    POOL_SETTINGS = "pool_settings"
    POOL_OPTIONS = "pool_options"
    TOPICS = "topics"
    BIO = "bio"
    MEETING_LINK = "meeting_link"  # the mentor's own https link (#12)
    WINDOWS = "windows"
    CAPACITY = "capacity"
    TEAM = "team"
    LEVEL = "level"
    REVERSE = "reverse"
    NOTE = "note"
    GOAL = "goal"
    ASK_TOPICS = "ask_topics"
    HOURS = "hours"
    ASK_KIND = "ask_kind"
    OFFICE = "office"
    OFFICE_DAYS = "office_days"
    SESSION_FORMAT = "session_format"
    SESSION_TITLE = "session_title"
    SESSION_TOPICS = "session_topics"
    SESSION_DATE = "session_date"
    SESSION_TIME = "session_time"
    SESSION_LENGTH = "session_length"
    SESSION_SEATS = "session_seats"
    SESSION_WHERE = "session_where"
    SESSION_LINK = "session_link"
    SESSION_OFFICE = "session_office"
    SESSION_PLACE = "session_place"
    SESSION_DESCRIPTION = "session_description"
    SESSION_CHECK_INS = "session_check_ins"


class Field(StrEnum):
    """The action_id of the single input inside each profile block."""

    POOL_NAME = "pool_name_input"
    POOL_CHANNEL = "pool_channel_input"
    POOL_EVERY = "pool_every_input"
    POOL_WEEKDAY = "pool_weekday_input"
    POOL_TIME = "pool_time_input"
    POOL_TZ = "pool_tz_input"
    POOL_SIZE = "pool_size_input"
    POOL_WINDOW = "pool_window_input"
    POOL_MODE = "pool_mode_input"
    POOL_SETTINGS = "pool_settings_input"
    POOL_OPTIONS = "pool_options_input"

    TOPICS = "topics_input"
    BIO = "bio_input"
    MEETING_LINK = "meeting_link_input"
    WINDOWS = "windows_input"
    CAPACITY = "capacity_input"
    TEAM = "team_input"
    LEVEL = "level_input"
    REVERSE = "reverse_input"
    NOTE = "note_input"
    GOAL = "goal_input"
    ASK_TOPICS = "ask_topics_input"
    HOURS = "hours_input"
    ASK_KIND = "ask_kind_input"
    OFFICE = "office_input"
    OFFICE_DAYS = "office_days_input"
    SESSION_FORMAT = "session_format_input"
    SESSION_TITLE = "session_title_input"
    SESSION_TOPICS = "session_topics_input"
    SESSION_DATE = "session_date_input"
    SESSION_TIME = "session_time_input"
    SESSION_LENGTH = "session_length_input"
    SESSION_SEATS = "session_seats_input"
    SESSION_WHERE = "session_where_input"
    SESSION_LINK = "session_link_input"
    SESSION_OFFICE = "session_office_input"
    SESSION_PLACE = "session_place_input"
    SESSION_DESCRIPTION = "session_description_input"
    SESSION_CHECK_INS = "session_check_ins_input"
