"""Interests and hobbies as tags: what people type ("Chess, rock  climbing; #Go") becomes normalised tags
("chess", "rock climbing", "go"), the way topics are: split, trimmed, case-folded, deduplicated in the
order given. Tags may hold spaces (a hobby is often two words), never commas, so the stored form is the
tags joined by commas and older free text reads back through the same normaliser.

Pure: standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.domain.errors import InvalidInput

MAX_TAGS = 10
MAX_TAG_LENGTH = 30
TAGS_EXAMPLE = "chess, rock climbing, product design"

_SEPARATORS = re.compile(r"[,;|\n]+")
_EDGES = " \t#.:!?'\"()[]{}-_"


def normalise_tag(text: str) -> str:
    """One tag: inner whitespace collapsed, edges and a leading ``#`` trimmed, case-folded."""
    return " ".join(text.split()).strip(_EDGES).casefold()


def _pieces(text: str) -> list[str]:
    out: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        words = part.split()
        if len(words) > 1 and all(w.startswith("#") for w in words):
            out += words  # "#chess #go": topic style, one tag a word
        else:
            out.append(part)
    return out


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags from a form, refused with words a person can act on when too many or too long."""
    tags: list[str] = []
    for piece in _pieces(text):
        tag = normalise_tag(piece)
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidInput(
                f"“{tag[:MAX_TAG_LENGTH]}…” is longer than {MAX_TAG_LENGTH} characters: keep each interest "
                f"short and separate them with commas, e.g. {TAGS_EXAMPLE}."
            )
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"That's {len(tags)} interests; give at most {MAX_TAGS}.")
    return tuple(tags)


def read_tags(stored: str | Iterable[str] | None) -> tuple[str, ...]:
    """Tags from what was stored (new comma-joined tags, or older free comma text): never refuses,
    long ones are cut and extra ones dropped."""
    pieces = _pieces(stored) if isinstance(stored, str) else list(stored or ())
    tags: list[str] = []
    for piece in pieces:
        tag = normalise_tag(piece)[:MAX_TAG_LENGTH].strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags[:MAX_TAGS])


def store_tags(tags: Iterable[str]) -> str:
    return ",".join(tags)
