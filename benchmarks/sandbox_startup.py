"""How long ``mentorbot sandbox`` takes to be ready (target: under 3 s), beside ``mentorbot --help`` in the
same run (the interpreter and the CLI's imports alone).

Run: python benchmarks/sandbox_startup.py [--runs 5]

Each run starts ``mentorbot sandbox`` as a new process in a fresh directory (so a fresh SQLite file,
migrated from nothing) on a free port, and times from the spawn until the page answers GET /api/people
(the workspace seeded, the bot signed in to the stand-in). The process is then stopped with SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

MENTORBOT = str(Path(sys.executable).with_name("mentorbot"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_help() -> float:
    began = time.perf_counter()
    subprocess.run([MENTORBOT, "--help"], check=True, capture_output=True)
    return time.perf_counter() - began


def time_sandbox() -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SANDBOX_PORT"] = str(port)
    with tempfile.TemporaryDirectory() as directory:
        began = time.perf_counter()
        process = subprocess.Popen(
            [MENTORBOT, "sandbox"],
            cwd=directory,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/people", timeout=1) as answer:
                        if answer.status == 200:
                            return time.perf_counter() - began
                except OSError:
                    if process.poll() is not None:
                        raise RuntimeError("mentorbot sandbox exited") from None
                    time.sleep(0.02)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    helps = [time_help() for _ in range(args.runs)]
    sandboxes = [time_sandbox() for _ in range(args.runs)]
    print(f"{'':24}{'median':>10}{'max':>10}   ({args.runs} runs)")
    print(f"{'mentorbot --help':24}{statistics.median(helps):>9.2f}s{max(helps):>9.2f}s")
    print(f"{'mentorbot sandbox ready':24}{statistics.median(sandboxes):>9.2f}s{max(sandboxes):>9.2f}s")


if __name__ == "__main__":
    main()
