"""The answer a sweep gives an operator, as numbers: which strategies win, by how much, against
what, and whether it holds elsewhere. The words are drawn by dashboards/sweep_report.py.

* The *top group* is the best strategy and every strategy the tests cannot tell apart from it
  (Holm-adjusted p ≥ 0.05 against the best): a tie is called a tie, not a ranking.
* The *reference* is the natural first option (no rule, open door, no content) when it is not
  in the top group, else the worst strategy; the effect size is the best strategy's lead over
  it, in the outcome's units (lifespan: restricted mean survival time, days, bootstrap interval).
* Every other strategy is either indistinguishable from the reference or lies between.
* The share of groups still talking at 6 and 12 months (the runs' ``talking_at_6_months`` and
  ``talking_at_12_months``: alive means talking, MODEL.md §5), with Wilson intervals.
* Trade-offs: the primary outcome against money and founder time, with the efficient (Pareto)
  strategies — those no other strategy beats on both axes. A strategy that earns by being an
  ad group (most of its runs became one, and it sold ad slots) is never efficient, nor does it
  beat anyone: an ad market is not a community that pays.
* Robustness: the same strategies under other base scenarios (small ensembles through
  :func:`analysis.ensemble.run_ensemble`), and whether the best one stays in the top group.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis import stats
from analysis.compare import (
    LIFESPAN,
    alive,
    horizon,
    natural_order,
    p_differ,
    ranked_strategies,
    summary,
)
from analysis.money import AD_GROUP_MAJORITY, AD_SLOTS, with_money
from analysis.registry import Outcome
from analysis.registry import outcome as registered_outcome
from sim.outcomes import TALKING_AT

SURVIVAL_DAYS = tuple(TALKING_AT.values())  # 6 and 12 months: the ages of the "talking at" outcomes
#: Trade-off axes, when the runs report them (the cost model's outcomes): money, founder time.
TRADEOFF_KEYS = ("net_revenue", "founder_hours_per_day")
#: What the validation (README's table; analysis/facts.py) says the model reproduces ...
TRUSTED_FOR = (
    "open groups without rules turning into ad groups or dying",
    "a few members writing most messages (participation inequality)",
    "scheduled content having an optimum cadence (none and too much are both worse)",
    "purging silent members raising the weekly speaking rate",
    "a healthy configuration holding the five health indicators",
    "low-quality influx driving KOLs out before the group collapses",
    "red-packet groups falling silent within a month",
    "a well-connected group (a mesh) outliving its founder where a star does not",
    "few groups reaching self-operation under random strategies",
)
#: ... and where it does not yet: every fact passes the full suite, but next to the R4DS Slack
#: data (analysis/r4ds.py, docs/calibration.md) the members open the group and speak too often.
GAP_TOPICS = {
    "r4ds_daily_active": "how many members open the group on a day (72 % of members, target ≤ 50 %)",
    "r4ds_weekly_posting": "how many of a week's visitors speak (38 %, R4DS 19 %, target ≤ 29 %)",
}


@dataclass
class StrategyResult:
    name: str
    runs: int
    value: float  # the primary outcome (lifespan: restricted mean survival time)
    low: float
    high: float
    rank: int
    p_vs_best: float = math.nan  # Holm-adjusted
    p_vs_reference: float = math.nan  # Holm-adjusted over the strategies outside the top group
    group: str = ""  # best | tied | reference | like_reference | between
    survival: dict[int, tuple[float, float, float]] = field(default_factory=dict)  # day -> share talking, interval


@dataclass
class TradeOff:
    x: Outcome
    y: Outcome
    points: dict[str, tuple[float, float, float, float, float, float]]  # x, x_lo, x_hi, y, y_lo, y_hi
    efficient: list[str]
    ad_groups: list[str] = field(default_factory=list)  # earn by being an ad group: never efficient


@dataclass
class Recommendation:
    outcome: Outcome
    horizon: float
    order: list[str]  # natural order
    results: dict[str, StrategyResult]
    best: str
    top: list[str]  # natural order
    reference: str | None
    effect: tuple[float, float, float] = (math.nan, math.nan, math.nan)  # best − reference, interval
    ratio: float = math.nan  # best / reference
    tradeoffs: list[TradeOff] = field(default_factory=list)

    @property
    def tie(self) -> bool:
        """No strategy can be told apart from the best."""
        return len(self.top) == len(self.order) and len(self.order) > 1

    @property
    def seeds(self) -> int:
        return min(r.runs for r in self.results.values()) if self.results else 0

    def in_group(self, group: str) -> list[str]:
        return [s for s in self.order if self.results[s].group == group]


def pareto_efficient(points: dict[str, tuple[float, float]], higher_x: bool = True,
                     higher_y: bool = True) -> list[str]:
    """Names no other point beats on both axes (at least as good on both, better on one)."""
    sx, sy = (1 if higher_x else -1), (1 if higher_y else -1)
    clean = {k: (sx * x, sy * y) for k, (x, y) in points.items() if not (math.isnan(x) or math.isnan(y))}
    return [
        k for k, (x, y) in clean.items()
        if not any(ox >= x and oy >= y and (ox > x or oy > y) for j, (ox, oy) in clean.items() if j != k)
    ]


def _effect(ok: pd.DataFrame, a: str, b: str, outcome: Outcome, end: float) -> tuple[float, float, float]:
    ra, rb = ok[ok.strategy == a], ok[ok.strategy == b]
    if outcome.key == LIFESPAN:
        return stats.rmst_difference_ci(ra[LIFESPAN], alive(ra), rb[LIFESPAN], alive(rb), end)
    return stats.mean_difference_ci(ra[outcome.key], rb[outcome.key])


def earns_as_ad_group(runs: pd.DataFrame) -> bool:
    """Most of these runs became ad groups and they sold ad slots: the income is the ad market's."""
    if "became_ad_group" not in runs or AD_SLOTS not in runs or not len(runs):
        return False
    became = pd.Series(stats.numeric(runs["became_ad_group"])).mean()
    slots = pd.Series(stats.numeric(runs[AD_SLOTS])).mean()
    return bool(became >= AD_GROUP_MAJORITY and slots > 0)


def tradeoff(ok: pd.DataFrame, y: Outcome, x: Outcome, order: Sequence[str], end: float | None) -> TradeOff | None:
    """``y`` against ``x`` per strategy (means with intervals) and the efficient strategies
    (never one that earns as an ad group); None when the runs do not report ``x``."""
    if x.key not in ok or not pd.Series(stats.numeric(ok[x.key])).notna().any():
        return None
    ok = with_money(ok.copy())
    points = {}
    for name in order:
        runs = ok[ok.strategy == name]
        xv = summary(runs, x)
        yv = summary(runs, y, end)
        points[name] = (*xv, *yv)
    ad_groups = [s for s in order if earns_as_ad_group(ok[ok.strategy == s])]
    eff = pareto_efficient({k: (v[0], v[3]) for k, v in points.items() if k not in ad_groups},
                           x.higher_is_better, y.higher_is_better)
    return TradeOff(x, y, points, [s for s in order if s in eff], ad_groups)


def recommend(ok: pd.DataFrame, outcome: Outcome, keys: list[str], *,
              tradeoff_keys: Iterable[str] = TRADEOFF_KEYS, alpha: float = stats.ALPHA) -> Recommendation | None:
    """The answer on the finished runs ``ok`` (column ``strategy``), ranked on ``outcome``."""
    if not len(ok) or outcome.key not in ok or not pd.Series(stats.numeric(ok[outcome.key])).notna().any():
        return None
    end = horizon(ok) if LIFESPAN in ok and ok[LIFESPAN].notna().any() else math.nan
    ranked = ranked_strategies(ok, outcome)
    order = natural_order(ok, keys)
    results: dict[str, StrategyResult] = {}
    for _, r in ranked.iterrows():
        res = StrategyResult(r.strategy, int(r.runs), r["mean"], r.ci_low, r.ci_high, int(r["rank"]),
                             float(r.p_vs_best))
        runs = ok[ok.strategy == r.strategy]
        res.survival = {age: summary(runs, registered_outcome(key)) for key, age in TALKING_AT.items() if key in runs}
        results[r.strategy] = res
    best = ranked.strategy.iloc[0]
    top = [s for s in order if s == best or not results[s].p_vs_best < alpha]
    for s in top:
        results[s].group = "best" if s == best else "tied"
    rest = [s for s in order if s not in top]
    reference = None
    if rest:
        worst = ranked.strategy.iloc[-1]
        reference = order[0] if order[0] in rest else worst
        results[reference].group = "reference"
        others = [s for s in rest if s != reference]
        ref_runs = ok[ok.strategy == reference]
        adjusted = stats.holm([p_differ(ok[ok.strategy == s], ref_runs, outcome.key) for s in others])
        for s, p in zip(others, adjusted):
            results[s].p_vs_reference = p
            results[s].group = "between" if p < alpha else "like_reference"
    rec = Recommendation(outcome, end, order, results, best, top, reference)
    if reference is not None:
        rec.effect = _effect(ok, best, reference, outcome, end)
        ref_value = results[reference].value
        if not outcome.is_rate and ref_value and ref_value > 0:
            rec.ratio = results[best].value / ref_value
    for key in tradeoff_keys:
        t = tradeoff(ok, outcome, registered_outcome(key), order, end)
        if t is not None:
            rec.tradeoffs.append(t)
    return rec


def burnout_day(energy: Sequence[float], below: float) -> float:
    """The first day (row index) the founder's energy fell below ``below``; NaN if never."""
    e = stats.numeric(energy)
    hit = np.flatnonzero(e < below)
    return float(hit[0]) if len(hit) else math.nan


# ---------------------------------------------------------------- robustness


def strategy_overrides(ok: pd.DataFrame) -> dict[str, list[str]]:
    """Each strategy's own overrides (the first run's, without seed and Hydra settings)."""
    out = {}
    for name, runs in ok.groupby("strategy", sort=False):
        line = str(runs["overrides"].iloc[0]) if "overrides" in runs else ""
        out[name] = [o for o in line.split() if o.partition("=")[0].lstrip("+~") not in ("seed",)
                     and not o.lstrip("+~").startswith("hydra")]
    return out


@dataclass
class BaseResult:
    name: str
    overrides: list[str]
    recommendation: Recommendation | None
    failed: int = 0
    error: str | None = None

    def holds(self, best: str) -> bool | None:
        """Whether ``best`` (the main sweep's winner) is in this base's top group."""
        return None if self.recommendation is None else best in self.recommendation.top


def base_spec(entry: Any) -> tuple[str, list[str]]:
    """A ``robustness_bases`` entry: a scenario name (``paid_community``), an override list, or
    ``{name: ..., overrides: [...]}``."""
    if isinstance(entry, str):
        return entry.replace("_", " "), [f"scenario={entry}"]
    if isinstance(entry, dict):
        overrides = [str(o) for o in entry.get("overrides") or []]
        return str(entry.get("name") or " ".join(overrides)), overrides
    overrides = [str(o) for o in entry]
    return " ".join(overrides), overrides


def robustness(ok: pd.DataFrame, outcome: Outcome, keys: list[str], bases: Iterable[Any], seeds: int = 5, *,
               cache_dir: str | None = None, workers: int | None = None) -> list[BaseResult]:
    """Re-run every strategy of ``ok`` under each base (its overrides first, the strategy's own
    after) with ``seeds`` seeds, and rank them again."""
    from analysis.ensemble import run_ensemble

    per_strategy = strategy_overrides(ok)
    out = []
    for entry in bases:
        name, base = base_spec(entry)
        sets = [[*base, *own] for own in per_strategy.values()]
        table = run_ensemble(sets, seeds=range(seeds), cache_dir=cache_dir, workers=workers)
        table["strategy"] = [s for s in per_strategy for _ in range(seeds)]
        for k in keys:  # settings columns as in the sweep, for the natural order
            if k not in table and k in ok:
                table[k] = table["strategy"].map(ok.drop_duplicates("strategy").set_index("strategy")[k])
        good = table[table.status == "ok"]
        errors = table.loc[table.status != "ok", "error"]
        rec = recommend(good, outcome, keys, tradeoff_keys=()) if len(good) else None
        out.append(BaseResult(name, base, rec, failed=int((table.status != "ok").sum()),
                              error=None if errors.empty else str(errors.iloc[0]).splitlines()[0]))
    return out
