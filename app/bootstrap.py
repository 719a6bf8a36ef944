"""The one place that wires settings -> engine -> services -> Bolt app -> scheduler."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from sqlalchemy import Engine, text

from app.config import DatabaseSettings, Settings
from app.db.engine import create_db_engine, create_session_factory
from app.services.clock import Clock, utc_now
from app.services.coffee import RouletteService, RouletteSettings
from app.services.coffee_channels import CoffeeChannels
from app.services.container import Services
from app.services.delivery import NoticeDelivery
from app.services.erasure import ErasureService
from app.services.feedback import FeedbackService
from app.services.hosting import HostingService
from app.services.insight import InsightService
from app.services.members import AboutService, MembersService
from app.services.mentoring import MentoringService
from app.services.offices import OfficesService
from app.services.operations import Operations
from app.services.outbox import Outbox
from app.services.ports import ChannelMembers
from app.services.programs import ProgramsService
from app.services.register import RegisterService
from app.services.session_feedback import SessionFeedbackService
from app.services.waitlist import WaitlistService
from app.slack.after_ack import AfterAck
from app.slack.app import create_bolt_app
from app.slack.channel_sync import SlackChannelMembers, SlackWorkspacePeople
from app.slack.delivery import Dispatcher
from app.slack.home import HomePublisher
from app.slack.http import create_wsgi_app
from app.slack.identity import check_bot_token, use_verified_identity
from app.slack.metrics import Metrics
from app.slack.people import PeopleDirectory

log = logging.getLogger(__name__)


@dataclass
class Bot:
    settings: Settings
    engine: Engine
    services: Services
    client: WebClient
    bolt_app: App
    dispatcher: Dispatcher
    delivery: NoticeDelivery
    metrics: Metrics
    after_ack: AfterAck

    def healthy(self) -> bool:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def wsgi_app(self, *, socket_connected: Callable[[], bool] | None = None) -> Any:
        return create_wsgi_app(
            self.bolt_app, self.healthy, self.metrics, socket_connected, acks_first=self.after_ack.acks_first
        )

    def sign_in(self, stopped: threading.Event) -> bool:
        """auth.test before serving, waiting out an outage; False if ``stopped`` first.

        Raises ``TokenRefused`` when Slack refuses SLACK_BOT_TOKEN. Bolt is handed the answer, so no
        request waits for auth.test.
        """
        answer = check_bot_token(self.client, stopped)
        if answer is None:
            return False
        use_verified_identity(self.bolt_app, answer)
        log.info("signed in to Slack as %s in %s", answer.get("user"), answer.get("team"))
        return True


def create_web_client(settings: Settings, *, for_delivery: bool = False) -> WebClient:
    """The Web API client. Interactive calls get the SDK's own retry handlers for drops, 5xx and 429s.

    Delivery's client has none: its pacer must see every 429 to learn the pace, and a blind resend of a
    message whose answer was lost could post it twice. The outbox retries instead, and with
    ``SLACK_HISTORY_CHECK`` a retry first looks for the earlier message (``delivery.sending.Sender``).
    """
    handlers: list[RetryHandler] = []
    if not for_delivery:
        handlers = [
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=1),
        ]
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=handlers,
    )


def create_services(
    engine: Engine,
    settings: Settings,
    clock: Clock = utc_now,
    *,
    channel_members: ChannelMembers | None = None,
) -> Services:
    """The services over one engine; Slack's side comes in through ports (``services/ports.py``),
    read with a client of its own unless one is handed in."""
    sessions = create_session_factory(engine)
    client = create_web_client(settings)
    channel_members = channel_members or SlackChannelMembers(client)
    mentoring = MentoringService(
        sessions,
        clock=clock,
        default_tz=settings.default_timezone,
        request_expiry=timedelta(hours=settings.request_expiry_hours),
        reverse_min_level_gap=settings.reverse_min_level_gap,
    )
    roulette = RouletteService(sessions, roulette_settings(settings), clock=clock)
    confirm_within = timedelta(hours=settings.waitlist_confirm_hours)
    hosting = HostingService(
        sessions, clock=clock, default_tz=settings.default_timezone, confirm_within=confirm_within
    )
    return Services(
        mentoring=mentoring,
        register=RegisterService(sessions, mentoring, clock=clock),
        feedback=FeedbackService(
            sessions,
            clock=clock,
            default_tz=settings.default_timezone,
            reminder_after=timedelta(days=settings.feedback_reminder_days),
        ),
        outbox=Outbox(sessions, clock=clock),
        roulette=roulette,
        coffee_channels=CoffeeChannels(roulette, channel_members),
        insight=InsightService(sessions, admins=settings.mentorbot_admins, clock=clock),
        erasure=ErasureService(sessions, mentoring, hosting=hosting, clock=clock),
        operations=Operations(sessions, clock=clock),
        about=AboutService(sessions, clock=clock),
        offices=OfficesService(sessions, admins=settings.mentorbot_admins, clock=clock),
        hosting=hosting,
        waitlist=WaitlistService(
            sessions, clock=clock, default_tz=settings.default_timezone, within=confirm_within
        ),
        session_feedback=SessionFeedbackService(sessions, clock=clock, default_tz=settings.default_timezone),
        programs=ProgramsService(
            sessions,
            admins=settings.mentorbot_admins,
            channels=channel_members,
            workspace=SlackWorkspacePeople(client),
            clock=clock,
        ),
    )


def create_member_importer(engine: Engine, settings: DatabaseSettings) -> MembersService:
    """What ``import-members`` needs: the members, no Slack (so no tokens)."""
    return MembersService(create_session_factory(engine), default_tz=settings.default_timezone)


def roulette_settings(settings: Settings) -> RouletteSettings:
    return RouletteSettings(
        admins=settings.mentorbot_admins,
        default_tz=settings.default_timezone,
        repeat_window=settings.coffee_repeat_window,
        grace=timedelta(hours=settings.coffee_grace_hours),
        followup_after=timedelta(days=settings.coffee_followup_days),
        mix_levels=settings.coffee_mix_levels,
    )


def _people_gone(services: Services, users: list[str], reason: str) -> None:
    """Slack said these people can't be reached: leave them out of matches and rounds, and end their
    program pairings kindly (their partners told, the admin offered re-matches)."""
    services.operations.mark_unreachable(users, reason=reason)
    services.programs.people_left(users)


def create_bot(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    engine: Engine | None = None,
    client: WebClient | None = None,
) -> Bot:
    engine = engine or create_db_engine(settings.database_url)
    client = client or create_web_client(settings)
    services = create_services(engine, settings, clock, channel_members=SlackChannelMembers(client))
    people = PeopleDirectory(client, default_tz=settings.default_timezone)
    home = HomePublisher(client, services, people)
    after_ack = AfterAck(settings.after_ack_threads)
    bolt_app = create_bolt_app(settings, services, client, people, home, after_ack)
    dispatcher = Dispatcher(
        services.outbox,
        create_web_client(settings, for_delivery=True),
        refresh_home=home.publish,
        on_unreachable=lambda users, reason: _people_gone(services, users, reason),
        on_request_undeliverable=services.mentoring.mentor_unreachable,
        on_partner_unreachable=services.roulette.partner_unreachable,
        history_check=settings.slack_history_check,
    )
    metrics = Metrics(services.operations.snapshot)
    return Bot(
        settings,
        engine,
        services,
        client,
        bolt_app,
        dispatcher,
        NoticeDelivery(dispatcher),
        metrics,
        after_ack,
    )
