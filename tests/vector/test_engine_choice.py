"""Choosing the engine (issue 14): the config key, the ensemble runner, the main job.

The key ``engine=mesa|vector`` (configs/engine/, Params.engine) and ``engine.device``; the
ensemble runner's ``engine="vector"`` batches (analysis/ensemble.py) with the same table as
Mesa's and failures found run by run; the main job's files with ``engine=vector``.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import ensemble
from analysis.compose import load_params
from analysis.ensemble import ENSEMBLE_ENGINE, ENGINES, batches, run_ensemble
from sim import CommunityModel, ParamError, run, simulate
from sim.params import Params, validate
from tests.conftest import make_params

ROOT = Path(__file__).resolve().parents[2]
SHORT = ["scenario=typical_group", "days=30"]


# -- the config key ------------------------------------------------------------------------------
def test_engine_key_composes() -> None:
    assert load_params([]).engine.name == "mesa" and load_params([]).engine.device == "cpu"
    p = load_params(["engine=vector", "seed=3"])
    assert p.engine.name == "vector" and p.engine.device == "cpu" and p.seed == 3
    assert load_params(["engine=vector", "engine.device=cuda"]).engine.device == "cuda"
    assert load_params(["engine=vector", "engine.device=torch-cpu"]).engine.device == "torch-cpu"


@pytest.mark.parametrize("overrides, fragment", [
    (["engine.name=gpu"], "engine.name = 'gpu': allowed mesa, vector"),
    (["engine=vector", "engine.device=tpu"], "engine.device = 'tpu': allowed cpu, cuda, torch-cpu"),
    (["engine.device=cuda"], "engine.device = 'cuda' needs engine.name = vector"),
    (["engine.device=torch-cpu"], "engine.device = 'torch-cpu' needs engine.name = vector"),
])
def test_a_bad_engine_names_the_key(overrides, fragment) -> None:
    with pytest.raises(ParamError, match=fragment.replace(".", r"\.")):
        load_params(overrides)


def test_an_unknown_engine_group_lists_the_engines() -> None:
    with pytest.raises(Exception, match=r"engine/gpu[\s\S]*mesa[\s\S]*vector"):
        load_params(["engine=gpu"])


def test_validate_checks_the_engine_of_plain_params() -> None:
    with pytest.raises(ParamError, match="engine.name"):
        validate(make_params(engine={"name": "numpy"}))


def test_the_engine_is_no_model_parameter() -> None:
    """Not in the parameter table or a snapshot's keys, not changeable by a timeline, and the
    Mesa model ignores it: the same run either way (the engine is chosen by ``sim.run``)."""
    from sim.params import apply_change, describe

    assert not [r for r in describe() if r["key"].startswith("engine")]
    with pytest.raises(ParamError, match="unknown key engine.name"):
        apply_change(Params(), {"engine.name": "vector"})

    def mesa_rows(p: Params) -> list[dict]:
        model = CommunityModel(p)
        while model.running:
            model.step()
        return model.observer.rows

    assert mesa_rows(make_params(days=30, seed=4)) == mesa_rows(make_params(days=30, seed=4, engine={"name": "vector"}))


def test_run_honours_the_engine() -> None:
    """``sim.run`` (``sim.simulate`` is the same function) runs the engine ``params.engine``
    names: the Mesa model, or the vector engine's result exactly as ``simulate_batch`` gives it.
    A list runs each group on its own engine, in order, the vector ones as one batch."""
    from sim.vector import simulate_batch

    on_mesa, on_vector = make_params(days=30, seed=4), make_params(days=30, seed=4, engine={"name": "vector"})
    mesa, vector = run(on_mesa), run(on_vector)
    assert simulate is run
    assert mesa.model is not None and vector.model is None
    direct = simulate_batch([on_vector])[0]
    assert list(vector.rows) == list(direct.rows) and vector.outcomes == direct.outcomes
    assert list(vector.member_rows()) == list(direct.member_rows()) and vector.events == direct.events
    assert list(vector.rows) != mesa.rows, "the engines draw different numbers: the vector engine did not run"
    other = make_params(days=30, seed=5, engine={"name": "vector"})
    mixed = run([on_vector, on_mesa, other])
    assert [r.model is None for r in mixed] == [True, False, True]
    assert list(mixed[0].rows) == list(vector.rows) and mixed[1].rows == mesa.rows
    assert list(mixed[2].rows) == list(run(other).rows)
    with pytest.raises(ValueError, match="on_day"):
        run(on_vector, on_day=lambda model: None)


def test_importing_sim_loads_no_vector_engine() -> None:
    """A Mesa run (the classroom page, the main job) does not pay for the vector engine's imports."""
    code = "import sys, sim; print(sorted(m for m in sys.modules if m.startswith('sim.vector')))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_ensemble_default_engine_is_the_one_constant() -> None:
    from analysis.calibration.fit import SimSetup

    assert ENSEMBLE_ENGINE in ENGINES and ENGINES == ("mesa", "vector")
    assert SimSetup().engine == ENSEMBLE_ENGINE


def test_batches_are_even_and_one_per_worker_at_least() -> None:
    assert batches(0, 2) == []
    assert [len(b) for b in batches(3, 8)] == [1, 1, 1]
    assert [len(b) for b in batches(60, 2)] == [30, 30]
    assert [len(b) for b in batches(1000, 2, 256)] == [250] * 4
    assert [i for b in batches(1001, 3, 100) for i in b] == list(range(1001))


# -- the ensemble runner with the vector engine ------------------------------------------------------
def test_vector_ensemble_gives_the_mesa_table(tmp_path) -> None:
    vec = run_ensemble([SHORT], seeds=[1, 2, 3], engine="vector", workers=2, cache_dir=tmp_path)
    mesa = run_ensemble([SHORT], seeds=[1], engine="mesa", workers=1)
    assert vec["status"].tolist() == ["ok"] * 3, vec["error"].tolist()
    assert vec["seed"].tolist() == [1, 2, 3] and (vec["wall_seconds"] > 0).all()
    assert list(vec.columns) == list(mesa.columns)
    assert len(list(tmp_path.glob("*.json"))) == 3
    again = run_ensemble([SHORT], seeds=[1, 2, 3], engine="vector", workers=1, cache_dir=tmp_path)
    cols = ["overrides", "lifespan_days", "peak_members", "messages_total"]
    assert again[cols].equals(vec[cols])


def test_a_run_the_engine_refuses_fails_alone(tmp_path) -> None:
    """A start from a description composes (the file is read when the group is founded) but
    this one names a role that does not exist: its batch raises, and the runner finds that
    run and keeps the others."""
    described = tmp_path / "group.yaml"
    described.write_text("members:\n  - {role: wizard, count: 5, tenure_days: 30}\n")
    sets = [SHORT, [*SHORT, f"start.description={described}"], SHORT]
    table = run_ensemble(sets, seeds=[5], engine="vector", workers=1)
    assert table["status"].tolist() == ["ok", "failed", "ok"], table["error"].tolist()
    assert "group.yaml" in table.loc[1, "error"] and "wizard" in table.loc[1, "error"]
    assert table.loc[0, "messages_total"] == table.loc[2, "messages_total"]


def test_a_batch_that_crashes_loses_only_the_crashing_run(monkeypatch) -> None:
    """A crash mid-batch (not a refused setting): the batch is split until the run is alone."""
    import sim.vector

    real = sim.vector.simulate_batch
    sizes = []

    def crash_on_seed_13(params_list, device="cpu"):
        sizes.append(len(params_list))
        if any(p.seed == 13 for p in params_list):
            raise FloatingPointError("seed 13 blew up")
        return real(params_list, device=device)

    monkeypatch.setattr(sim.vector, "simulate_batch", crash_on_seed_13)
    table = run_ensemble([["days=10"]], seeds=range(10, 16), engine="vector", workers=1)
    assert table["status"].tolist() == ["ok", "ok", "ok", "failed", "ok", "ok"]
    assert "seed 13 blew up" in table.loc[3, "error"]
    assert sizes[0] == 6 and max(sizes[1:]) < 6


def test_a_measure_receives_the_vector_result() -> None:
    table = run_ensemble([SHORT], seeds=[2], engine="vector", workers=1, measure=member_count)
    assert table.loc[0, "status"] == "ok", table.loc[0, "error"]
    assert table.loc[0, "members_ever_listed"] == table.loc[0, "members_ever"]


def member_count(result) -> dict:
    assert result.model is None
    return {"members_ever_listed": len(result.members)}


def test_module_default_switches_every_ensemble(monkeypatch) -> None:
    monkeypatch.setattr(ensemble, "ENSEMBLE_ENGINE", "vector")
    table = run_ensemble([SHORT], seeds=[1], workers=1, measure=member_count)
    assert table.loc[0, "status"] == "ok", table.loc[0, "error"]


# -- the main job ------------------------------------------------------------------------------------
def run_main(*overrides: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true", "HYDRA_FULL_ERROR": "0"}
    return subprocess.run([sys.executable, str(ROOT / "experiments" / "run.py"), *overrides], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_main_job_with_the_vector_engine_writes_every_file(tmp_path) -> None:
    out = tmp_path / "out"
    proc = run_main("engine=vector", "scenario=kol_exodus", "seed=7", "days=60", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("metrics.json", "timeseries.csv", "members.csv", "events.csv", "config.yaml", "report.html",
                 "status.json"):
        assert (out / name).is_file(), name
    assert not (out / "snapshot.pkl").exists(), "the vector engine writes no snapshot"
    assert "no snapshot.pkl" in proc.stdout + proc.stderr
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["scenario"] == "kol_exodus" and metrics["seed"] == 7
    days = list(csv.DictReader((out / "timeseries.csv").open()))
    members = list(csv.DictReader((out / "members.csv").open()))
    assert len(days) == metrics["days_run"]
    assert len(members) == metrics["members_ever"]
    assert int(days[-1]["members"]) == len([m for m in members if not m["leave_day"]])
    assert "name: vector" in (out / "config.yaml").read_text()
    assert "final phase" in proc.stdout


@pytest.mark.parametrize("setting, fragment", [
    ("snapshot_day=10", "snapshot_day = 10: the vector engine writes no snapshot"),
    ("snapshot=true", "snapshot = true: the vector engine writes no snapshot.pkl"),
])
def test_main_job_vector_refuses_what_it_lacks_before_running(tmp_path, setting, fragment) -> None:
    proc = run_main("engine=vector", setting, "days=30", f"hydra.run.dir={tmp_path / 'x'}", cwd=tmp_path)
    assert proc.returncode != 0 and fragment in proc.stderr
    assert not (tmp_path / "x").exists()
