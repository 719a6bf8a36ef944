"""Members as the organisation knows them: team and level, imported from a spreadsheet (admin CLI)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Member
from app.services.clock import Clock, utc_now


class MembersService:
    def __init__(
        self, sessions: sessionmaker[Session], *, default_tz: str = "UTC", clock: Clock = utc_now
    ) -> None:
        self._sessions = sessions
        self._default_tz = default_tz
        self._clock = clock

    def import_members(self, rows: Iterable[tuple[str, str | None, int | None]]) -> int:
        """Set team and level of each (user_id, team, level), adding people Slack hasn't shown us yet
        (their name and zone are filled in when they first use the bot). One transaction."""
        now = self._clock()
        count = 0
        with self._sessions.begin() as session:
            for user_id, team, level in rows:
                member = session.get(Member, user_id)
                if member is None:
                    member = Member(
                        user_id=user_id,
                        display_name=user_id,
                        tz=self._default_tz,
                        created_at=now,
                        updated_at=now,
                    )
                    session.add(member)
                member.team, member.level, member.updated_at = team, level, now
                count += 1
        return count
