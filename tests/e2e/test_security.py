"""Nobody gets in where they don't belong (issue #5), driven as Slack (or someone crafting payloads) would.

- Admin powers: every admin-only command is sent, correctly signed, by a non-admin. It is refused with an
  ephemeral message, changes nothing (database and fake Slack), and leaves a WARNING naming the user. The
  services check too, so a listener that forgot would still be refused.
- What people type is shown as text: goals, teams, notes and topics carrying ``<!channel>``, mentions,
  links and ``& < >`` arrive escaped (``&amp; &lt; &gt;``) on every surface; lengths are limited with a
  clear message and never produce a message Slack would refuse; SQL-looking input is stored literally.
- Secrets: with every logger at DEBUG, neither the bot token nor the signing secret reaches a log record
  or anything sent to a person, through Web API errors, ``invalid_auth`` and exceptions in listeners.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import time as clock
from datetime import time, timedelta
from typing import Any

import pytest
from e2e_support import (
    ADMIN,
    ASKER,
    MENTOR,
    OTHER,
    SIGNING_SECRET,
    button,
    buttons,
    slot_buttons,
    slot_of,
    text_of,
)
from slack_requests import (
    FORM,
    app_home_opened_event,
    number_input,
    signed_headers,
    slash_command_body,
    static_select,
)
from sqlalchemy import func, inspect, select

from app.db.models import (
    Ask,
    CoffeeAvoid,
    CoffeeChannel,
    CoffeeGroup,
    CoffeeGroupMember,
    CoffeeParticipant,
    CoffeePool,
    CoffeeRound,
    Feedback,
    Meeting,
    Member,
    MentorProfile,
    MentorTopic,
    Notice,
)
from app.domain.errors import NotAllowed
from app.sandbox.standin import MAX_MESSAGE_BLOCKS, MAX_VIEW_BLOCKS, check_blocks
from app.services.people import Person

CHANNEL = "C0COFFEE9"
POOL = [f"UPOOL{i:04d}" for i in range(4)]
KNOWN_USERS = {MENTOR, ASKER, OTHER, ADMIN, *POOL}

# What a person types, character for character: broadcasts, a mention, a channel, a disguised link,
# formatting and the three characters Slack wants escaped.
RAW = "<!channel> <!here> <!everyone> <@U0EVIL99> <#C0EVIL99> <https://evil.example|click me> *bold* & < >"
# Slack's own markup for the same things when picked from autocomplete (what a slash command carries).
MARKUP = "<!channel> <!here> <!everyone> <@U0EVIL99|eve> <https://evil.example|click me>"
ESCAPED_RAW = RAW.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_escaped(text: str) -> str:
    """Text as Slack puts it in a slash command when typed literally (it escapes & < > itself)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Typed after /mentor ask: the literal characters, then the autocompleted markup, then a topic.
GOAL_COMMAND = f"Help {slack_escaped(RAW)} {MARKUP} #python"
# ...and what is kept: plain text, Slack's markup turned into its visible words.
GOAL_STORED = f"Help {RAW} @channel @here @everyone @eve https://evil.example"


# --- reading what was shown ---------------------------------------------------------------------------


def mrkdwn_texts(obj: Any) -> list[str]:
    """Every mrkdwn text object's text in a block tree (plain_text is never interpreted by Slack)."""
    found: list[str] = []
    if isinstance(obj, dict):
        if obj.get("type") == "mrkdwn" and isinstance(obj.get("text"), str):
            found.append(obj["text"])
        for value in obj.values():
            found += mrkdwn_texts(value)
    elif isinstance(obj, list):
        for value in obj:
            found += mrkdwn_texts(value)
    return found


def message_texts(message: dict[str, Any]) -> list[str]:
    # A message's top-level text is mrkdwn too (and is what notifications show).
    return [str(message.get("text") or ""), *mrkdwn_texts(message.get("blocks"))]


def shown(fake) -> list[tuple[str, str]]:
    """(where, mrkdwn text) for everything the bot showed anyone: messages, answers, views, ephemerals."""
    out: list[tuple[str, str]] = []
    for m in fake.all_messages():
        out += [(f"message in {m['channel']}", t) for t in message_texts(m)]
    for r in fake.responses:
        out += [(f"response {r.key}", t) for t in message_texts(r.body)]
    for view in list(fake.views.values()):
        out += [
            (f"view {view.get('callback_id') or view['type']}", t) for t in mrkdwn_texts(view.get("blocks"))
        ]
    for e in fake.ephemerals:
        out += [(f"ephemeral for {e['user']}", t) for t in message_texts(e)]
    return out


_MARKUP = re.compile(r"<([^<>]*)>")
_BARE_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")


def assert_inert(where: str, text: str, *, channels: frozenset[str] = frozenset()) -> None:
    """Only the bot's own markup (mentions of real people, a coffee channel) is left to Slack to interpret."""
    for markup in _MARKUP.finditer(text):
        inner = markup[1]
        ok = (inner.startswith("@") and inner[1:] in KNOWN_USERS) or (
            inner.startswith("#") and inner[1:] in channels
        )
        assert ok, f"{where}: user text became markup {markup[0]!r} in {text!r}"
    assert not _BARE_AMPERSAND.search(text), f"{where}: unescaped & in {text!r}"


def assert_everything_inert(fake, *, channels: frozenset[str] = frozenset()) -> None:
    for where, text in shown(fake):
        assert_inert(where, text, channels=channels)
    # Answers through response_url are not checked by the fake; check them as Slack would.
    for r in fake.responses:
        assert check_blocks(r.body.get("blocks") or [], MAX_MESSAGE_BLOCKS) == [], (r.key, r.body)
        assert len(str(r.body.get("text") or "")) <= 4000, r.key


def texts_in(fake, channel: str) -> str:
    return "\n".join(t for m in fake.messages_in(channel) for t in message_texts(m))


def response_text(answer) -> str:
    return "\n".join(message_texts(answer.body))


# --- driving ------------------------------------------------------------------------------------------


def said_to(h, user_id: str, text: str) -> str:
    """The visible text of a command's answer, whether it came in the ack or through response_url."""
    reply = h.command(user_id, text)
    if reply.body.strip():
        return "\n".join(message_texts(reply.json()))
    key = h.sender.last_response_key
    return response_text(h.fake.wait_for(lambda: h.fake.responses_for(key))[-1])


def home(h, user_id: str) -> dict[str, Any]:
    before = len(h.fake.calls_to("views.publish"))
    h.sender.event(app_home_opened_event(user_id))
    h.fake.wait_for(lambda: len(h.fake.calls_to("views.publish")) > before)
    return h.fake.home_view(user_id)


def profile_values(
    *,
    topics: str = "python",
    bio: str = "",
    team: str = "",
    capacity: str = "2",
    windows: str = "Mon-Fri 09:00-17:00",
    level: str | None = None,
) -> dict[str, dict[str, Any]]:
    return {
        "topics": {"topics_input": topics},
        "bio": {"bio_input": bio},
        "windows": {"windows_input": windows},
        "capacity": {"capacity_input": number_input(capacity)},
        "team": {"team_input": team},
        "level": {"level_input": static_select(level)},
        "reverse": {"reverse_input": {"type": "checkboxes", "selected_options": []}},
    }


def submit_profile(h, user_id: str, **values: Any):
    reply = h.sender.submit(user_id, "mentor_profile", values=profile_values(**values))
    assert reply.status == 200, reply
    return reply.json()


def wait_for_row(engine, query, timeout: float = 5.0):
    deadline = clock.monotonic() + timeout
    while True:
        with engine.connect() as connection:
            row = connection.execute(query).first()
        if row is not None or clock.monotonic() > deadline:
            return row
        clock.sleep(0.02)


# ======================================================================================================
# Admin powers
# ======================================================================================================

STATE_MODELS = (
    Member,
    MentorProfile,
    MentorTopic,
    Ask,
    Meeting,
    Feedback,
    Notice,
    CoffeeParticipant,
    CoffeeAvoid,
    CoffeeChannel,
    CoffeePool,
    CoffeeRound,
    CoffeeGroup,
    CoffeeGroupMember,
)


def snapshot(engine) -> dict[str, Any]:
    """Every row of the tables an admin command could touch (timestamps of members aside: a lookup may
    refresh them)."""
    state: dict[str, Any] = {}
    with engine.connect() as connection:
        for model in STATE_MODELS:
            columns = [c for c in inspect(model).columns if c.key not in ("updated_at",)]
            rows = connection.execute(select(*columns)).all()
            state[model.__tablename__] = sorted(map(repr, rows))
    return state


def admin_setup(h) -> None:
    """A pool, a coffee channel the bot can read, and a schedule an admin set: so a forged command would
    have something to change."""
    for i, user_id in enumerate(POOL):
        h.fake.add_user(user_id, f"pool{i}", real_name=f"Pool {i}", tz="Europe/London")
    h.fake.add_channel(CHANNEL, members=POOL, name="coffee")
    for user_id in POOL:
        h.answer(user_id, "coffee join")
    h.answer(ADMIN, "coffee schedule weekly mon 09:00 Europe/Berlin")


def refusals(caplog, user_id: str) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "app.slack.app"
        and r.levelno == logging.WARNING
        and "refused" in r.getMessage()
        and user_id in r.getMessage()
    ]


ADMIN_COMMANDS = [
    "stats",
    "stats 90d",
    "stats all",
    "export",
    f"coffee channel <#{CHANNEL}|coffee>",
    "coffee channel #coffee",
    "coffee schedule every 2 weeks fri 16:00 UTC",
    "coffee run",
    "coffee preview",
]


@pytest.mark.parametrize("text", ADMIN_COMMANDS)
def test_a_forged_admin_command_is_refused_changes_nothing_and_is_logged(harness, engine, caplog, text):
    admin_setup(harness)
    before = snapshot(engine)
    calls_before = len(harness.fake.calls)
    caplog.clear()

    answer = harness.answer(ASKER, text)

    said = text_of(answer.blocks, answer.text)
    assert "Only Mentorbot admins" in said, said
    assert answer.response_type == "ephemeral" and not answer.replace_original
    assert "Program health" not in said and "Pool:" not in said  # no figures, no groups
    assert not any(u in said for u in POOL)
    harness.wait_idle()  # anything the listener would still do is done
    assert snapshot(engine) == before
    # The only Web API call a refusal may cost is looking the person up.
    assert {c.method for c in harness.fake.calls[calls_before:]} <= {"users.info"}, harness.fake.dump()
    assert harness.fake.files == {}
    assert harness.fake.all_messages() == []
    assert len(refusals(caplog, ASKER)) == 1, [r.getMessage() for r in caplog.records]


def test_the_snapshot_sees_what_an_admin_changes(harness, engine):
    # The control for the test above: the same commands from an admin do change things.
    admin_setup(harness)
    before = snapshot(engine)
    harness.answer(ADMIN, "coffee schedule every 2 weeks fri 16:00 UTC")
    after_schedule = snapshot(engine)
    assert after_schedule[CoffeePool.__tablename__] != before[CoffeePool.__tablename__]
    attached = harness.answer(ADMIN, f"coffee channel <#{CHANNEL}|coffee>")
    assert "is a coffee channel" in text_of(attached.blocks, attached.text)
    ran = harness.answer(ADMIN, "coffee run")
    assert "is running" in text_of(ran.blocks, ran.text)
    after = snapshot(engine)
    for model in (CoffeeChannel, CoffeeRound):
        assert after[model.__tablename__] != before[model.__tablename__]


ADMIN_SERVICE_CALLS = {
    "insight.stats": lambda s, p: s.insight.stats(p, 30),
    "insight.export_csv": lambda s, p: s.insight.export_csv(p, None),
    "roulette.add_channel": lambda s, p: s.roulette.add_channel(p, CHANNEL, "coffee"),
    "roulette.set_schedule": lambda s, p: s.roulette.set_schedule(
        p, every_weeks=2, weekday=4, at=time(16, 0), tz="UTC"
    ),
    "roulette.preview": lambda s, p: s.roulette.preview(p),
    "roulette.run_now": lambda s, p: s.roulette.run_now(p),
    "roulette.add_channel_and_sync": lambda s, p: s.roulette.add_channel_and_sync(
        p, CHANNEL, "coffee", _no_slack_read
    ),
    "roulette.sync_channels_and_run_now": lambda s, p: s.roulette.sync_channels_and_run_now(
        p, _no_slack_read
    ),
}


def _no_slack_read(channel_id: str):
    raise AssertionError(f"read the members of {channel_id} for someone who may not")


@pytest.mark.parametrize("name", sorted(ADMIN_SERVICE_CALLS))
def test_the_services_check_admin_powers_themselves(harness, engine, name):
    # Not only the listener: a service called for a non-admin refuses, whoever calls it.
    admin_setup(harness)
    before = snapshot(engine)
    with pytest.raises(NotAllowed):
        ADMIN_SERVICE_CALLS[name](harness.bot.services, Person(ASKER, "ash", "UTC"))
    assert snapshot(engine) == before


def test_the_admin_dashboard_has_no_buttons_to_forge(harness):
    # The Home dashboard is figures only: there is no admin-only button or modal a payload could aim at.
    view = home(harness, ADMIN)
    blocks = view["blocks"]
    start = next(i for i, b in enumerate(blocks) if "Program health" in json.dumps(b))
    assert buttons(blocks[start:]) == []
    actions_after = [b for b in blocks[start:] if b["type"] == "actions" or "accessory" in b]
    assert actions_after == []


# ======================================================================================================
# What people type is shown as text
# ======================================================================================================


def test_a_goal_full_of_markup_is_text_on_every_surface_of_a_mentoring(harness, engine):
    fake = harness.fake
    harness.answer(MENTOR, "join #python")
    harness.answer(OTHER, "join #python")

    offers = harness.answer(ASKER, f"ask {GOAL_COMMAND}")
    assert ESCAPED_RAW in response_text(offers)  # the asker's own offers
    chosen = next(b for b in slot_buttons(offers.blocks) if slot_of(b)[1] == MENTOR)
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.deliver()
    request = fake.dms_to(MENTOR)[-1]
    assert ESCAPED_RAW in "\n".join(message_texts(request))  # the mentor's request DM
    assert ESCAPED_RAW in response_text(harness.answer(MENTOR, "list"))
    assert ESCAPED_RAW in "\n".join(mrkdwn_texts(home(harness, MENTOR)["blocks"]))

    # Declined: the asker is told, with the goal, and offered the other mentor.
    harness.click(
        MENTOR, "decline_request", button(request["blocks"], "decline_request")["value"], message=request
    )
    harness.deliver()
    fell_through = fake.dms_to(ASKER)[-1]
    assert ESCAPED_RAW in "\n".join(message_texts(fell_through))
    again = next(b for b in slot_buttons(fell_through["blocks"]) if slot_of(b)[1] == OTHER)
    harness.click(ASKER, again["action_id"], again["value"], message=fell_through)
    harness.deliver()
    request = fake.dms_to(OTHER)[-1]
    harness.click(
        OTHER, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    harness.deliver()
    assert ESCAPED_RAW in texts_in(fake, fake.dm_channel_for(ASKER, OTHER))  # the confirmation group DM

    for user_id in (ASKER, OTHER):
        assert ESCAPED_RAW in response_text(harness.answer(user_id, "list")), user_id
        assert ESCAPED_RAW in "\n".join(mrkdwn_texts(home(harness, user_id)["blocks"])), user_id

    start = slot_of(again)[2]
    harness.clock.set(start + timedelta(minutes=16))
    harness.bot.services.feedback.request_due_feedback()
    harness.deliver()
    question = fake.dms_to(ASKER)[-1]
    assert ESCAPED_RAW in "\n".join(message_texts(question))  # "Was your goal met? …"
    harness.click(ASKER, "rate_4", button(question["blocks"], "rate_4")["value"], message=question)

    with engine.connect() as connection:
        assert connection.execute(select(Ask.goal)).scalars().all() == [GOAL_STORED]
    assert_everything_inert(fake)


def test_a_goal_typed_into_the_home_form_is_text_too_and_so_is_the_cancellation(harness, engine):
    fake = harness.fake
    harness.answer(MENTOR, "join #python")
    view = home(harness, ASKER)
    harness.sender.action(ASKER, "home_ask", "ask", view=view)
    modal = fake.wait_for(lambda: fake.modals_for(ASKER))[-1]
    reply = harness.sender.submit(
        ASKER, view=modal, values={"goal": {"goal_input": RAW}, "ask_topics": {"ask_topics_input": "python"}}
    )
    assert reply.status == 200 and not reply.body.strip()
    offers = fake.wait_for(lambda: fake.dms_to(ASKER))[-1]  # posted with chat.postMessage: the fake checks it
    assert ESCAPED_RAW in "\n".join(message_texts(offers))
    chosen = slot_buttons(offers["blocks"])[0]
    sent = harness.click(ASKER, chosen["action_id"], chosen["value"], message=offers)
    harness.deliver()
    assert ESCAPED_RAW in "\n".join(message_texts(fake.dms_to(MENTOR)[-1]))
    harness.click(ASKER, "cancel_meeting", button(sent.blocks, "cancel_meeting")["value"])
    harness.deliver()
    told = next(m for m in fake.dms_to(MENTOR) if "cancelled your conversation" in m["text"])
    assert ESCAPED_RAW in told["text"]  # the notification text, not only the blocks
    with engine.connect() as connection:
        assert connection.execute(select(Ask.goal)).scalars().all() == [RAW]
    assert_everything_inert(fake)


def test_a_goal_nobody_can_serve_is_shown_as_text(harness):
    answer = harness.answer(ASKER, f"ask {GOAL_COMMAND}")
    assert "Nobody on the mentor register is available" in response_text(answer)
    assert ESCAPED_RAW in response_text(answer)
    assert_everything_inert(harness.fake)


def test_a_bad_topic_or_word_is_quoted_as_text_in_the_error(harness, engine):
    for text, expected in (
        (f"ask Help me #{slack_escaped('<!channel>')}", "&lt;!channel&gt;"),
        (f"join {slack_escaped('<!here>')}", "&lt;!here&gt;"),
        (f"join #{slack_escaped('a&b')}", "a&amp;b"),
        (f"coffee {slack_escaped('<!everyone>')}", "&lt;!everyone&gt;"),
        (slack_escaped("<@U0EVIL99>"), "&lt;@U0EVIL99&gt;"),
    ):
        said = said_to(harness, ASKER, text)
        assert expected in said, (text, said)
        assert_inert(text, said)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Ask)).scalar_one() == 0


def test_team_names_in_coffee_intros_are_text(harness, engine):
    fake = harness.fake
    team = "<!channel> & <@U0EVIL99> <https://evil.example|team> *x*"
    for i, user_id in enumerate(POOL):
        fake.add_user(user_id, f"pool{i}", tz="Europe/London")
        assert submit_profile(harness, user_id, team=team) is None
        # The form is saved after the ack; wait, or two first writes for a new person race (see report).
        assert wait_for_row(engine, select(MentorProfile.user_id).where(MentorProfile.user_id == user_id))
        harness.answer(user_id, "coffee join")
    with engine.connect() as connection:
        teams = set(connection.execute(select(Member.team).where(Member.user_id.in_(POOL))).scalars())
    assert teams == {team}  # stored as typed
    preview = harness.answer(ADMIN, "coffee preview")
    assert "Pool: 4 people" in response_text(preview)
    harness.answer(ADMIN, "coffee run")
    harness.deliver()
    intros = [m for m in fake.all_messages() if "Meet your coffee" in m["text"]]
    assert len(intros) == 2
    for intro in intros:
        text = "\n".join(message_texts(intro))
        assert "&lt;!channel&gt; &amp; &lt;@U0EVIL99&gt; &lt;https://evil.example|team&gt;" in text
        assert "mentors on `#python`" in text
    assert_everything_inert(fake)


def test_team_names_cannot_become_formulas_in_the_export(harness, engine):
    # Five people name their team like a spreadsheet formula and ask for help (a team row needs five
    # people and some activity). The admin opens the CSV in a spreadsheet: no cell may start a formula.
    fake = harness.fake
    team = '=HYPERLINK("https://evil.example","click")'
    people = [f"UTEAM{i:04d}" for i in range(5)]
    for user_id in people:
        fake.add_user(user_id, user_id.lower(), tz="UTC")
        assert submit_profile(harness, user_id, team=team) is None
        assert wait_for_row(engine, select(MentorProfile.user_id).where(MentorProfile.user_id == user_id))
        harness.answer(user_id, "ask How do we grow? #growth")
    assert "sent the CSV" in harness.answer(ADMIN, "export").text
    fake.wait_for(lambda: fake.calls_to("files.completeUploadExternal", ok=True))
    (record,) = fake.files.values()
    content = record["content"]
    rows = list(csv.reader(io.StringIO(content.decode() if isinstance(content, bytes) else content)))
    teams = [r[1] for r in rows if r and r[0] == "team"]
    assert teams and any("HYPERLINK" in t for t in teams), rows  # the team is in the file...
    for r in rows:
        for cell in r:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (
                cell,
                r,
            )  # ...but never as a formula


def test_a_private_note_is_kept_as_typed_and_shown_only_to_its_author(harness, engine):
    fake = harness.fake
    note = f"{RAW} '; DROP TABLE feedback; -- 100% _done_"
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, "ask Learn fixtures #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.deliver()
    request = fake.dms_to(MENTOR)[-1]
    harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    harness.deliver()
    harness.clock.set(slot_of(chosen)[2] + timedelta(minutes=16))
    harness.bot.services.feedback.request_due_feedback()
    harness.deliver()
    question = fake.dms_to(ASKER)[-1]
    meeting_id = button(question["blocks"], "feedback_note")["value"]

    harness.sender.action(ASKER, "feedback_note", meeting_id, message=question)
    modal = fake.wait_for(lambda: fake.modals_for(ASKER))[-1]
    too_long = harness.sender.submit(ASKER, view=modal, values={"note": {"note_input": "n" * 2001}})
    assert too_long.json()["response_action"] == "errors"
    assert "2000" in too_long.json()["errors"]["note"]
    saved = harness.sender.submit(ASKER, view=modal, values={"note": {"note_input": note}})
    assert saved.status == 200 and not saved.body.strip()
    row = wait_for_row(
        engine, select(Feedback.note).where(Feedback.user_id == ASKER, Feedback.note.is_not(None))
    )
    assert row is not None and row[0] == note
    # Shown back to its author only, in the modal's plain_text input, exactly as typed.
    before = len(fake.modals_for(ASKER))
    harness.sender.action(ASKER, "feedback_note", meeting_id, message=question)
    reopened = fake.wait_for(lambda: len(fake.modals_for(ASKER)) > before and fake.modals_for(ASKER))[-1]
    element = reopened["blocks"][0]["element"]
    assert element["type"] == "plain_text_input" and element["initial_value"] == note
    # The mentor, or anyone else, sees nothing of it; a forged note on their feedback is refused.
    assert all("DROP TABLE" not in json.dumps(m) for m in fake.all_messages())
    assert all("DROP TABLE" not in json.dumps(r.body) for r in fake.responses)
    forged = harness.sender.submit(
        OTHER, "feedback_note", values={"note": {"note_input": "x"}}, private_metadata=meeting_id
    )
    assert forged.status == 200
    harness.wait_idle()
    with engine.connect() as connection:
        assert connection.execute(select(Feedback.note).where(Feedback.user_id == ASKER)).scalar_one() == note
        assert (
            connection.execute(
                select(func.count()).select_from(Feedback).where(Feedback.user_id == OTHER)
            ).scalar_one()
            == 0
        )
    assert_everything_inert(fake)


# --- lengths ------------------------------------------------------------------------------------------


def test_profile_fields_over_their_limits_are_refused_beside_the_field(harness, engine):
    # Slack enforces the modal's max_length, but a crafted submission doesn't have to.
    for values, block, expected in (
        ({"bio": "b" * 501}, "bio", "500"),
        ({"team": "t" * 101}, "team", "100"),
        ({"topics": "t" * 31}, "topics", "at most 30"),
        ({"topics": "a, b, c, d, e, f"}, "topics", "at most 5"),
        ({"topics": "100%"}, "topics", "can't be a topic"),
        ({"capacity": "21"}, "capacity", "0 to 20"),
        ({"level": "99"}, "level", "levels in the list"),
    ):
        answer = submit_profile(harness, MENTOR, **values)
        assert answer and answer["response_action"] == "errors", (values, answer)
        assert expected in answer["errors"][block], (values, answer)
    harness.wait_idle()
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(MentorProfile)).scalar_one() == 0

    # At the limits, all is kept as typed.
    assert submit_profile(harness, MENTOR, bio="b" * 500, team="t" * 100, topics="a_b, c++") is None
    row = wait_for_row(
        engine, select(MentorProfile.bio, Member.team).join(Member, Member.user_id == MentorProfile.user_id)
    )
    assert row is not None and (len(row.bio), len(row.team)) == (500, 100)


def test_the_home_form_refuses_an_overlong_goal(harness, engine):
    reply = harness.sender.submit(
        ASKER, "ask_modal", values={"goal": {"goal_input": "g" * 301}, "ask_topics": {"ask_topics_input": ""}}
    )
    answer = reply.json()
    assert answer["response_action"] == "errors" and "300" in answer["errors"]["goal"]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Ask)).scalar_one() == 0


def test_the_longest_goal_made_of_characters_that_grow_when_escaped_fits_every_message(harness, engine):
    # 300 characters that each become 4-5 when escaped: every message must still be one Slack accepts
    # (the fake refuses invalid blocks in chat.postMessage; response_url answers are checked below).
    fake = harness.fake
    goal = ("&<>" * 100)[:300]
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, f"ask {slack_escaped(goal)} #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.deliver()
    request = fake.dms_to(MENTOR)[-1]
    harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    harness.deliver()
    harness.answer(ASKER, "list")
    home(harness, ASKER)
    home(harness, MENTOR)
    assert not [c for c in fake.calls if not c.ok], fake.dump()
    assert texts_in(fake, fake.dm_channel_for(ASKER, MENTOR))  # the confirmation went out
    with engine.connect() as connection:
        assert connection.execute(select(Ask.goal)).scalar_one() == goal
    assert_everything_inert(fake)


def test_long_lists_stay_within_slacks_block_limits(harness, engine):
    fake = harness.fake
    submit_profile(harness, MENTOR, capacity="20", windows="Mon-Sun 00:00-23:45")
    wait_for_row(engine, select(MentorProfile.user_id))
    askers = [f"UASKS{i:04d}" for i in range(12)]
    services = harness.bot.services
    for user_id in askers:
        fake.add_user(user_id, user_id.lower(), tz="UTC")
        person = Person(user_id, user_id.lower(), "UTC")
        outcome = services.mentoring.ask(person, f"Goal of {user_id} #python", ("python",))
        offer = outcome.ranking.offers[0]
        services.mentoring.request_slot(person, outcome.ask_id, offer.mentor.user_id, offer.slots[0])
    listing = harness.answer(MENTOR, "list")
    assert check_blocks(listing.blocks, MAX_MESSAGE_BLOCKS) == []
    assert "… and 2 more" in response_text(listing)
    view = home(harness, MENTOR)
    assert check_blocks(view["blocks"], MAX_VIEW_BLOCKS) == []
    assert "… and 2 more" in "\n".join(mrkdwn_texts(view["blocks"]))


def test_a_crafted_channel_label_or_user_id_cannot_overflow_a_column(harness, engine):
    harness.fake.add_channel(CHANNEL, members=[ADMIN], name="coffee")
    attached = harness.answer(ADMIN, f"coffee channel <#{CHANNEL}|{'x' * 300}>")
    assert "is a coffee channel" in response_text(attached)
    with engine.connect() as connection:
        assert len(connection.execute(select(CoffeeChannel.name)).scalar_one()) <= 80
    said = said_to(harness, ASKER, f"coffee avoid <@U{'A' * 60}|x>")
    assert "Mention one person" in said
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(CoffeeAvoid)).scalar_one() == 0


# --- SQL ----------------------------------------------------------------------------------------------


def test_sql_in_goals_and_teams_is_stored_literally(harness, engine):
    goals = [
        "'; DROP TABLE members; --",
        "Robert'); DROP TABLE asks;-- \" OR 1=1 --",
        "100% of _all_ \\ rows",
    ]
    for goal in goals:
        harness.answer(ASKER, f"ask {slack_escaped(goal)}")
    team = "x'); DELETE FROM members; --"
    assert submit_profile(harness, MENTOR, team=team) is None
    wait_for_row(engine, select(MentorProfile.user_id))
    with engine.connect() as connection:
        assert connection.execute(select(Ask.goal).order_by(Ask.id)).scalars().all() == goals
        assert connection.execute(select(Member.team).where(Member.user_id == MENTOR)).scalar_one() == team
        assert connection.execute(select(func.count()).select_from(Member)).scalar_one() == 2


def test_wildcards_in_topics_match_only_themselves(harness):
    harness.answer(MENTOR, "join #a_b")
    for topic, matched in (("a_b", True), ("axb", False), ("_", False), ("a", False), ("a_", False)):
        offers = harness.answer(ASKER, f"ask Anything #{topic}")
        text = response_text(offers)
        assert ("No mentor covers" not in text) is matched, (topic, text)
    for text in ("ask Anything #%", "ask Anything #a%b", "join #%"):
        assert "can't be a topic" in said_to(harness, ASKER, text), text


# ======================================================================================================
# Secrets
# ======================================================================================================


def test_tokens_and_the_signing_secret_never_reach_logs_or_people(harness, engine, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, slack_sdk's and Bolt's included
    fake = harness.fake
    secrets = (fake.bot_token, SIGNING_SECRET)
    acks: list[str] = []

    # An ordinary path: Web API calls, response_url answers, a delivery.
    harness.answer(MENTOR, "join #python")
    offers = harness.answer(ASKER, "ask Review my PR #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.click(ASKER, chosen["action_id"], chosen["value"])
    harness.deliver()
    request = fake.dms_to(MENTOR)[-1]

    # Web API errors: a refused message, then invalid_auth on a lookup and on a delivery.
    fake.fail_next("chat.postMessage", "channel_not_found")
    harness.click(
        MENTOR, "accept_request", button(request["blocks"], "accept_request")["value"], message=request
    )
    harness.deliver()
    fake.fail_next("users.info", "invalid_auth")
    harness.answer(OTHER, "coffee status")
    offers = harness.answer(OTHER, "ask Anything #python")
    chosen = slot_buttons(offers.blocks)[0]
    harness.click(OTHER, chosen["action_id"], chosen["value"])
    fake.fail_next("conversations.open", "invalid_auth")
    harness.deliver()
    assert fake.calls_to("conversations.open", ok=False)[-1].error == "invalid_auth"

    # Exceptions inside listeners: a modal Slack won't open, an upload refused with invalid_auth.
    fake.fail_next("views.open", "internal_error")
    sorry = harness.answer(MENTOR, "profile")
    assert "went wrong on my side" in sorry.text
    fake.fail_next("files.getUploadURLExternal", "invalid_auth")
    assert "went wrong on my side" in harness.answer(ADMIN, "export").text
    assert fake.calls_to("files.getUploadURLExternal", ok=False)[-1].error == "invalid_auth"

    # A forged request, and one with a body the bot can't read.
    body = slash_command_body(text="stats", user_id=ADMIN, response_url=fake.response_url("forged"))
    forged = harness.sender.post_raw(body, signed_headers("not-the-secret", body))
    assert forged.status == 401
    acks.append(forged.body)
    acks.append(harness.sender.post("\x00 not a form %%%", FORM).body)
    acks.append(harness.command(ASKER, "xyz").body)

    debug = [r for r in caplog.records if r.levelno == logging.DEBUG and r.name.startswith("slack_sdk")]
    assert debug, "slack_sdk logged nothing at DEBUG: the test would prove nothing"
    assert any("Authorization" in r.getMessage() for r in debug)  # headers are logged, redacted
    assert any(r.exc_info or r.exc_text for r in caplog.records)  # a traceback was logged
    for record in caplog.records:
        line = caplog.handler.format(record)
        for secret in secrets:
            assert secret not in line, f"{record.name}: {line[:500]}"

    seen = [json.dumps(r.body) for r in fake.responses]
    seen += [json.dumps(m) for m in fake.all_messages()]
    seen += [json.dumps(v) for v in fake.views.values()]
    seen += [json.dumps(c.args) for c in fake.calls]  # nothing the bot sent carries a secret as data
    seen += acks
    for text in seen:
        for secret in secrets:
            assert secret not in text, text[:500]
