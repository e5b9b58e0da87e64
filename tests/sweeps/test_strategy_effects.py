"""Strategy effects MODEL.md implies, on small seed ensembles.

Runs go through the one ensemble runner (``analysis.ensemble.run_ensemble``) — the same
composition as a sweep job, without per-run files — so ~40 full-year runs fit in seconds.

Tolerances: each effect must hold (a) in distribution, one-sided Mann-Whitney U p < 0.05
over 10 seeds per arm (full separation gives p = 1/184756; 0.05 leaves room for about a
fifth of the seed pairs to overlap), and (b) in size, by the margin stated in each test.
Seeds 0..9, fixed: a failure is a change in the model, not bad luck on the day.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest
from scipy import stats

from analysis.ensemble import ok_runs, run_ensemble

pytestmark = pytest.mark.slow

SEEDS = range(10)
DAYS = 365
# typical_group is an open group (public QR code) with a daily tip and a founder moderating.
ARMS = {
    "free": ["strategy/ad_policy=free"],
    "quota": ["strategy/ad_policy=quota"],
    "ban": ["strategy/ad_policy=ban"],
    "application": ["strategy/entry=application"],
}


@cache
def ensemble() -> pd.DataFrame:
    table = ok_runs(run_ensemble([[*ov, f"days={DAYS}"] for ov in ARMS.values()], SEEDS))
    table["arm"] = [arm for arm in ARMS for _ in SEEDS]  # run_ensemble keeps job order
    # Ads per day alive: a free group dies sooner, so its *total* undercounts the flood.
    table["ads_per_day"] = table["ads_visible"] / table["lifespan_days"].clip(lower=1)
    return table


def arm(name: str, outcome: str) -> pd.Series:
    return ensemble().query("arm == @name")[outcome].astype(float)


def assert_greater(a: pd.Series, b: pd.Series) -> None:
    p = stats.mannwhitneyu(a, b, alternative="greater").pvalue
    assert p < 0.05, f"not clearly greater: p={p:.3g}, means {a.mean():.3g} vs {b.mean():.3g}"


@pytest.mark.parametrize("rule", ["quota", "ban"])
def test_ad_rules_mean_fewer_ads_seen_than_free(rule: str) -> None:
    free, ruled = arm("free", "ads_per_day"), arm(rule, "ads_per_day")
    assert_greater(free, ruled)
    assert ruled.mean() < 0.75 * free.mean()  # at least a quarter fewer ads seen


@pytest.mark.parametrize("rule", ["quota", "ban"])
def test_ad_rules_make_an_open_group_live_longer_than_free(rule: str) -> None:
    free, ruled = arm("free", "lifespan_days"), arm(rule, "lifespan_days")
    assert_greater(ruled, free)
    assert ruled.mean() > 1.25 * free.mean()  # at least a quarter longer on average


def test_ban_shows_members_fewer_ads_than_quota() -> None:
    # The quota lets a few ads a day through by design; a ban lets through only what
    # moderation misses. Direction only: the size depends on moderation capacity.
    assert arm("ban", "ads_per_day").mean() < arm("quota", "ads_per_day").mean()


def test_entry_threshold_raises_mean_fit() -> None:
    # The 'quota' arm is the open-entry baseline (typical_group defaults).
    open_fit, reviewed = arm("quota", "mean_fit"), arm("application", "mean_fit")
    assert_greater(reviewed, open_fit)
    assert reviewed.mean() - open_fit.mean() > 0.01  # fit is on a 0..1 scale
