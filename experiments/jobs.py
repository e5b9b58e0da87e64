"""One run inside a Hydra job folder: status, resume and failure capture.

A sweep must never lose finished work (PITFALLS: Hydra has no resume, and shows only the
first error, late). So each job records ``status.json`` in its own folder — ``running``,
then ``ok`` or ``failed`` with the error and traceback — and a job whose folder already
holds ``status ok``, ``metrics.json`` and the same overrides is skipped when the sweep is
run again into the same folder (``hydra.sweep.dir=<it>``).
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from experiments.outputs import write_json


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
    if is_done(out_dir, overrides):
        print(f"[skip] {out_dir} already finished (resume)")
        return json.loads((out_dir / "metrics.json").read_text())
    started = time.perf_counter()
    status: dict[str, Any] = {"status": "running", "error": None, "traceback": None,
                              "overrides": overrides, "wall_seconds": None}
    write_json(out_dir / "status.json", status)
    # A stale result from another job that had this folder must not pass for ours.
    (out_dir / "metrics.json").unlink(missing_ok=True)
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
    status.update(status="ok", wall_seconds=time.perf_counter() - started)
    write_json(out_dir / "status.json", status)
    return metrics
