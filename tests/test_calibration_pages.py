"""The calibration pages mean what they say: an overall verdict, a warning at a toy budget,
"matched" = inside the simulations' 5–95 % range with "used" its own column, one wording for
the regression adjustment, the fit's warnings and real-scale numbers carried into the what-if,
and ``columns.<name>=`` as the README writes it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.calibration.counterfactual import OUTCOMES, Counterfactual, real_values
from analysis.calibration.verdict import budget_warning, matched, stat_ranges, verdict
from dashboards.calibration_report import _adjustment, _stats_table, build_counterfactual_report

SERIES = ("members", "daily_active", "posters", "messages")


def _result(**changes) -> dict:
    """A fit's posterior.json content where everything checks out, with ``changes``."""
    result = {
        "observed_stats": {"a": 0.5, "b": 2.0, "c": 9.0}, "stats_used": ["a", "b"],
        "stat_ranges": {"a": (0.1, 0.9), "b": (1.0, 3.0), "c": (0.0, 1.0)}, "matched": ["a", "b"],
        "predictive": {"inside_90": dict.fromkeys(SERIES, 0.9), "inside_50": dict.fromkeys(SERIES, 0.5),
                       "level_error": dict.fromkeys(SERIES, 0.05), "checked_on": "held-out days"},
        "warnings": [], "budget_warning": None, "adjusted": True,
    }
    result.update(changes)
    return result


def test_matched_means_inside_the_simulations_range_not_used() -> None:
    s = np.column_stack([np.linspace(0, 1, 101), np.linspace(10, 20, 101)])
    ranges = stat_ranges(["a", "b"], s)
    assert ranges["a"] == pytest.approx((0.05, 0.95))
    assert matched({"a": 0.5, "b": 30.0}, ranges, ["a", "b"]) == ["a"]  # b is used but outside: not matched
    page = _stats_table(_result(matched=["a"]))
    row_b = page[page.index("<td>b</td>"):].split("</tr>")[0]
    assert "<td>yes</td>" in row_b and "no: outside the range" in row_b  # used, not matched
    row_c = page[page.index("<td>c</td>"):].split("</tr>")[0]
    assert "no (not in the data)" in row_c and row_c.endswith("<td>–</td>")


def test_an_overall_verdict_from_the_checks() -> None:
    assert verdict(_result())["verdict"] == "good"
    in_sample = _result(predictive={**_result()["predictive"], "checked_on": "all days (in-sample)"})
    assert verdict(in_sample)["verdict"] == "fair" and "in sample" in verdict(in_sample)["reasons"][0]
    unmatched = verdict(_result(matched=["a"]))
    assert unmatched["verdict"] == "poor" and "b lies outside what the simulations produce" in unmatched["reasons"][0]
    off = _result(predictive={**_result()["predictive"], "inside_90": {**dict.fromkeys(SERIES, 0.9), "posters": 0.2}})
    assert verdict(off)["verdict"] == "poor"


def test_a_toy_budget_is_warned_and_makes_the_verdict_poor() -> None:
    warning = budget_warning(20, 3)
    assert warning and "budget = 20 runs is below the minimum of 200" in warning
    assert budget_warning(400, 3) is None and budget_warning(400, 10) is not None  # 50 runs a parameter
    assert verdict(_result(budget_warning=warning, warnings=[warning]))["verdict"] == "poor"


def test_the_adjustment_is_named_the_same_way_everywhere() -> None:
    assert _adjustment(_result()) == "regression-adjusted"
    assert _adjustment(_result(adjusted=False)).startswith("not regression-adjusted")


def test_the_what_if_carries_the_fits_verdict_warnings_and_the_real_scale() -> None:
    real = {"members": [100.0] * 50 + [None] * 5 + [1453.0] * 45, "posters": [10.0] * 60 + [20.0] * 40,
            "messages": [50.0] * 100, "daily_active": [30.0] * 100}
    values = real_values(real, 60)
    assert values[0] == pytest.approx(1453.0) and values[1] == pytest.approx(20.0) and values[3] is None
    rows = [{"outcome": name, "baseline": 1.0, "changed": 2.0, "difference": 1.0, "low": 0.5, "high": 1.5,
             "share_higher": 0.9, "share_low": 0.6, "share_high": 1.0, "pairs": 4, "real": v}
            for name, v in zip(OUTCOMES, values)]
    bands = {arm: {c: np.zeros((5, 100)) for c in SERIES} for arm in ("baseline", "changed")}
    cf = Counterfactual(60, 100, "entry.threshold=application", "fit", 2, 2, 4, 0, bands, rows, verdict={"verdict": "poor", "reasons": ["budget too small"]},
                        warnings=["budget = 20 runs is below the minimum"])
    page = build_counterfactual_report(cf)
    assert "Verdict — Poor" in page and "budget too small" in page and "budget = 20 runs is below" in page
    assert "<th>the real group</th>" in page and "<td>1453</td>" in page


def test_columns_map_as_the_readme_writes_them(tmp_path) -> None:
    from hydra import compose, initialize_config_dir

    from analysis.compose import CONFIG_DIR
    from experiments.calibrate import check

    d = np.arange(80)
    pd.DataFrame({"date": pd.date_range("2024-01-01", periods=80).strftime("%Y-%m-%d"), "Members": 10 + d,
                  "daily_active": 5 + d // 2, "Posting": 2 + d // 5, "messages": 6 + d}).to_csv(tmp_path / "g.csv",
                                                                                             index=False)
    with initialize_config_dir(config_dir=str(CONFIG_DIR / "calibrate"), version_base="1.3"):
        cfg = compose(config_name="config", overrides=[f"data={tmp_path / 'g.csv'}", "columns.members=Members",
                                                       "columns.posters=Posting"])
    obs, _, _ = check(cfg)
    assert obs.frame["members"].iloc[0] == 10 and obs.frame["posters"].iloc[-1] == 2 + 79 // 5
