"""The preview is the round that will run: a pool's last preview keeps its seed with a fingerprint of
what it planned from, and the round (or the next preview) reuses the seed while the fingerprint holds."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import coffee_queries as cq
from app.db.models import CoffeePool, CoffeePreview, CoffeeRound
from app.domain.pairing import Participant

SAME, STALE = "same", "stale"  # the kept preview held / had gone stale; "" when there was none


def fingerprint(
    session: Session,
    pool: CoffeePool,
    people: Sequence[Participant],
    avoid: Collection[tuple[str, str]],
    *,
    exclude_round: int | None = None,
) -> str:
    """A digest of everything a round of ``pool`` is planned from: its settings, its people (with what
    pairing reads of them), their wishes, the pool's latest round (its history), and what the mode
    reads besides (offices, the mentor register)."""
    latest = select(func.max(CoffeeRound.id)).where(CoffeeRound.pool_id == pool.id)
    if exclude_round is not None:
        latest = latest.where(CoffeeRound.id != exclude_round)
    ids = [p.user_id for p in people]
    data = {
        "pool": [pool.mode, pool.group_size, pool.repeat_window, pool.never_same_team, pool.settings],
        "people": sorted([p.user_id, p.team, p.level, p.utc_offset_minutes, p.first_in_line] for p in people),
        "avoid": sorted(sorted(pair) for pair in avoid),
        "latest_round": session.scalar(latest),
        "offices": sorted(cq.offices_of(session, ids).items())
        if pool.mode == "in_person" or str(pool.settings.get("sides", "")).startswith("office:")
        else [],
        "mentors": sorted(cq.active_mentor_ids(session, ids)) if pool.mode == "two_sides" else [],
    }
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def seed_keeping_preview(
    session: Session, pool_id: int, fresh: Callable[[], int], *, by: str | None, now: datetime
) -> Callable[[str], tuple[int, str]]:
    """For a preview (``by`` the admin): the kept seed if its fingerprint holds, else a fresh one kept
    in its place. For a round (``by`` None): the kept seed if it holds, else a fresh one; the kept
    preview is used up either way. Each answer says whether a kept preview held (SAME), had gone
    stale (STALE) or there was none ("")."""

    def choose(digest: str) -> tuple[int, str]:
        kept = session.get(CoffeePreview, pool_id)
        state = "" if kept is None else SAME if kept.fingerprint == digest else STALE
        seed = kept.seed if kept is not None and state == SAME else fresh()
        if by is None:
            if kept is not None:
                session.delete(kept)
        elif kept is None:
            session.add(
                CoffeePreview(pool_id=pool_id, seed=seed, fingerprint=digest, created_by=by, created_at=now)
            )
        elif state == STALE:
            kept.seed, kept.fingerprint, kept.created_by, kept.created_at = seed, digest, by, now
        return seed, state

    return choose
