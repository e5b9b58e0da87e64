"""The one ensemble runner: job order, failures recorded (not raised), parallel = serial,
resumable from its cache, and the engine switch refuses what it does not know."""

from __future__ import annotations

import pytest

from analysis.ensemble import GPU_BATCH, VECTOR_BATCH, default_workers, jobs_for, ok_runs, run_ensemble, vector_plan

SHORT = ["days=20"]


def test_jobs_are_sets_times_seeds_in_order() -> None:
    assert jobs_for([["a=1"], ["a=2"]], [5, 6]) == [("a=1", "seed=5"), ("a=1", "seed=6"), ("a=2", "seed=5"),
                                                    ("a=2", "seed=6")]


def test_a_failing_run_is_recorded_and_the_others_finish() -> None:
    table = run_ensemble([SHORT, [*SHORT, "ads.quota_per_day=-1"]], seeds=[1], workers=1)
    assert table["status"].tolist() == ["ok", "failed"]
    assert "ads.quota_per_day" in table.loc[1, "error"]
    assert table.loc[0, "lifespan_days"] > 0 and table.loc[0, "seed"] == 1
    with pytest.raises(RuntimeError, match="1 of 2 runs failed"):
        ok_runs(table)


def test_parallel_equals_serial_and_a_measure_adds_columns() -> None:
    sets = [[*SHORT, f"strategy/ad_policy={p}"] for p in ("free", "ban")]
    serial = run_ensemble(sets, seeds=[1, 2], workers=1, measure=final_members)
    parallel = run_ensemble(sets, seeds=[1, 2], workers=2, measure=final_members)
    cols = ["overrides", "lifespan_days", "peak_members", "messages_total", "last_day_members"]
    assert serial[cols].equals(parallel[cols])
    assert (serial["last_day_members"] == serial["final_members"]).all()


def test_a_cached_ensemble_resumes_without_rerunning(tmp_path) -> None:
    first = run_ensemble([SHORT], seeds=[1, 2], workers=1, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 2
    for f in tmp_path.glob("*.json"):  # mark the cached rows: a re-run must read, not simulate
        f.write_text(f.read_text().replace('"status": "ok"', '"status": "ok", "from_cache": true'))
    again = run_ensemble([SHORT], seeds=[1, 2], workers=1, cache_dir=tmp_path)
    assert again["from_cache"].all()
    assert first["messages_total"].tolist() == again["messages_total"].tolist()


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="engine = 'gpu'"):
        run_ensemble([SHORT], engine="gpu")


def final_members(result) -> dict:
    return {"last_day_members": result.rows[-1]["members"]}


def test_a_gpu_ensemble_is_one_process_with_large_batches() -> None:
    """One process drives a GPU (more would each hold a CUDA context on it), in batches large
    enough to fill it; on the CPU, a worker per core; given values win."""
    assert vector_plan("cuda", None, None) == (1, GPU_BATCH)
    assert vector_plan("cpu", None, None) == (default_workers(), VECTOR_BATCH)
    assert vector_plan("torch-cpu", None, None) == (default_workers(), VECTOR_BATCH)
    assert vector_plan("cuda", 2, 100) == (2, 100)
    assert GPU_BATCH > VECTOR_BATCH
