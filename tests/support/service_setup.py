"""Services wired as bootstrap wires them, on a test's engine and clock, for service tests."""

from __future__ import annotations

from typing import Any

from clocks import TestClock

from app.bootstrap import create_services
from app.config import load_settings
from app.services.container import Services

ADMIN_ID = "UADMIN"


def services_on(engine: Any, clock: TestClock, **settings: Any) -> Services:
    """The services on ``engine`` and ``clock``, with ADMIN_ID the one admin unless ``settings`` say."""
    defaults: dict[str, Any] = {
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": "secret",
        "database_url": "sqlite://",  # the engine given is the one used; this only satisfies Settings
        "mentorbot_admins": ADMIN_ID,
    }
    return create_services(engine, load_settings(_env_file=None, **{**defaults, **settings}), clock)
