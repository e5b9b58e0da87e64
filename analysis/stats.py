"""The one statistics module (scipy): intervals, tests, survival.

Outcomes of a community are skewed, bounded and — for lifespan — censored at the
horizon (a group alive on the last day has an unknown, longer life). Hence rank tests
(Mann–Whitney), Kaplan–Meier / log-rank / restricted mean survival for lifespan, Wilson
intervals for shares, and Holm's correction when one strategy is compared with many.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

ALPHA = 0.05


def numeric(values) -> np.ndarray:
    """Floats from values that may hold numbers, booleans, None or text (text -> NaN)."""
    s = pd.Series(values, dtype=object).map(lambda v: float(v) if isinstance(v, (bool, np.bool_)) else v)
    return pd.to_numeric(s, errors="coerce").astype(float).to_numpy()


def flags(values) -> np.ndarray:
    """Booleans from yes/no values that may be missing (missing -> False): the alive-at-the-end
    marks of censored lifespans."""
    return np.asarray(pd.Series(values, dtype=object).fillna(False).astype(bool))


def wilson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n (stays inside [0, 1], good at 0 and n)."""
    if n == 0:
        return (0.0, 1.0)
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence, method="wilson")
    return (float(ci.low), float(ci.high))


def mean_ci(values, *, is_rate: bool = False, bounds: tuple[float, float] | None = None,
            confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and interval: Wilson for yes/no outcomes, Student t otherwise, clipped to
    ``bounds`` (an outcome that cannot leave [0, 1] or [0, horizon] gets no interval that does)."""
    x = numeric(values)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    m = float(x.mean())
    if is_rate:
        lo, hi = wilson(int(round(x.sum())), n, confidence)
    elif n < 2 or x.std() == 0:
        lo, hi = (m, m) if n >= 2 else (math.nan, math.nan)
    else:
        lo, hi = (float(v) for v in stats.t.interval(confidence, n - 1, loc=m, scale=stats.sem(x)))
    if bounds is not None:
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return (m, lo, hi)


def bootstrap_ci(values, statistic=np.mean, *, confidence: float = 0.95, resamples: int = 2000,
                 seed: int = 0) -> tuple[float, float, float]:
    """Statistic and percentile-bootstrap interval (deterministic: its own seeded Generator)."""
    x = numeric(values)
    x = x[~np.isnan(x)]
    if len(x) < 2:
        v = float(statistic(x)) if len(x) else math.nan
        return (v, v, v)
    res = stats.bootstrap((x,), statistic, confidence_level=confidence, n_resamples=resamples,
                          method="percentile", rng=np.random.default_rng(seed))
    return (float(statistic(x)), float(res.confidence_interval.low), float(res.confidence_interval.high))


def mann_whitney(a, b, alternative: str = "two-sided") -> float:
    """p-value of the rank test that a and b differ (1.0 when there is nothing to compare)."""
    x, y = numeric(a), numeric(b)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if len(x) == 0 or len(y) == 0 or (len(set(x)) == 1 and set(x) == set(y)):
        return 1.0
    return float(stats.mannwhitneyu(x, y, alternative=alternative).pvalue)


def categories_differ(a, b, *, resamples: int = 10000, seed: int = 0) -> float:
    """p-value of the test that two samples of categories (e.g. final phases) come from the same
    distribution: the chi-square statistic of the 2 × k table, its null distribution by
    permuting the sample labels (exact enough for small counts, where the chi-square
    approximation is not; deterministic: its own seeded Generator). 1.0 when there is
    nothing to compare (an empty sample, or one category in both)."""
    x, y = [str(v) for v in a], [str(v) for v in b]
    cats = sorted(set(x) | set(y))
    if not x or not y or len(cats) == 1:
        return 1.0
    codes = np.array([cats.index(v) for v in x + y])
    first = np.zeros(len(codes), dtype=bool)
    first[:len(x)] = True

    def chi2(in_a: np.ndarray) -> float:
        table = np.stack([np.bincount(codes[in_a], minlength=len(cats)),
                          np.bincount(codes[~in_a], minlength=len(cats))]).astype(float)
        expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
        return float(((table - expected) ** 2 / expected).sum())

    observed = chi2(first)
    rng = np.random.default_rng(seed)
    hits = sum(chi2(rng.permutation(first)) >= observed - 1e-12 for _ in range(resamples))
    return (hits + 1) / (resamples + 1)


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values: controls the chance of any false 'significant'."""
    p = np.asarray(pvalues, dtype=float)
    if len(p) == 0:
        return []
    order = np.argsort(p)
    m = len(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order]).clip(max=1.0)
    out = np.empty(m)
    out[order] = adjusted
    return out.tolist()


def censored(lifespans, alive_at_end) -> stats.CensoredData:
    """Lifespans with the groups still alive at the horizon as right-censored."""
    life = numeric(lifespans)
    cens = flags(alive_at_end)
    return stats.CensoredData(uncensored=life[~cens], right=life[cens])


def kaplan_meier(lifespans, alive_at_end) -> tuple[np.ndarray, np.ndarray]:
    """Survival curve (days, share alive), starting at day 0 with everyone alive."""
    sf = stats.ecdf(censored(lifespans, alive_at_end)).sf
    return np.concatenate([[0.0], sf.quantiles]), np.concatenate([[1.0], sf.probabilities])


def km_median(lifespans, alive_at_end) -> float:
    """Day by which half the groups ended; +inf when more than half outlive the horizon."""
    days, alive = kaplan_meier(lifespans, alive_at_end)
    below = days[alive <= 0.5]
    return float(below[0]) if len(below) else math.inf


def rmst(lifespans, alive_at_end, horizon: float) -> float:
    """Restricted mean survival time: the area under the Kaplan–Meier curve up to ``horizon``
    — the mean lifespan that respects groups still alive at the end (never above the horizon)."""
    return float(_rmst_rows(numeric(lifespans)[None, :], flags(alive_at_end)[None, :], horizon)[0])


def _rmst_rows(t: np.ndarray, alive: np.ndarray, horizon: float) -> np.ndarray:
    """:func:`rmst` of each row of ``t`` / ``alive`` (n runs each), all rows at once."""
    order = np.argsort(t, axis=1, kind="stable")
    t, ended = np.take_along_axis(t, order, axis=1), ~np.take_along_axis(alive, order, axis=1)
    rows, n = t.shape
    at_risk = n - np.arange(n)
    # Product-limit estimate; ties are handled one run at a time, which gives the same curve.
    surv = np.cumprod(np.where(ended, 1.0 - 1.0 / at_risk, 1.0), axis=1)
    steps = np.concatenate([np.zeros((rows, 1)), np.minimum(t, horizon), np.full((rows, 1), float(horizon))], axis=1)
    levels = np.concatenate([np.ones((rows, 1)), surv], axis=1)
    return np.sum(np.diff(steps, axis=1) * levels, axis=1)


def rmst_ci(lifespans, alive_at_end, horizon: float, *, confidence: float = 0.95, resamples: int = 1000,
            seed: int = 0) -> tuple[float, float, float]:
    """RMST with a percentile-bootstrap interval (resampling runs), inside [0, horizon]."""
    t = numeric(lifespans)
    alive = flags(alive_at_end)
    value = rmst(t, alive, horizon)
    if len(t) < 2:
        return (value, value, value)
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(t), size=(resamples, len(t)))
    draws = _rmst_rows(t[i], alive[i], horizon)  # every resample at once
    lo, hi = np.quantile(draws, [(1 - confidence) / 2, (1 + confidence) / 2])
    return (value, float(max(0.0, min(lo, value))), float(min(horizon, max(hi, value))))


def logrank(a_life, a_alive, b_life, b_alive) -> float:
    """p-value of the log-rank test between two sets of censored lifespans."""
    da, db = censored(a_life, a_alive), censored(b_life, b_alive)
    if da.num_censored() == len(da) and db.num_censored() == len(db):
        return 1.0  # everyone survived in both: no evidence of a difference
    return float(stats.logrank(da, db).pvalue)


def rolling_mean(values, window: int = 7) -> list[float]:
    """Trailing mean over ``window`` days (shorter at the start): smooths weekly rhythms."""
    return pd.Series(numeric(values)).rolling(window, min_periods=1).mean().tolist()


def rmst_difference_ci(a_life, a_alive, b_life, b_alive, horizon: float, *, confidence: float = 0.95,
                       resamples: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """RMST(a) − RMST(b) in days with a percentile-bootstrap interval (runs resampled within
    each group); inside [−horizon, horizon]."""
    ta, aa = numeric(a_life), flags(a_alive)
    tb, ab = numeric(b_life), flags(b_alive)
    value = rmst(ta, aa, horizon) - rmst(tb, ab, horizon)
    if len(ta) < 2 or len(tb) < 2:
        return (value, value, value)
    rng = np.random.default_rng(seed)
    draws = [
        rmst(ta[i], aa[i], horizon) - rmst(tb[j], ab[j], horizon)
        for i, j in zip(rng.integers(0, len(ta), size=(resamples, len(ta))),
                        rng.integers(0, len(tb), size=(resamples, len(tb))))
    ]
    lo, hi = np.quantile(draws, [(1 - confidence) / 2, (1 + confidence) / 2])
    return (value, float(max(-horizon, min(lo, value))), float(min(horizon, max(hi, value))))


def mean_difference_ci(a, b, confidence: float = 0.95) -> tuple[float, float, float]:
    """mean(a) − mean(b) with a Welch t interval (NaN-free inputs; equal means when both constant)."""
    x, y = numeric(a), numeric(b)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if len(x) == 0 or len(y) == 0:
        return (math.nan, math.nan, math.nan)
    d = float(x.mean() - y.mean())
    if len(x) < 2 or len(y) < 2:
        return (d, math.nan, math.nan)
    va, vb = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    se = math.sqrt(va + vb)
    if se == 0:
        return (d, d, d)
    df = (va + vb) ** 2 / (va ** 2 / (len(x) - 1) + vb ** 2 / (len(y) - 1))
    q = float(stats.t.ppf((1 + confidence) / 2, df))
    return (d, d - q * se, d + q * se)
