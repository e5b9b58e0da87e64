"""One run inside a Hydra job folder: status, resume and failure capture.

A sweep must never lose finished work (PITFALLS: Hydra has no resume, and shows only the
first error, late). So each job records ``status.json`` in its own folder — ``running``
(with the process id and host, so a collect can tell a job killed mid-run), then ``ok``,
``failed`` with the error and traceback, or ``interrupted`` (Ctrl-C, SIGTERM) — and a job
whose folder already holds ``status ok``, ``metrics.json`` and the same overrides is skipped
when the sweep is run again into the same folder (``hydra.sweep.dir=<it>``).

Sweep workers also watch their parent (:func:`watch_parent`): when the sweep's main process
dies, even by SIGKILL, they exit instead of running on as orphans.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.files import write_json
from experiments.outputs import RUN_FILES

# Set by experiments/run.py in the sweep's main process (sweep_owner_tag); inherited by its workers.
SWEEP_PID_ENV = "COMMUNITY_SWEEP_PID"
_watching = False
#: Jobs simulated ahead by ``hydra/launcher=batched`` (hydra_plugins/community_batched_launcher/),
#: by job number, in the process that runs the jobs: ``(params, result)``; job ``n``'s task takes
#: its own, and with it the parameters the launcher already composed and checked from the same
#: config (composing them again took ~10 % of running a job, measured side by side).
PREPARED: dict[int, tuple[Any, Any]] = {}


def expands_like_basic_sweeper(target: str) -> bool:
    """Whether the sweeper ``target`` (``hydra.sweeper._target_``) lists its jobs as Hydra's
    basic sweeper does: it or a subclass (the project's default,
    ``hydra_plugins/community_batched_launcher/batched_sweeper.py``). Those sweeps' jobs can be
    listed again from ``multirun.yaml`` (collect) and are the same sweep whichever of them ran."""
    import importlib

    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    module, _, name = target.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError):  # an uninstalled or unknown sweeper: not basic
        return False
    return isinstance(cls, type) and issubclass(cls, BasicSweeper)


def take_prepared(job_num: int) -> tuple[Any, Any] | None:
    """``(params, result)`` simulated ahead for job ``job_num`` (once), or None: simulate it yourself."""
    return PREPARED.pop(job_num, None)


def process_start(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (clock ticks since boot), or None: with the pid it
    names one process, even after the pid is reused."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def process_alive(pid: int, started: str | None = None) -> bool:
    """Whether the process that recorded (pid, start time) still runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    if started is not None and process_start(pid) not in (None, started):
        return False  # the pid was reused by another process
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def sweep_owner_tag(pid: int | None = None) -> str:
    """``host/pid/start``: names the sweep's main process unambiguously for its workers."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}/{pid}/{process_start(pid)}"


def watch_parent(poll_seconds: float = 0.5) -> None:
    """In a sweep worker: exit as soon as the sweep's main process is gone.

    loky (the joblib launcher) keeps idle workers for minutes and does not stop them when
    the sweep's process is killed; they would be re-parented to PID 1 and hold their memory.
    A daemon thread polls the main process named in ``COMMUNITY_SWEEP_PID`` (host, pid and
    start time, so a reused pid does not pass for it) and ends this process when it is gone.
    It watches that process, not ``os.getppid()``: a worker still unpickling its first job
    when the sweep is killed would otherwise record PID 1 as its parent and never exit
    (seen in CI under load). Started once per process, only below a sweep on this host.
    """
    global _watching
    tag = os.environ.get(SWEEP_PID_ENV, "")
    try:
        host, pid_text, started = tag.split("/")
        owner = int(pid_text)
    except ValueError:
        return  # not below a sweep started by experiments/run.py
    if _watching or owner == os.getpid() or host != socket.gethostname():
        return  # the sweep itself, or a worker on another machine (Ray): nothing to watch here
    started_or_none = None if started == "None" else started

    def watch() -> None:
        while process_alive(owner, started_or_none):
            time.sleep(poll_seconds)
        os._exit(143)  # like SIGTERM: the sweep is gone, nobody will read our result

    threading.Thread(target=watch, name="watch-sweep-parent", daemon=True).start()
    _watching = True


def is_done(out_dir: Path, overrides: list[str] | None = None) -> bool:
    """Finished here before, with the same settings (when ``overrides`` is given).

    Job folders are named by job number, and numbers follow the sweep's expansion order:
    a re-run with a changed sweep (another seed list, another arm) maps different settings
    onto an old folder. Comparing overrides keeps such a folder from passing for done.
    """
    try:
        status = json.loads((out_dir / "status.json").read_text())
        json.loads((out_dir / "metrics.json").read_text())  # complete, not just present
    except (OSError, ValueError):
        return False
    same = overrides is None or sorted(status.get("overrides") or []) == sorted(overrides)
    return status.get("status") == "ok" and same


def run_job(out_dir: Path, overrides: list[str], task: Callable[[], dict[str, Any]], *,
            swallow_errors: bool) -> dict[str, Any] | None:
    """Run ``task`` once for this folder. In a sweep (``swallow_errors``) a failure is
    recorded and returns None so the other jobs go on; in a single run it re-raises."""
    if swallow_errors:
        watch_parent()
    if is_done(out_dir, overrides):
        print(f"[skip] {out_dir} already finished (resume)")
        return json.loads((out_dir / "metrics.json").read_text())
    started = time.perf_counter()
    pid = os.getpid()
    status: dict[str, Any] = {"status": "running", "error": None, "traceback": None,
                              "overrides": overrides, "wall_seconds": None,
                              "pid": pid, "host": socket.gethostname(), "process_start": process_start(pid)}
    write_json(out_dir / "status.json", status)
    # A stale result from another run that had this folder must not pass for ours.
    for name in RUN_FILES:
        (out_dir / name).unlink(missing_ok=True)
    try:
        metrics = task()
    except Exception as exc:  # noqa: BLE001 - recorded, not hidden
        status.update(status="failed", error=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc(),
                      wall_seconds=time.perf_counter() - started)
        write_json(out_dir / "status.json", status)
        if not swallow_errors:
            raise
        print(f"[failed] {out_dir}: {status['error']}")
        return None
    except BaseException as exc:  # Ctrl-C, SIGTERM (run.py turns it into KeyboardInterrupt), exit
        status.update(status="interrupted", error=f"interrupted ({type(exc).__name__})",
                      wall_seconds=time.perf_counter() - started)
        write_json(out_dir / "status.json", status)
        raise
    status.update(status="ok", wall_seconds=time.perf_counter() - started)
    write_json(out_dir / "status.json", status)
    return metrics
