"""``WEB_CONCURRENCY`` > 1: pre-forked worker processes serving one listening socket, and their parent.

One process serves requests on one GIL; past a few hundred requests a second it is CPU-bound. The
parent binds the port, forks the workers (each then builds its own engine, Slack client and register
cache, so nothing with a connection or a thread crosses the fork), and supervises: SIGTERM/SIGINT are
passed on to every worker, and when one worker ends by itself the others are stopped and the parent
exits with its status, so the platform's restart policy brings the whole set back (as for one process).
A worker whose parent is gone (killed with SIGKILL) stops itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("mentorbot")

ORPHAN_CHECK_SECONDS = 1.0


def run_workers(count: int, work: Callable[[int], int]) -> int:
    """Fork ``count`` workers, each running ``work(index)`` (index 0 is the first); wait for them.

    Call it before any thread is started: a fork copies only the calling thread.
    """
    parent = os.getpid()
    workers: dict[int, int] = {}
    for index in range(count):
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                _name_worker_in_log(index)
                _stop_when_orphaned(parent)
                status = work(index)
            except BaseException:
                log.exception("worker %d failed", index)
            finally:
                logging.shutdown()
                os._exit(status)
        workers[pid] = index
    log.info("started %d worker processes: %s", count, ", ".join(str(pid) for pid in workers))
    return _supervise(workers)


def _supervise(workers: dict[int, int]) -> int:
    stopping = False

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        _signal_all(workers, signal.SIGTERM)

    signal.signal(signal.SIGTERM, pass_on)
    signal.signal(signal.SIGINT, pass_on)
    worst = 0
    while workers:
        pid, wait_status = os.wait()  # a signal runs pass_on, then the wait goes on (PEP 475)
        index = workers.pop(pid, None)
        if index is None:
            continue
        status = os.waitstatus_to_exitcode(wait_status)
        worst = worst or (status if status > 0 else (1 if status < 0 else 0))
        if not stopping:
            log.error("worker %d (pid %d) ended with %s: stopping the others", index, pid, status)
            stopping = True
            worst = worst or 1
            _signal_all(workers, signal.SIGTERM)
    log.info("all workers stopped")
    return worst


def _signal_all(workers: dict[int, int], signum: int) -> None:
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


class _WorkerField(logging.Filter):
    def __init__(self, index: int) -> None:
        super().__init__()
        self._index = index

    def filter(self, record: logging.LogRecord) -> bool:
        record.fields = {**(getattr(record, "fields", None) or {}), "worker": self._index}
        return True


def _name_worker_in_log(index: int) -> None:
    """Every line a worker logs says which worker it is (``worker=0`` runs the scheduler)."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(_WorkerField(index))


def _stop_when_orphaned(parent: int) -> None:
    """SIGTERM ourselves when the parent is gone (it was killed without passing the signal on)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()
