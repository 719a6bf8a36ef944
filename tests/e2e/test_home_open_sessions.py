"""The Home's "open sessions for your topics and office", through signed requests and the published
Home: a session on a topic you asked about, or in person at your office, is suggested while it has a seat
and you are not in it; someone with neither topics nor an office sees no such section."""

from __future__ import annotations

from datetime import timedelta

from e2e_support import ADMIN, ASKER, MENTOR, OTHER, button, text_of
from test_about_you import open_about, values
from test_hosted_sessions import BERLIN, COMMAND_CHANNEL, _home, form, open_host

SECTION = "*Open sessions for your topics and office*"


def host(h, day, **changes):
    modal = open_host(h, MENTOR)
    answer = h.sender.submit(
        MENTOR, view=modal, values={**form(day, at=changes.pop("at", "12:00")), **changes}
    )
    assert answer.status == 200 and not answer.body, answer.body
    h.wait_idle()


def in_person(title):
    def pick(block, value, kind="static_select"):
        return {f"{block}_input": {"type": kind, "selected_option": {"value": value}}}

    return {
        "session_title": {"session_title_input": {"type": "plain_text_input", "value": title}},
        "session_topics": {"session_topics_input": {"type": "plain_text_input", "value": "#design"}},
        "session_where": pick("session_where", "in_person", "radio_buttons"),
        "session_link": {"session_link_input": {"type": "plain_text_input", "value": None}},
        "session_office": pick("session_office", "Berlin"),
        "session_place": {"session_place_input": {"type": "plain_text_input", "value": "Room 3"}},
    }


def test_open_sessions_for_your_topics_and_office(harness):
    h = harness
    h.fake.add_channel(COMMAND_CHANNEL, members=[MENTOR, ASKER, OTHER, ADMIN], name="general")
    h.answer(ADMIN, "offices add Berlin Europe/Berlin")
    h.answer(MENTOR, "join #python")
    day = (h.clock.now().astimezone(BERLIN) + timedelta(days=3)).date().isoformat()
    host(h, day)  # "Office hours: careers", online, #python
    host(h, day, at="15:00", **in_person("Design crit at the office"))

    h.answer(ASKER, "ask Review my first PR #python")  # ASKER's topic is python; no office
    modal = open_about(h, OTHER)  # OTHER works from Berlin; no topics
    about = values("Mon-Fri 09:00-17:00")
    about["office"] = {"office_input": {"type": "static_select", "selected_option": {"value": "Berlin"}}}
    assert h.sender.submit(OTHER, view=modal, values=about).status == 200
    h.wait_idle()

    asker_home = text_of(_home(h, ASKER)["blocks"])
    assert SECTION in asker_home and "Office hours: careers" in asker_home
    assert "Design crit" not in asker_home
    other_home = text_of(_home(h, OTHER)["blocks"])
    assert SECTION in other_home and "Design crit at the office" in other_home
    assert "Office hours: careers" not in other_home
    assert SECTION not in text_of(_home(h, ADMIN)["blocks"])  # neither topics nor an office
    assert SECTION not in text_of(_home(h, MENTOR)["blocks"])  # their own sessions are under theirs

    # Joining from the Home moves it to "Your sessions", out of the suggestions.
    home = _home(h, ASKER)
    join = button(home["blocks"], "join_session")
    h.sender.action(ASKER, "join_session", join["value"], view={"id": "VHOME", "type": "home"})
    h.wait_idle()
    after = text_of(_home(h, ASKER)["blocks"])
    assert "*Your sessions*" in after and SECTION not in after
