"""The one ensemble runner: (engine, override sets, seeds, workers) -> a tidy table.

One row per run: ``run`` (position), ``overrides`` (space-separated), one column per
override key (``ads.policy``, ``seed``, ...), ``status`` (``ok`` / ``failed``), ``error``,
``wall_seconds``, every run outcome (sim/observe.py) and whatever a ``measure`` function
adds. Hydra multiruns build the same table from their job folders
(``experiments/collect.py`` through :func:`tidy_row`), so a sweep from the command line
and an ensemble from Python are read by the same code.

Failures are recorded, not raised: a crashing run gets ``status = failed`` and its error,
the others go on. With ``cache_dir`` the ensemble is resumable: each finished run is stored
there (atomically) under a hash of its settings, and a re-run reads it instead of
simulating again. The engine is chosen here and nowhere else (``engine="mesa"``, the
readable reference; the batched array engine will plug in here).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.files import read_json, write_json

ENGINES = ("mesa",)
FIRST_COLUMNS = ["run", "status", "error", "wall_seconds", "overrides"]

Measure = Callable[[Any], dict[str, Any]]


def _scalar(text: str) -> Any:
    """An override's value as Hydra would read it: ``True``/``false`` -> bool, ``3`` -> int."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip("'\"")


def override_columns(overrides: Iterable[str]) -> dict[str, Any]:
    """``["+a.b=1", "x=q"]`` -> ``{"a.b": 1, "x": "q"}``; deletions (``~key``) are skipped."""
    cols = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or key.startswith("~"):
            continue
        cols[key.lstrip("+")] = _scalar(value)
    return cols


def tidy_row(overrides: Sequence[str], status: str, error: str | None, wall_seconds: float | None,
             outcomes: dict[str, Any] | None) -> dict[str, Any]:
    """One run as a row of the tidy table (shared by this runner and experiments/collect.py).
    Outcomes never overwrite the bookkeeping columns or the override columns."""
    row: dict[str, Any] = {"status": status, "error": error, "wall_seconds": wall_seconds,
                           "overrides": " ".join(overrides)}
    row.update(override_columns(overrides))
    row.update({k: v for k, v in (outcomes or {}).items() if k not in row})
    return row


def run_one(overrides: Sequence[str], engine: str = "mesa", measure: Measure | None = None) -> dict[str, Any]:
    """Simulate one run; returns its tidy row (a failure becomes ``status = failed``)."""
    from analysis.compose import load_params
    from sim import simulate

    logging.getLogger("MESA").setLevel(logging.WARNING)
    started = time.perf_counter()
    try:
        if engine not in ENGINES:
            raise ValueError(f"engine = {engine!r}: allowed {', '.join(ENGINES)}")
        result = simulate(load_params(list(overrides)))
        values = dict(result.outcomes)
        if measure is not None:
            values.update(measure(result))
    except Exception as exc:  # noqa: BLE001 - recorded in the table, the ensemble goes on
        return tidy_row(overrides, "failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}",
                        time.perf_counter() - started, None)
    return tidy_row(overrides, "ok", None, time.perf_counter() - started, values)


def _cache_path(cache_dir: Path, overrides: Sequence[str], engine: str, measure: Measure | None) -> Path:
    key = json.dumps([engine, list(overrides), getattr(measure, "__qualname__", None)])
    return cache_dir / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.json"


def _cached_run(overrides: tuple[str, ...], engine: str, measure: Measure | None, cache_dir: str | None) -> dict:
    if cache_dir is None:
        return run_one(overrides, engine, measure)
    path = _cache_path(Path(cache_dir), overrides, engine, measure)
    row = read_json(path)
    if row is not None and row.get("status") == "ok":
        return row
    row = run_one(overrides, engine, measure)
    if row["status"] == "ok":
        write_json(path, row)
    return row


def default_workers() -> int:
    return int(os.environ.get("ENSEMBLE_WORKERS", os.cpu_count() or 1))


def jobs_for(override_sets: Iterable[Sequence[str]], seeds: Iterable[int] | None) -> list[tuple[str, ...]]:
    """Every override set × every seed (``seed=<s>`` appended); ``seeds=None`` keeps the sets as given."""
    sets = [tuple(o) for o in override_sets]
    if seeds is None:
        return sets
    return [(*o, f"seed={s}") for o in sets for s in seeds]


def run_ensemble(override_sets: Iterable[Sequence[str]], seeds: Iterable[int] | None = None, *,
                 engine: str = "mesa", workers: int | None = None, measure: Measure | None = None,
                 cache_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Run every override set for every seed, in parallel (joblib); the tidy table, in job order.

    ``measure(result) -> dict`` adds run-specific measurements (it runs in the worker, so
    only its small output crosses processes; a module-level function keeps the cache key
    stable). ``workers`` defaults to ``$ENSEMBLE_WORKERS`` or one per core.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine = {engine!r}: allowed {', '.join(ENGINES)}")
    jobs = jobs_for(override_sets, seeds)
    workers = workers or default_workers()
    cache = None if cache_dir is None else str(Path(cache_dir))
    if workers <= 1 or len(jobs) <= 1:
        rows = [_cached_run(j, engine, measure, cache) for j in jobs]
    else:
        from joblib import Parallel, delayed

        rows = Parallel(n_jobs=min(workers, len(jobs)))(delayed(_cached_run)(j, engine, measure, cache) for j in jobs)
    table = pd.DataFrame([{"run": i, **r} for i, r in enumerate(rows)])
    return table[[*FIRST_COLUMNS, *[c for c in table.columns if c not in FIRST_COLUMNS]]]


def failures(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of runs that did not finish."""
    return table[table["status"] != "ok"]


def ok_runs(table: pd.DataFrame, *, strict: bool = True) -> pd.DataFrame:
    """The finished runs; with ``strict`` a failed run raises with its error (a validation
    or a test must not quietly shrink its ensemble)."""
    bad = failures(table)
    if strict and len(bad):
        first = bad.iloc[0]
        raise RuntimeError(f"{len(bad)} of {len(table)} runs failed; first ({first['overrides']}): {first['error']}")
    return table[table["status"] == "ok"]
