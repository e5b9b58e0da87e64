"""Global sensitivity of the outcomes to the strategy levers, printed as a ranking per outcome.

    python experiments/sensitivity.py --trajectories 10             # Morris screening
    python experiments/sensitivity.py --method sobol --base-samples 256 [--out sobol.json] [--html sobol.html]

The analysis itself (levers, base, outcomes, both methods) is analysis/sensitivity.py; the
validation report draws the Morris screening too (experiments/validate.py). Sobol needs
base_samples × (levers + 3) runs (the seed is a factor too; 256: 3,072 runs, on the ensemble runner's vector engine).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.files import write_atomic, write_json
from analysis.sensitivity import OUTCOMES, morris_screening, ranking, sobol_indices
from dashboards.sensitivity_report import sensitivity_page


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--method", choices=("morris", "sobol"), default="morris")
    ap.add_argument("--trajectories", type=int, default=10, help="Morris trajectories")
    ap.add_argument("--base-samples", type=int, default=256, help="Sobol base samples (a power of two)")
    ap.add_argument("--days", type=int, default=None, help="horizon of every run (default: the scenario's)")
    ap.add_argument("--out", type=Path, default=None, help="also write the indices as JSON (atomically)")
    ap.add_argument("--html", type=Path, default=None, help="also write the figure as a self-contained page")
    args = ap.parse_args(argv)
    try:
        if args.method == "sobol":
            sens = sobol_indices(args.base_samples, days=args.days)
        else:
            sens = morris_screening(args.trajectories, days=args.days)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{args.method}: {sens['runs']} runs")
    for name in OUTCOMES:
        print(name)
        for lever, a, b in ranking(sens, name):
            print(f"  {lever:30s} ST={a:6.3f}  S1={b:6.3f}" if args.method == "sobol" else
                  f"  {lever:30s} mu*={a:10.3f}  sigma={b:10.3f}")
    if args.out is not None:
        write_json(args.out, sens)
    if args.html is not None:
        write_atomic(args.html, sensitivity_page(sens))
    return 0


if __name__ == "__main__":
    sys.exit(main())
