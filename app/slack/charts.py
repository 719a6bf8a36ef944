"""The admin's chart of a program's sessions held per week, as a PNG to upload beside the stats.

Drawn with matplotlib's Agg backend through ``Figure`` directly, never pyplot: Agg renders to memory
with no display (the bot runs headless), and pyplot's global figure state is not safe across the
threads that serve requests at once."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def sessions_per_week_png(title: str, weekly: Sequence[tuple[date, int]]) -> bytes:
    figure = Figure(figsize=(8, 3.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [d.strftime("%d %b") for d, _ in weekly]
    counts = [n for _, n in weekly]
    axes.bar(range(len(counts)), counts, color="#2eb67d")
    axes.set_xticks(range(len(counts)), labels, rotation=45, ha="right", fontsize=8)
    axes.set_ylabel("sessions held")
    axes.set_title(title[:80])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole sessions, never 0.5
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
