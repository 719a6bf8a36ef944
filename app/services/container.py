"""The set of services the adapters call, built once by bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.coffee import RouletteService
from app.services.coffee_channels import CoffeeChannels
from app.services.erasure import ErasureService
from app.services.feedback import FeedbackService
from app.services.hosting import HostingService
from app.services.insight import InsightService
from app.services.members import AboutService
from app.services.mentoring import MentoringService
from app.services.offices import OfficesService
from app.services.operations import Operations
from app.services.outbox import Outbox
from app.services.programs import ProgramsService
from app.services.register import RegisterService
from app.services.session_feedback import SessionFeedbackService
from app.services.waitlist import WaitlistService


@dataclass(frozen=True)
class Services:
    mentoring: MentoringService
    register: RegisterService
    feedback: FeedbackService
    outbox: Outbox
    roulette: RouletteService
    coffee_channels: CoffeeChannels
    insight: InsightService
    erasure: ErasureService
    operations: Operations
    about: AboutService
    offices: OfficesService
    hosting: HostingService
    session_feedback: SessionFeedbackService
    waitlist: WaitlistService
    programs: ProgramsService
