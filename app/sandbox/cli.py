"""``mentorbot sandbox`` after parsing: read SANDBOX_PORT and DATABASE_URL, start, print the URL, wait."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from types import FrameType

DEFAULT_PORT = 3000


def run_sandbox(event_type: type[threading.Event] = threading.Event) -> int:
    from app.sandbox.run import database_url, start_sandbox

    raw = os.environ.get("SANDBOX_PORT", str(DEFAULT_PORT)).strip()
    if not raw.isdigit() or not 0 <= int(raw) <= 65535:
        print(f"mentorbot: SANDBOX_PORT wants a port number from 0 to 65535; got {raw!r}", file=sys.stderr)
        return 2
    began = time.monotonic()
    db_url = database_url()
    try:
        running = start_sandbox(port=int(raw), db_url=db_url)
    except OSError as exc:
        print(
            f"mentorbot: cannot start the sandbox on 127.0.0.1:{raw}: {exc.strerror or exc}", file=sys.stderr
        )
        return 1
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
