"""SIGTERM is seen even when the kernel hands it to a thread other than the main one.

CPython runs signal handlers in the main thread only, when it next runs bytecode; a main thread blocked in
a bare ``Event.wait()`` is not woken by a signal another thread took, and the bot ignored SIGTERM (seen once
in CI). Here the main thread blocks SIGTERM, so the kernel must give it to the other thread.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import signal, sys, threading, time
    from app.__main__ import _Stopping

    threading.Thread(target=lambda: time.sleep(60), daemon=True).start()  # the thread that takes SIGTERM
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # after the thread: it keeps SIGTERM open
    stopping = _Stopping()
    print("waiting", flush=True)
    stopping.event.wait()
    print("stopped", flush=True)
    """
)


def test_sigterm_taken_by_another_thread_still_stops_the_main_thread():
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "waiting"
        child.send_signal(signal.SIGTERM)
        out, _ = child.communicate(timeout=10)
    finally:
        child.kill()
    assert out.strip() == "stopped"
    assert child.returncode == 0
