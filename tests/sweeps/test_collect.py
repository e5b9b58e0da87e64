"""The collector on hand-made sweep folders: every planned job gets a row, whatever state it is in."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from experiments.callbacks import sweep_identity
from experiments.collect import collect, main, planned_jobs, write_results

BASIC = "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"


def _sweep(tmp_path: Path, params: dict[str, str], task: list[str], sweeper: str = BASIC) -> Path:
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    master = {"hydra": {"sweeper": {"_target_": sweeper, "params": params}, "overrides": {"task": task}}}
    (sweep / "multirun.yaml").write_text(yaml.safe_dump(master))
    return sweep


def _job(sweep: Path, name: str, overrides: list[str], status: dict | None, metrics: str | None) -> Path:
    d = sweep / name
    (d / ".hydra").mkdir(parents=True)
    (d / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    if status is not None:
        (d / "status.json").write_text(json.dumps({"overrides": overrides, "wall_seconds": 1.5, **status}))
    if metrics is not None:
        (d / "metrics.json").write_text(metrics)
    return d


@pytest.fixture
def half_done(tmp_path: Path) -> Path:
    """4 planned jobs (2 policies x 2 seeds, policies from the preset's params):
    ok, failed, killed mid-write, never started."""
    sweep = _sweep(tmp_path, {"strategy/ad_policy": "free,ban"}, ["seed=0,1", "days=30"])
    ok = json.dumps({"lifespan_days": 30, "censored": True, "final_phase": "growth", "revenue": 12.5})
    _job(sweep, "0", ["strategy/ad_policy=free", "seed=0", "days=30"], {"status": "ok", "error": None}, ok)
    _job(sweep, "1", ["strategy/ad_policy=free", "seed=1", "days=30"], {"status": "failed", "error": "RuntimeError: boom"}, None)
    _job(sweep, "2", ["strategy/ad_policy=ban", "seed=0", "days=30"], {"status": "running", "error": None}, '{"lifespan_d')
    return sweep


def test_every_planned_job_has_a_row_with_its_state(half_done: Path) -> None:
    table = collect(half_done).set_index("job")
    assert list(table.index) == [0, 1, 2, 3]
    assert table["status"].tolist() == ["ok", "failed", "running", "missing"]
    assert table.loc[1, "error"] == "RuntimeError: boom"
    # The job that never ran still carries its settings, from the sweep's own expansion.
    assert table.loc[3, "strategy/ad_policy"] == "ban" and table.loc[3, "seed"] == 1
    assert table.loc[0, "lifespan_days"] == 30 and table.loc[0, "revenue"] == 12.5
    assert pd.isna(table.loc[2, "lifespan_days"])  # half-written metrics are ignored, not fatal


def test_ok_without_readable_metrics_is_flagged_corrupt(tmp_path: Path) -> None:
    sweep = tmp_path / "s"
    sweep.mkdir()
    _job(sweep, "0", ["seed=0"], {"status": "ok", "error": None}, "not json")
    row = collect(sweep).iloc[0]
    assert row["status"] == "corrupt" and "metrics.json" in row["error"]


def test_tables_round_trip_and_rerun_is_idempotent(half_done: Path) -> None:
    first = collect(half_done)
    csv_path, parquet_path = write_results(first, half_done)
    write_results(collect(half_done), half_done)  # re-runnable over its own output
    pd.testing.assert_frame_equal(pd.read_parquet(parquet_path), first, check_dtype=False)
    assert pd.read_csv(csv_path)["status"].tolist() == first["status"].tolist()
    assert not list(half_done.glob(".*.tmp")), "atomic writes leave no temp files"


def test_job_folders_named_with_overrides_are_found(tmp_path: Path) -> None:
    # subdir ${hydra.job.num}_${hydra.job.override_dirname}: a group override adds a "/".
    sweep = tmp_path / "s"
    sweep.mkdir()
    metrics = json.dumps({"lifespan_days": 9})
    (sweep / "0_strategy").mkdir()
    _job(sweep / "0_strategy", "ad_policy=ban,seed=3", ["strategy/ad_policy=ban", "seed=3"], {"status": "ok"}, metrics)
    row = collect(sweep).iloc[0]
    assert (row["job"], row["status"], row["strategy/ad_policy"], row["lifespan_days"]) == (0, "ok", "ban", 9)


def test_cli_writes_table_and_report(half_done: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(half_done)]) == 1  # not every job finished ok
    out = capsys.readouterr()
    assert "4 jobs" in out.out and "job 1: failed: RuntimeError: boom" in out.err
    for name in ("results.csv", "results.parquet", "sweep_report.html"):
        assert (half_done / name).stat().st_size > 0


@pytest.mark.parametrize("sweeper", [BASIC, "hydra_plugins.community_batched_launcher.batched_sweeper.BatchedSweeper"])
def test_the_projects_sweeper_lists_its_jobs_as_hydras_basic_one(tmp_path: Path, sweeper: str) -> None:
    """The project's default sweeper is a BasicSweeper subclass: a killed sweep's missing jobs
    are listed from multirun.yaml, and a sweep resumed under the other is the same sweep."""
    sweep = _sweep(tmp_path, {"strategy/ad_policy": "free,ban"}, ["seed=0,1"], sweeper)
    assert planned_jobs(sweep) == [["strategy/ad_policy=free", "seed=0"], ["strategy/ad_policy=free", "seed=1"],
                                   ["strategy/ad_policy=ban", "seed=0"], ["strategy/ad_policy=ban", "seed=1"]]
    identity = sweep_identity(yaml.safe_load((sweep / "multirun.yaml").read_text())["hydra"])
    assert identity["sweeper"] == "basic"
    (tmp_path / "o").mkdir()
    optuna = _sweep(tmp_path / "o", {}, [], "hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper")
    assert planned_jobs(optuna) is None  # chooses its jobs on the fly


def test_a_sweep_started_under_hydras_basic_sweeper_resumes_under_the_projects(tmp_path: Path) -> None:
    """sweep.json written before the project had its own sweeper names Hydra's basic one: the
    same sweep resumed now is let in; a different sweep into that folder is still refused."""
    from experiments.callbacks import SWEEP_FILE, check_sweep_folder

    sweep = tmp_path / "sweep"
    (sweep / "0").mkdir(parents=True)
    (sweep / SWEEP_FILE).write_text(json.dumps({"sweeper": BASIC, "params": {"seed": "range(4)"}, "overrides": ["days=30"]}))
    ours = {"sweeper": {"_target_": "hydra_plugins.community_batched_launcher.batched_sweeper.BatchedSweeper",
                        "params": {"seed": "range(4)"}}, "overrides": {"task": ["days=30"]}}
    check_sweep_folder(sweep, sweep_identity(ours))
    assert json.loads((sweep / SWEEP_FILE).read_text())["sweeper"] == "basic"
    other = {**ours, "overrides": {"task": ["days=60"]}}
    with pytest.raises(SystemExit):
        check_sweep_folder(sweep, sweep_identity(other))
