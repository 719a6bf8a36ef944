"""Topics as people type them (``#SRE,``, ``<#C123|sre>``, ``python, career``) -> normalised names."""

from __future__ import annotations

import re

from app.domain.errors import InvalidInput
from app.domain.model import MAX_TOPICS
from app.slack.mrkdwn import markup_as_words, unescape

MAX_TOPIC_LENGTH = 30
_TOPIC = re.compile(r"[a-z0-9+._-]+")
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


def parse_topics(text: str) -> tuple[str, ...]:
    """Topics typed into a form: ``python, career`` or ``#python #career``, normalised as in commands."""
    words = [word for word in re.split(r"[\s,;]+", text) if word]
    _, topics = words_and_topics(" ".join(w if w.startswith("#") else f"#{w}" for w in words))
    return topics


def words_and_topics(text: str) -> tuple[list[str], tuple[str, ...]]:
    """Split text into plain words and normalised ``#topics`` (deduplicated, in order of appearance).

    A ``#word`` naming no channel stays plain text in Slack, so both ``#sre`` and ``<#C123|sre>`` count.
    """
    words: list[str] = []
    topics: list[str] = []
    for word in markup_as_words(text).split():
        if not word.startswith("#"):
            words.append(unescape(word))
        elif (topic := _topic(word)) is not None and topic not in topics:
            topics.append(topic)
    if len(topics) > MAX_TOPICS:
        raise InvalidInput(
            f"That's {len(topics)} topics; please pick at most {MAX_TOPICS}, e.g. `#sre #kubernetes #on-call`"
        )
    return words, tuple(topics)


def _topic(word: str) -> str | None:
    """``#SRE,`` -> ``sre``; None for a bare ``#``. Raises InvalidInput for a topic we can't store."""
    name = unescape(word).lstrip("#").rstrip(_TRAILING_PUNCTUATION).lower()
    if not name:
        return None
    if len(name) > MAX_TOPIC_LENGTH:
        raise InvalidInput(
            f"The topic `#{name[:MAX_TOPIC_LENGTH]}…` is {len(name)} characters long; "
            f"topics can be at most {MAX_TOPIC_LENGTH}, e.g. `#kubernetes`"
        )
    if not _TOPIC.fullmatch(name):
        raise InvalidInput(
            f"`#{name}` can't be a topic: use letters a-z, digits and `+ . _ -`, "
            "e.g. `#sre`, `#c++`, `#on-call`"
        )
    return name
