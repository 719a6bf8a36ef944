"""Where a 1:1 meets: a lunch at the asker's office, or online at the mentor's own link (else the
group DM)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db import office_queries
from app.db.models import Ask, MentorProfile


def lunch_office(session: Session, ask: Ask) -> str:
    """The office a lunch ask is at; "" for an online 1:1 (or an asker who no longer has an office)."""
    if not ask.lunch:
        return ""
    found = office_queries.office_of(session, ask.asker_id)
    return found[0].name if found else ""


def meeting_link(session: Session, mentor_id: str) -> str:
    """The mentor's own meeting link for an online 1:1, or "" (they meet in the group DM)."""
    profile = session.get(MentorProfile, mentor_id)
    return (profile.meeting_link or "") if profile is not None else ""
