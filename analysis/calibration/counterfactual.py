"""What if the fitted group had changed one strategy on day N? Paired reruns, both arms.

The fitted group is rerun ``draws`` posterior draws × ``seeds`` seeds twice: as fitted, and
with a timeline change (``Change(day, set)``, sim/params.py; applied by
sim/processes/timeline.py) from the morning of day N. A pair shares its parameters and seed,
so the days before N are the same run and the difference after it is the change's effect
under that draw; the spread over pairs is posterior uncertainty plus chance. The change
travels to the ensemble as a timeline config file in a folder added to Hydra's search path
(``hydra.searchpath=[file://…] timeline=<name>``), i.e. through configs like any run's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.calibration.abc import Posterior
from analysis.calibration.fit import SERIES, SMOOTH_DAYS, SimSetup, mean_level, simulate_runs
from analysis.compose import expand_pieces
from analysis.files import write_atomic
from analysis.stats import bootstrap_ci, rolling_mean, wilson

TIMELINE_NAME = "counterfactual"
_KEY = re.compile(r"^(strategy/[a-z_]+|[a-z_]+\.[a-z_]+)$")


def parse_change(text: str) -> dict[str, str]:
    """``'entry.threshold=application,ads.policy=ban'`` or ``'strategy/entry=application'``
    → the change's ``set``; raises ValueError naming a malformed item."""
    out = {}
    for item in [t.strip() for t in str(text).split(",") if t.strip()]:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value or not _KEY.match(key):
            raise ValueError(f"change item {item!r}: write section.field=value or strategy/<piece>=<option>")
        out[key] = value
    if not out:
        raise ValueError("change is empty: e.g. change='strategy/entry=application'")
    expand_pieces(out)  # an unknown strategy piece or option fails here, with the allowed ones
    return out


def timeline_yaml(change: dict[str, str], day: int) -> str:
    lines = ["# @package _global_", "# Written by experiments/counterfactual.py: the one change tested.",
             "timeline:", f"  - day: {int(day)}", "    set:"]
    lines += [f"      {k}: {v}" for k, v in change.items()]
    return "\n".join(lines) + "\n"


def write_search_folder(folder: Path, change: dict[str, str], day: int) -> tuple[str, str]:
    """The timeline config under ``folder/timeline/``; the override that adds ``folder`` to the
    search path (both arms) and the one that selects the change (the changed arm)."""
    write_atomic(folder / "timeline" / f"{TIMELINE_NAME}.yaml", timeline_yaml(change, day))
    return f"hydra.searchpath=[file://{folder.resolve()}]", f"timeline={TIMELINE_NAME}"


#: Outcomes compared, in the real group's units where they are counts (name, how).
OUTCOMES = ("members at the end", "daily posters, mean after the change", "messages per day, mean after the change",
            "lifespan (days)", "still alive at the horizon")


@dataclass
class Counterfactual:
    day: int
    days: int
    change_text: str
    source: str
    draws: int
    seeds: int
    pairs: int
    failed: int
    bands: dict[str, dict[str, np.ndarray]]  # arm → series → (5, days)
    rows: list[dict]  # per outcome: both arms, the difference, and the real group's own value ("real")
    verdict: dict | None = None  # the fit's verdict (analysis/calibration/verdict.py), carried over
    warnings: list[str] = field(default_factory=list)  # the fit's warnings, carried over

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)


def _outcomes(frame: pd.DataFrame, row: pd.Series, day: int) -> list[float]:
    after = frame.iloc[day:]
    return [float(frame["members"].iloc[-SMOOTH_DAYS:].mean()), float(after["posters"].mean()),
            float(after["messages"].mean()), float(row["lifespan_days"]), float(bool(row["censored"]))]


def real_values(real_series: dict[str, list] | None, day: int) -> list[float | None]:
    """The real group's own value of each outcome (None where it has none: lifespan, alive)."""
    if not real_series:
        return [None] * len(OUTCOMES)
    x = {c: np.array([np.nan if v is None else v for v in real_series[c]], dtype=float) for c in real_series}
    mean = lambda a: float(np.nanmean(a)) if np.isfinite(a).any() else None  # noqa: E731
    return [mean(x["members"][-SMOOTH_DAYS:]), mean(x["posters"][day:]), mean(x["messages"][day:]), None, None]


def run_counterfactual(post: Posterior | None, theta_fixed: np.ndarray | None, setup: SimSetup, days: int,
                       change: dict[str, str], day: int, draws: int, seeds: Sequence[int], search_folder: Path,
                       real_level: dict[str, float], seed: int = 0, source: str = "", base_extra: Sequence[str] = (),
                       real_series: dict[str, list] | None = None) -> Counterfactual:
    """Both arms over ``days`` rows. ``post`` gives the draws (weighted resampling); without a
    posterior (a preset), ``theta_fixed`` is used for every draw. Counts are rescaled to the real
    group's size: each pair by its as-fitted run's mean level before the change, against the real
    group's mean level over the same days (``real_series``, the fit's data) or, without it, over
    the fitted days (``real_level``); neither keeps the model's own units. ``search_folder`` receives the timeline
    config; a preset outside configs/ must already sit in ``search_folder/experiment/``."""
    if not 1 <= day < days:
        raise ValueError(f"day = {day}: allowed [1, {days - 1}] (the fitted group's horizon is {days} days)")
    if real_series:  # the real level over the same days as the run's: before the change
        real_level = {c: mean_level(np.array([np.nan if v is None else v for v in real_series[c]], dtype=float), day)
                      for c in SERIES if c in real_series}
    rng = np.random.default_rng([seed, 7])
    if post is not None:
        theta = post.draw(rng, draws)
        space = post.space
    else:
        theta = np.repeat(np.atleast_2d(theta_fixed), draws, axis=0)
        space = None
    thetas = np.repeat(theta, len(seeds), axis=0)
    run_seeds = np.tile(np.asarray(seeds), draws)
    searchpath, select = write_search_folder(search_folder, change, day)
    base_frames, base_tab = _arm(space, thetas, run_seeds, setup, days, [*base_extra, searchpath])
    alt_frames, alt_tab = _arm(space, thetas, run_seeds, setup, days, [*base_extra, searchpath, select])
    pairs = [(i, b, a) for i, (b, a) in enumerate(zip(base_frames, alt_frames)) if b is not None and a is not None]
    if not pairs:
        bad = pd.concat([base_tab, alt_tab])
        bad = bad[bad["status"] != "ok"]
        raise RuntimeError(f"every run failed; first error: {bad['error'].iloc[0] if len(bad) else 'unknown'}")
    bands: dict[str, dict[str, np.ndarray]] = {"baseline": {}, "changed": {}}
    scaled = {"baseline": [], "changed": []}
    for i, b, a in pairs:
        # No real size known (a preset): the model's own units.
        factor = {c: (real_level[c] / p if (p := mean_level(b[c], day)) and p > 0 else 0.0) if c in real_level else 1.0
                  for c in SERIES}
        for arm, f in (("baseline", b), ("changed", a)):
            g = f.iloc[:days].copy()
            for c in SERIES:
                g[c] = g[c].astype(float) * factor[c]
            scaled[arm].append(g)
    for arm in scaled:
        for c in SERIES:
            m = np.vstack([rolling_mean(g[c], SMOOTH_DAYS) for g in scaled[arm]])
            bands[arm][c] = np.nanpercentile(m, [5, 25, 50, 75, 95], axis=0)
    base_out = np.array([_outcomes(g, base_tab.iloc[i], day) for (i, _, _), g in zip(pairs, scaled["baseline"])])
    alt_out = np.array([_outcomes(g, alt_tab.iloc[i], day) for (i, _, _), g in zip(pairs, scaled["changed"])])
    rows = []
    real = real_values(real_series, day)
    for j, name in enumerate(OUTCOMES):
        d = alt_out[:, j] - base_out[:, j]
        mean, lo, hi = bootstrap_ci(d, seed=seed)
        higher = int(np.sum(d > 0))
        wl, wh = wilson(higher, len(d))
        rows.append({"outcome": name, "baseline": float(base_out[:, j].mean()), "changed": float(alt_out[:, j].mean()),
                     "difference": mean, "low": lo, "high": hi, "share_higher": higher / len(d), "share_low": wl,
                     "share_high": wh, "pairs": len(d), "real": real[j]})
    text = ", ".join(f"{k}={v}" for k, v in change.items())
    return Counterfactual(day, days, text, source, draws, len(seeds), len(pairs),
                          len(thetas) * 2 - 2 * len(pairs), bands, rows)


def _arm(space, thetas, seeds, setup: SimSetup, days: int, extra: Sequence[str]):
    if space is None:  # a preset: its values come in through the base overrides
        from analysis.ensemble import run_ensemble
        from analysis.r4ds import DAILY_COLUMN, daily_series, model_frame

        jobs = [[*setup.base, f"seed={int(s)}", *extra] for s in seeds]
        table = run_ensemble(jobs, engine=setup.engine, workers=setup.workers, measure=daily_series)
        frames = [model_frame(d, days) if st == "ok" else None
                  for st, d in zip(table["status"], table.get(DAILY_COLUMN, [None] * len(table)))]
        return frames, table
    return simulate_runs(space, thetas, seeds, setup, days, extra)
