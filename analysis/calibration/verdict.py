"""How far to trust a fit, in one verdict: the checks a strategist would otherwise have to
weigh from three tables.

* **matched**: a statistic the fit used whose real value lies inside the simulations' 5–95 %
  range (the reference table's spread); *used* alone means only that the data had it.
* **predictive**: the share of checked days whose real 7-day mean lies inside the simulated
  90 % band, and the level error; on held-out days (out of sample) when ``holdout`` > 0, else
  on the fitted days (in sample, which flatters any fit).
* **budget**: a reference table below :func:`minimum_budget` runs is a toy: the accepted
  particles are few and the posterior is mostly the prior's shape.

Verdict: *good* — every used statistic matched, every series inside its 90 % band on at
least ``INSIDE_GOOD`` of the checked days with a level error within ``LEVEL_GOOD``, checked out
of sample, no warning; *poor* — a statistic unmatched, a series inside its band on fewer than
``INSIDE_POOR`` of the days or off in level by more than ``LEVEL_POOR``, or a toy budget;
*fair* in between (including every in-sample-only check, which cannot be *good*).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

INSIDE_GOOD, INSIDE_POOR = 0.7, 0.4  # share of checked days inside the 90 % band
LEVEL_GOOD, LEVEL_POOR = 0.25, 0.5  # relative error of the simulated median level
RUNS_PER_PARAMETER = 50  # a reference table needs about this many runs per fitted parameter ...
MIN_BUDGET = 200  # ... and never fewer than this (docs/calibration.md: 400 by default, 1,200 for R4DS)


def minimum_budget(parameters: int) -> int:
    return max(MIN_BUDGET, RUNS_PER_PARAMETER * parameters)


def budget_warning(budget: int, parameters: int) -> str | None:
    need = minimum_budget(parameters)
    if budget >= need:
        return None
    return (f"budget = {budget} runs is below the minimum of {need} for {parameters} parameters "
            f"({RUNS_PER_PARAMETER} a parameter, at least {MIN_BUDGET}): a toy fit, its posterior mostly the prior's "
            "shape; run budget=" + str(need) + " or more before trusting it")


def stat_ranges(names: Sequence[str], s: np.ndarray) -> dict[str, tuple[float, float] | None]:
    """Each statistic's 5–95 % range over the reference table's finite values (None: none)."""
    out: dict[str, tuple[float, float] | None] = {}
    for j, k in enumerate(names):
        col = s[:, j]
        col = col[np.isfinite(col)]
        out[k] = (float(np.percentile(col, 5)), float(np.percentile(col, 95))) if col.size else None
    return out


def matched(observed: Mapping[str, float], ranges: Mapping[str, Any], used: Sequence[str]) -> list[str]:
    """The used statistics whose real value lies inside the simulations' 5–95 % range."""
    return [k for k in used if ranges.get(k) is not None and ranges[k][0] <= observed[k] <= ranges[k][1]]


def verdict(result: Mapping[str, Any]) -> dict[str, Any]:
    """``{"verdict": good | fair | poor, "reasons": [...]}`` from a fit's posterior.json content."""
    poor, short = [], []
    unmatched = [k for k in result["stats_used"] if k not in result["matched"]]
    if unmatched:
        poor.append(f"the real value of {', '.join(unmatched)} lies outside what the simulations produce "
                    "(their 5–95 % range): the model cannot make this group's shape there")
    p = result["predictive"]
    for series, inside in p["inside_90"].items():
        level = p["level_error"][series]
        if inside < INSIDE_POOR or abs(level) > LEVEL_POOR:
            poor.append(f"{series}: {inside:.0%} of the checked days inside the 90 % band, level off by {level:+.0%}")
        elif inside < INSIDE_GOOD or abs(level) > LEVEL_GOOD:
            short.append(f"{series}: {inside:.0%} of the checked days inside the 90 % band, level off by {level:+.0%}")
    if result.get("budget_warning"):
        poor.append(result["budget_warning"])
    if not p["checked_on"].startswith("held-out"):
        short.append("checked on the fitted days only (in sample): set holdout=0.3 for an out-of-sample check")
    other = [w for w in result["warnings"] if w != result.get("budget_warning")]
    if other:
        short.append(f"{len(other)} warning(s) of the fit (below)")
    word = "poor" if poor else ("fair" if short else "good")
    return {"verdict": word, "reasons": poor + short}


WORDS = {"good": "Good: the fit describes this group; use it for what-ifs",
         "fair": "Fair: usable with care; read the reasons",
         "poor": "Poor: do not base decisions on this fit"}
