"""End to end: tiny multiruns through joblib and local Ray, a failing job, resume, a killed sweep.

Each sweep is 20 simulated days, so the suite measures the plumbing, not the model.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from experiments.collect import collect
from tests.sweeps.helpers import assert_dashboard, results, run_sweep

pytestmark = pytest.mark.slow  # every test here runs real multiruns

# 2 ad policies x 2 seeds, each run once healthy and once with an injected failure: 8 jobs.
TINY = ["days=20", "strategy/ad_policy=free,ban", "seed=0,1", "debug_fail=false,true"]


@pytest.fixture(scope="module")
def joblib_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    sweep = tmp_path_factory.mktemp("joblib") / "sweep"
    proc = run_sweep(sweep, *TINY, "hydra/launcher=joblib", expect_rc=1)  # 4 jobs fail on purpose: the command says so
    return sweep, proc.stdout + proc.stderr


def test_joblib_sweep_collects_every_job_and_keeps_failures(joblib_sweep: tuple[Path, str]) -> None:
    sweep, log = joblib_sweep
    assert "Joblib" in log  # Hydra's own launcher, chosen on the command line
    assert "4 of 8 jobs failed" in log and "status.json" in log  # and it exited 1 (run_sweep)
    table = results(sweep)
    assert len(table) == 8
    failed = table[table["debug_fail"]]
    ok = table[~table["debug_fail"]]
    # The injected failures are recorded with their error; the healthy jobs lost nothing.
    assert (failed["status"] == "failed").all()
    assert failed["error"].str.contains("debug_fail").all()
    assert (ok["status"] == "ok").all()
    assert sorted(ok["strategy/ad_policy"]) == ["ban", "ban", "free", "free"]
    assert ok["lifespan_days"].notna().all() and failed["lifespan_days"].isna().all()
    assert {"revenue", "peak_members", "mean_fit", "ads_visible", "censored"} <= set(table.columns)
    # Each failure also keeps its traceback in the job's own folder.
    status = json.loads((Path(failed["job_dir"].iloc[0]) / "status.json").read_text())
    assert "RuntimeError" in status["traceback"]


def test_joblib_sweep_dashboard(joblib_sweep: tuple[Path, str]) -> None:
    page = assert_dashboard(joblib_sweep[0])
    assert "Ad policy: ban" in page and "Ad policy: no rule" in page  # human labels (analysis/registry.py)
    assert "4 of 8 jobs have no result" in page  # failures are listed, not hidden


def test_resume_skips_finished_jobs_and_retries_the_rest(joblib_sweep: tuple[Path, str], tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    shutil.copytree(joblib_sweep[0], sweep)
    before = collect(sweep).set_index("job")
    proc = run_sweep(sweep, *TINY, expect_rc=1)
    after = results(sweep)
    done = before[before["status"] == "ok"]
    assert proc.stdout.count("[skip]") == len(done) == 4
    # Finished jobs were not re-run (their recorded wall time is untouched) ...
    assert (after.loc[done.index, "wall_seconds"] == done["wall_seconds"]).all()
    # ... the failed ones were tried again and failed again.
    retried = before.index.difference(done.index)
    assert (after.loc[retried, "status"] == "failed").all()


def test_collect_and_resume_a_killed_sweep(joblib_sweep: tuple[Path, str], tmp_path: Path) -> None:
    # What a sweep killed half-way leaves: some jobs done, one caught mid-run, two never started.
    sweep = tmp_path / "sweep"
    shutil.copytree(joblib_sweep[0], sweep)
    for name in ("results.csv", "results.parquet", "sweep_report.html"):
        (sweep / name).unlink()
    table = collect(sweep)
    last_two = table["job"].nlargest(2)
    for job in last_two:
        shutil.rmtree(sweep / str(job))
    running = table[(table["status"] == "ok")]["job"].iloc[0]
    status_file = sweep / str(running) / "status.json"
    status_file.write_text(json.dumps({**json.loads(status_file.read_text()), "status": "running"}))

    half = collect(sweep).set_index("job")
    assert len(half) == 8  # planned jobs come from the sweep definition, not the folders
    assert set(half.loc[last_two, "status"]) == {"missing"}
    # Its recorded worker process is gone: killed mid-run, not running forever.
    assert half.loc[running, "status"] == "interrupted"
    assert half.loc[last_two, "seed"].notna().all()  # settings known even without a folder

    # On demand (the command strategists run after a crash): table + dashboard.
    from experiments.collect import main

    assert main([str(sweep)]) == 1  # holes: a script can tell
    assert_dashboard(sweep)

    # Resuming fills the holes and re-runs the interrupted job.
    run_sweep(sweep, *TINY, expect_rc=1)
    final = results(sweep)
    assert (final["status"] == final["debug_fail"].map({True: "failed", False: "ok"})).all()


def test_local_ray_sweep(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="Ray launcher needs the [sweeps] extra")
    pytest.importorskip("hydra_plugins.hydra_ray_launcher")
    sweep = tmp_path / "sweep"
    proc = run_sweep(
        sweep,
        "hydra/launcher=ray",
        # A private local cluster sized to this machine, even if another one is running
        # (address=None would join it); no dashboard server.
        "hydra.launcher.ray.init.address=local",
        "+hydra.launcher.ray.init.num_cpus=2",
        "+hydra.launcher.ray.init.include_dashboard=false",
        "days=20",
        "strategy/ad_policy=free,ban",
        "seed=0,1",
        timeout=300,
    )
    assert "Ray" in proc.stdout + proc.stderr
    table = results(sweep)
    assert len(table) == 4 and (table["status"] == "ok").all()
    assert_dashboard(sweep)


def test_optuna_search(tmp_path: Path) -> None:
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper", reason="needs the [sweeps] extra")
    sweep = tmp_path / "sweep"
    run_sweep(sweep, "experiment=optimise", "days=30", "hydra.sweeper.n_trials=4")
    best = (sweep / "optimization_results.yaml").read_text()
    assert "best_params" in best and "strategy/entry" in best
    table = results(sweep)
    assert len(table) == 4 and (table["status"] == "ok").all()
    page = (sweep / "sweep_report.html").read_text(encoding="utf-8")
    assert "Optuna's best strategy" in page


# -- the default launcher (hydra/launcher=batched): vector-engine jobs simulated as batches ----------
VECTOR_TINY = [*TINY, "engine=vector"]


@pytest.fixture(scope="module")
def batched_and_joblib(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("batched")
    batched = run_sweep(folder / "batched", *VECTOR_TINY, expect_rc=1)  # the default launcher
    run_sweep(folder / "joblib", *VECTOR_TINY, "hydra/launcher=joblib", expect_rc=1)
    return folder / "batched", folder / "joblib", batched.stdout + batched.stderr


def test_batched_launcher_writes_what_joblib_writes_job_for_job(batched_and_joblib) -> None:
    """A run is the same alone or in a batch, so each job's files equal the joblib launcher's
    (engine=vector there too), its configuration too (composed once per combination of config
    groups: job_configs.py); the injected failures fail alone."""
    batched, joblib, log = batched_and_joblib
    assert "chunk(s) on" in log and "Joblib" not in log  # configs/hydra/default.yaml chose it
    assert "4 of 8 jobs wrote a result simulated in a batch" in log  # the failing four stop before theirs
    a, b = results(batched), results(joblib)
    assert list(a["status"]) == list(b["status"]) and (a["status"] == a["debug_fail"].map({True: "failed", False: "ok"})).all()
    ok = a.index[a["status"] == "ok"]
    for col in ("lifespan_days", "peak_members", "messages_total", "ads_visible", "final_phase"):
        assert a.loc[ok, col].tolist() == b.loc[ok, col].tolist(), col
    for job in ok:
        for name in ("timeseries.csv", "members.csv", "events.csv", ".hydra/config.yaml", ".hydra/overrides.yaml"):
            assert (batched / str(job) / name).read_bytes() == (joblib / str(job) / name).read_bytes(), (job, name)
    assert_dashboard(batched)


def test_batched_launcher_resumes_without_simulating_finished_jobs(batched_and_joblib, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    shutil.copytree(batched_and_joblib[0], sweep)
    before = collect(sweep).set_index("job")
    proc = run_sweep(sweep, *VECTOR_TINY, "hydra/launcher=batched", expect_rc=1)
    done = before[before["status"] == "ok"]
    assert proc.stdout.count("[skip]") == len(done) == 4
    assert (results(sweep).loc[done.index, "wall_seconds"] == done["wall_seconds"]).all()
    assert "0 of 8 jobs wrote a result simulated in a batch" in proc.stdout + proc.stderr  # the rest fail again


def test_batched_launcher_runs_mesa_jobs_as_joblib_does(joblib_sweep: tuple[Path, str], tmp_path: Path) -> None:
    """engine=mesa jobs simulate one by one in the default launcher's workers: job for job the
    joblib launcher's files, the injected failures recorded alike, nothing taken from a batch."""
    sweep = tmp_path / "sweep"
    proc = run_sweep(sweep, *TINY, expect_rc=1)
    log = proc.stdout + proc.stderr
    assert "chunk(s) on" in log and "0 of 8 jobs wrote a result simulated in a batch" in log
    joblib = joblib_sweep[0]
    a, b = results(sweep), results(joblib)
    assert list(a["status"]) == list(b["status"])
    for job in a.index[a["status"] == "ok"]:
        for name in ("metrics.json", "timeseries.csv", "members.csv", "events.csv", ".hydra/config.yaml"):
            assert (sweep / str(job) / name).read_bytes() == (joblib / str(job) / name).read_bytes(), (job, name)


@pytest.mark.parametrize("launcher", ["batched", "joblib"])
def test_a_job_that_cannot_compose_stops_the_sweep_before_any_job_runs(tmp_path: Path, launcher: str) -> None:
    """Hydra's basic sweeper composes every job before launching; the project's sweeper
    (hydra_plugins/community_batched_launcher/batched_sweeper.py) leaves that to the batched
    launcher, which composes every job in its workers before running any: either way the bad
    value stops the sweep with no job run, and only the batched launcher gets to start."""
    sweep = tmp_path / "sweep"
    proc = run_sweep(sweep, "days=20", "seed=0,1", "engine=vector", f"hydra/launcher={launcher}",
                     "seeding.seed_users=5,abc", expect_rc=1)
    log = proc.stdout + proc.stderr
    assert "seeding.seed_users=abc" in log
    assert not any(sweep.glob("*/status.json")), "no job ran"
    assert ("chunk(s) on" in log) == (launcher == "batched")
    assert "Joblib.Parallel" not in log
