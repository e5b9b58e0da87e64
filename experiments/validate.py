"""Stylized-facts validation (MODEL.md §6): measure every fact, write validation_report.html.

    python experiments/validate.py                 # fast suite (the one CI runs), ~3 min on 2 cores
    python experiments/validate.py --full          # 100-seed ensembles + a finer Morris screening
    python experiments/validate.py --only cadence_optimum,kcore --out /tmp/v.html

The facts (which runs, what statistic, target, source) live in analysis/facts.py; the
Morris screening in analysis/sensitivity.py; the page in dashboards/validation_report.py.
Exit status 0 when every fact passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python experiments/validate.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.facts import FACTS, KNOWN_GAPS
from analysis.files import write_atomic
from analysis.sensitivity import morris_screening
from dashboards.validation_report import build_validation_report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="larger ensembles (100 seeds per arm) and a finer Morris")
    ap.add_argument("--only", default="", help=f"comma-separated fact keys (default: all): {', '.join(FACTS)}")
    ap.add_argument("--no-sensitivity", action="store_true", help="skip the Morris screening")
    ap.add_argument("--out", default="validation_report.html")
    args = ap.parse_args(argv)
    size = "full" if args.full else "fast"
    keys = [k for k in args.only.split(",") if k] or list(FACTS)
    unknown = [k for k in keys if k not in FACTS]
    if unknown:
        ap.error(f"unknown fact {', '.join(unknown)}: allowed {', '.join(FACTS)}")
    results = []
    for key in keys:
        t = time.time()
        r = FACTS[key](size)
        results.append(r)
        print(f"{'PASS' if r.passed else 'FAIL'}  {key:24s} {r.measured}  [{r.interval[0]:.3g}, {r.interval[1]:.3g}]"
              f"  ({time.time() - t:.0f}s)", flush=True)
    sens = None
    if not args.no_sensitivity and not args.only:
        t = time.time()
        sens = morris_screening(trajectories=20 if args.full else 6)
        print(f"sensitivity: Morris screening, {sens['runs']} runs ({time.time() - t:.0f}s)")
    notes = {r.key: KNOWN_GAPS[r.key] for r in results if not r.passed and r.key in KNOWN_GAPS}
    write_atomic(Path(args.out), build_validation_report(results, sens, size, notes))
    print(f"report: {args.out}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
