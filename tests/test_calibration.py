"""Issue 15: fitting the model to a group's own daily history.

Fast: the ABC method on a toy simulator with a known posterior (coverage over 300 truths,
sequential truncation, resume after a kill), the data checks (one per kind of bad input, and
the command's exit code 2 with nothing written), one statistics function for both sides, the
preset and the change parser. Slow (ensembles of the model): the coverage check on synthetic
truths simulated by the model, and a tiny end-to-end fit + what-if from the command line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.calibration import abc
from analysis.calibration.counterfactual import parse_change
from analysis.calibration.data import DataError, read_daily
from analysis.calibration.fit import SimSetup, load_space, preset_text, summary_vector
from analysis.r4ds import SHAPE_KEYS, daily_series, model_frame, shape_stats
from analysis.stats import wilson

ROOT = Path(__file__).resolve().parent.parent

# ----------------------------------------------------------------------------------------
# the method on a toy simulator (numpy only: fast)
# ----------------------------------------------------------------------------------------

TOY = abc.Space((abc.Bound("a", 0.0, 10.0), abc.Bound("b", 0.1, 10.0, log=True)))


def toy_simulator(theta: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """Summaries: a + noise, log(b) + noise, and a pure-noise statistic (must not matter)."""
    out = []
    for (a, b), s in zip(theta, seeds):
        rng = np.random.default_rng(int(s))
        out.append([a + rng.normal(0, 0.5), np.log(b) + rng.normal(0, 0.2), rng.normal()])
    return np.array(out)


def test_toy_coverage_of_90_percent_intervals() -> None:
    """Truths drawn from the prior, each fitted with the rest of a shared table (leave one
    out): the 90 % intervals must cover the truth at a rate whose Wilson 95 % interval holds 0.9
    (300 truths × 2 parameters = 600 checks)."""
    rng = np.random.default_rng(1)
    theta = TOY.sample(rng, 3000)
    s = toy_simulator(theta, rng.integers(0, 2**31, size=3000))
    hits = []
    for j in range(300):
        rest = np.delete(np.arange(3000), j)
        post = abc.accept_and_adjust(TOY, theta[rest], s[rest], s[j], accept=0.05)
        for k in range(2):
            lo, hi = post.interval(k, 0.9)
            hits.append(lo <= theta[j, k] <= hi)
    lo, hi = wilson(sum(hits), len(hits))
    assert lo <= 0.9 <= hi, f"coverage {np.mean(hits):.3f}, Wilson [{lo:.3f}, {hi:.3f}]"


def test_sequential_rounds_narrow_the_box_and_keep_the_truth() -> None:
    truth = np.array([[6.0, 2.0]])
    s_obs = toy_simulator(truth, np.array([123]))[0]
    fit = abc.run_sequential(toy_simulator, TOY, s_obs, budget=1200, rounds=3, chunk=200, seed=4, accept=0.1)
    boxes = fit.boxes
    assert all(np.all(b2[0] >= b1[0]) and np.all(b2[1] <= b1[1]) for b1, b2 in zip(boxes, boxes[1:])), "boxes nested"
    assert np.prod(boxes[-1][1] - boxes[-1][0]) < 0.5, "later rounds sample a smaller box than the prior"
    post = fit.posterior
    for k in range(2):
        lo, hi = post.interval(k, 0.9)
        assert lo <= truth[0, k] <= hi
    width = post.interval(0, 0.9)[1] - post.interval(0, 0.9)[0]
    assert width < 0.4 * (TOY.bounds[0].high - TOY.bounds[0].low), "the data inform a"


def test_edge_warning_when_the_data_want_a_value_outside_the_prior() -> None:
    s_obs = np.array([30.0, 0.0, 0.0])  # a = 30 lies far above the prior box [0, 10]
    fit = abc.run_sequential(toy_simulator, TOY, s_obs, budget=400, rounds=1, chunk=400, seed=0)
    assert any(w.startswith("a: ") and "the prior's high bound" in w for w in fit.posterior.warnings)


def test_resume_after_a_kill_loses_at_most_one_chunk(tmp_path) -> None:
    s_obs = toy_simulator(np.array([[3.0, 1.0]]), np.array([9]))[0]
    kwargs = dict(budget=240, rounds=2, chunk=40, seed=2, checkpoint=tmp_path / "ck", fingerprint={"fit": 1})
    calls = []

    def dies_on_fourth_chunk(theta, seeds):
        calls.append(len(theta))
        if len(calls) == 4:
            raise KeyboardInterrupt("killed")
        return toy_simulator(theta, seeds)

    with pytest.raises(KeyboardInterrupt):
        abc.run_sequential(dies_on_fourth_chunk, TOY, s_obs, **kwargs)
    assert len(list((tmp_path / "ck").glob("round*_chunk*.npz"))) == 3
    resumed = abc.run_sequential(toy_simulator, TOY, s_obs, **kwargs)
    assert resumed.simulated == 240 - 3 * 40, "the three finished chunks are read, not simulated again"
    fresh = abc.run_sequential(toy_simulator, TOY, s_obs, **{**kwargs, "checkpoint": None})
    np.testing.assert_allclose(resumed.posterior.samples, fresh.posterior.samples)
    with pytest.raises(ValueError, match="different fit"):
        abc.run_sequential(toy_simulator, TOY, s_obs, **{**kwargs, "fingerprint": {"fit": 2}})


# ----------------------------------------------------------------------------------------
# data checks
# ----------------------------------------------------------------------------------------


def _good(n: int = 80) -> pd.DataFrame:
    d = np.arange(n)
    return pd.DataFrame({"date": pd.date_range("2024-01-01", periods=n).strftime("%Y-%m-%d"),
                         "members": 10 + d, "daily_active": 5 + d // 2, "posters": 2 + d // 5, "messages": 6 + d})


def _write(tmp_path, df: pd.DataFrame) -> Path:
    path = tmp_path / "group.csv"
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("mutate, pattern", [
    (lambda df: df.drop(columns="posters"), r"column 'posters' not found"),
    (lambda df: df.assign(messages=df["messages"].astype(object).where(df.index != 7, "lots")),
     r"column 'messages', row 8 \(line 9\): 'lots' is not a number"),
    (lambda df: df.assign(members=df["members"].where(df.index != 3, -4)), r"column 'members', row 4 .*negative"),
    (lambda df: df.iloc[:20], r"20 days of data; a fit needs at least 60"),
    (lambda df: df.assign(date=df["date"].where(df.index != 10, "2024-01-05")), r"column 'date', row 11 .*not after"),
    (lambda df: df.assign(date=df["date"].where(df.index != 2, "someday")), r"column 'date', row 3 .*not a date"),
])
def test_bad_data_names_column_and_row(tmp_path, mutate, pattern) -> None:
    with pytest.raises(DataError, match=pattern):
        read_daily(_write(tmp_path, mutate(_good())))


def test_misnamed_mapping_and_gaps(tmp_path) -> None:
    df = _good().rename(columns={"posters": "Posting"})
    path = _write(tmp_path, df)
    with pytest.raises(DataError, match="column 'Postings' \\(for posters\\) not found"):
        read_daily(path, {"posters": "Postings"})
    gapped = _write(tmp_path, df.drop(index=[30, 31, 32, 50]))
    obs = read_daily(gapped, {"posters": "Posting"})
    assert obs.days == 80 and obs.missing_days == 4
    assert obs.gaps == [("2024-01-31", "2024-02-02"), ("2024-02-20", "2024-02-20")]
    assert not obs.has_weekly and np.isnan(summary_vector(obs.frame)[SHAPE_KEYS.index("weekly_posters_of_active")])


def test_command_refuses_bad_input_with_exit_2_and_writes_nothing(tmp_path) -> None:
    bad = _write(tmp_path, _good().assign(members=lambda d: d["members"].where(d.index != 5, -1)))
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "experiments/calibrate.py", f"data={bad}", f"hydra.run.dir={out}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "column 'members', row 6" in proc.stderr
    assert not out.exists()


# ----------------------------------------------------------------------------------------
# one statistics function for both sides; the preset; the change
# ----------------------------------------------------------------------------------------


def test_model_rows_and_a_data_file_of_them_give_the_same_statistics(tmp_path) -> None:
    """shape_stats is the one function: a run's rows written as a data file read back equal."""
    from analysis.compose import load_params
    from sim import simulate

    result = simulate(load_params(["arrivals.cap=40", "days=79", "seed=3"]))
    frame = model_frame(daily_series(result)["r4ds_daily"], 80)
    df = pd.DataFrame({"day": range(80), "members": frame["members"], "daily_active": frame["daily_active"],
                       "posters": frame["posters"], "messages": frame["messages"]})
    obs = read_daily(_write(tmp_path, df))
    a, b = shape_stats(frame), shape_stats(obs.frame)
    for k in SHAPE_KEYS:
        if k == "weekly_posters_of_active":
            continue  # the file has no weekly counts
        assert a[k] == pytest.approx(b[k], rel=1e-9, abs=1e-12), k


def test_fitted_preset_composes_with_its_medians(tmp_path) -> None:
    from analysis.compose import load_params

    space, _ = load_space([{"path": "reading.novelty_days", "low": 30, "high": 600, "log": True},
                           {"path": "roles.kol_patience_days", "low": 2, "high": 30}])
    summary = {b.path: {"median": m, "q05": m * 0.5, "q25": m * 0.8, "q75": m * 1.2, "q95": m * 2,
                        "prior_low": b.low, "prior_high": b.high, "log": b.log}
               for b, m in zip(space.bounds, (123.456, 7.6))}
    text = preset_text("fitted_t", summary, SimSetup(("scenario=social_chat_group",), 150), 200, ["test"])
    (tmp_path / "experiment").mkdir()
    (tmp_path / "experiment" / "fitted_t.yaml").write_text(text)
    assert "experiments/run.py experiment=fitted_t days=199" in text
    p = load_params([f"hydra.searchpath=[file://{tmp_path}]", "experiment=fitted_t", "days=199"])
    assert (p.reading.novelty_days, p.roles.kol_patience_days) == (123.5, 8)
    assert (p.arrivals.cap, p.days, p.scenario.name) == (150, 199, "social_chat_group")


def test_space_is_checked_against_the_model() -> None:
    with pytest.raises(ValueError, match="not a parameter"):
        load_space([{"path": "reading.nope", "low": 0, "high": 1}])
    with pytest.raises(ValueError, match="leaves its allowed range"):
        load_space([{"path": "reading.expectation", "low": 0.1, "high": 2}])
    space, notes = load_space([{"path": "reading.expectation", "low": 0.1, "high": 0.4},
                               {"path": "future.knob", "low": 0, "high": 1, "if_present": True}])
    assert space.paths == ["reading.expectation"] and "future.knob" in notes[0]


def test_change_parser() -> None:
    assert parse_change("entry.threshold=application, ads.policy=ban") == {"entry.threshold": "application",
                                                                           "ads.policy": "ban"}
    with pytest.raises(ValueError, match="write section.field=value"):
        parse_change("threshold")
    with pytest.raises(ValueError, match="allowed"):
        parse_change("strategy/entry=velvet_rope")


# ----------------------------------------------------------------------------------------
# the model (slow)
# ----------------------------------------------------------------------------------------

#: Reference-table runs of the coverage check (docs/calibration.md#coverage-check).
TABLE_RUNS = 1600

TINY = [{"path": "seeding.recruits_per_day", "low": 0.3, "high": 8, "log": True},
        {"path": "conversation.active_posts_per_day", "low": 0.1, "high": 2.0, "log": True},
        {"path": "reading.novelty_days", "low": 30, "high": 600, "log": True}]


@pytest.fixture(scope="module")
def model_coverage() -> tuple[float, int, dict[int, float]]:
    """Coverage with the model itself: a 1,600-run reference table (cap 60, 120 days, three
    parameters drawn from the prior; ~40 s on 2 cores with the ensemble runner's vector
    engine, where the Mesa engine took 20 s for 160 runs); 40 of its runs serve in turn as the
    synthetic truth, fitted with the other 1,599 (leave one out) with the fit's default
    acceptance. Returns the coverage rate of the 90 % intervals, the number of checks and each
    parameter's mean interval width as a share of the prior box (unit scale)."""
    from analysis.calibration.fit import ModelSimulator

    space, _ = load_space(TINY)
    sim = ModelSimulator(space, SimSetup(cap=60, workers=2), 120)
    fit = abc.run_sequential(sim, space, np.zeros(len(SHAPE_KEYS)), budget=TABLE_RUNS, rounds=1, chunk=TABLE_RUNS, seed=11)
    t = fit.table
    ok = np.all(np.isfinite(t.s[:, [i for i, k in enumerate(SHAPE_KEYS)]]), axis=1)
    theta, s = t.theta[ok], t.s[ok]
    assert len(theta) >= 0.95 * TABLE_RUNS, "runs failed"
    hits, widths = [], []
    for j in range(40):
        rest = np.delete(np.arange(len(theta)), j)
        post = abc.accept_and_adjust(space, theta[rest], s[rest], s[j])  # the fit's defaults
        for k in range(len(space.bounds)):
            lo, hi = post.interval(k, 0.9)
            hits.append(lo <= theta[j, k] <= hi)
            ends = np.tile([b.low for b in space.bounds], (2, 1))
            ends[:, k] = [lo, hi]
            u = space.to_unit(ends)
            widths.append((k, float(u[1, k] - u[0, k])))
    mean_width = {k: float(np.mean([w for kk, w in widths if kk == k])) for k in range(len(space.bounds))}
    return float(np.mean(hits)), len(hits), mean_width


@pytest.mark.slow
def test_model_coverage_on_synthetic_truths(model_coverage) -> None:
    """Tolerance (stated in docs/calibration.md): the 90 % intervals cover the truth in 75–99 %
    of the 120 checks (40 truths share one table), and they are narrower than the prior's own
    90 % interval (90 % of the box) for at least one parameter: the data say something.
    Measured (2026-12-03, table seeds 11 / 12 / 13): coverage 88 / 93 / 88 %, narrowest mean
    width 50 / 54 / 52 % of the prior (a 160-run table: 82 %, 73 %). An adjustment with too
    few accepted particles per coefficient is skipped: an overfitted one covered 51 %
    (abc.ADJUST_PER_COEFFICIENT)."""
    rate, n, mean_width = model_coverage
    assert 0.75 <= rate <= 0.99, f"coverage {rate:.2f} over {n} checks, Wilson {wilson(round(rate * n), n)}"
    assert min(mean_width.values()) < 0.9, f"90% intervals as wide as the prior's: {mean_width}"


@pytest.mark.slow
def test_model_fit_narrows_a_parameter_to_under_60_percent_of_its_prior(model_coverage) -> None:
    """The bound was set before measuring. A 160-run table missed it (73 % at best,
    2026-12-01: an expected failure then); the 1,600-run table the vector engine affords in
    the same minute meets it (50 % at best, seed 11; 52-54 % with table seeds 12 and 13)."""
    assert min(model_coverage[2].values()) < 0.6, f"mean 90% widths (share of the prior): {model_coverage[2]}"


@pytest.mark.slow
def test_fit_and_what_if_from_the_command_line(tmp_path) -> None:
    """A tiny fit of synthetic data, its preset through run.py, and a what-if from its folder."""
    from analysis.compose import load_params
    from sim import simulate

    result = simulate(load_params(["scenario=healthy_learning_group", "arrivals.cap=60", "days=99", "seed=5"]))
    frame = model_frame(daily_series(result)["r4ds_daily"], 100)
    data = _write(tmp_path, pd.DataFrame({"day": range(100), "members": frame["members"],
                                          "daily_active": frame["daily_active"], "posters": frame["posters"],
                                          "messages": frame["messages"]}))
    fit_dir = tmp_path / "fit"
    run = [sys.executable, "experiments/calibrate.py", f"data={data}", "space=tiny", "budget=24", "rounds=1",
           "chunk=12", "cap=60", "ppc_draws=3", "min_days=60", "holdout=0.3", "name=synthetic",
           f"checkpoint_dir={tmp_path / 'ck'}", f"hydra.run.dir={fit_dir}", "progress=false"]
    proc = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in ("posterior.csv", "posterior.json", "calibration_report.html", "posterior_predictive.png",
                 "experiment/fitted_synthetic.yaml"):
        assert (fit_dir / name).is_file(), name
    assert "Held-out" in (fit_dir / "calibration_report.html").read_text() or "held-out" in proc.stdout
    assert "verdict: Poor" in proc.stdout and "budget = 24 runs is below the minimum of 200" in proc.stdout
    rerun = subprocess.run(run[:-2] + [f"hydra.run.dir={tmp_path / 'fit2'}", "progress=false"], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0 and "0 simulated now" in rerun.stdout, "a rerun resumes from the checkpoints"
    cf = subprocess.run([sys.executable, "experiments/counterfactual.py", f"fit={fit_dir}",
                         "change=strategy/entry=open", "day=50", "draws=2", "seeds=1",
                         f"hydra.run.dir={tmp_path / 'cf'}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert cf.returncode == 0, cf.stderr[-2000:]
    table = pd.read_csv(tmp_path / "cf" / "differences.csv")
    assert len(table) == 5 and (table["pairs"] == 2).all()
    assert "the fit's verdict: Poor" in cf.stdout and "warning (from the fit): budget = 24 runs" in cf.stdout
    end = table.set_index("outcome").loc["members at the end", "real"]
    assert end == pytest.approx(frame["members"].iloc[-7:].mean())  # the real group's scale, next to the model's
