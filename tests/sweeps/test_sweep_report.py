"""The dashboard's statistics and verdicts, on synthetic result tables with known answers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.compare import ranked_strategies
from analysis.registry import OUTCOME_BY_KEY
from analysis.stats import holm, km_median, mean_ci, rmst_ci
from dashboards.sweep_report import build_report


def table(lifespans: dict[str, list[float]], horizon: float = 365) -> pd.DataFrame:
    rows = []
    for policy, values in lifespans.items():
        for seed, life in enumerate(values):
            rows.append({
                "job": len(rows), "status": "ok", "error": None, "wall_seconds": 1.0,
                "overrides": f"ads.policy={policy} seed={seed}", "ads.policy": policy, "seed": seed,
                "lifespan_days": min(life, horizon), "censored": life >= horizon,
                "revenue": 10.0 * life, "became_ad_group": life < 100,
            })
    return pd.DataFrame(rows)


def test_holm_matches_hand_computation() -> None:
    # sorted p 0.01, 0.03, 0.04 -> x3, x2, x1 = 0.03, 0.06, 0.04 -> running max 0.03, 0.06, 0.06
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_intervals() -> None:
    m, lo, hi = mean_ci(pd.Series([1.0, 2.0, 3.0]))
    assert (m, lo, hi) == pytest.approx((2.0, 2 - 2.4843, 2 + 2.4843), abs=1e-3)  # t(0.975, 2) * s/sqrt(3)
    share, lo, hi = mean_ci(pd.Series([True, False, False, False]), is_rate=True)
    assert share == 0.25 and 0 < lo < 0.25 < hi < 1  # Wilson stays inside [0, 1]


def test_kaplan_meier_median_respects_censoring() -> None:
    assert km_median([10, 20, 30, 365, 365], [False, False, False, True, True]) == 30
    # most outlive the horizon: no median inside it
    assert km_median([10, 365, 365], [False, True, True]) == math.inf


def test_lifespan_interval_never_leaves_the_horizon() -> None:
    # Mostly alive at the horizon: a t interval of the plain mean would run past day 365.
    life = [365] * 8 + [120, 200]
    value, lo, hi = rmst_ci(life, [x == 365 for x in life], 365)
    assert value == pytest.approx(0.8 * 365 + (120 + 200) / 10) and 0 <= lo <= value <= hi <= 365
    share, lo, hi = mean_ci([0.0, 0.0, 0.1], bounds=(0.0, 1.0))
    assert lo >= 0.0  # a share's interval never goes below 0


def test_clear_winner_is_ranked_first_and_called_significant(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    t = table({"free": list(rng.uniform(20, 80, 12)), "ban": list(rng.uniform(250, 400, 12))})
    ranked = ranked_strategies(t.assign(strategy="policy=" + t["ads.policy"]), OUTCOME_BY_KEY["lifespan_days"])
    assert ranked["strategy"].tolist() == ["policy=ban", "policy=free"]
    assert ranked["p_vs_best"].iloc[1] < 0.001
    page = build_report(t, tmp_path, question="Ads?").read_text(encoding="utf-8")
    assert "significantly better than 1 of 1" in page and "Ads?" in page


def test_identical_strategies_are_not_called_different(tmp_path: Path) -> None:
    same = [30.0, 60, 90, 120, 150, 200, 365, 365]
    page = build_report(table({"free": same, "quota": same, "ban": same}), tmp_path).read_text(encoding="utf-8")
    assert "significantly better" not in page
    assert "<b>not significant</b>" in page


def test_only_failures_still_gives_a_page(tmp_path: Path) -> None:
    t = table({"free": [10.0, 20.0]}).assign(status="failed", error="RuntimeError: x", lifespan_days=None)
    page = build_report(t, tmp_path).read_text(encoding="utf-8")
    assert "No job finished successfully" in page and "RuntimeError: x" in page
