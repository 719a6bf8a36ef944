"""The tables, as typed SQLAlchemy 2 models, one module per room; every change ships with an Alembic
revision. Importing this package registers every table on ``Base.metadata``."""

from app.db.models.base import NAMING_CONVENTION, Base
from app.db.models.coffee import (
    CoffeeAvoid,
    CoffeeChannel,
    CoffeeChannelMember,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeHeadsUp,
    CoffeeParticipant,
    CoffeePool,
    CoffeePreview,
    CoffeeRound,
    CoffeeSkip,
)
from app.db.models.mentoring import Ask, Feedback, Meeting
from app.db.models.notices import Notice, NoticePerson, SlackEvent
from app.db.models.people import Member, MemberOffice, MentorProfile, MentorTopic, Office, RegisterChange
from app.db.models.program_outcomes import ProgramAlumni, ProgramCoachSend, ProgramSurvey
from app.db.models.program_sessions import ProgramEnding, ProgramSession, ProgramSessionAnswer
from app.db.models.programs import (
    Program,
    ProgramAdjustment,
    ProgramApplication,
    ProgramCoach,
    ProgramInvitation,
    ProgramPair,
    ProgramWave,
)
from app.db.models.session_feedback import SessionFeedback
from app.db.models.sessions import HostedSession, SessionSeat, SessionTopic

__all__ = [
    "NAMING_CONVENTION",
    "Ask",
    "Base",
    "CoffeeAvoid",
    "CoffeeChannel",
    "CoffeeChannelMember",
    "CoffeeGroup",
    "CoffeeGroupMember",
    "CoffeeHeadsUp",
    "CoffeeParticipant",
    "CoffeePool",
    "CoffeePreview",
    "CoffeeRound",
    "CoffeeSkip",
    "Feedback",
    "HostedSession",
    "Meeting",
    "Member",
    "MemberOffice",
    "MentorProfile",
    "MentorTopic",
    "Notice",
    "NoticePerson",
    "Office",
    "Program",
    "ProgramAdjustment",
    "ProgramAlumni",
    "ProgramApplication",
    "ProgramCoach",
    "ProgramCoachSend",
    "ProgramEnding",
    "ProgramInvitation",
    "ProgramPair",
    "ProgramSession",
    "ProgramSessionAnswer",
    "ProgramSurvey",
    "ProgramWave",
    "RegisterChange",
    "SessionFeedback",
    "SessionSeat",
    "SessionTopic",
    "SlackEvent",
]
