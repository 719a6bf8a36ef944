"""Follow-ups: "Did you meet?" a few days after a round, the answers, and pausing the silent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.db import coffee_queries as cq
from app.db.models import CoffeeGroup, CoffeeGroupMember, CoffeePool
from app.db.models.coffee import DEFAULT_POOL
from app.domain.errors import InvalidInput, NotAllowed
from app.services import notices, outbox
from app.services.clock import Clock
from app.services.coffee.views import FollowupAnswer, RouletteSettings
from app.services.people import Person

UNANSWERED_BEFORE_PAUSE = 3
ANSWERS = ("yes", "not_yet", "no")
ASK_AGAIN_AFTER = timedelta(days=4)  # "Not yet": "Did you meet?" once more, this much later


class Followups:
    def __init__(self, sessions: sessionmaker[Session], settings: RouletteSettings, *, clock: Clock) -> None:
        self._sessions = sessions
        self._settings = settings
        self._clock = clock

    def send_due_followups(self, *, now: datetime | None = None) -> int:
        """A few days after a round, ask each group "Did you meet?" (once)."""
        now = now or self._clock()
        asked = 0
        with self._sessions.begin() as session:
            for round_ in cq.rounds_due_for_followup(session, now=now):
                round_.followup_sent_at = now
                for group in cq.groups_of(session, round_.id):
                    rows = cq.group_members(session, group.id)
                    if len(rows) < 2:  # its partner was moved to another group: nobody to meet
                        continue
                    for row in rows:
                        row.asked_at = now
                    outbox.enqueue(
                        session,
                        notices.CoffeeFollowup(
                            key=f"coffee:{round_.id}:{group.id}:followup",
                            users=tuple(r.user_id for r in rows),
                            group_id=group.id,
                        ),
                        now=now,
                    )
                    asked += 1
        return asked

    def answer_followup(self, person: Person, group_id: int, answer: str) -> FollowupAnswer:
        if answer not in ANSWERS:
            raise InvalidInput("That answer isn't one I know.")
        now = self._clock()
        with self._sessions.begin() as session:
            row = session.get(CoffeeGroupMember, (group_id, person.user_id))
            if row is None:
                raise NotAllowed("Only the people in this group can answer for it.")
            changed = row.answer != answer
            row.answer, row.answered_at = answer, now
            if answer == "not_yet":
                # Asked once more a few days later (its key makes it once per group, however many say it).
                group = session.get(CoffeeGroup, group_id)
                members = cq.group_member_ids(session, group_id)
                if group is not None and len(members) >= 2:
                    outbox.enqueue(
                        session,
                        notices.CoffeeFollowup(
                            key=f"coffee:{group.round_id}:{group_id}:followup-again",
                            users=tuple(sorted(members)),
                            group_id=group_id,
                        ),
                        now=now,
                        due_at=now + ASK_AGAIN_AFTER,
                    )
            pool_id = cq.pool_of_group(session, group_id)
            if pool_id is not None:
                cq.participant(session, pool_id, person.user_id, now=now).unanswered_streak = 0
            return FollowupAnswer(group_id, answer, changed)

    def settle_followups(self, *, now: datetime | None = None) -> int:
        """Count follow-ups left unanswered; after three in a row, pause the person and tell them."""
        now = now or self._clock()
        paused = 0
        with self._sessions.begin() as session:
            for row in cq.unsettled_followups(session, asked_before=now - self._settings.answer_window):
                row.settled = True
                pool_id = cq.pool_of_group(session, row.group_id)
                if pool_id is None:
                    continue
                participant = cq.participant(session, pool_id, row.user_id, now=now)
                if row.answer is not None:
                    participant.unanswered_streak = 0
                    continue
                participant.unanswered_streak += 1
                if (
                    participant.unanswered_streak >= UNANSWERED_BEFORE_PAUSE
                    and participant.paused_until is None
                ):
                    participant.paused_until = datetime(9999, 1, 1, tzinfo=UTC)  # until they resume
                    participant.updated_at = now
                    outbox.enqueue(
                        session,
                        notices.CoffeePaused(
                            key=f"coffee:paused:{row.user_id}:{row.group_id}",
                            to=row.user_id,
                            pool=_pool_name(session, pool_id),
                        ),
                        now=now,
                    )
                    paused += 1
        return paused


def _pool_name(session: Session, pool_id: int) -> str:
    pool = session.get(CoffeePool, pool_id)
    return pool.name if pool is not None else DEFAULT_POOL
