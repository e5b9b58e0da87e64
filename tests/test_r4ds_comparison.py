"""experiments/compare_r4ds.py: the R4DS Slack loader, the stylized statistics, the report.

Facts checked against ../shared/data/README.md. Skipped (not failed) when the shared data
folder is absent; point COMMUNITY_DATA_DIR at it.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from experiments import compare_r4ds as cr

try:
    DF = cr.load_r4ds()
except cr.DataMissing as e:  # pragma: no cover - depends on the checkout layout
    DF = None
    REASON = str(e)
else:
    REASON = ""

needs_data = pytest.mark.skipif(DF is None, reason=REASON)


def test_missing_data_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(cr.ENV_VAR, str(tmp_path))
    with pytest.raises(cr.DataMissing, match=cr.ENV_VAR):
        cr.load_r4ds()


@needs_data
def test_loader_reproduces_the_readme_facts():
    assert len(DF) == 678
    assert DF["date"].iloc[0] == pd.Timestamp("2017-08-27")
    assert DF["date"].iloc[-1] == pd.Timestamp("2019-07-05")
    assert (DF["date"].diff().dropna() == pd.Timedelta(days=1)).all()  # no gaps
    assert DF["total_membership"].max() == 3029 and DF["total_membership"].min() == 1
    assert DF["daily_active_members"].between(1, 258).all() and DF["daily_active_members"].max() == 258
    assert (DF["daily_members_posting_messages"] <= DF["daily_active_members"]).all()
    assert (DF["weekly_members_posting_messages"] <= DF["weekly_active_members"]).all()
    # daily messages = sum of the three messages_in_* columns (shared is always 0)
    assert (DF["messages_in_shared_channels"] == 0).all()
    assert (DF["messages"] == DF["messages_in_public_channels"] + DF["messages_in_private_channels"]
            + DF["messages_in_d_ms"]).all()
    # the headcount drop the README names: 2018-01-28, 941 -> 931
    m = DF.set_index("date")["total_membership"]
    assert m[pd.Timestamp("2018-01-27")] == 941 and m[pd.Timestamp("2018-01-28")] == 931


@needs_data
def test_loader_refuses_a_gap(tmp_path):
    bad = pd.read_csv(cr.data_dir() / cr.DATA_FILE).drop(index=100)
    bad.to_csv(tmp_path / cr.DATA_FILE, index=False)
    with pytest.raises(ValueError, match="consecutive"):
        cr.load_r4ds(tmp_path / cr.DATA_FILE)


def _check_in_range(s: dict[str, float]) -> None:
    for st in cr.STATS:
        v = s[st.key]
        assert math.isfinite(v), st.key
        if st.pct:
            assert 0.0 <= v <= 1.0, (st.key, v)
        else:
            assert v >= 0.0, (st.key, v)


@needs_data
def test_real_statistics_finite_and_in_range():
    s = cr.stats(cr.real_frame(DF))
    _check_in_range(s)
    assert s["peak_members"] == 3029
    assert s["weekly_posting_share"] < s["weekly_posting_share_of_active"]  # dormant accounts dilute the first
    assert s["daily_messages_p99_over_median"] > 1


@pytest.fixture(scope="module")
def small_comparison():
    """Two scenarios x 2 seeds over a 120-day stretch of R4DS: seconds, not a minute."""
    if DF is None:
        pytest.skip(REASON)
    return cr.compare(seeds=2, data=DF.iloc[:120].reset_index(drop=True), workers=1)


def test_model_statistics_finite_and_in_range(small_comparison):
    c = small_comparison
    assert set(c.model) == set(cr.SCENARIOS)
    for scen, frames in c.model_frames.items():
        assert all(len(f) == 120 for f in frames)  # padded to R4DS's span even if a group died
        for f in frames:
            _check_in_range(cr.stats(f))
        for key, (med, lo, hi) in c.model[scen].items():
            assert lo <= med <= hi, (scen, key)
    for st in cr.STATS:
        assert cr.verdict(st, c.real[st.key], c.model["typical_group"][st.key][0])


def test_verdict_words():
    st = cr.STATS[3]
    assert cr.verdict(st, 0.1, 0.12).startswith("close")
    assert cr.verdict(st, 0.1, 0.3) == "off by a factor 3.0 (model higher)"
    assert "not comparable" in cr.verdict(cr.STATS[-1], 3029, 100)


def test_report_is_self_contained(small_comparison, tmp_path):
    from experiments.outputs import write_atomic

    out = tmp_path / "r4ds_comparison.html"
    write_atomic(out, cr.build_report(small_comparison))
    text = out.read_text()
    assert "Plotly" in text and "healthy_learning_group" in text and "tidytuesday" in text
    assert not re.search(r"<script[^>]+src\s*=\s*['\"]?https?:", text, re.IGNORECASE)  # no external scripts
    assert not re.search(r"<link[^>]+href\s*=\s*['\"]?https?:", text, re.IGNORECASE)  # no external stylesheets
    for st in cr.STATS:
        assert st.title.split(" (")[0] in text or st.title in text
    assert np.isfinite(small_comparison.real["weekly_posting_share"])
