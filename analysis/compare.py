"""Strategies compared on one outcome: which settings a table varies, one label per
strategy, and a ranking with intervals and Holm-corrected tests against the best.

Lifespan is censored at the horizon (a group alive on the last day would have lived
longer), so it is summarised by the restricted mean survival time (the area under the
Kaplan–Meier curve up to the horizon, with a bootstrap interval) and compared with the
log-rank test; every other outcome by its mean (Student t or Wilson interval, clipped to the
values it can take) and the Mann–Whitney U test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import stats
from analysis.ensemble import override_columns
from analysis.registry import OUTCOMES, Outcome, lever

REPLICATE_KEYS = {"seed"}
# Override keys that are run settings, not strategy choices.
NON_FACTORS = REPLICATE_KEYS | {"experiment", "debug_fail", "report", "progress", "hydra/launcher",
                                "hydra/sweeper", "hydra.sweep.dir"}
LIFESPAN = "lifespan_days"


def factors(table: pd.DataFrame) -> list[str]:
    """Swept settings: override keys that vary across runs, without the replicate seed."""
    keys: dict[str, None] = {}
    for line in table.get("overrides", pd.Series(dtype=str)).dropna():
        keys.update(dict.fromkeys(override_columns(line.split(" "))))
    return [k for k in keys if k in table and k not in NON_FACTORS and table[k].nunique(dropna=True) > 1]


def fmt_value(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def setting_label(key: str, value) -> str:
    """One setting as a reader sees it: ``Entry threshold: application``, not ``strategy/entry=application``
    (labels from analysis/registry.py; an unregistered key keeps its config form)."""
    lv = lever(key)
    return f"{lv.label}: {lv.value_label(value)}" if lv else f"{key}={fmt_value(value)}"


def label_strategies(table: pd.DataFrame, keys: list[str]) -> pd.Series:
    """``Ad policy: ban, Entry threshold: paid`` per row: the strategy a run belongs to."""
    if not keys:
        return pd.Series("all runs", index=table.index)
    return table[keys].apply(lambda r: ", ".join(setting_label(k, r[k]) for k in keys), axis=1)


def natural_order(table: pd.DataFrame, keys: list[str]) -> list[str]:
    """The strategies (column ``strategy``) in their natural order: each factor's options as the
    registry lists them (open < invite < application < paid), numbers by size, first factor first."""
    if "strategy" not in table or not len(table):
        return []
    firsts = table.drop_duplicates("strategy")

    def key(i):
        row = firsts.loc[i]
        return tuple(lever(k).sort_key(row[k]) if lever(k) else (math.inf, fmt_value(row[k])) for k in keys)

    return [firsts.loc[i, "strategy"] for i in sorted(firsts.index, key=key)]


def horizon(runs: pd.DataFrame) -> float:
    """The last day a run could reach: censored runs sit on it; else the longest life seen."""
    return float(stats.numeric(runs[LIFESPAN]).max())


def alive(runs: pd.DataFrame) -> pd.Series:
    """Runs still alive at the horizon (censored lifespans)."""
    return runs["censored"].fillna(False).astype(bool) if "censored" in runs else pd.Series(False, index=runs.index)


def summary(runs: pd.DataFrame, outcome: Outcome, end: float | None = None) -> tuple[float, float, float]:
    """The strategy's value on ``outcome`` with a 95 % interval that stays within what the
    outcome can take (lifespan: RMST within [0, horizon]; shares within [0, 1]; counts ≥ 0)."""
    if outcome.key == LIFESPAN:
        end = end if end is not None else horizon(runs)
        return stats.rmst_ci(runs[LIFESPAN], alive(runs), end)
    values = stats.numeric(runs[outcome.key])
    bounds = (0.0, 1.0) if outcome.is_rate or outcome.unit.startswith("share") else (0.0, math.inf)
    return stats.mean_ci(values, is_rate=outcome.is_rate, bounds=bounds)


def p_differ(a: pd.DataFrame, b: pd.DataFrame, outcome: str) -> float:
    """Two-sided p-value that strategies a and b differ on ``outcome``."""
    if outcome == LIFESPAN:
        return stats.logrank(a[LIFESPAN], alive(a), b[LIFESPAN], alive(b))
    return stats.mann_whitney(a[outcome], b[outcome])


def ranked_strategies(ok: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    """One row per strategy (column ``strategy`` of ``ok``): value and interval on ``outcome``,
    the Kaplan–Meier median lifespan, the means of the other outcomes, and the Holm-adjusted
    p-value of the difference to the best. Best first."""
    end = horizon(ok) if LIFESPAN in ok and ok[LIFESPAN].notna().any() else None
    rows = []
    for name, runs in ok.groupby("strategy", sort=False):
        m, lo, hi = summary(runs, outcome, end)
        row = {"strategy": name, "runs": len(runs), "mean": m, "ci_low": lo, "ci_high": hi}
        if LIFESPAN in runs and runs[LIFESPAN].notna().all():
            row["km_median_lifespan"] = stats.km_median(runs[LIFESPAN], alive(runs))
        for o in OUTCOMES:
            if o.key in runs and o.key != outcome.key:
                row[o.key] = np.nanmean(stats.numeric(runs[o.key])) if runs[o.key].notna().any() else math.nan
        rows.append(row)
    ranked = pd.DataFrame(rows).sort_values("mean", ascending=not outcome.higher_is_better, na_position="last")
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    best = ranked["strategy"].iloc[0]
    others = ranked["strategy"].iloc[1:].tolist()
    raw = [p_differ(ok[ok.strategy == best], ok[ok.strategy == s], outcome.key) for s in others]
    ranked["p_vs_best"] = [math.nan, *stats.holm(raw)]
    return ranked.reset_index(drop=True)
