"""Saturated throughput: signed slash commands sent back to back over HTTP, to the bot and, in the same
run, to a bare Bolt app whose one ``/mentor`` listener only acks.

Run: python benchmarks/saturation.py [--quick] [--seconds 15] [--clients 16] [--workers 1,2]
                                     [--text list] [--backend sqlite]

Each app runs in a process of its own (the bot as ``mentorbot run`` starts it, with ``WEB_CONCURRENCY``
workers; the bare app served the same way, waitress through ``app.slack.http.serve``), so the CPU time
counted is the server's alone: the fake Slack (``app/sandbox/standin/``: auth.test, users.info, the
response_url POSTs) runs in this process and the clients in another. Each client sends a request, reads
the answer, and sends the next at once (a closed loop; one connection per request, as Slack makes them).

The table shows requests per second, p50/p99 of the HTTP round trip, CPU ms per request (user + system
time of the server's processes over the pass, divided by the requests answered), resident memory after
the pass, and for the bot the answers that reached the response_url (each must: acking fast while the
answers pile up would not be a win). The ratio is the bot's throughput over the bare app's.
"""

from __future__ import annotations

import argparse
import http.client
import math
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench_support import (
    DEFAULT_PG_URL,
    ROOT,
    SIGNING_SECRET,
    percentile,
    post_slash_command,
    scratch_database,
)

from app.sandbox.standin import FakeSlack

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

BARE_APP = """
import sys
sys.path.insert(0, {root!r})
from slack_bolt import App
from slack_sdk import WebClient
from app.slack.http import create_wsgi_app, serve

app = App(client=WebClient(token={token!r}, base_url={api_url!r}), signing_secret={secret!r},
          token_verification_enabled=False, process_before_response=False)

@app.command("/mentor")
def only_ack(ack):
    ack()

server = serve(create_wsgi_app(app, lambda: True), host="127.0.0.1", port={port}, threads=16)
print("ready", flush=True)
server.run()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the workers of ``mentorbot run``)."""
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found += tree(int(child))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except FileNotFoundError:
            continue
    return total / 2**20


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port}")


def start_bare(fake: FakeSlack, port: int) -> subprocess.Popen[bytes]:
    code = BARE_APP.format(
        root=str(ROOT), token=fake.bot_token, api_url=fake.api_url, secret=SIGNING_SECRET, port=port
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)


def start_bot(
    fake: FakeSlack, url: str, port: int, workers: int, log_level: str = "INFO"
) -> subprocess.Popen[bytes]:
    """``mentorbot run`` as shipped (JSON log lines at INFO, one per request, to /dev/null)."""
    env = dict(
        os.environ,
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=url,
        DEFAULT_TIMEZONE="UTC",
        PORT=str(port),
        HOST="127.0.0.1",
        WEB_CONCURRENCY=str(workers),
        LOG_LEVEL=log_level,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "app", "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def client_process(port: int, response_base: str, clients: int, seconds: float, text: str, out: Any) -> None:
    """``clients`` threads sending back to back for ``seconds``; puts (round trips, errors) on ``out``."""
    deadline = time.monotonic() + seconds
    results: list[tuple[list[float], list[str]]] = []

    def one_client(n: int) -> None:
        times: list[float] = []
        errors: list[str] = []
        results.append((times, errors))
        i = 0
        while time.monotonic() < deadline:
            i += 1
            user = f"US{n:03d}"
            took = post_slash_command(port, text, user, f"{response_base}/response/{user}-{i}")
            if isinstance(took, str):
                errors.append(took)
            else:
                times.append(took)

    threads = [threading.Thread(target=one_client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(([t for times, _ in results for t in times], [e for _, errors in results for e in errors]))


def one_pass(
    process: subprocess.Popen[bytes], port: int, fake: FakeSlack, args: argparse.Namespace, *, answers: bool
) -> dict[str, Any]:
    wait_ready(port)
    pids = tree(process.pid)
    stop = threading.Event()
    answered = [0]

    def trim() -> None:  # the fake keeps every POST; count them and forget them as we go
        while not stop.wait(0.5):
            with fake._lock:
                answered[0] += len(fake.responses)
                fake.responses.clear()
                fake.calls.clear()

    trimmer = threading.Thread(target=trim, daemon=True)
    trimmer.start()
    context = multiprocessing.get_context("spawn")
    out: Any = context.Queue()
    clients = context.Process(
        target=client_process, args=(port, fake.base_url, args.clients, args.seconds, args.text, out)
    )
    cpu_before, started = cpu_seconds(pids), time.perf_counter()
    clients.start()
    times, errors = out.get(timeout=args.seconds + 60)
    clients.join()
    elapsed = time.perf_counter() - started
    while (
        answers
        and answered[0] + len(fake.responses) < len(times)
        and time.perf_counter() - started < elapsed + 60
    ):
        time.sleep(0.05)
    late = time.perf_counter() - started - elapsed
    cpu = cpu_seconds(pids) - cpu_before
    stop.set()
    trimmer.join()
    got = answered[0] + len(fake.responses)
    memory = rss_mb(tree(process.pid))
    process.terminate()
    process.wait(timeout=30)
    return {
        "times": times,
        "errors": errors,
        "elapsed": elapsed,
        "cpu": cpu,
        "rss": memory,
        "answered": got,
        "late": late,
        "processes": len(pids),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="per app and worker count")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", default="1,2", help="WEB_CONCURRENCY values for the bot, one pass each")
    parser.add_argument("--text", default="list", help="the /mentor command text the bot gets")
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--quick", action="store_true", help="8 s passes")
    parser.add_argument("--log-level", default="INFO", help="the bot's LOG_LEVEL")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 8.0

    rows: list[tuple[str, dict[str, Any]]] = []
    with scratch_database(args.backend, args.pg_url, tag="bench_sat") as url, FakeSlack() as fake:
        for n in range(args.clients):
            fake.add_user(f"US{n:03d}", f"client{n}", tz="Europe/Berlin")
        port = free_port()
        rows.append(
            ("bare Bolt app (ack only)", one_pass(start_bare(fake, port), port, fake, args, answers=False))
        )
        for workers in (int(w) for w in args.workers.split(",")):
            port = free_port()
            name = f"mentorbot /mentor {args.text}, {workers} worker{'s' if workers > 1 else ''}"
            rows.append(
                (
                    name,
                    one_pass(
                        start_bot(fake, url, port, workers, args.log_level), port, fake, args, answers=True
                    ),
                )
            )
        assert not fake.crashes, fake.crashes

    passes = f"{args.seconds:.0f} s per pass, {args.backend}, {os.cpu_count()} cores"
    print(f"\n{args.clients} clients back to back, {passes}")
    print(
        f"{'app':<40}{'requests':>9}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}{'CPU ms/req':>11}"
        f"{'RSS MB':>8}{'answered':>9}{'late s':>7}"
    )
    for name, r in rows:
        ms = [t * 1000 for t in r["times"]] or [math.nan]
        n = len(r["times"])
        print(
            f"{name:<40}{n:>9}{n / r['elapsed']:>7.0f}{statistics.median(ms):>8.1f}"
            f"{percentile(ms, 99):>8.1f}{len(r['errors']):>7}{1000 * r['cpu'] / max(1, n):>11.2f}"
            f"{r['rss']:>8.0f}{(r['answered'] if name.startswith('mentorbot') else '-'):>9}"
            f"{(format(r['late'], '.1f') if name.startswith('mentorbot') else '-'):>7}"
        )
    bare = rows[0][1]
    bare_rate = len(bare["times"]) / bare["elapsed"]
    print()
    for name, r in rows[1:]:
        rate = len(r["times"]) / r["elapsed"]
        print(f"throughput ratio {name} / bare Bolt: {rate / bare_rate:.2f} (target at least 0.50)")
        if r["errors"]:
            print("   errors:", sorted(set(r["errors"]))[:10])


if __name__ == "__main__":
    main()
