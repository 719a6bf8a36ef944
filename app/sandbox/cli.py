"""``mentorbot sandbox`` after parsing: read SANDBOX_PORT and DATABASE_URL, start, print the URL, wait."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

DEFAULT_PORT = 3000


def run_sandbox(event_type: type[threading.Event] = threading.Event) -> int:
    from app.config import DatabaseSettings, SettingsError, load_settings
    from app.sandbox.run import DatabaseUnusable, PageUnavailable, database_url, start_sandbox

    raw = os.environ.get("SANDBOX_PORT", str(DEFAULT_PORT)).strip()
    if not raw.isdigit() or not 0 <= int(raw) <= 65535:
        return _fail(f"SANDBOX_PORT wants a port number from 0 to 65535; got {raw!r}")
    began = time.monotonic()
    # The sandbox builds a fresh database at each start: a line per migration would say nothing.
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
    if os.environ.get("DATABASE_URL"):
        try:
            load_settings(DatabaseSettings)
        except SettingsError as exc:
            return _fail(str(exc))
    db_url = database_url()
    try:
        running = start_sandbox(port=int(raw), db_url=db_url)
    except PageUnavailable as exc:
        return _fail(
            f"SANDBOX_PORT={raw}: 127.0.0.1:{raw} is not free ({exc.reason}); "
            "set SANDBOX_PORT to another port (0: any free one)"
        )
    except DatabaseUnusable as exc:
        return _fail(f"could not set up the sandbox's database at DATABASE_URL={exc.where}: {exc.reason}", 1)
    stop = event_type()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    where = db_url if os.environ.get("DATABASE_URL") else db_url.removeprefix("sqlite:///")
    print(f"mentorbot sandbox ready in {time.monotonic() - began:.1f} s: open {running.url}", flush=True)
    print(f"(database: {where}; Ctrl-C stops)", flush=True)
    stop.wait()
    running.stop()
    return 0


def _fail(message: str, status: int = 2) -> int:
    """One line saying what is wrong (status 2: a setting to change), no traceback."""
    print(f"mentorbot: {message}", file=sys.stderr)
    return status
