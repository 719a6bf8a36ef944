"""What browsing the register reads beyond the in-memory register: the bios of one page's mentors."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import MentorProfile


def bios(session: Session, user_ids: Collection[str]) -> dict[str, str]:
    """Each mentor's bio ("" when they wrote none), for at most a page of mentors."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(MentorProfile.user_id, MentorProfile.bio).where(MentorProfile.user_id.in_(list(user_ids)))
    )
    return {user_id: bio or "" for user_id, bio in rows}
