"""Morris screening of the strategy levers, printed as a ranking per outcome.

    python experiments/sensitivity.py --trajectories 10

The screening itself (levers, base, outcomes) is analysis/sensitivity.py; the validation
report draws it too (experiments/validate.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.sensitivity import OUTCOMES, morris_screening, ranking


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trajectories", type=int, default=10)
    args = ap.parse_args(argv)
    sens = morris_screening(args.trajectories)
    for name in OUTCOMES:
        print(name)
        for lever, mu, sig in ranking(sens, name):
            print(f"  {lever:30s} mu*={mu:10.3f}  sigma={sig:10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
