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
