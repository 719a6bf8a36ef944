"""Where a program's applicants' working weeks come from: their own hours ("About you"), else the hours
they set as a mentor, else weekdays 09:00-17:00, each in the zone Slack gives them; laid on the UTC week
of the wave's reference date (app.domain.cohort_hours)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import queries
from app.db.models import Member, MentorProfile, Program, ProgramWave
from app.domain.cohort_hours import Span, utc_week
from app.domain.model import DEFAULT_WINDOWS


def reference_week(program: Program, wave: ProgramWave) -> date:
    """The week whose daylight-saving offsets count: when the wave's sessions begin (the program's start
    for its first wave; a later wave begins when it is opened)."""
    return max(program.start_date, wave.created_at.date())


def working_weeks(session: Session, user_ids: Iterable[str], week_of: date) -> dict[str, tuple[Span, ...]]:
    """Each known member's working week on the UTC clock; people with no member row are left out."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    own = {
        m.user_id: (m.work_windows, m.tz)
        for m in session.execute(
            select(Member.user_id, Member.work_windows, Member.tz).where(Member.user_id.in_(ids))
        )
    }
    mentoring: dict[str, dict[str, Any]] = dict(
        session.execute(
            select(MentorProfile.user_id, MentorProfile.windows).where(
                MentorProfile.user_id.in_(ids), MentorProfile.windows_customised.is_(True)
            )
        ).all()
    )
    out: dict[str, tuple[Span, ...]] = {}
    for uid, (work, tz) in own.items():
        if work:
            windows = queries.windows_from_json(work)
        elif uid in mentoring:
            windows = queries.windows_from_json(mentoring[uid])
        else:
            windows = DEFAULT_WINDOWS
        out[uid] = utc_week(windows, tz or "UTC", week_of)
    return out
