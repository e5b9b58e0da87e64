"""One run inside a Hydra job folder: status, resume and failure capture.

A sweep must never lose finished work (PITFALLS: Hydra has no resume, and shows only the
first error, late). So each job records ``status.json`` in its own folder — ``running``,
then ``ok`` or ``failed`` with the error and traceback — and a job whose folder already
holds ``status ok`` and ``metrics.json`` is skipped when the sweep is run again.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from experiments.outputs import write_json


def is_done(out_dir: Path) -> bool:
    try:
        status = json.loads((out_dir / "status.json").read_text())
    except (OSError, ValueError):
        return False
    return status.get("status") == "ok" and (out_dir / "metrics.json").is_file()


def run_job(out_dir: Path, overrides: list[str], task: Callable[[], dict[str, Any]], *,
            swallow_errors: bool) -> dict[str, Any] | None:
    """Run ``task`` once for this folder. In a sweep (``swallow_errors``) a failure is
    recorded and returns None so the other jobs go on; in a single run it re-raises."""
    if is_done(out_dir):
        print(f"[skip] {out_dir} already finished (resume)")
        return json.loads((out_dir / "metrics.json").read_text())
    started = time.perf_counter()
    status: dict[str, Any] = {"status": "running", "error": None, "traceback": None,
                              "overrides": overrides, "wall_seconds": None}
    write_json(out_dir / "status.json", status)
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
