"""Do the scenarios tell their stories? Ten scenarios × seeds, one table (issue 12).

    python experiments/scan_stories.py                  # 20 seeds each, markdown to stdout
    python experiments/scan_stories.py --seeds 5 --only typical_group,social_chat_group

The stories (each scenario's description as conditions) live in analysis/stories.py; the
table goes into docs/calibration.md ("Scenario scan"). Exit status 0 when every scenario
tells its story in ≥ 80% of seeds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python experiments/scan_stories.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.stories import STORIES, TARGET_SHARE, scan


def markdown(summary) -> str:
    lines = ["| scenario | days | story holds | median lifespan | phase at end | ad group | self-operating | median peak |",
             "|---|---|---|---|---|---|---|---|"]
    for s in summary.to_dict("records"):
        lines.append(f"| {s['scenario']} | {s['days']} | {s['story']:.0%} | {s['median_lifespan']:.0f} | "
                     f"{s['final_phases']} | {s['ad_group_share']:.0%} | {s['self_operation_share']:.0%} | "
                     f"{s['median_peak']:.0f} |")
    lines += ["", "Conditions (share of seeds where each holds):", ""]
    for s in summary.to_dict("records"):
        parts = "; ".join(f"{label} {share:.0%}" for label, share in s["conditions"].items())
        lines.append(f"- **{s['scenario']}**: {parts}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=20, help="seeds per scenario (1000, 1001, ...)")
    ap.add_argument("--only", default="", help=f"comma-separated scenarios (default: all): {', '.join(STORIES)}")
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(STORIES)
    unknown = [n for n in names if n not in STORIES]
    if unknown:
        ap.error(f"unknown scenario {', '.join(unknown)}: allowed {', '.join(STORIES)}")
    t0 = time.time()
    _, summary = scan(names, range(1000, 1000 + args.seeds))
    print(markdown(summary))
    print(f"\n{args.seeds} seeds per scenario (1000–{999 + args.seeds}), {time.time() - t0:.0f} s", file=sys.stderr)
    return 0 if (summary["story"] >= TARGET_SHARE).all() else 1


if __name__ == "__main__":
    sys.exit(main())
