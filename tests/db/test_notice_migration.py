"""Notices queued by the code of revision 0006 (kind strings, payload dicts) still decode, name their
people in ``notice_people`` and deliver after the upgrade to 0007, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from app.bootstrap import create_web_client
from app.config import load_settings
from app.db.engine import create_db_engine, create_session_factory
from app.db.migrate import alembic_config
from app.db.models import Notice, NoticePerson
from app.db.types import UTCDateTime
from app.sandbox.standin import FakeSlack
from app.services import notices
from app.services.outbox import Outbox
from app.slack.delivery import Dispatcher
from app.slack.pacing import DOCUMENTED_LIMITS, Limit, Pacer

QUEUED_AT = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
START = "2030-03-04T10:00:00+00:00"
MENTOR, ASKER, OTHER, PEER = "UMENTOR01", "UASKER01", "UOTHER01", "UPEER01"

# Exactly as the services of revision 0006 wrote them: (key, kind, priority, payload).
ROWS_AT_0006 = [
    (
        "meeting:7:request",
        "mentor_request",
        1,
        {
            "to": MENTOR,
            "meeting_id": 7,
            "asker_id": ASKER,
            "goal": "Prepare for on-call",
            "topics": ["sre"],
            "start": START,
            "tz": "Europe/Berlin",
            "expires_at": "2030-03-03T10:00:00+00:00",
        },
    ),
    (
        "meeting:7:request-closed",
        "request_closed",
        1,
        {"update_of": "meeting:7:request", "meeting_id": 7, "asker_id": ASKER, "why": "you accepted"},
    ),
    (
        "meeting:7:confirmed",
        "confirmation",
        1,
        {
            "users": [ASKER, MENTOR],
            "asker_id": ASKER,
            "mentor_id": MENTOR,
            "meeting_id": 7,
            "goal": "Prepare for on-call",
            "topics": ["sre"],
            "start": START,
            "tzs": {ASKER: "America/New_York", MENTOR: "Europe/Berlin"},
        },
    ),
    (
        "meeting:8:request_declined",
        "request_declined",
        1,
        {
            "to": ASKER,
            "meeting_id": 8,
            "mentor_id": MENTOR,
            "ask_id": 3,
            "goal": "Prepare for on-call",
            "start": START,
            "reason": "",
            "tz": "America/New_York",
            "options": [{"mentor_id": OTHER, "matched": ["sre"], "slots": [START]}],
            "topic_matched": True,
        },
    ),
    (
        "meeting:9:request_expired",
        "request_expired",
        1,
        {
            "to": ASKER,
            "meeting_id": 9,
            "mentor_id": OTHER,
            "ask_id": 4,
            "goal": "Review my design doc",
            "start": START,
            "reason": "",
            "tz": "America/New_York",
            "options": [],
            "topic_matched": False,
        },
    ),
    (
        "meeting:10:cancelled",
        "meeting_cancelled",
        1,
        {
            "to": ASKER,
            "by": MENTOR,
            "meeting_id": 10,
            "goal": "Prepare for on-call",
            "start": START,
            "tz": "America/New_York",
            "ask_id": 5,
            "by_mentor": True,
        },
    ),
    (
        "meeting:6:feedback:UASKER01",
        "feedback_question",
        0,
        {
            "to": ASKER,
            "meeting_id": 6,
            "role": "asker",
            "other_id": MENTOR,
            "goal": "Prepare for on-call",
            "start": START,
            "tz": "America/New_York",
        },
    ),
    (
        "meeting:5:feedback-reminder:UMENTOR01",
        "feedback_question",
        0,
        {
            "to": MENTOR,
            "meeting_id": 5,
            "role": "mentor",
            "other_id": ASKER,
            "goal": "Prepare for on-call",
            "start": START,
            "tz": "Europe/Berlin",
            "reminder": True,
        },
    ),
    (
        "coffee:2:11:intro",
        "coffee_intro",
        0,
        {
            "users": [OTHER, PEER],
            "proposer": PEER,
            "icebreaker": "Tea or coffee?",
            "group_id": 11,
            "people": {OTHER: {"team": "Platform", "topics": ["sre"]}, PEER: {"team": None, "topics": []}},
        },
    ),
    ("coffee:2:11:followup", "coffee_followup", 0, {"users": [OTHER, PEER], "group_id": 11}),
    ("coffee:paused:UPEER01:11", "coffee_paused", 0, {"to": PEER}),
    ("coffee:2:left-out:UOTHER01", "coffee_left_out", 0, {"to": OTHER}),
    ("coffee:2:partner-left:UPEER01", "coffee_partner_left", 0, {"to": PEER}),
    ("home:UASKER01:2030-03-01T09:00:00+00:00", "home_refresh", 1, {"to": ASKER}),
]
# Whom each is sent to and whom it names, as notice_people must hold them after the upgrade.
EXPECTED_PEOPLE = {
    "meeting:7:request": {(MENTOR, True), (ASKER, False)},
    "meeting:7:request-closed": {(ASKER, False)},
    "meeting:7:confirmed": {(ASKER, True), (MENTOR, True)},
    "meeting:8:request_declined": {(ASKER, True), (MENTOR, False), (OTHER, False)},
    "meeting:9:request_expired": {(ASKER, True), (OTHER, False)},
    "meeting:10:cancelled": {(ASKER, True), (MENTOR, False)},
    "meeting:6:feedback:UASKER01": {(ASKER, True), (MENTOR, False)},
    "meeting:5:feedback-reminder:UMENTOR01": {(MENTOR, True), (ASKER, False)},
    "coffee:2:11:intro": {(OTHER, True), (PEER, True)},
    "coffee:2:11:followup": {(OTHER, True), (PEER, True)},
    "coffee:paused:UPEER01:11": {(PEER, True)},
    "coffee:2:left-out:UOTHER01": {(OTHER, True)},
    "coffee:2:partner-left:UPEER01": {(PEER, True)},
    "home:UASKER01:2030-03-01T09:00:00+00:00": {(ASKER, True)},
}


@pytest.fixture(scope="module")
def fake_server():
    with FakeSlack() as fake:
        yield fake


def write_rows_at_0006(url: str) -> None:
    command.upgrade(alembic_config(url), "0006")
    table = sa.table(
        "notices",
        sa.column("key", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("status", sa.String()),
        sa.column("attempts", sa.Integer()),
        sa.column("priority", sa.SmallInteger()),
        sa.column("due_at", UTCDateTime()),
        sa.column("created_at", UTCDateTime()),
    )
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            for key, kind, priority, payload in ROWS_AT_0006:
                connection.execute(
                    table.insert().values(
                        key=key,
                        kind=kind,
                        payload=payload,
                        status="queued",
                        attempts=0,
                        priority=priority,
                        due_at=QUEUED_AT,
                        created_at=QUEUED_AT,
                    )
                )
    finally:
        engine.dispose()


def test_old_notices_decode_name_their_people_and_deliver_after_the_upgrade(empty_database_url, fake_server):
    url = empty_database_url
    write_rows_at_0006(url)
    command.upgrade(alembic_config(url), "0007")
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            rows = {r.key: r for r in connection.execute(select(Notice))}
            people: dict[str, set[tuple[str, bool]]] = {}
            for notice_key, user_id, addressee in connection.execute(
                select(Notice.key, NoticePerson.user_id, NoticePerson.addressee).join(
                    NoticePerson, NoticePerson.notice_id == Notice.id
                )
            ):
                people.setdefault(notice_key, set()).add((user_id, addressee))
        assert people == EXPECTED_PEOPLE
        for key, kind, _, payload in ROWS_AT_0006:
            notice = notices.decode(rows[key].kind, rows[key].payload, key=key)
            assert notice.kind == kind and notice.key == key
            assert notice.to_payload() == payload  # the same shape: stored again, it is the same row
            # The backfill and the type agree on whom the notice concerns.
            assert {(u, u in notice.send_to) for u in notice.recipients} == EXPECTED_PEOPLE[key]

        fake = fake_server
        fake.reset()
        for user_id, tz in ((MENTOR, "Europe/Berlin"), (ASKER, "America/New_York"), (OTHER, "UTC")):
            fake.add_user(user_id, user_id.lower(), tz=tz)
        fake.add_user(PEER, "peer", tz="UTC")
        settings = load_settings(
            _env_file=None,
            slack_bot_token=fake.bot_token,
            slack_signing_secret="s",
            slack_api_url=fake.api_url,
        )
        fast = {m: Limit(50.0, burst=50, per_channel=lim.per_channel) for m, lim in DOCUMENTED_LIMITS.items()}
        homes: list[str] = []
        outbox = Outbox(create_session_factory(engine), clock=lambda: QUEUED_AT + timedelta(hours=1))
        dispatcher = Dispatcher(
            outbox, create_web_client(settings, for_delivery=True), Pacer(fast), refresh_home=homes.append
        )
        settled = 0
        for _ in range(5):  # the update of the request DM may wait for the DM itself
            settled += dispatcher.drain()
            if settled == len(ROWS_AT_0006):
                break
        assert settled == len(ROWS_AT_0006)
        with engine.connect() as connection:
            statuses = dict(connection.execute(select(Notice.key, Notice.status)).all())
        assert set(statuses.values()) == {"sent"}
        assert homes == [ASKER]
        (request,) = fake.messages_in(fake.dm_channel_for(MENTOR))[:1]
        (update,) = fake.calls_to("chat.update", ok=True)
        assert update.args["ts"] == request["ts"] and "you accepted" in update.args["text"]
        asker_dm = [m["text"] for m in fake.messages_in(fake.dm_channel_for(ASKER))]
        assert any("can't take your request" in t for t in asker_dm)
        assert any("didn't answer in time" in t for t in asker_dm)
        assert any("cancelled your conversation" in t for t in asker_dm)
        assert any("How did your conversation" in t for t in asker_dm)
        mentor_dm = [m["text"] for m in fake.messages_in(fake.dm_channel_for(MENTOR))]
        assert any(t.startswith("A gentle reminder, the only one") for t in mentor_dm)
        group = [m["text"] for m in fake.messages_in(fake.dm_channel_for(OTHER, PEER))]
        assert any("Meet your coffee pair" in t for t in group) and any("Did you meet" in t for t in group)
        # the confirmation and its calendar file
        assert len(fake.messages_in(fake.dm_channel_for(ASKER, MENTOR))) == 2
        assert len(fake.messages_in(fake.dm_channel_for(OTHER))) == 1  # left out
        assert len(fake.messages_in(fake.dm_channel_for(PEER))) == 2  # paused, partner left
    finally:
        engine.dispose()


def test_the_downgrade_drops_notice_people_and_keeps_the_notices(empty_database_url):
    url = empty_database_url
    write_rows_at_0006(url)
    config = alembic_config(url)
    command.upgrade(config, "0007")
    command.downgrade(config, "0006")
    engine = create_db_engine(url)
    try:
        assert "notice_people" not in set(sa.inspect(engine).get_table_names())
        with engine.connect() as connection:
            assert connection.scalar(select(sa.func.count()).select_from(Notice.__table__)) == len(
                ROWS_AT_0006
            )
    finally:
        engine.dispose()
