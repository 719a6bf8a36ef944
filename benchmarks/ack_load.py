"""Ack under load: 50 concurrent clients send signed slash commands over HTTP for 30 seconds each, to
the bot (as ``mentorbot run`` serves it) and, in the same run, to a bare Bolt app that only acks.

Run: python benchmarks/ack_load.py [--clients 50] [--seconds 30] [--backend sqlite] [--text "list"]
                                   [--rates 0,2]

Both apps are served the same way (waitress through ``app.slack.http.serve``, 16 threads) on
127.0.0.1 in this process; their Web API calls and response_url POSTs land on a fake Slack here too.
The clients run in a separate process (so they do not compete with the server for this one's GIL),
each a thread that sends a request, waits for the answer, and sends the next (a closed loop; one new
connection per request, as Slack makes them). Ack time is the HTTP round trip of one request. An error
is anything but HTTP 200, or a failed connection. The bot's command is ``/mentor list`` by default:
it acks, then reads the caller's conversations from the database and answers through response_url,
so that work competes with the acks of the other clients.

Each of ``--rates`` is one pass over both apps: 0 sends back to back (each client sends its next
request as soon as the last one is acked: the server is saturated, and ack time is mostly queueing for
the CPU), a positive rate paces each client at that many requests a second. Besides ack times the
table shows the server process's CPU time per request (both apps run in this process, so it includes
the fake Slack's share) and, for the bot, how many answers reached the response_url per second during
the pass and how long the rest took to arrive after it: acking fast while the answers pile up would
not be a win.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import statistics
import threading
import time
from typing import Any

from bench_support import (
    DEFAULT_PG_URL,
    SIGNING_SECRET,
    percentile,
    post_slash_command,
    running_bot,
    scratch_database,
    serving,
)

from app.sandbox.standin import FakeSlack
from app.slack.http import create_wsgi_app


def client_process(
    port: int, response_base: str, clients: int, seconds: float, text: str, rate: float, out: Any
) -> None:
    """``clients`` threads for ``seconds``, each sending ``rate`` requests a second (0: back to back);
    puts (ack times, errors) on ``out``."""
    deadline = time.monotonic() + seconds
    results: list[tuple[list[float], list[str]]] = []

    def one_client(n: int) -> None:
        times: list[float] = []
        errors: list[str] = []
        results.append((times, errors))
        i = 0
        next_at = time.monotonic() + (n / clients / rate if rate else 0)  # spread the clients' starts
        while time.monotonic() < deadline:
            if rate:
                pause = next_at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                next_at += 1 / rate
            i += 1
            user = f"UL{n:03d}"
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


def load(
    base_url: str, fake: FakeSlack, args: argparse.Namespace, rate: float, *, answers_owed: bool
) -> dict[str, Any]:
    """One pass of the client process against ``base_url``; with ``answers_owed``, also waits for the
    answer to every acked request to reach the fake's response_url."""
    port = int(base_url.rsplit(":", 1)[1])
    out: Any = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(
        target=client_process,
        args=(port, fake.base_url, args.clients, args.seconds, args.text, rate, out),
    )
    stop = threading.Event()
    answered = [0]

    def trim_responses() -> None:
        # The fake keeps every response_url POST and scans them per POST; count and forget them as we go.
        while not stop.wait(0.5):
            with fake._lock:
                answered[0] += len(fake.responses)
                fake.responses.clear()
                fake.calls.clear()

    def answers() -> int:
        with fake._lock:
            return answered[0] + len(fake.responses)

    trimmer = threading.Thread(target=trim_responses, daemon=True)
    trimmer.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    process.start()
    times, errors = out.get(timeout=args.seconds + 60)
    process.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    during = answers()
    while answers_owed and answers() < len(times) and time.perf_counter() - started < elapsed + 120:
        time.sleep(0.05)
    drain = time.perf_counter() - started - elapsed
    stop.set()
    return {
        "times": times,
        "errors": errors,
        "elapsed": elapsed,
        "cpu": cpu,
        "answered": during,
        "drain": drain,
    }


def bare_bolt_app(fake: FakeSlack) -> Any:
    from slack_bolt import App

    app = App(
        client=fake.client(),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
        process_before_response=False,
    )

    @app.command("/mentor")
    def only_ack(ack: Any) -> None:
        ack()

    return create_wsgi_app(app, lambda: True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--text", default="list", help="the /mentor command text the bot gets")
    parser.add_argument(
        "--rates",
        default="0,2",
        help="requests per second per client, one pass per value; 0: back to back (saturation)",
    )
    args = parser.parse_args()

    rows: list[tuple[float, str, dict[str, Any]]] = []
    with scratch_database(args.backend, args.pg_url, tag="bench_ack") as url, FakeSlack() as fake:
        for n in range(args.clients):
            fake.add_user(f"UL{n:03d}", f"client{n}", tz="Europe/Berlin")
        for rate in (float(r) for r in args.rates.split(",")):
            with serving(bare_bolt_app(fake)) as base_url:
                rows.append(
                    (rate, "bare Bolt app (ack only)", load(base_url, fake, args, rate, answers_owed=False))
                )
            with running_bot(fake, url) as (_, base_url):
                name = f"mentorbot (/mentor {args.text}, {args.backend})"
                rows.append((rate, name, load(base_url, fake, args, rate, answers_owed=True)))
        assert not fake.crashes, fake.crashes

    print(f"\n{args.clients} clients, {args.seconds:.0f} s per app and pace, one connection per request\n")
    print(
        f"{'pace':<13}{'app':<36}{'requests':>9}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
        f"{'errors':>7}{'CPU ms/req':>11}{'answers/s':>10}{'late s':>7}"
    )
    for rate, name, r in rows:
        ms = [t * 1000 for t in r["times"]] or [math.nan]
        pace = f"{rate:g}/s each" if rate else "back to back"
        bot = name.startswith("mentorbot")
        answers = f"{r['answered'] / r['elapsed']:>10.0f}{r['drain']:>7.1f}" if bot else f"{'-':>10}{'-':>7}"
        print(
            f"{pace:<13}{name:<36}{len(ms):>9}{len(ms) / r['elapsed']:>7.0f}{statistics.median(ms):>8.1f}"
            f"{percentile(ms, 99):>8.1f}{max(ms):>8.1f}{len(r['errors']):>7}"
            f"{1000 * r['cpu'] / max(1, len(r['times'])):>11.2f}{answers}"
        )
    print()
    for (rate, _, bare), (_, _, bot) in zip(rows[::2], rows[1::2], strict=True):
        pace = f"{rate:g}/s each" if rate else "back to back"
        p50 = statistics.median(bot["times"]) / statistics.median(bare["times"])
        p99 = percentile(bot["times"], 99) / percentile(bare["times"], 99)
        print(f"ratio mentorbot / bare Bolt, {pace}: p50 {p50:.2f}, p99 {p99:.2f}")
        if bot["errors"] or bare["errors"]:
            print("   errors:", sorted(set(bot["errors"] + bare["errors"]))[:10])


if __name__ == "__main__":
    main()
