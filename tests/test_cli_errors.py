"""Input errors in the main job: one clear line, before anything runs, nothing left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "experiments" / "run.py"


def run_main(*overrides: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true", "HYDRA_FULL_ERROR": "0"}
    return subprocess.run([sys.executable, str(RUN), *overrides], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def one_clear_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


# name -> (file content or a maker, the line number the message must name, or None)
BAD_EDGELISTS = {
    "missing": (None, None),
    "empty": (b"", None),
    "comments_only": (b"# nothing here\n\n", None),
    "malformed": (b"a b\nb c\nlonely\n", 3),
    "binary": (b"a b\n\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", 2),
    "directory": ("dir", None),
    "self_loops_only": (b"a a\nb b\n", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_EDGELISTS))
def test_bad_edgelist_fails_before_the_run(case: str, tmp_path: Path) -> None:
    content, lineno = BAD_EDGELISTS[case]
    path = tmp_path / f"{case}.txt"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    proc = run_main("network.initial=edgelist", f"network.edgelist={path}", "days=5", f"hydra.run.dir={out}",
                    cwd=tmp_path)
    line = one_clear_line(proc)
    assert str(path) in line
    if lineno is not None:
        assert f"line {lineno}" in line
    assert not out.exists(), "no run folder (and no status: failed) for an input error"


def test_config_error_leaves_no_run_folder(tmp_path: Path) -> None:
    out = tmp_path / "x"
    proc = run_main("ads.quota_per_day=-1", f"hydra.run.dir={out}", cwd=tmp_path)
    assert "ads.quota_per_day = -1 is out of range" in one_clear_line(proc)
    assert not out.exists()


def test_config_error_in_default_folder_leaves_nothing(tmp_path: Path) -> None:
    proc = run_main("ads.quota_per_day=-1", cwd=tmp_path)
    one_clear_line(proc)
    assert not list(tmp_path.rglob("run.log")) and not list(tmp_path.rglob(".hydra"))


@pytest.mark.parametrize("name", ["../../../escaped", "a/b", "..", "with space", ""])
def test_scenario_name_cannot_leave_the_outputs_folder(name: str, tmp_path: Path) -> None:
    cwd = tmp_path / "a" / "b" / "c"
    cwd.mkdir(parents=True)
    proc = run_main(f"scenario.name={name}", "days=5", cwd=cwd)
    assert "scenario.name" in one_clear_line(proc)
    made = [p for p in tmp_path.rglob("*") if p.is_dir() and p not in (cwd.parent.parent, cwd.parent, cwd)]
    assert made == [], f"created {made}"


def test_memory_estimate_is_stated() -> None:
    from experiments.callbacks import MEMORY_WARN_BYTES, estimate_memory, memory_check
    from analysis.compose import load_params

    small = load_params([])
    assert estimate_memory(small) < MEMORY_WARN_BYTES
    assert memory_check(small) is None
    huge = load_params(["arrivals.cap=1000000", "seeding.seed_users=999999", "days=2"])
    assert estimate_memory(huge) > 2e9  # measured: 2.9 GB
    level, message = memory_check(huge, total_memory=24 * 2**30)
    assert level == "warn" and "GB" in message and "1,000,000" in message
    level, message = memory_check(huge, total_memory=2 * 2**30)
    assert level == "refuse" and "GB" in message


def test_huge_run_warns_with_the_estimate_before_it_starts(tmp_path: Path) -> None:
    env = {**os.environ, "CI": "true", "HYDRA_FULL_ERROR": "0"}
    proc = subprocess.Popen([sys.executable, str(RUN), "arrivals.cap=1000000", "seeding.seed_users=999999", "days=2",
                             f"hydra.run.dir={tmp_path / 'out'}"], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line or "memory" in line.lower():
                break
        assert "memory" in line.lower() and "GB" in line, line
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("typo", ["+hydra.launcher.n_jobz=4", "+hydra.jobb.name=x", "+hydra.run.dirr=y"])
def test_hydra_key_typos_are_refused(typo: str, tmp_path: Path) -> None:
    proc = run_main(typo, "days=5", f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path)
    line = one_clear_line(proc)
    assert typo.split("=")[0].lstrip("+") in line
    assert not (tmp_path / "out").exists()


def test_open_hydra_settings_may_still_be_added() -> None:
    from experiments.callbacks import unknown_hydra_keys
    from omegaconf import OmegaConf
    from hydra.conf import HydraConf

    hydra_cfg = OmegaConf.structured(HydraConf)
    with __import__("omegaconf").open_dict(hydra_cfg):
        hydra_cfg.callbacks = {"sweep_report": {"_target_": "x", "constraints": {"ads_visible": {"max": 500}}}}
        hydra_cfg.job.env_set = {"FOO": "1"}
    ok = ["+hydra.callbacks.sweep_report.constraints.ads_visible={max: 500}", "+hydra.job.env_set.FOO=1"]
    assert unknown_hydra_keys(hydra_cfg, ok) == []
    assert unknown_hydra_keys(hydra_cfg, ["+hydra.jobb.name=x"]) == ["hydra.jobb.name"]


def test_rerun_into_a_used_folder_names_only_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_main("scenario=kol_exodus", "days=10", f"hydra.run.dir={out}", cwd=tmp_path)
    assert first.returncode == 0 and (out / "report.html").exists()
    second = run_main("scenario=typical_group", "days=10", "report=false", f"hydra.run.dir={out}", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "report.html" not in second.stdout
    assert not (out / "report.html").exists(), "the old scenario's report is gone"


# -- starting states, timelines and sweeps: the same one line, exit status 2, no folder ------

def refused(proc: subprocess.CompletedProcess) -> str:
    """An input error as the main job reports it: one line, exit status 2."""
    line = one_clear_line(proc)
    assert proc.returncode == 2, (proc.returncode, line)
    assert line.startswith("Configuration error: ")
    return line


@pytest.mark.parametrize(("text", "message"), [
    ("members:\n  - {role: lurker, count: -3}\n", "members[0]: count = -3: expected a whole number >= 0"),
    ("members:\n  - {role: lurker, count: 2, tenure_days: -5}\n", "tenure_days = -5 is out of range"),
    ("members: [ {role: lurker, count: 3\n", "not YAML (line 2"),
    ("founder: {energy: 2}\nmembers:\n  - {role: lurker, count: 2}\n", "founder: energy = 2 is out of range"),
])
def test_a_bad_description_is_one_line_and_no_folder(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mygroup.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    line = refused(run_main(f"start.description={path}", "days=20", f"hydra.run.dir={out}", cwd=tmp_path))
    assert f"start.description = {path}" in line and message in line
    assert not out.exists()


def test_an_inline_timeline_is_one_line_naming_the_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    line = refused(run_main("timeline=[{day:10,set:{ads.policy:ban}}]", "days=20", f"hydra.run.dir={out}",
                            cwd=tmp_path))
    assert "timeline= names a file of configs/timeline/" in line and "application_review" in line
    assert not out.exists()


@pytest.fixture(scope="module")
def day30_snapshot(tmp_path_factory) -> tuple[Path, int]:
    """A typical group's snapshot on day 30, and its members that day (founder included)."""
    from analysis.files import write_atomic
    from sim import Params, simulate, snapshot

    result = simulate(Params(seed=3, days=30))
    path = tmp_path_factory.mktemp("snap") / "snapshot.pkl"
    write_atomic(path, snapshot.dumps(result.model))
    return path, len(result.model.agents)


def test_a_cap_below_a_snapshots_members_is_refused(tmp_path: Path, day30_snapshot) -> None:
    path, members = day30_snapshot
    out = tmp_path / "out"
    line = refused(run_main(f"start.snapshot={path}", f"arrivals.cap={members - 1}", "days=40",
                            f"hydra.run.dir={out}", cwd=tmp_path))
    assert f"arrivals.cap = {members - 1} is below the snapshot's {members} members" in line
    assert f"allowed at least {members}" in line and not out.exists()


@pytest.mark.parametrize("start", ["new", "snapshot"])
def test_switch_day_0_is_today(tmp_path: Path, day30_snapshot, start: str) -> None:
    """``switch_day=0``: the switch on the first day the run simulates (day 1, or the day
    after the snapshot's), not an error."""
    path, _ = day30_snapshot
    first = 1 if start == "new" else 31
    out = tmp_path / "out"
    proc = run_main("timeline=application_review", "switch_day=0", "days=40", "report=false", "snapshot=false",
                    *([f"start.snapshot={path}"] if start == "snapshot" else []), f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"{first},Strategy change: strategy/entry=application" in (out / "events.csv").read_text()


def test_a_bad_arm_stops_the_sweep_before_any_job(tmp_path: Path, day30_snapshot) -> None:
    """A switch day before the snapshot's day (the past) in one arm of a sweep: refused before
    the first job, one line naming the job, no folder; ``0`` (today) in the same sweep is fine."""
    path, _ = day30_snapshot
    sweep = tmp_path / "sweep"
    proc = subprocess.run([sys.executable, str(RUN), "-m", f"start.snapshot={path}", "days=40", "report=false",
                           "timeline=application_review", "switch_day=-1,0,10", "seed=0,1",
                           f"hydra.sweep.dir={sweep}"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CI": "true", "HYDRA_FULL_ERROR": "0"})
    line = refused(proc)
    assert "switch_day=10" in line and "not after the snapshot's day 30" in line and "no job was run" in line
    assert not sweep.exists()
