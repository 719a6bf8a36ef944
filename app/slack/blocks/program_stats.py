"""`/mentor program stats`: a program's outcomes, each beside its benchmark. Aggregates only."""

from __future__ import annotations

from app.domain.program_outcomes import HARTFORD_COMPLETION, NORMAL_DROP_OUT, SMALLEST
from app.domain.program_survey import (
    HARTFORD_BUSINESS,
    HARTFORD_PERSONAL,
    PROGRAM_SATISFACTION,
    Share,
    SurveyFigures,
)
from app.services.programs.outcomes import Stats
from app.slack.blocks.messages import Message
from app.slack.mrkdwn import escape


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def stats(s: Stats) -> Message:
    f = s.figures
    scope = f"wave {s.wave}" if s.wave is not None else "all waves"
    head = f"*{escape(s.program)}*, {scope}: {f.pairs} pairs."
    if s.merged:
        head += f" (That wave has fewer than {SMALLEST} pairs: merged into the whole program.)"
    low, high = NORMAL_DROP_OUT
    satisfaction = (
        f"{f.satisfaction:.1f} of 5 from {f.ratings} ratings"
        if f.satisfaction is not None
        else f"fewer than {SMALLEST} ratings: not shown"
    )
    lines = [
        f"• *Participation:* {f.invited} invited → {f.applied} applied ({_share(f.applied, f.invited)}) → "
        f"{f.matched} matched → {f.first_session} held a first session",
        f"• *Completion:* {f.completion:.0%} of pairs held at least {f.threshold} sessions "
        f"({f.completed} of {f.pairs}) — benchmark {HARTFORD_COMPLETION:.0%} (The Hartford)",
        f"• *Drop-out:* {f.drop_out:.0%} of pairs ended before the wave's end ({f.ended}) — "
        f"up to {low:.0%}-{high:.0%} is normal; more signals the program's design",
        f"• *Re-match rate:* {f.rematch_rate:.0%} ({f.rematched}) — should be rare",
        f"• *Match satisfaction:* {satisfaction} — average session rating",
    ]
    lines += survey_lines(s.survey)
    text = head + "\n" + "\n".join(lines)
    return Message(text=text, blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}])


def _shown(share: Share) -> str:
    value = share.shown
    return f"{value:.0%}" if value is not None else "–"


def survey_lines(v: SurveyFigures) -> list[str]:
    """The end-of-wave survey's figures, or why they aren't shown yet."""
    if v.answers < SMALLEST:
        why = "not asked yet" if not v.asked else f"{v.answers} of {v.asked} answered"
        return [f"• *End-of-wave survey:* {why} — figures need at least {SMALLEST} answers"]
    return [
        f"• *Goal achievement:* {_shown(v.goal_achieved)} achieved their goal, {_shown(v.goal_partly)} "
        f"partly ({v.answers} of {v.asked} answered the survey)",
        f"• *Program satisfaction:* {_shown(v.satisfied)} said good or one of the best — "
        f"benchmark over {PROGRAM_SATISFACTION:.0%}",
        f"• *Effective for business:* {_shown(v.business)} — "
        f"benchmark {HARTFORD_BUSINESS:.0%} (The Hartford)",
        f"• *Effective personally:* {_shown(v.personal)} — benchmark {HARTFORD_PERSONAL:.0%} (The Hartford)",
        f"• *Brand impression:* {_shown(v.brand)} say it reflects well on the organisation",
    ]
