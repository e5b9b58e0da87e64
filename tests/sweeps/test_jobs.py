"""experiments/jobs.py: a job folder is skipped only when it holds *this* job's finished result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiments.jobs import is_done, run_job

OVERRIDES = ["strategy/ad_policy=ban", "seed=1"]


def finishing(out_dir: Path, metrics: dict, calls: list | None = None):
    """A task as run.py's: it writes metrics.json (its last file) and returns the outcomes."""

    def task() -> dict:
        if calls is not None:
            calls.append(1)
        (out_dir / "metrics.json").write_text(json.dumps(metrics))
        return metrics

    return task


def test_finished_job_is_skipped_on_rerun(tmp_path: Path) -> None:
    calls: list = []
    task = finishing(tmp_path, {"lifespan_days": 42}, calls)
    assert run_job(tmp_path, OVERRIDES, task, swallow_errors=True) == {"lifespan_days": 42}
    assert run_job(tmp_path, list(reversed(OVERRIDES)), task, swallow_errors=True) == {"lifespan_days": 42}
    assert len(calls) == 1  # same settings, any order: resumed, not re-run


def test_folder_of_another_job_is_not_taken_for_done(tmp_path: Path) -> None:
    # A changed sweep maps other settings onto an old job number.
    run_job(tmp_path, OVERRIDES, finishing(tmp_path, {"lifespan_days": 42}), swallow_errors=True)
    assert not is_done(tmp_path, ["strategy/ad_policy=free", "seed=1"])
    out = run_job(tmp_path, ["strategy/ad_policy=free", "seed=1"], finishing(tmp_path, {"lifespan_days": 7}), swallow_errors=True)
    assert out == {"lifespan_days": 7}


def test_failure_is_recorded_and_leaves_no_stale_result(tmp_path: Path) -> None:
    run_job(tmp_path, OVERRIDES, finishing(tmp_path, {"lifespan_days": 42}), swallow_errors=True)

    def boom() -> dict:
        raise ValueError("bad luck")

    other = ["strategy/ad_policy=free", "seed=1"]
    assert run_job(tmp_path, other, boom, swallow_errors=True) is None
    status = json.loads((tmp_path / "status.json").read_text())
    assert status["status"] == "failed" and status["error"] == "ValueError: bad luck"
    assert "Traceback" in status["traceback"] and status["overrides"] == other
    assert not (tmp_path / "metrics.json").exists()  # the previous job's result is gone
    with pytest.raises(ValueError):  # a single run (not a sweep) still raises
        run_job(tmp_path, other, boom, swallow_errors=False)


def test_half_written_metrics_do_not_count_as_done(tmp_path: Path) -> None:
    run_job(tmp_path, OVERRIDES, finishing(tmp_path, {"lifespan_days": 42}), swallow_errors=True)
    (tmp_path / "metrics.json").write_text('{"lifespan_')
    assert not is_done(tmp_path, OVERRIDES)


def test_optuna_score_ranks_feasible_trials_above_all_others() -> None:
    from experiments.callbacks import score

    rule = {"lifespan_days": {"min": 270}}
    feasible = score({"revenue": 0.0, "lifespan_days": 300}, "revenue", rule)
    near_miss = score({"revenue": 9e9, "lifespan_days": 260}, "revenue", rule)
    far_miss = score({"revenue": 9e9, "lifespan_days": 30}, "revenue", rule)
    assert feasible == 0.0 and far_miss < near_miss < feasible  # graded, never above feasible
    assert score({"revenue": 5.0, "ads_visible": 10}, "revenue", {"ads_visible": {"max": 20}}) == 5.0
    assert score(None, "revenue", rule) != score(None, "revenue", rule)  # NaN: a failed job
