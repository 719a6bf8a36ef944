"""One admin policy: every admin-only use case refuses a non-admin with the same words."""

from __future__ import annotations

from datetime import time

import pytest
from clocks import TestClock

from app.bootstrap import create_services
from app.config import load_settings
from app.domain.errors import NotAllowed
from app.services import admins
from app.services.people import Person

ADMIN = Person("UADMIN", "Ada", "UTC")
SOMEONE = Person("USOMEONE", "Sam", "UTC")
REFUSAL = "Only Mentorbot admins can do that. Ask one of them, or see `/mentor help`."

ADMIN_ONLY = {
    "insight.stats": lambda s, p: s.insight.stats(p, 30),
    "insight.export_csv": lambda s, p: s.insight.export_csv(p, None),
    "roulette.require_admin": lambda s, p: s.roulette.require_admin(p),
    "roulette.add_channel": lambda s, p: s.roulette.add_channel(p, "C0COFFEE", "coffee"),
    "roulette.set_schedule": lambda s, p: s.roulette.set_schedule(
        p, every_weeks=2, weekday=4, at=time(16, 0), tz="UTC"
    ),
    "roulette.preview": lambda s, p: s.roulette.preview(p),
    "roulette.run_now": lambda s, p: s.roulette.run_now(p),
}


@pytest.fixture
def services(engine):
    settings = load_settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret="secret",
        database_url="sqlite://",
        mentorbot_admins=ADMIN.user_id,
    )
    return create_services(engine, settings, TestClock())


@pytest.mark.parametrize("name", sorted(ADMIN_ONLY))
def test_every_admin_only_use_case_refuses_with_one_wording(services, name):
    with pytest.raises(NotAllowed) as refused:
        ADMIN_ONLY[name](services, SOMEONE)
    assert refused.value.message == REFUSAL
    ADMIN_ONLY[name](services, ADMIN)  # and lets an admin through


def test_the_policy():
    assert admins.is_admin(frozenset({ADMIN.user_id}), ADMIN)
    assert not admins.is_admin(frozenset({ADMIN.user_id}), SOMEONE)
    assert not admins.is_admin(frozenset(), ADMIN)
    admins.require_admin({ADMIN.user_id}, ADMIN)
    with pytest.raises(NotAllowed, match="Only Mentorbot admins can do that"):
        admins.require_admin(set(), ADMIN)
