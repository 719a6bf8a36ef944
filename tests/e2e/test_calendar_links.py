"""'Add to calendar' on a confirmed conversation: Google Calendar and Outlook links with the right times,
the goal in the description and never in the title; clicking one (Slack still sends the action) is acked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from e2e_support import ASKER, buttons, confirmed_meeting


def test_the_confirmation_carries_calendar_links_with_the_meeting_s_times(harness):
    start, message = confirmed_meeting(harness)
    links = {b["action_id"]: b["url"] for b in buttons(message["blocks"]) if "url" in b}
    assert set(links) == {"calendar_google", "calendar_outlook"}

    google = parse_qs(urlsplit(links["calendar_google"]).query)
    begin, end = google["dates"][0].split("/")
    assert datetime.strptime(begin, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) == start
    assert datetime.strptime(end, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) == start + timedelta(minutes=15)
    assert "Learn pytest fixtures" in google["details"][0] and "Learn pytest" not in google["text"][0]

    outlook = parse_qs(urlsplit(links["calendar_outlook"]).query)
    assert datetime.fromisoformat(outlook["startdt"][0]) == start
    assert datetime.fromisoformat(outlook["enddt"][0]) == start + timedelta(minutes=15)
    assert "Learn pytest fixtures" in outlook["body"][0] and "Learn pytest" not in outlook["subject"][0]
    assert all(urlsplit(url).scheme == "https" and len(url) <= 3000 for url in links.values())

    reply = harness.sender.action(ASKER, "calendar_google", None, message=message)
    assert reply.status == 200  # acked, so Slack shows no warning beside the button
    harness.wait_idle()


def test_a_long_goal_still_fits_slack_s_url_limit(harness):
    _, message = confirmed_meeting(harness, goal="🙂" * 300)  # 12 characters each once percent-encoded
    links = [b["url"] for b in buttons(message["blocks"]) if "url" in b]
    assert len(links) == 2 and all(len(url) <= 3000 for url in links)
    google = parse_qs(urlsplit(links[0]).query)
    assert google["details"][0].startswith("Goal: 🙂🙂") and google["details"][0].endswith("…")
