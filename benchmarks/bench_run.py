"""How fast is a simulated member-day? The default scenario at 100, 500 and 2,000 members.

    python benchmarks/bench_run.py [--repeats 3] [--days 365]

Each size starts with that many members (seed users) and the cap at that size — no cap for
the largest — and runs the default scenario's year. Cost is reported per member-day
actually simulated (groups shrink), and as ratios to the smallest size measured in the same
run: with work linear in members the µs per member-day stays flat. Target: a 500-member year
in under 3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.compose import load_params  # noqa: E402
from sim import simulate  # noqa: E402

SIZES = ((100, 100), (500, 500), (2000, 1_000_000))  # (members at start, cap)


def measure(members: int, cap: int, days: int, seed: int) -> tuple[float, int]:
    p = load_params([f"days={days}", f"seed={seed}", f"seeding.seed_users={members - 1}", f"arrivals.cap={cap}"])
    t = time.perf_counter()
    r = simulate(p)
    elapsed = time.perf_counter() - t
    return elapsed, sum(row["members"] for row in r.rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--days", type=int, default=365)
    args = ap.parse_args()
    print(f"{'members':>8} {'cap':>9} {'wall s (median)':>16} {'member-days':>12} {'µs/member-day':>14} {'ratio':>6}")
    base = None
    for members, cap in SIZES:
        runs = [measure(members, cap, args.days, seed) for seed in range(args.repeats)]
        wall = statistics.median(w for w, _ in runs)
        member_days = int(statistics.median(md for _, md in runs))
        us = statistics.median(w / md * 1e6 for w, md in runs)
        base = base or us
        cap_text = "none" if cap >= 1_000_000 else str(cap)
        print(f"{members:>8} {cap_text:>9} {wall:>16.2f} {member_days:>12} {us:>14.2f} {us / base:>6.2f}")


if __name__ == "__main__":
    main()
