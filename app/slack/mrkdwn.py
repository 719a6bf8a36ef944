"""Slack's mrkdwn escaping both ways: people's text shown as text, and Slack's markup read as text.

What Slack sends: ``&``, ``<`` and ``>`` typed by a person arrive as ``&amp;``, ``&lt;``, ``&gt;``, so a
raw ``<…>`` is always Slack's own markup. With "escape channels, users, and links" on (the manifest's
``should_escape: true``) a picked user arrives as ``<@U123|ana>``, a channel as ``<#C123|sre>`` (or
``<#C123>`` / ``<#C123|>`` with no name) and a link as ``<https://…|label>``.
"""

from __future__ import annotations

import re

_SLACK_MARKUP = re.compile(r"<([^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def escape(text: str) -> str:
    """Show what people typed as text: no mentions, links or markup of theirs gets interpreted."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of &, < and > (in one pass, so ``&amp;lt;`` stays ``&lt;``)."""
    return _ENTITY.sub(lambda entity: _ENTITIES[entity[1]], text)


def markup_as_words(text: str) -> str:
    """Slack's markup in ``text`` as plain words; a channel link becomes a ``#name`` word (or nothing).

    Entities (``&amp;`` …) are left as they are: undo them with :func:`unescape` word by word.
    """
    return _SLACK_MARKUP.sub(_plain, text)


def _plain(markup: re.Match[str]) -> str:
    """One piece of Slack markup as plain text."""
    inner = markup[1]
    target, _, label = inner.partition("|")
    if target.startswith("#"):  # <#C123|sre>: a topic; <#C123> or <#C123|>: nothing we can use
        return f" #{label} " if label.strip() else " "
    if target.startswith("@"):  # <@U123|ana> -> @ana
        return "@" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@sre-team>, <!date^…|fallback>
        return label or "@" + target[1:].partition("^")[0]
    if target.startswith("mailto:") and label:
        return label
    return target  # a link: the address itself
