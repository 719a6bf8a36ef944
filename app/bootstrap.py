"""The one place that wires settings -> engine -> services -> Bolt app -> scheduler."""

from __future__ import annotations

import logging
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

from app.config import Settings
from app.db.engine import create_db_engine, create_session_factory
from app.services.clock import Clock, utc_now
from app.services.container import Services
from app.services.erasure import ErasureService
from app.services.feedback import FeedbackService
from app.services.insight import InsightService
from app.services.mentoring import MentoringService
from app.services.outbox import Outbox
from app.services.register import RegisterService
from app.services.roulette import RouletteService, RouletteSettings
from app.slack.app import create_bolt_app
from app.slack.delivery import Dispatcher
from app.slack.home import HomePublisher
from app.slack.http import create_wsgi_app
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

    def healthy(self) -> bool:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def wsgi_app(self) -> Any:
        return create_wsgi_app(self.bolt_app, self.healthy)


def create_web_client(settings: Settings, *, wait_out_rate_limits: bool = True) -> WebClient:
    """The Web API client, with the SDK's own retry handlers for drops, 5xx and (optionally) 429s.

    Delivery uses one without the 429 handler, so its pacer sees every 429 and learns the pace.
    """
    handlers: list[RetryHandler] = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    if wait_out_rate_limits:
        handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=handlers,
    )


def create_services(engine: Engine, settings: Settings, clock: Clock = utc_now) -> Services:
    sessions = create_session_factory(engine)
    mentoring = MentoringService(
        sessions,
        clock=clock,
        default_tz=settings.default_timezone,
        request_expiry=timedelta(hours=settings.request_expiry_hours),
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
        roulette=RouletteService(sessions, roulette_settings(settings), clock=clock),
        insight=InsightService(sessions, admins=settings.mentorbot_admins, clock=clock),
        erasure=ErasureService(sessions, mentoring, clock=clock),
    )


def roulette_settings(settings: Settings) -> RouletteSettings:
    return RouletteSettings(
        admins=settings.mentorbot_admins,
        default_tz=settings.default_timezone,
        repeat_window=settings.coffee_repeat_window,
        grace=timedelta(hours=settings.coffee_grace_hours),
        followup_after=timedelta(days=settings.coffee_followup_days),
        mix_levels=settings.coffee_mix_levels,
    )


def create_bot(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    engine: Engine | None = None,
    client: WebClient | None = None,
) -> Bot:
    engine = engine or create_db_engine(settings.database_url)
    client = client or create_web_client(settings)
    services = create_services(engine, settings, clock)
    people = PeopleDirectory(client, default_tz=settings.default_timezone)
    home = HomePublisher(client, services, people)
    bolt_app = create_bolt_app(settings, services, client, people, home)
    dispatcher = Dispatcher(
        services.outbox, create_web_client(settings, wait_out_rate_limits=False), refresh_home=home.publish
    )
    return Bot(settings, engine, services, client, bolt_app, dispatcher)
