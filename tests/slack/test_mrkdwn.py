"""Slack's escaping both ways: what people typed is shown as text, and what Slack sent is read as text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.slack.mrkdwn import escape, markup_as_words, unescape


def test_escape_makes_markup_inert() -> None:
    # Slack's "Formatting text" guide: &, < and > are the three characters to escape.
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_unescape_undoes_each_entity_once() -> None:
    assert unescape("R&amp;D &lt;3 a &gt; b") == "R&D <3 a > b"
    assert unescape("&amp;lt;") == "&lt;"


@given(st.text())
def test_unescape_is_the_inverse_of_escape(text: str) -> None:
    assert unescape(escape(text)) == text


def test_markup_reads_as_words() -> None:
    assert markup_as_words(
        "<#C1|sre> <#C2> <@U1|ana> <@U2> <!here> <mailto:a@x.io|a@x.io> <https://x.io|x>"
    ) == (" #sre    @ana @U2 @here a@x.io https://x.io")
