"""The R4DS comparison: the data copied into data/, the loader, the stylized statistics,
the ensemble (analysis/r4ds.py), the report (dashboards/r4ds_report.py) and the command line
(experiments/compare_r4ds.py).

Facts checked against data/README.md. The data ship with the repository: nothing here skips.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import r4ds
from dashboards.r4ds_report import build_report

REPO = Path(__file__).resolve().parents[1]
VERDICT = re.compile(r"^(partly comparable: )?(close \(model/real = \d+\.\d\d\)|off by a factor \d+\.\d \(model "
                     r"(higher|lower)\)|far lower \(model median 0: .*\))$|^cannot say \(.*\)$|^not comparable \(.*\)$")


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return r4ds.load_r4ds()


def test_data_ship_with_the_repository(monkeypatch):
    monkeypatch.delenv(r4ds.ENV_VAR, raising=False)
    assert r4ds.data_dir() == REPO / "data"
    path = REPO / "data" / r4ds.DATA_FILE
    readme = (REPO / "data" / "README.md").read_text()
    digest = re.search(r"SHA-256\s+`([0-9a-f]{64})`", readme).group(1)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # the copy is the one described
    for fact in ("rfordatascience/tidytuesday", "9ecfe8b8aaf330d133e07df001b0029d43a5610c", "MIT"):
        assert fact in readme


def test_missing_data_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(r4ds.ENV_VAR, str(tmp_path))
    with pytest.raises(r4ds.DataMissing, match=r4ds.ENV_VAR):
        r4ds.load_r4ds()


def test_data_dir_override(tmp_path, monkeypatch, df):
    (tmp_path / r4ds.DATA_FILE).write_bytes((REPO / "data" / r4ds.DATA_FILE).read_bytes()[:5000].rsplit(b"\n", 1)[0])
    monkeypatch.setenv(r4ds.ENV_VAR, str(tmp_path))
    assert 0 < len(r4ds.load_r4ds()) < len(df)  # read from the override, not from data/


def test_loader_reproduces_the_readme_facts(df):
    assert len(df) == 678
    assert df["date"].iloc[0] == pd.Timestamp("2017-08-27")
    assert df["date"].iloc[-1] == pd.Timestamp("2019-07-05")
    assert (df["date"].diff().dropna() == pd.Timedelta(days=1)).all()  # no gaps
    assert df["total_membership"].max() == 3029 and df["total_membership"].min() == 1
    assert df["daily_active_members"].between(1, 258).all() and df["daily_active_members"].max() == 258
    assert (df["daily_members_posting_messages"] <= df["daily_active_members"]).all()
    assert (df["weekly_members_posting_messages"] <= df["weekly_active_members"]).all()
    # daily messages = sum of the three messages_in_* columns (shared is always 0)
    assert (df["messages_in_shared_channels"] == 0).all()
    assert (df["messages"] == df["messages_in_public_channels"] + df["messages_in_private_channels"]
            + df["messages_in_d_ms"]).all()
    # the headcount drop the README names: 2018-01-28, 941 -> 931
    m = df.set_index("date")["total_membership"]
    assert m[pd.Timestamp("2018-01-27")] == 941 and m[pd.Timestamp("2018-01-28")] == 931


def test_loader_refuses_a_gap(tmp_path):
    bad = pd.read_csv(r4ds.data_dir() / r4ds.DATA_FILE).drop(index=100)
    bad.to_csv(tmp_path / r4ds.DATA_FILE, index=False)
    with pytest.raises(ValueError, match="consecutive"):
        r4ds.load_r4ds(tmp_path / r4ds.DATA_FILE)


def test_loader_refuses_more_posting_than_active(tmp_path):
    bad = pd.read_csv(r4ds.data_dir() / r4ds.DATA_FILE)
    bad.loc[50, "daily_members_posting_messages"] = bad.loc[50, "daily_active_members"] + 1
    bad.to_csv(tmp_path / r4ds.DATA_FILE, index=False)
    with pytest.raises(ValueError, match="more posting than active"):
        r4ds.load_r4ds(tmp_path / r4ds.DATA_FILE)


def _check_in_range(s: dict[str, float]) -> None:
    for st in r4ds.STATS:
        v = s[st.key]
        assert math.isfinite(v), st.key
        if st.pct:
            assert 0.0 <= v <= 1.0, (st.key, v)
        else:
            assert v >= 0.0, (st.key, v)


def test_real_statistics_finite_and_in_range(df):
    s = r4ds.stats(r4ds.real_frame(df))
    _check_in_range(s)
    assert s["peak_members"] == 3029
    assert s["weekly_posting_share"] < s["weekly_posting_share_of_active"]  # dormant accounts dilute the first
    assert s["daily_messages_p99_over_median"] > 1
    # the values docs/calibration.md quotes
    assert round(s["weekly_posting_share_of_active"], 3) == 0.191
    assert round(s["late_to_peak_posters"], 3) == 0.266 and round(s["late_to_peak_active"], 3) == 0.631


def test_late_to_peak_uses_full_windows_only():
    x = pd.Series([100.0] + [1.0] * 300)  # a spike on day 0 counts only within a full 28-day window
    assert r4ds.late_to_peak(x) == pytest.approx(28 / 127)
    assert math.isnan(r4ds.late_to_peak(pd.Series([1.0] * (r4ds.PEAK_WINDOW - 1))))


def test_model_frame_pads_a_dead_group_with_silence():
    rows = [{"day": d, "phase": "dead" if d == 2 else "growth", "members": 10, "daily_active": 8, "speakers": 4,
             "weekly_speaking_rate": 0.5, "msgs_valuable": 1, "msgs_chat": 2, "msgs_content": 3, "ads_posted": 0}
            for d in range(3)]
    f = r4ds.model_frame(rows, 6)
    assert len(f) == 6 and list(f.index) == list(range(6))
    assert (f["members"] == 10).all() and (f["posters"].iloc[3:] == 0).all()
    assert f["messages_per_poster"].iloc[0] == 1.5 and math.isnan(f["messages_per_poster"].iloc[2])
    columns = {k: [r[k] for r in rows] for k in rows[0]}
    pd.testing.assert_frame_equal(r4ds.model_frame(columns, 6), f)  # the measure's column form reads the same


def test_verdict_words():
    st = r4ds.STATS[3]
    assert r4ds.verdict(st, 0.1, 0.12).startswith("close")
    assert r4ds.verdict(st, 0.1, 0.3) == "off by a factor 3.0 (model higher)"
    assert r4ds.verdict(st, 0.3, 0.1) == "off by a factor 3.0 (model lower)"
    assert r4ds.verdict(r4ds.STATS[0], 0.1, 0.0).startswith("partly comparable: far lower")
    assert "not comparable" in r4ds.verdict(r4ds.STATS[-1], 3029, 100)
    assert r4ds.verdict(st, float("nan"), 0.1).startswith("cannot say")


@pytest.fixture(scope="module")
def small_comparison(df):
    """Two scenarios x 2 seeds over a 120-day stretch of R4DS: seconds, not a minute."""
    return r4ds.compare(seeds=2, data=df.iloc[:120].reset_index(drop=True), workers=1)


@pytest.mark.slow
def test_model_statistics_finite_and_in_range(small_comparison):
    c = small_comparison
    assert list(c.model) == list(r4ds.SCENARIOS)
    for scen, frames in c.model_frames.items():
        assert len(frames) == 2
        assert all(len(f) == 120 for f in frames)  # padded to R4DS's span even if a group died
        for f in frames:
            _check_in_range(r4ds.stats(f))
        for key, (med, lo, hi) in c.model[scen].items():
            assert lo <= med <= hi, (scen, key)
        assert 0.0 <= c.alive_share[scen] <= 1.0
    assert not c.model_frames["healthy_learning_group"][0].equals(c.model_frames["healthy_learning_group"][1])
    for st in r4ds.STATS:
        assert VERDICT.match(r4ds.verdict(st, c.real[st.key], c.model["typical_group"][st.key][0])), st.key


@pytest.mark.slow
def test_ensemble_goes_through_the_one_runner(df):
    """Same seeds, same daily series as a plain analysis.ensemble run (the measure, not a pool of its own)."""
    from analysis.ensemble import run_ensemble

    frames = r4ds.model_frames(["typical_group"], seeds=1, days=59, workers=1)
    table = run_ensemble([("scenario=typical_group", "days=59")], seeds=[r4ds.BASE_SEED], workers=1,
                         measure=r4ds.daily_series)
    pd.testing.assert_frame_equal(frames["typical_group"][0], r4ds.model_frame(table[r4ds.DAILY_COLUMN][0], 60))


@pytest.mark.slow
def test_report_is_self_contained(small_comparison, tmp_path):
    from analysis.files import write_atomic

    out = tmp_path / "r4ds_comparison.html"
    write_atomic(out, build_report(small_comparison))
    text = out.read_text()
    assert "Plotly" in text and "healthy_learning_group" in text and "tidytuesday" in text
    assert "../shared" not in text and "data/README.md" in text
    assert not re.search(r"<script[^>]+src\s*=\s*['\"]?https?:", text, re.IGNORECASE)  # no external scripts
    assert not re.search(r"<link[^>]+href\s*=\s*['\"]?https?:", text, re.IGNORECASE)  # no external stylesheets
    for st in r4ds.STATS:
        assert st.title in text
    assert text.count("<tr>") == len(r4ds.STATS) + 1
    assert np.isfinite(small_comparison.real["weekly_posting_share"])


@pytest.mark.slow
def test_command_line_writes_the_report(tmp_path, capsys):
    from experiments import compare_r4ds

    out = tmp_path / "r.html"
    assert compare_r4ds.main(["--seeds", "1", "--scenarios", "typical_group", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "weekly_posting_share_of_active" in printed and "19.1%" in printed and str(out.resolve()) in printed
    assert "<table>" in out.read_text()


def test_command_line_says_when_data_are_missing(tmp_path, monkeypatch, capsys):
    from experiments import compare_r4ds

    monkeypatch.setenv(r4ds.ENV_VAR, str(tmp_path))
    assert compare_r4ds.main(["--out", str(tmp_path / "r.html")]) == 2
    assert r4ds.ENV_VAR in capsys.readouterr().err and not (tmp_path / "r.html").exists()
