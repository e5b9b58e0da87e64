"""Compare the model with a real community: the R4DS Online Learning Community's Slack.

    python experiments/compare_r4ds.py                      # 20 seeds per scenario, ~40 s on 2 cores
    python experiments/compare_r4ds.py --seeds 50 --out /tmp/r4ds_comparison.html

Runs the default-calibrated scenarios for R4DS's 678 days, computes the scale-free
statistics on both sides (analysis/r4ds.py, which documents each), prints them and writes
the self-contained report (dashboards/r4ds_report.py). Data: ``data/r4ds_slack_daily.csv``
(source and licence in ``data/README.md``), or the folder named by ``COMMUNITY_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python experiments/compare_r4ds.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import r4ds
from analysis.files import write_atomic
from dashboards.r4ds_report import build_report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=20, help="seeds per scenario (default 20)")
    ap.add_argument("--scenarios", default=",".join(r4ds.SCENARIOS), help="comma-separated scenario names")
    ap.add_argument("--out", type=Path, default=Path("r4ds_comparison.html"))
    args = ap.parse_args(argv)
    try:
        df = r4ds.load_r4ds()
    except r4ds.DataMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    t0 = time.time()
    c = r4ds.compare(args.seeds, [s for s in args.scenarios.split(",") if s], data=df)
    write_atomic(args.out, build_report(c))
    print(r4ds.text_table(c))
    print(f"{len(c.model)} scenarios x {args.seeds} seeds in {time.time() - t0:.0f} s -> {args.out.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
