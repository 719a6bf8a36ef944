"""The end of a wave through signed requests (#14): at the wave's end date everyone of its pairs gets
the survey (once, whoever runs the job), answers it once in a modal (a second click or submission and a
late one are refused kindly), a "yes" to the alumni group is invited to the channel the admin named
(or told it, when Slack won't let the bot invite), one reminder goes to whoever hasn't answered; then
the stats show goal achievement, program satisfaction, effectiveness and brand impression beside their
benchmarks, counted here by hand, with a chart PNG for the admin, and the export carries them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, timedelta

import pytest
from e2e_support import ADMIN, ASKER, buttons
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from test_program_endings import open_modal_via, pick, said
from test_program_outcomes import MENTEES, MENTORS, NAME, answer, hold, pairs_now, setup_program

from app.db.models import ProgramSession
from app.services.programs import survey
from app.slack.payloads import WaveRef

ALUMNI = "CALUMNI01"
# goal, experience, business, personal, reflects well, alumni
ANSWERS = [
    ("yes", "best", "extremely", "extremely", "yes", "yes"),
    ("yes", "good", "effective", "effective", "yes", "no"),
    ("partly", "good", "effective", "extremely", "no", "no"),
    ("partly", "neutral", "somewhat", "somewhat", "no", "no"),
    ("no", "poor", "not", "somewhat", "no", "no"),
    ("yes", "best", "effective", "effective", "yes", "yes"),
    ("yes", "good", "effective", "effective", "yes", "no"),
    ("partly", "good", "effective", "effective", "no", "no"),
]
FIELDS = ("goal", "experience", "business", "personal", "brand", "alumni")


def values(row):
    return {f"program_survey_{f}": {f"program_survey_{f}": pick(v)} for f, v in zip(FIELDS, row, strict=True)}


def survey_button(h, who):
    found = [
        b
        for m in h.fake.dms_to(who)
        for b in buttons(m.get("blocks") or [])
        if b["action_id"] == "program_survey"
    ]
    return found[-1]


def first_session_for_all(h, engine, start, pairs):
    programs = h.bot.services.programs
    h.clock.set(start + timedelta(hours=1))
    programs.propose_due_sessions()
    h.wait_idle()
    for mentee in MENTEES:
        hold(h, pairs[mentee], mentee, 1)
    h.wait_idle()
    with engine.connect() as c:
        latest = max(
            c.execute(select(ProgramSession.start).where(ProgramSession.start.is_not(None))).scalars()
        )
    h.clock.set(latest.replace(tzinfo=UTC) + timedelta(minutes=61))
    programs.ask_after_sessions()
    h.wait_idle()
    for mentee in MENTEES:
        answer(h, mentee, 1, "program_rate_4")
    h.wait_idle()


def test_the_end_of_wave_survey_and_the_outcomes_it_gives(harness, engine):
    h = harness
    start = setup_program(h, engine)
    pairs = pairs_now(engine)
    people = [*MENTEES, *(pairs[m] for m in MENTEES)]  # the ten in pairs; the sixth mentor isn't asked
    first_session_for_all(h, engine, start, pairs)
    programs = h.bot.services.programs
    h.fake.add_channel(ALUMNI, members=[ADMIN], name="reverse-alumni")
    assert "Only Mentorbot admins" in said(h.answer(ASKER, f"program alumni {NAME} <#{ALUMNI}>"))
    assert "Name one channel" in h.command(ADMIN, f"program alumni {NAME}").json()["text"]
    assert f"alumni group is <#{ALUMNI}>" in said(h.answer(ADMIN, f"program alumni {NAME} <#{ALUMNI}>"))
    shown = said(h.answer(ADMIN, f"program stats {NAME}"))
    assert "End-of-wave survey:* not asked yet" in shown

    # The wave runs 7 sessions x 4 weeks: nothing before its end, then everyone once.
    h.clock.set(start + timedelta(weeks=28) - timedelta(hours=1))
    assert programs.send_wave_surveys() == 0
    h.clock.set(start + timedelta(weeks=28, hours=1))
    factory = sessionmaker(engine)
    with factory() as s:
        seen_by_a_second_replica = survey.due_waves(s, h.clock.now())
    assert programs.send_wave_surveys() == 10
    assert programs.send_wave_surveys() == 0  # a second run asks no one again
    with pytest.raises(IntegrityError), factory.begin() as s:  # nor a replica that read the same
        survey.ask(s, seen_by_a_second_replica[0], now=h.clock.now())
    h.wait_idle()
    for who in people:
        assert len([m for m in h.fake.dms_to(who) if "Answer the survey" in str(m)]) == 1
    (unpaired,) = set(MENTORS) - set(pairs.values())
    assert not [m for m in h.fake.dms_to(unpaired) if "survey" in str(m)]

    stranger = h.click(ASKER, "program_survey", WaveRef(1).encode())
    assert "isn't one you were asked" in said(stranger)
    for who, row in zip(people, ANSWERS, strict=False):
        b = survey_button(h, who)
        modal = open_modal_via(
            h, who, lambda b=b, who=who: h.sender.action(who, "program_survey", b["value"])
        )
        assert modal["callback_id"] == "program_survey_form"
        if who == people[5]:  # the operator didn't add channels:manage: this "yes" is told the channel
            h.fake.fail_next("conversations.invite", "missing_scope")
        if who == people[1]:
            half = values(row)
            del half["program_survey_goal"]
            refused = h.sender.submit(who, view=modal, values=half).json()
            assert (
                refused["response_action"] == "errors"
                and "Pick one" in refused["errors"]["program_survey_goal"]
            )
        assert h.sender.submit(who, view=modal, values=values(row)).status == 200
        h.wait_idle()
        if who == people[1]:  # the same form sent again: nothing changes
            again = h.sender.submit(who, view=modal, values=values(ANSWERS[4])).json()
            assert "already answered" in again["errors"]["program_survey_goal"]
    assert "already answered" in said(
        h.click(people[0], "program_survey", survey_button(h, people[0])["value"])
    )
    thanks = [m["text"] for m in h.fake.dms_to(people[0]) if "Thank you: your answers" in m.get("text", "")]
    assert len(thanks) == 1 and f"invited to the alumni group: <#{ALUMNI}>" in thanks[0]
    assert people[0] in h.fake.channels[ALUMNI].members
    told = [m["text"] for m in h.fake.dms_to(people[5]) if "Thank you: your answers" in m.get("text", "")]
    assert (
        f"Join the alumni group in <#{ALUMNI}>" in told[0]
        and people[5] not in h.fake.channels[ALUMNI].members
    )
    assert "alumni" not in str([m for m in h.fake.dms_to(people[1]) if "Thank you" in m.get("text", "")])

    # One reminder, three days on, to the two who haven't answered; then none; late answers refused.
    h.clock.set(start + timedelta(weeks=28, days=3, hours=2))
    assert programs.send_wave_surveys() == 2
    assert programs.send_wave_surveys() == 0
    h.wait_idle()
    for who in people:
        reminded = [
            m for m in h.fake.dms_to(who) if "A reminder: the end-of-wave survey" in m.get("text", "")
        ]
        assert len(reminded) == (1 if who in people[8:] else 0)
    h.clock.set(start + timedelta(weeks=30, hours=2))
    assert "closed 14 days after" in said(
        h.click(people[9], "program_survey", survey_button(h, people[9])["value"])
    )

    # By hand, 8 of 10 answered: goal yes 4 (50%), partly 3 (38%); good or best 6 (75%); effective for
    # business 6 (75%), personally 6 (75%); reflects well 4 (50%).
    before = set(h.fake.files)
    shown = said(h.answer(ADMIN, f"program stats {NAME}"))
    assert "Goal achievement:* 50% achieved their goal, 38% partly (8 of 10 answered the survey)" in shown
    assert "Program satisfaction:* 75% said good or one of the best — benchmark over 80%" in shown
    assert "Effective for business:* 75% — benchmark 80% (The Hartford)" in shown
    assert "Effective personally:* 75% — benchmark 97% (The Hartford)" in shown
    assert "Brand impression:* 50% say it reflects well on the organisation" in shown
    assert "10 held a first session" in shown

    # The chart of sessions held per week, a PNG in the admin's DM.
    (chart,) = h.fake.wait_for(
        lambda: [f for f in h.fake.files if f not in before and h.fake.files[f].get("completed")]
    )
    record = h.fake.files[chart]
    assert record["name"] == "program-sessions-per-week.png" and record["content"][:8] == b"\x89PNG\r\n\x1a\n"
    assert record["channels"] == [h.fake.dm_channel_for(ADMIN)]

    # The export: the activity table, a blank line, then the programs' figures with their benchmarks.
    before = set(h.fake.files)
    assert "sent the CSV" in said(h.answer(ADMIN, "export"))
    (new,) = h.fake.wait_for(
        lambda: [f for f in h.fake.files if f not in before and h.fake.files[f].get("content")]
    )
    content = h.fake.files[new]["content"]
    text = content.decode() if isinstance(content, bytes) else content
    programs_table = text.split("\n\n", 1)[1] if "\n\n" in text else text.split("\r\n\r\n", 1)[1]
    rows = {r[2]: r for r in csv.reader(io.StringIO(programs_table)) if r and r[0] == "program"}
    assert rows["goal_achieved"][3:6] == ["0.50", "4", "8"]
    assert rows["program_satisfaction"][3:7] == ["0.75", "6", "8", "over 0.80"]
    assert rows["effective_business"][6] == "0.80 The Hartford"
    assert rows["effective_personal"][3:7] == ["0.75", "6", "8", "0.97 The Hartford"]
    assert rows["completion"][3:7] == ["0.00", "0", "5", "0.70 The Hartford"]
    assert rows["sessions_held_week_of"][4] == "5"
    for uid in people:
        assert uid not in shown and uid not in text  # aggregates only
