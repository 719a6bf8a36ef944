"""The last seats, clicked at once: ``--people`` (50) signed Join clicks on one ``--seats`` (6) session,
released together over HTTP, to the bot run as production runs it (``mentorbot run`` in a process of
its own, ``WEB_CONCURRENCY`` workers), on PostgreSQL by default.

Run: python benchmarks/join_race.py [--people 50] [--seats 6] [--workers 1,2] [--runs 3]
                                    [--backend postgresql] [--client asyncio] [--profile DIR]

Three processes, as in ``saturation.py``: the bot (``start_bot``); the fake Slack (users.info, the
response_url POSTs) in this one; the clicks in a client process, one connection per click, all opened in
the same moment from one event loop (``--client asyncio``, the default) or from a thread each released
by one barrier (``--client threads``). Before each timed burst the bot is left to deliver what its
outbox has due, so the joins and the helps both meet an idle bot. Ack time is the HTTP round trip of one
click, timed in the client process. Outcomes are read from what the bot answered on each click's
response_url: "You have a seat", "full, so you're on the waitlist", or anything else (an error). The
seats are then counted in the database. In the same run, as a baseline, the same number of concurrent
``/mentor help`` commands (answered in the ack itself, no database) are sent to the same bot process.

``--profile DIR`` runs the bot under py-spy (if installed; not a dependency of the bot) and writes one
flame graph per run into DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import multiprocessing
import os
import shutil
import statistics
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_support import DEFAULT_PG_URL, SIGNING_SECRET, percentile, scratch_database
from saturation import cpu_seconds, free_port, start_bot, tree, wait_ready
from slack_requests import block_actions_body, signed_headers, slash_command_body
from sqlalchemy import func, select

from app.bootstrap import create_bot
from app.config import load_settings
from app.db.models import Notice, SessionSeat
from app.domain.formats import Format, SessionPlan, Where
from app.sandbox.standin import FakeSlack
from app.services.people import Person
from app.slack.payloads import SessionRef

HOST = Person("UHOST0001", "Hana Host", "Europe/Berlin")


def _post(port: int, body: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/slack/events", body=body, headers=signed_headers(SIGNING_SECRET, body))
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


def _at_once_threads(port: int, bodies: list[str]) -> list[tuple[int, float]]:
    """One thread and connection per click, all released by one barrier (``--client threads``)."""
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, float]] = [(0, 0.0)] * len(bodies)

    def send(i: int) -> None:
        barrier.wait()
        results[i] = _post(port, bodies[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


async def _post_async(port: int, request: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
        writer.close()
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
        status = 0
    return status, (time.perf_counter() - started) * 1000


def _at_once_asyncio(port: int, bodies: list[str]) -> list[tuple[int, float]]:
    """Every click's connection opened in the same moment from one event loop (``--client asyncio``,
    the default): the clicks are signed beforehand, as Slack signs before it sends, and timing them
    costs the client no thread switches, so the figure is the bot's, not the client's GIL's."""
    requests = []
    for body in bodies:
        headers = signed_headers(SIGNING_SECRET, body)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        data = body.encode()
        requests.append(
            f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {len(data)}\r\n"
            f"{head}Connection: close\r\n\r\n".encode()
            + data
        )

    async def burst() -> list[tuple[int, float]]:
        return list(await asyncio.gather(*(_post_async(port, r) for r in requests)))

    return asyncio.run(burst())


def client_process(port: int, bursts: Any, out: Any, client: str) -> None:
    """Sends each burst of bodies it is given at once and puts the (status, ms) of each back."""
    at_once = _at_once_asyncio if client == "asyncio" else _at_once_threads
    while (bodies := bursts.get()) is not None:
        out.put(at_once(port, bodies))


def _seed(fake: FakeSlack, url: str, seats: int) -> tuple[str, str]:
    """The host on the register, the session raced for (``seats``) and one for the warm-up, written by
    the bot's own services."""
    settings = load_settings(
        _env_file=None,
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        database_url=url,
        default_timezone="UTC",
        scheduler_enabled=False,
    )
    bot = create_bot(settings)
    try:
        bot.services.register.join(HOST, ("python",))
        start = datetime.now(UTC) + timedelta(days=2)
        refs = []
        for offset in (0, 3):
            plan = SessionPlan(
                Format.GROUP,
                "Office hours",
                start + timedelta(hours=offset),
                timedelta(minutes=45),
                seats,
                Where.ONLINE,
            )
            refs.append(SessionRef(bot.services.hosting.host(HOST, plan).session_id).encode())
        return refs[0], refs[1]
    finally:
        bot.engine.dispose()


def _taken(url: str, ref: str) -> int:
    from app.db.engine import create_db_engine

    engine = create_db_engine(url)
    try:
        with engine.connect() as c:
            return int(
                c.scalar(
                    select(func.count())
                    .select_from(SessionSeat)
                    .where(
                        SessionSeat.status == "taken",
                        SessionSeat.session_id == SessionRef.decode(ref).session_id,
                    )
                )
                or 0
            )
    finally:
        engine.dispose()


def _wait_outbox_idle(url: str, timeout: float = 60) -> None:
    """Until the bot has delivered every notice already due (the warm-up's and the joins' DMs), so a
    timed burst meets a bot with nothing else to do, as a test waits until the bot is idle."""
    from app.db.engine import create_db_engine

    engine = create_db_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as c:
                due = c.scalar(
                    select(func.count())
                    .select_from(Notice)
                    .where(Notice.status.in_(("queued", "sending")), Notice.due_at <= datetime.now(UTC))
                )
            if not due:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{due} notices still undelivered after {timeout:.0f} s")
            time.sleep(0.05)
    finally:
        engine.dispose()


def _bot_process(fake: FakeSlack, url: str, port: int, workers: int, profile: Path | None, tag: str) -> Any:
    process = start_bot(fake, url, port, workers)
    if profile is None:
        return process, None
    spy = subprocess.Popen(
        [
            shutil.which("py-spy") or "py-spy",
            "record",
            "--pid",
            str(process.pid),
            "--subprocesses",
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            str(profile / f"{tag}.txt"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, spy


def one_run(
    fake: FakeSlack, args: argparse.Namespace, workers: int, run: int, profile: Path | None
) -> dict[str, float]:
    fake.reset()
    users = [f"URACE{run}{i:04d}" for i in range(args.people)]
    for user_id in [HOST.user_id, *users]:
        fake.add_user(user_id, user_id.lower(), tz="UTC")
    with scratch_database(args.backend, args.pg_url, tag="joinrace") as url:
        ref, warm_ref = _seed(fake, url, args.seats)
        port = free_port()
        process, spy = _bot_process(fake, url, port, workers, profile, f"w{workers}-run{run + 1}")
        context = multiprocessing.get_context("spawn")
        bursts: Any = context.Queue()
        out: Any = context.Queue()
        clients = context.Process(target=client_process, args=(port, bursts, out, args.client))
        clients.start()
        try:
            wait_ready(port)
            # Warm-up, untimed, so that the figures are those of a bot that has been up a while: a burst
            # of helps (the thread pools grown, each worker's first requests), then Join clicks on the
            # other session, one at a time (the first block_actions, the seat work's first connections).
            bursts.put([slash_command_body(text="help", user_id=u) for u in users])
            out.get(timeout=120)
            for i in range(2 * workers):
                _post(
                    port,
                    block_actions_body(
                        users[i], "join_session", warm_ref, response_url=fake.response_url(f"warm-{run}-{i}")
                    ),
                )
            fake.wait_for(
                lambda: all(fake.responses_for(f"warm-{run}-{i}") for i in range(2 * workers)), timeout=30
            )
            _wait_outbox_idle(url)
            keys = [f"join-{run}-{i}" for i in range(args.people)]
            pids = tree(process.pid)
            cpu_before, burst_at = cpu_seconds(pids), time.perf_counter()
            bursts.put(
                [
                    block_actions_body(u, "join_session", ref, response_url=fake.response_url(k))
                    for u, k in zip(users, keys, strict=True)
                ]
            )
            acks = out.get(timeout=120)
            answers = [fake.wait_for(lambda k=k: fake.responses_for(k), timeout=30)[-1] for k in keys]
            cpu_joins = cpu_seconds(pids) - cpu_before  # the acks and the seat work after them
            last_answer = time.perf_counter() - burst_at
            _wait_outbox_idle(url)
            cpu_before_helps = cpu_seconds(pids)
            bursts.put([slash_command_body(text="help", user_id=u) for u in users])
            helps = out.get(timeout=120)
            cpu_helps = cpu_seconds(pids) - cpu_before_helps
            bursts.put(None)
        finally:
            clients.join(timeout=30)
            process.terminate()
            process.wait(timeout=30)
            if spy is not None:
                spy.wait(timeout=60)
        texts = [str(a.text or "") for a in answers]
        seated = sum("You have a seat" in t for t in texts)
        waitlisted = sum("on the waitlist" in t for t in texts)
        in_db = _taken(url, ref)
    times = [ms for _, ms in acks]
    help_times = [ms for _, ms in helps]
    return {
        "seated": seated,
        "waitlisted": waitlisted,
        "errors": args.people
        - seated
        - waitlisted
        + sum(1 for s, _ in acks if s != 200)
        + sum(1 for s, _ in helps if s != 200),
        "taken_in_db": in_db,
        "ack_p50": statistics.median(times),
        "ack_p99": percentile(times, 99),
        "help_p50": statistics.median(help_times),
        "help_p99": percentile(help_times, 99),
        "join_cpu": 1000 * cpu_joins / args.people,
        "help_cpu": 1000 * cpu_helps / args.people,
        "last_answer": last_answer,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seats", type=int, default=6)
    parser.add_argument("--workers", default="1,2", help="WEB_CONCURRENCY values, --runs each")
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--client",
        choices=("asyncio", "threads"),
        default="asyncio",
        help="how the clicks are sent: one event loop, or a thread per click (the earlier figures)",
    )
    parser.add_argument("--profile", type=Path, help="py-spy raw flame graphs of the bot, one per run")
    args = parser.parse_args()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(
        f"{args.people} Join clicks at once on one {args.seats}-seat session, {args.backend}, "
        f"bot in its own process, {args.client} client; {os.cpu_count()} cores, "
        f"load average {load[0]:.1f} / {load[1]:.1f}"
    )
    print(
        "workers run  seated  waitlisted  errors  taken in db   join ack p50 / p99 ms"
        "   help ack p50 / p99 ms   p99 ratio   bot CPU ms per join / help   last answer s"
    )
    with FakeSlack() as fake:
        for workers in (int(w) for w in args.workers.split(",")):
            for run in range(args.runs):
                r = one_run(fake, args, workers, run, args.profile)
                print(
                    f"{workers:>7} {run + 1:>3}  {r['seated']:>6.0f}  {r['waitlisted']:>10.0f}  "
                    f"{r['errors']:>6.0f}  {r['taken_in_db']:>11.0f}   {r['ack_p50']:>9.1f} / "
                    f"{r['ack_p99']:>6.1f}      {r['help_p50']:>9.1f} / {r['help_p99']:>6.1f}"
                    f"   {r['ack_p99'] / r['help_p99']:>9.2f}"
                    f"   {r['join_cpu']:>15.1f} / {r['help_cpu']:>4.1f}   {r['last_answer']:>13.2f}",
                    flush=True,
                )
        assert not fake.crashes, fake.crashes
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.1f} / {load[1]:.1f}")


if __name__ == "__main__":
    main()
