"""The App Home's programs section stays small (the Home holds at most 100 blocks) and shows nothing to
someone no program concerns."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.domain.cohorts import ProgramKind, Role
from app.services.programs import ProgramHome, ProgramView
from app.services.programs.common import WaveFigures
from app.services.programs.home import LISTED, HomeApplication, HomeInvitation, HomeParticipation
from app.slack.blocks.program_home import ADMIN_LISTED, program_home_blocks


def test_nothing_for_someone_no_program_concerns() -> None:
    assert program_home_blocks(None, "UTC") == []
    assert program_home_blocks(ProgramHome(), "UTC") == []


def test_a_full_section_stays_within_its_share_of_the_home() -> None:
    waves = tuple(WaveFigures(n, 10, 8, True) for n in range(1, 6))
    views = tuple(
        ProgramView(f"P{k}", ProgramKind.REVERSE, "why", date(2031, 1, 1), 1, waves) for k in range(20)
    )
    soon = datetime(2031, 2, 3, 14, 0, tzinfo=UTC)
    home = ProgramHome(
        invitations=tuple(HomeInvitation(k, f"P{k}", "x" * 2000) for k in range(LISTED)),
        applications=tuple(HomeApplication(f"P{k}", 1, Role.MENTEE) for k in range(LISTED)),
        participations=tuple(
            HomeParticipation(f"P{k}", Role.MENTOR, "U1", soon, "", tuple(f"U{j}" for j in range(10)))
            for k in range(LISTED)
        ),
        admin=views,
        previewable=frozenset({"P0"}),
    )
    blocks = program_home_blocks(home, "Europe/Berlin")
    assert len(blocks) <= 2 + 3 * LISTED + LISTED + 2 + ADMIN_LISTED <= 30
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    text = str(blocks)
    assert "Mon 3 Feb, 15:00 CET" in text and "… and 15 more" in text
    assert text.count("program_adjust_form") == 1  # Preview only where the current wave has applicants
    assert "wave 1:" not in text and "wave 3: 10 applied, 8 matched" in text  # the last three waves
