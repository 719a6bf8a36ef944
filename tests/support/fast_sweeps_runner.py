"""``mentorbot run`` with the scheduler's once-a-minute sweeps every MENTORBOT_TEST_SWEEP_SECONDS.

The process is the real one (settings, migrations, HTTP server, scheduler, signals); only the interval of
the minute-long jobs (due coffee rounds, expiries, follow-ups) is shortened, so a test need not wait a
minute for the first tick. Run as a script: ``python fast_sweeps_runner.py``.
"""

from __future__ import annotations

import os
import sys

from app.jobs import scheduler

if not hasattr(scheduler, "SWEEP_EVERY_SECONDS"):  # loudly, rather than silently testing nothing
    raise SystemExit("fast_sweeps_runner: app.jobs.scheduler.SWEEP_EVERY_SECONDS is gone; update the runner")
scheduler.SWEEP_EVERY_SECONDS = float(os.environ.get("MENTORBOT_TEST_SWEEP_SECONDS", "1"))  # type: ignore[assignment]

from app.__main__ import main  # noqa: E402  (after the patch, as main imports the scheduler lazily)

if __name__ == "__main__":
    sys.exit(main(["run"]))
