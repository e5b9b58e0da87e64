"""What a script or CI relies on: exit codes, no orphaned workers, no mixed-up sweep folders."""

from __future__ import annotations

import json
import re
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from experiments.collect import collect, main as collect_main
from tests.sweeps.helpers import RUN, results, run_sweep

BASIC = "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"


def _hand_made(tmp_path: Path, n_planned: int, statuses: dict[int, dict]) -> Path:
    sweep = tmp_path / "sweep"
    sweep.mkdir(parents=True)
    master = {"hydra": {"sweeper": {"_target_": BASIC, "params": {}},
                        "overrides": {"task": [f"seed=range({n_planned})"]}}}
    (sweep / "multirun.yaml").write_text(yaml.safe_dump(master))
    for job, status in statuses.items():
        d = sweep / str(job)
        d.mkdir()
        (d / "status.json").write_text(json.dumps({"overrides": [f"seed={job}"], "error": None, **status}))
        if status["status"] == "ok":
            (d / "metrics.json").write_text(json.dumps({"lifespan_days": 9}))
    return sweep


def test_collect_exits_zero_only_when_every_job_finished(tmp_path: Path, capsys) -> None:
    done = _hand_made(tmp_path / "a", 2, {0: {"status": "ok"}, 1: {"status": "ok"}})
    assert collect_main([str(done), "--no-report"]) == 0
    failed = _hand_made(tmp_path / "b", 3, {0: {"status": "ok"}, 1: {"status": "failed", "error": "E: x"},
                                            2: {"status": "ok"}})
    assert collect_main([str(failed), "--no-report"]) == 1
    err = capsys.readouterr().err
    assert "1 of 3 jobs" in err and "status.json" in err and str(failed) in err


def test_missing_jobs_are_summarised_in_one_line(tmp_path: Path, capsys) -> None:
    sweep = _hand_made(tmp_path, 40, {0: {"status": "ok"}})
    assert collect_main([str(sweep), "--no-report"]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    lines = [line for line in text.splitlines() if re.search(r"\bmissing\b", line)]
    assert len(lines) <= 2, text  # the summary line and one line for all missing jobs
    assert "39 missing" in text and "1-39" in text


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_running_job_whose_process_is_gone_is_interrupted(tmp_path: Path) -> None:
    host = socket.gethostname()
    sweep = _hand_made(tmp_path, 3, {
        0: {"status": "running", "pid": _dead_pid(), "host": host},
        1: {"status": "running", "pid": os.getpid(), "host": host},  # alive: still running
        2: {"status": "running", "pid": _dead_pid(), "host": "another-host"},  # cannot tell from here
    })
    table = collect(sweep).set_index("job")
    assert table.loc[0, "status"] == "interrupted" and "gone" in table.loc[0, "error"]
    assert table.loc[1, "status"] == "running"
    assert table.loc[2, "status"] == "running"


def test_job_interrupted_in_process_records_it(tmp_path: Path) -> None:
    from experiments.jobs import run_job

    def task() -> dict:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_job(tmp_path, ["seed=0"], task, swallow_errors=True)
    status = json.loads((tmp_path / "status.json").read_text())
    assert status["status"] == "interrupted" and status["pid"] == os.getpid()


def _worker_below(owner_tag: str) -> subprocess.Popen:
    """A process that behaves like a sweep worker starting its first job below ``owner_tag``."""
    code = "import time; from experiments.jobs import watch_parent; watch_parent(0.1); time.sleep(30)"
    return subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).parents[2],
                            env={**os.environ, "COMMUNITY_SWEEP_PID": owner_tag})


def test_worker_whose_sweep_died_before_its_first_job_exits() -> None:
    """The race seen in CI: the sweep was killed while a worker was still unpickling its first
    job, so the worker's parent was already PID 1 when it started watching."""
    from experiments.jobs import sweep_owner_tag

    gone = _worker_below(sweep_owner_tag(_dead_pid()))
    assert gone.wait(timeout=15) == 143
    alive = _worker_below(sweep_owner_tag())  # this test process plays the live sweep
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            alive.wait(timeout=3)
    finally:
        alive.kill()
        alive.wait()


def _sweep_cmd(sweep: Path, *overrides: str) -> list[str]:
    return [sys.executable, str(RUN), "-m", *overrides, f"hydra.sweep.dir={sweep}"]


ENV = {**os.environ, "CI": "1", "HYDRA_FULL_ERROR": "0"}


@pytest.mark.slow
def test_sweep_with_failed_jobs_exits_nonzero(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    proc = subprocess.run(_sweep_cmd(sweep, "days=5", "seed=0", "debug_fail=false,true"), cwd=tmp_path, env=ENV,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 1, proc.stderr[-3000:]
    text = proc.stdout + proc.stderr
    assert "1 of 2 jobs failed" in text and "status.json" in text
    ok = run_sweep(tmp_path / "ok", "days=5", "seed=0,1")  # all finished: exit 0 (run_sweep checks)
    assert ok.returncode == 0


@pytest.mark.slow
def test_different_sweep_into_a_used_folder_is_refused(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    run_sweep(sweep, "days=5", "seed=0,1")
    before = (sweep / "results.csv").read_text()
    proc = subprocess.run(_sweep_cmd(sweep, "days=5", "seed=2,3,4"), cwd=tmp_path, env=ENV,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 2
    assert "different sweep" in proc.stderr and str(sweep) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (sweep / "results.csv").read_text() == before
    assert not (sweep / "2").exists()
    # The same sweep again is a resume, and still works.
    again = run_sweep(sweep, "seed=0,1", "days=5")
    assert again.stdout.count("[skip]") == 2
    assert len(results(sweep)) == 2


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_sweep_leaves_no_workers(sig: signal.Signals, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    proc = subprocess.Popen(_sweep_cmd(sweep, "days=365", "seed=range(6)", "hydra.launcher.n_jobs=2"),
                            cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(sweep.glob("*/status.json")):
            time.sleep(0.2)
        assert list(sweep.glob("*/status.json")), "no job started"
        time.sleep(1.0)
        workers = _descendants(proc.pid)
        assert workers, "the sweep runs its jobs in worker processes"
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.2)
        left = [p for p in workers if _alive(p)]
        assert left == [], f"orphaned workers: {left}"
    finally:
        for p in [proc.pid, *_descendants(proc.pid)]:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        proc.wait()
    table = collect(sweep)
    assert "running" not in set(table["status"]), table[["job", "status"]]
    assert "interrupted" in set(table["status"])
