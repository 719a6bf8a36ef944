"""Coffee channels' members, read from Slack through a port and recorded, and the scheduled round that
needs them fresh."""

from __future__ import annotations

from app.services.coffee import RouletteService
from app.services.ports import ChannelMembers


class CoffeeChannels:
    def __init__(self, roulette: RouletteService, members: ChannelMembers) -> None:
        self._roulette = roulette
        self._members = members

    def sync(self, channel_id: str) -> int | None:
        """Record the channel's human members; how many, or None if Slack wouldn't let us read it."""
        people = self._members.humans_in(channel_id)
        if people is None:
            return None
        return self._roulette.record_channel_members(channel_id, people)

    def sync_all(self) -> None:
        for channel_id in self._roulette.channels():
            self.sync(channel_id)

    def run_due_round(self) -> int:
        """Refresh the channels' members just before a due round, then run it (once); rounds run."""
        if not self._roulette.round_is_due():
            return 0  # Slack isn't read every minute for nothing
        self.sync_all()
        return self._roulette.run_due_rounds()
