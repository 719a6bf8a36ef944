"""The pacer alone against each limiter shape and speed-up, on a fake clock: deterministic, in seconds.

Run: python benchmarks/pacer_simulated.py [--seconds 180] [--jitter 0.004]

The same grid as ``delivery_throughput.py --runs grid`` without HTTP, the database or the machine's load:
8 senders drive the production Pacer (from the documented Tier 3) against the fake Web API's own limiter
(``tests/slack/test_pacing.py``'s simulation, seeded network delays of 1 ms to ``--jitter``), so the
figures say what the pacer does, not how busy the machine was. Sustained: from 30 s on.
"""

from __future__ import annotations

import argparse
import sys

from bench_support import ROOT

sys.path.insert(0, str(ROOT / "tests" / "slack"))

from test_pacing import SHAPE_BURST, SimulatedSlack, simulate

from app.sandbox.standin import RATE_LIMIT_SHAPES
from app.slack.pacing import TIER_3

SETTLE = 30.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--jitter", type=float, default=0.004, help="longest one-way network delay, s")
    parser.add_argument("--scales", default="30,60,120")
    args = parser.parse_args()
    print(f"{'shape':<15}{'scale':>6}{'overall':>9}{'>30s':>8}{'429s':>6}{'429 %':>7}")
    for shape in RATE_LIMIT_SHAPES:
        for scale in (float(x) for x in args.scales.split(",")):
            limit, burst = TIER_3 * scale, SHAPE_BURST[shape]
            run = simulate(
                SimulatedSlack(rate=limit, burst=burst, shape=shape),
                seconds=args.seconds,
                delay=(0.001, args.jitter),
            )
            overall = len(run.accepted) / (limit * args.seconds + burst)
            steady = run.rate_between(SETTLE, args.seconds) / limit
            print(
                f"{shape:<15}{f'x{scale:g}':>6}{overall:>9.1%}{steady:>8.1%}{run.refused:>6}"
                f"{run.refused / len(run.accepted):>7.2%}"
            )
    print(
        f"\n{args.seconds:g} simulated seconds per cell. overall: calls accepted / (the limit x the time "
        f"+ its burst once); >30s: the rate from {SETTLE:g} s on / the limit."
    )


if __name__ == "__main__":
    main()
