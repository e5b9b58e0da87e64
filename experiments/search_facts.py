"""Calibrate to the stylized facts by a systematic search (issue 12): one command.

    python experiments/search_facts.py --trials 30                 # into outputs/fact_search
    python experiments/search_facts.py --trials 40 --out outputs/fact_search   # resumes: 10 more
    python experiments/search_facts.py --trials 20 --size full --out outputs/refine \
        --params roles.ease_activate,churn.dissatisfied_hazard --facts star_vs_mesh,red_packet   # a refinement

The search (space, loss, held-out facts) is analysis/fact_search.py; the result is
``<out>/trials.json`` and ``<out>/search.md``, the table docs/calibration.md shows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python experiments/search_facts.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.fact_search import markdown, search
from analysis.files import write_atomic


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=30, help="trials in all (an existing --out resumes)")
    ap.add_argument("--out", default="outputs/fact_search")
    ap.add_argument("--seed", type=int, default=0, help="the sampler's seed")
    ap.add_argument("--params", help="comma-separated subset of the space to search (default: all)")
    ap.add_argument("--facts", help="comma-separated subset of the searched facts (default: all)")
    ap.add_argument("--size", default="search", help="seeds per arm: search, fast or full (analysis/facts.py SIZES)")
    args = ap.parse_args(argv)
    if args.trials < 1:
        ap.error(f"--trials = {args.trials}: must be at least 1")
    out = Path(args.out)
    split = (lambda v: [x.strip() for x in v.split(",") if x.strip()] if v is not None else None)
    try:
        record = search(out, args.trials, seed=args.seed, progress=lambda s: print(s, flush=True),
                        params=split(args.params), keys=split(args.facts), size=args.size)
    except ValueError as e:
        ap.error(str(e))
    text = markdown(record)
    write_atomic(out / "search.md", text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
