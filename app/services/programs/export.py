"""Programs' figures for `/mentor export`: one CSV table after the activity table, a row per figure
per program (every wave together), each beside its benchmark. Aggregates only, as in the stats."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from app.domain.program_outcomes import HARTFORD_COMPLETION, NORMAL_DROP_OUT, SMALLEST
from app.domain.program_survey import HARTFORD_BUSINESS, HARTFORD_PERSONAL, PROGRAM_SATISFACTION, Share
from app.services.programs.outcomes import Stats

HEADER = ("section", "program", "figure", "value", "count", "of", "benchmark")


def _safe(text: str) -> str:
    """A program named like ``=HYPERLINK(…)`` must stay text in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _share(share: Share) -> tuple[str, int | str, int | str]:
    value = share.shown
    if value is None:
        return "", "", share.whole  # too few answers to show
    return f"{value:.2f}", share.part, share.whole


def rows(all_stats: Sequence[Stats]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    low, high = NORMAL_DROP_OUT
    for s in all_stats:
        f, v, name = s.figures, s.survey, _safe(s.program)

        def row(figure: str, value: str, count: int | str, of: int | str, benchmark: str = "") -> None:
            out.append(("program", name, figure, value, count, of, benchmark))  # noqa: B023 (called at once)

        row("invited", "", f.invited, "")
        row("applied", f"{f.applied / f.invited:.2f}" if f.invited else "", f.applied, f.invited)
        row("matched", "", f.matched, "")
        row("held_a_first_session", "", f.first_session, f.matched)
        row(
            "completion",
            f"{f.completion:.2f}",
            f.completed,
            f.pairs,
            f"{HARTFORD_COMPLETION:.2f} The Hartford",
        )
        row("drop_out", f"{f.drop_out:.2f}", f.ended, f.pairs, f"up to {low:.2f}-{high:.2f}")
        row("rematch_rate", f"{f.rematch_rate:.2f}", f.rematched, f.pairs, "rare")
        satisfaction = f"{f.satisfaction:.2f}" if f.satisfaction is not None else ""
        row("match_satisfaction", satisfaction, f.ratings, "", "of 5")
        row("survey_answers", "", v.answers, v.asked, f"shown from {SMALLEST}")
        row("goal_achieved", *_share(v.goal_achieved))
        row("goal_partly", *_share(v.goal_partly))
        row("program_satisfaction", *_share(v.satisfied), f"over {PROGRAM_SATISFACTION:.2f}")
        row("effective_business", *_share(v.business), f"{HARTFORD_BUSINESS:.2f} The Hartford")
        row("effective_personal", *_share(v.personal), f"{HARTFORD_PERSONAL:.2f} The Hartford")
        row("brand_impression", *_share(v.brand))
        for week, held in s.weekly:
            row("sessions_held_week_of", week.isoformat(), held, "")
    return out


def export_csv(all_stats: Sequence[Stats]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows(all_stats))
    return out.getvalue()
