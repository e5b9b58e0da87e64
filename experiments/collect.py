"""Collect every job of a Hydra multirun into one table: ``results.csv`` + ``results.parquet``.

One row per job: ``job`` (Hydra job number), ``status``, ``error``, ``wall_seconds``,
``overrides`` (the job's override list, space-separated), one column per override (``ads.policy``, ``seed``, ...; prefixes ``+``/``~`` dropped), every run
outcome from ``metrics.json`` and ``job_dir``. Status is what the job recorded in
``status.json`` (``ok`` / ``failed`` / ``running`` / ``interrupted``), or

- ``interrupted``: also a ``running`` job whose process (pid + host in ``status.json``) is
  gone — killed mid-run; it is re-run on resume;

- ``missing``: the sweep planned this job but it never started (interrupted sweep), or its
  folder holds no status file;
- ``corrupt``: ``status.json`` says ok but ``metrics.json`` is unreadable.

Nothing is lost: failed and missing jobs keep their rows, so a strategist sees holes instead of
silently smaller ensembles. Re-runnable at any time, also while a sweep is still running:

    python experiments/collect.py multirun/2026-11-25_14-30-00_000000_ad_policy
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import socket
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python experiments/collect.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from typing import Any

import pandas as pd
import yaml

from analysis.ensemble import override_columns
from analysis.files import read_json as _read_json, write_atomic
from experiments.jobs import expands_like_basic_sweeper

log = logging.getLogger(__name__)

RESULTS_STEM = "results"
FIRST_COLUMNS = ["job", "status", "error", "wall_seconds", "overrides"]


def _read_overrides(job_dir: Path, status: dict | None) -> list[str]:
    try:
        overrides = yaml.safe_load((job_dir / ".hydra" / "overrides.yaml").read_text())
    except (OSError, yaml.YAMLError):
        overrides = None
    if not isinstance(overrides, list) and status:
        overrides = status.get("overrides")
    return [str(o) for o in overrides] if isinstance(overrides, list) else []


def planned_jobs(sweep_dir: Path) -> list[list[str]] | None:
    """The job list the basic sweeper expands from ``multirun.yaml``, in job-number order.

    Lets the table show jobs that never started (a killed sweep) as ``missing`` rows. Uses
    Hydra's own expansion so the numbering matches; None for sweepers that choose jobs on
    the fly (Optuna) or when the file is unreadable.
    """
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    try:
        master = OmegaConf.load(sweep_dir / "multirun.yaml")
        hydra_cfg = master.hydra
        if not expands_like_basic_sweeper(str(hydra_cfg.sweeper.get("_target_", ""))):
            return None
        params = hydra_cfg.sweeper.get("params") or {}
        args = [f"{k}={v}" for k, v in params.items()] + list(hydra_cfg.overrides.task)
        parsed = OverridesParser.create().parse_overrides(args)
        return BasicSweeper.split_arguments(parsed, None)[0]
    except Exception as exc:  # noqa: BLE001 - a sweep we cannot re-expand still gets collected
        log.debug("cannot expand planned jobs of %s: %s", sweep_dir, exc)
        return None


def report_settings(sweep_dir: Path) -> dict[str, Any]:
    """The sweep's ``hydra.callbacks.sweep_report`` options (question, outcome, ...), so the
    on-demand report matches the one the callback would have drawn. Read from
    ``multirun.yaml``, or from a job's ``.hydra/hydra.yaml`` (the Optuna sweeper writes no
    ``multirun.yaml``)."""
    candidates = [sweep_dir / "multirun.yaml", *sorted(sweep_dir.glob("*/.hydra/hydra.yaml"))[:1]]
    for path in candidates:
        try:
            cfg = yaml.safe_load(path.read_text())
            options = dict(cfg["hydra"]["callbacks"]["sweep_report"])
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue
        return {k: v for k, v in options.items() if k not in ("_target_", "score_jobs")}  # the rest: report options
    return {}


def _job_row(job: int, job_dir: Path | None, planned: list[str] | None) -> dict[str, Any]:
    status = _read_json(job_dir / "status.json") if job_dir else None
    overrides = _read_overrides(job_dir, status) if job_dir else []
    row: dict[str, Any] = {"job": job, "status": "missing", "error": None, "wall_seconds": None}
    overrides = overrides or planned or []
    # The raw override list keeps which columns are settings (vs outcomes) for the dashboard.
    row["overrides"] = " ".join(overrides)
    row.update(override_columns(overrides))
    if status:
        row["status"] = str(status.get("status") or "missing")
        row["error"] = status.get("error")
        row["wall_seconds"] = status.get("wall_seconds")
        if row["status"] == "running" and _process_gone(status):
            row["status"] = "interrupted"
            row["error"] = f"process {status['pid']} on {status['host']} is gone: killed mid-run"
    # Only a finished job's outcomes count: a failed or running one may sit on stale files.
    metrics = _read_json(job_dir / "metrics.json") if job_dir and row["status"] == "ok" else None
    if metrics:
        # Outcomes never overwrite the bookkeeping columns or the overrides.
        row.update({k: v for k, v in metrics.items() if k not in row})
    elif row["status"] == "ok":
        row["status"] = "corrupt"
        row["error"] = "status ok but metrics.json missing or unreadable"
    row["job_dir"] = str(job_dir) if job_dir else None
    return row


def _process_gone(status: dict) -> bool:
    """A ``running`` job whose recorded process no longer exists (only checkable on its host)."""
    from experiments.jobs import process_alive

    pid, host = status.get("pid"), status.get("host")
    if not isinstance(pid, int) or host != socket.gethostname():
        return False
    return not process_alive(pid, status.get("process_start"))


def _job_dirs(sweep_dir: Path) -> dict[int, Path]:
    """Job number -> job folder.

    Folders start with the Hydra job number (``hydra.sweep.subdir: ${hydra.job.num}``, or
    ``${hydra.job.num}_<overrides>``). An override like ``strategy/ad_policy=ban`` puts a
    ``/`` into such a name, so the job's files can sit one or more levels deeper: the job
    folder is the one holding ``.hydra`` or ``status.json``.
    """
    dirs = {}
    for top in sweep_dir.iterdir():
        match = re.match(r"(\d+)(?:_|$)", top.name)
        if not (match and top.is_dir()):
            continue
        marks = [p.parent for p in top.rglob("*") if p.name in (".hydra", "status.json")]
        dirs[int(match.group(1))] = min(marks, key=lambda p: len(p.parts)) if marks else top
    return dirs


def _typed(series: pd.Series) -> pd.Series:
    """Numeric when every present value is numeric, else text: parquet needs one type a column."""
    present = series.dropna()
    if present.map(lambda v: isinstance(v, bool)).all() and len(present):
        return series.astype("boolean")
    numeric = pd.to_numeric(present, errors="coerce")
    if numeric.notna().all():
        return pd.to_numeric(series, errors="coerce")
    return series.map(lambda v: None if v is None or v != v else str(v)).astype("string")


def collect(sweep_dir: str | os.PathLike) -> pd.DataFrame:
    """Build the table of all jobs in ``sweep_dir`` (planned, started and finished)."""
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.is_dir():
        raise FileNotFoundError(f"no sweep folder {sweep_dir}")
    dirs = _job_dirs(sweep_dir)
    planned = planned_jobs(sweep_dir) or []
    jobs = sorted(set(dirs) | set(range(len(planned))))
    rows = [
        _job_row(j, dirs.get(j), planned[j] if j < len(planned) else None) for j in jobs
    ]
    table = pd.DataFrame(rows, columns=None if rows else FIRST_COLUMNS + ["job_dir"])
    ordered = FIRST_COLUMNS + [c for c in table.columns if c not in FIRST_COLUMNS]
    return table[ordered].apply(_typed) if rows else table


def write_results(table: pd.DataFrame, sweep_dir: str | os.PathLike) -> tuple[Path, Path]:
    sweep_dir = Path(sweep_dir)
    csv_path = sweep_dir / f"{RESULTS_STEM}.csv"
    parquet_path = sweep_dir / f"{RESULTS_STEM}.parquet"
    write_atomic(csv_path, lambda tmp: table.to_csv(tmp, index=False))
    write_atomic(parquet_path, lambda tmp: table.to_parquet(tmp, index=False))
    return csv_path, parquet_path


def summary_line(table: pd.DataFrame) -> str:
    counts = table["status"].value_counts() if len(table) else pd.Series(dtype=int)
    parts = ", ".join(f"{n} {s}" for s, n in counts.items())
    return f"{len(table)} jobs: {parts or 'none'}"


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def problem_lines(table: pd.DataFrame, sweep_dir: str | os.PathLike) -> list[str]:
    """What a script or a person needs when not every job finished: how many, which, where
    the errors are. Jobs without an error of their own (missing, never started) share one
    line per status; the others get one line each with their error."""
    if not len(table):
        return []
    bad = table[table["status"] != "ok"]
    if not len(bad):
        return []
    failed = int((bad["status"] == "failed").sum())
    what = f"{failed} of {len(table)} jobs failed" if failed == len(bad) else f"{len(bad)} of {len(table)} jobs did not finish ok"
    lines = [f"{what}; errors in {Path(sweep_dir) / RESULTS_STEM}.csv and each job's status.json under {sweep_dir}"]
    # One line per status and error, with the job numbers: 30 jobs failing the same way are
    # one line, not thirty.
    errors = bad["error"].astype("object").where(bad["error"].notna(), None)
    for (status, error), group in bad.groupby([bad["status"], errors.fillna("")], sort=False):
        jobs = sorted(int(j) for j in group["job"])
        who = f"job {jobs[0]}" if len(jobs) == 1 else f"{len(jobs)} jobs {_ranges(jobs)}"
        if not error and len(jobs) > 1:
            lines.append(f"  {len(jobs)} {status}: jobs {_ranges(jobs)}")
        else:
            lines.append(f"  {who}: {status}" + (f": {error}" if error else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 when every job finished ok, 1 otherwise (failed, interrupted, running,
    missing, corrupt), so a script or CI can tell a complete sweep from a partial one."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep_dir", type=Path, help="the multirun folder (hydra.sweep.dir)")
    parser.add_argument(
        "--no-report", action="store_true", help="only the table, skip sweep_report.html"
    )
    args = parser.parse_args(argv)
    table = collect(args.sweep_dir)
    csv_path, _ = write_results(table, args.sweep_dir)
    print(f"{summary_line(table)} -> {csv_path} (+ .parquet)")
    if not args.no_report:
        from dashboards.sweep_report import build_report

        report = build_report(table, args.sweep_dir, **report_settings(args.sweep_dir))
        print(f"dashboard -> {report}")
    problems = problem_lines(table, args.sweep_dir)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
