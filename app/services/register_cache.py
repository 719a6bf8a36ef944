"""The mentor register in memory, for ranking: every matchable mentor with their topics, held slots and
recent conversations, kept per process and brought up to date from the database on every use.

Why: ranking an ask against 10,000 mentors needs all of them, and reading them and a season of bookings
from the database took most of an ask's time. They change far less often than people ask.

How it stays correct with several processes on one database: triggers write one row per change to
``register_changes`` (migration 0005) in the changing transaction, numbered without gaps and visible in
commit order. ``sync()`` reads the rows after the version it holds (one primary-key range scan, usually
empty) and re-reads only the mentors they name. It reloads everything when it has never loaded, when
the rows it expected are gone (pruned, or the log was reset), when more than ``MAX_CATCH_UP`` changed,
or when ``now`` is earlier than its data covers.

Snapshots are immutable: ``sync()`` publishes a new one and threads keep using the one they got.
Conversations leave the 30-day fairness count as time passes; ``sync()`` recounts only the mentors whose
conversations crossed the boundary since the last call.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from app.db import queries
from app.domain.model import Mentor, MentorLoad

MAX_CATCH_UP = 1000  # changes to re-read one by one; beyond that a full reload is cheaper


@dataclass(frozen=True, slots=True, eq=False)
class RegisterSnapshot:
    """Matchable mentors (active, available, reachable; away or not) and their load, as of ``version``
    of the change log, with each mentor's 30-day count taken from ``cutoff`` on."""

    version: int
    version_user: str | None  # who the row ``version`` names: a reset log is told from the one we saw
    held_since: datetime
    recent_since: datetime
    mentors: Mapping[str, Mentor]
    by_topic: Mapping[str, tuple[Mentor, ...]]
    held: Mapping[str, tuple[datetime, ...]]
    confirmed: Mapping[str, tuple[datetime, ...]]
    expiries: Sequence[tuple[datetime, str]]  # (confirmed start, mentor), sorted; may hold stale entries
    cutoff: datetime
    loads: Mapping[str, MentorLoad]  # mentors with no held slot and no recent conversation are absent

    @property
    def everyone(self) -> Collection[Mentor]:
        return self.mentors.values()

    def covering(self, topics: Iterable[str]) -> list[Mentor]:
        """The mentors offering at least one of ``topics``, each once."""
        found: dict[str, Mentor] = {}
        for topic in sorted(set(topics)):
            for mentor in self.by_topic.get(topic, ()):
                found.setdefault(mentor.user_id, mentor)
        return list(found.values())

    def covers(self, now: datetime) -> bool:
        """Whether the held slots and conversations loaded reach back far enough for ``now``."""
        return (
            self.held_since <= now - queries.HELD_LOOKBACK
            and self.recent_since <= now - queries.RECENT_WINDOW
        )


class RegisterCache:
    """One process's copy of the register; one per MentoringService. Thread-safe without a lock: each
    snapshot is consistent with the version it names, so whichever thread publishes last, the next
    ``sync()`` catches up from there. (Threads that all find it empty at once each load it once.)"""

    def __init__(self) -> None:
        self._current: RegisterSnapshot | None = None

    def sync(self, session: Session, *, now: datetime) -> RegisterSnapshot:
        """The register as committed, brought up to date through ``session`` and published to every thread.

        Call it before ``session`` writes anything: what it reads is shared, so it must not include
        this transaction's uncommitted changes. To rank after writing, pass the result through
        ``overlay()``. Cost when nothing changed: one primary-key range query, usually empty.
        """
        snapshot = self._current
        if snapshot is None or not snapshot.covers(now):
            snapshot = _load_all(session, now)
        else:
            snapshot = _catch_up(session, snapshot, now)
        snapshot = _at(snapshot, now)
        self._current = snapshot
        return snapshot


def overlay(
    session: Session, snapshot: RegisterSnapshot, user_ids: Collection[str], *, now: datetime
) -> RegisterSnapshot:
    """``snapshot`` with these mentors re-read through ``session``, uncommitted changes included: for
    ranking later in a transaction that changed them (a declined request frees its slot). Not shared."""
    if not user_ids:
        return snapshot
    return _at(_reread(session, snapshot, set(user_ids)), now)


# --- loading ------------------------------------------------------------------------------------------


def _load_all(session: Session, now: datetime) -> RegisterSnapshot:
    # The version first: rows read after it may be newer than it says, never older; a newer row is
    # only read again on the next catch-up.
    version, version_user = queries.latest_register_change(session)
    held_since, recent_since = now - queries.HELD_LOOKBACK, now - queries.RECENT_WINDOW
    mentors = {mentor.user_id: mentor for mentor in queries.register_mentors(session)}
    held = {
        user: tuple(starts)
        for user, starts in queries.held_starts(session, None, since=held_since).items()
        if user in mentors
    }
    confirmed = {
        user: tuple(starts)
        for user, starts in queries.confirmed_starts(session, None, since=recent_since).items()
        if user in mentors
    }
    by_topic: dict[str, list[Mentor]] = {}
    for mentor in mentors.values():
        for topic in mentor.topics:
            by_topic.setdefault(topic, []).append(mentor)
    cutoff = recent_since
    loads: dict[str, MentorLoad] = {}
    for user in mentors:
        load = _load(held.get(user, ()), confirmed.get(user, ()), cutoff)
        if load is not None:
            loads[user] = load
    snapshot = RegisterSnapshot(
        version=version,
        version_user=version_user,
        held_since=held_since,
        recent_since=recent_since,
        mentors=mentors,
        by_topic={topic: tuple(found) for topic, found in by_topic.items()},
        held=held,
        confirmed=confirmed,
        expiries=sorted((start, user) for user, starts in confirmed.items() for start in starts),
        cutoff=cutoff,
        loads=loads,
    )
    _exempt_from_full_collections()
    return snapshot


def _exempt_from_full_collections() -> None:
    """Move every object alive now, the new snapshot's among them, out of the cyclic collector's reach.

    The register is tens of thousands of long-lived objects; with them a full collection took about
    40 ms instead of 17 ms, and one landing in an ask was most of its 99th percentile. They hold no
    reference cycles, so reference counting still frees them when a newer snapshot replaces them.
    Process-wide, and only on a full load (start-up, or far behind): first everything frozen last time
    is thawed and collected with the rest, so nothing that died since stays frozen.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _catch_up(session: Session, snapshot: RegisterSnapshot, now: datetime) -> RegisterSnapshot:
    rows = queries.register_changes_from(session, snapshot.version, limit=MAX_CATCH_UP + 1)
    if snapshot.version:
        if not rows or rows[0] != (snapshot.version, snapshot.version_user):
            return _load_all(session, now)  # pruned past us, or a different log (restored, reset)
        rows = rows[1:]
    elif rows and rows[0][0] != 1:
        return _load_all(session, now)
    if not rows:
        return snapshot
    if len(rows) >= MAX_CATCH_UP:
        return _load_all(session, now)
    version, version_user = rows[-1]
    return replace(
        _reread(session, snapshot, {user for _, user in rows}), version=version, version_user=version_user
    )


def _reread(session: Session, snapshot: RegisterSnapshot, users: set[str]) -> RegisterSnapshot:
    """A copy of ``snapshot`` with ``users`` read again (each may have joined, changed or left)."""
    fresh = {mentor.user_id: mentor for mentor in queries.register_mentors(session, users)}
    held_found = queries.held_starts(session, users, since=snapshot.held_since)
    confirmed_found = queries.confirmed_starts(session, users, since=snapshot.recent_since)
    mentors, held, confirmed = dict(snapshot.mentors), dict(snapshot.held), dict(snapshot.confirmed)
    loads, expiries = dict(snapshot.loads), list(snapshot.expiries)
    topics: set[str] = set()
    for user in users:
        old = mentors.pop(user, None)
        held.pop(user, None)
        confirmed.pop(user, None)
        loads.pop(user, None)
        if old is not None:
            topics |= old.topics
        mentor = fresh.get(user)
        if mentor is None:
            continue
        mentors[user] = mentor
        topics |= mentor.topics
        user_held, user_confirmed = tuple(held_found.get(user, ())), tuple(confirmed_found.get(user, ()))
        if user_held:
            held[user] = user_held
        if user_confirmed:
            confirmed[user] = user_confirmed
            for start in user_confirmed:
                bisect.insort(expiries, (start, user))
        load = _load(user_held, user_confirmed, snapshot.cutoff)
        if load is not None:
            loads[user] = load
    by_topic = dict(snapshot.by_topic)
    for topic in topics:
        kept = [m for m in by_topic.get(topic, ()) if m.user_id not in users]
        kept += [fresh[user] for user in sorted(users) if user in fresh and topic in fresh[user].topics]
        if kept:
            by_topic[topic] = tuple(kept)
        else:
            by_topic.pop(topic, None)
    return replace(
        snapshot,
        mentors=mentors,
        by_topic=by_topic,
        held=held,
        confirmed=confirmed,
        expiries=expiries,
        loads=loads,
    )


# --- the 30-day count -----------------------------------------------------------------------------------


def _load(held: tuple[datetime, ...], confirmed: tuple[datetime, ...], cutoff: datetime) -> MentorLoad | None:
    recent = len(confirmed) - bisect.bisect_left(confirmed, cutoff)
    if not held and not recent:
        return None
    return MentorLoad(held_starts=held, recent_conversations=recent)


def _at(snapshot: RegisterSnapshot, now: datetime) -> RegisterSnapshot:
    """``snapshot`` with 30-day counts from ``now - 30 days``: only mentors with a conversation between
    the old and the new cutoff are recounted (either way, should a clock go back)."""
    cutoff = now - queries.RECENT_WINDOW
    if cutoff == snapshot.cutoff:
        return snapshot
    low, high = sorted((cutoff, snapshot.cutoff))
    expiries = snapshot.expiries
    crossed = expiries[bisect.bisect_left(expiries, (low,)) : bisect.bisect_left(expiries, (high,))]
    users = {user for _, user in crossed if user in snapshot.mentors}
    if not users:
        return replace(snapshot, cutoff=cutoff)
    loads = dict(snapshot.loads)
    for user in users:
        load = _load(snapshot.held.get(user, ()), snapshot.confirmed.get(user, ()), cutoff)
        if load is None:
            loads.pop(user, None)
        else:
            loads[user] = load
    return replace(snapshot, cutoff=cutoff, loads=loads)
