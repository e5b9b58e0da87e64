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
simulating again.

The runner's ``engine`` is set on every job's Params (``params.engine``) and the runs go
through the one way to run, ``sim.run``; the runner only schedules them:

- ``"mesa"``: the readable agent-based reference (sim/model.py), one run per joblib task;
- ``"vector"``: the batched numpy engine (sim/vector/): the jobs are composed to Params in
  the workers and given to ``sim.run`` as lists (up to :data:`VECTOR_BATCH` runs, at least
  one batch per worker, one joblib process per batch); ``wall_seconds`` is the batch's time
  over its size. A batch that raises loses nothing: it is split in halves
  and rerun until every failing run is found alone and recorded (a run's result does not
  depend on its batch, sim/vector/rng.py, so the reruns give the same rows).

:data:`ENSEMBLE_ENGINE` is the default of :func:`run_ensemble`, and so of every ensemble
that does not name an engine: validation (analysis/facts.py, analysis/stories.py), the
sensitivity screening, recommendations, the R4DS comparison and the calibration
(``SimSetup.engine``, ``experiments/calibrate.py engine=``): all of them run on the vector
engine, which is equivalent to the Mesa engine in distribution (tests/vector/
test_equivalence.py) and several times faster per run in batches. The runner's engine
decides: an ``engine=`` override inside a job's overrides is not read by the ensemble.
Measures read ``result.rows``, ``result.events``, ``result.params`` and
``result.member_rows()``, the same on both engines; one that reads ``result.model`` (the
Mesa model object, None on the vector engine) must ask for ``engine="mesa"``. Jobs that
start from a snapshot or a description run on either engine.
"""

from __future__ import annotations

import dataclasses
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

ENGINES = ("mesa", "vector")
#: The engine of every ensemble that does not name one (see the module docstring).
ENSEMBLE_ENGINE = "vector"
#: The device of the vector engine's ensembles ("cuda" needs torch with a GPU).
ENSEMBLE_DEVICE = "cpu"
#: Most runs in one vector-engine batch on the CPU (near the best measured rate).
VECTOR_BATCH = 256
#: ... and on a GPU, where one process drives the device: a simulated day costs thousands of
#: kernel launches whatever the batch size (docs/vector_engine.md), so a batch should fill the
#: device (~1 MiB a community on the host; not yet measured on a GPU).
GPU_BATCH = 4096
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


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"engine = {engine!r}: allowed {', '.join(ENGINES)}")


def _failed(overrides: Sequence[str], exc: BaseException, seconds: float | None) -> dict[str, Any]:
    return tidy_row(overrides, "failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}",
                    seconds, None)


def _values(result: Any, measure: Measure | None) -> dict[str, Any]:
    values = dict(result.outcomes)
    if measure is not None:
        values.update(measure(result))
    return values


def _on(engine: str, params: Any, device: str = "cpu") -> Any:
    """``params`` to be run on the runner's engine (its own ``engine`` key is not read)."""
    from sim.params import Engine

    return dataclasses.replace(params, engine=Engine(name=engine, device=device))


def run_one(overrides: Sequence[str], engine: str | None = None, measure: Measure | None = None,
            device: str | None = None) -> dict[str, Any]:
    """Simulate one run; returns its tidy row (a failure becomes ``status = failed``).
    ``engine``/``device`` default to ENSEMBLE_ENGINE/ENSEMBLE_DEVICE; vector = a batch of one."""
    engine = ENSEMBLE_ENGINE if engine is None else engine
    if engine == "vector":
        return run_batch([tuple(overrides)], measure, device)[0]
    from analysis.compose import load_params
    from sim import run

    logging.getLogger("MESA").setLevel(logging.WARNING)
    started = time.perf_counter()
    try:
        _check_engine(engine)
        result = run(_on(engine, load_params(list(overrides))))
        values = _values(result, measure)
    except Exception as exc:  # noqa: BLE001 - recorded in the table, the ensemble goes on
        return _failed(overrides, exc, time.perf_counter() - started)
    return tidy_row(overrides, "ok", None, time.perf_counter() - started, values)


def run_batch(jobs: Sequence[Sequence[str]], measure: Measure | None = None,
              device: str | None = None) -> list[dict[str, Any]]:
    """Simulate ``jobs`` as one vector-engine batch; their tidy rows, in order. A job whose
    overrides do not compose fails alone; a batch that raises is halved and rerun until each
    failing run is found alone (recorded ``failed``), so the others keep their rows."""
    from analysis.compose import load_params

    device = ENSEMBLE_DEVICE if device is None else device
    rows: list[dict[str, Any] | None] = [None] * len(jobs)
    composed = []  # (position, overrides, params) of the jobs that compose
    for i, overrides in enumerate(jobs):
        started = time.perf_counter()
        try:
            composed.append((i, tuple(overrides), _on("vector", load_params(list(overrides)), device)))
        except Exception as exc:  # noqa: BLE001 - recorded, the batch goes on
            rows[i] = _failed(overrides, exc, time.perf_counter() - started)
    for i, row in _simulate_batch(composed, measure):
        rows[i] = row
    return rows  # type: ignore[return-value]


def _simulate_batch(batch: list[tuple[int, tuple[str, ...], Any]],
                    measure: Measure | None) -> list[tuple[int, dict[str, Any]]]:
    if not batch:
        return []
    from sim import run

    started = time.perf_counter()
    try:
        results = run([p for _, _, p in batch])
        if len(results) != len(batch):
            raise RuntimeError(f"sim.run returned {len(results)} results for {len(batch)} runs")
    except Exception as exc:  # noqa: BLE001 - find the failing run(s), keep the others
        if len(batch) == 1:
            i, overrides, _ = batch[0]
            return [(i, _failed(overrides, exc, time.perf_counter() - started))]
        half = len(batch) // 2
        return _simulate_batch(batch[:half], measure) + _simulate_batch(batch[half:], measure)
    seconds = (time.perf_counter() - started) / len(batch)
    out = []
    for (i, overrides, _), result in zip(batch, results):
        try:
            out.append((i, tidy_row(overrides, "ok", None, seconds, _values(result, measure))))
        except Exception as exc:  # noqa: BLE001 - a measure that fails on one run fails that run
            out.append((i, _failed(overrides, exc, seconds)))
    return out


def _cache_path(cache_dir: Path, overrides: Sequence[str], engine: str, measure: Measure | None,
                device: str = "cpu") -> Path:
    what = [engine, list(overrides), getattr(measure, "__qualname__", None)]
    if device != "cpu":  # the same rows either way, by design, but a GPU run is kept apart
        what.append(device)
    key = json.dumps(what)
    return cache_dir / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.json"


def _read_cache(path: Path) -> dict | None:
    row = read_json(path)
    return row if row is not None and row.get("status") == "ok" else None


def _cached_run(overrides: tuple[str, ...], engine: str, measure: Measure | None, cache_dir: str | None) -> dict:
    if cache_dir is None:
        return run_one(overrides, engine, measure)
    path = _cache_path(Path(cache_dir), overrides, engine, measure)
    row = _read_cache(path)
    if row is not None:
        return row
    row = run_one(overrides, engine, measure)
    if row["status"] == "ok":
        write_json(path, row)
    return row


def _cached_batch(jobs: list[tuple[str, ...]], measure: Measure | None, device: str,
                  cache_dir: str | None) -> list[dict]:
    """One vector batch, in a worker; each finished run is cached as it would be alone."""
    rows = run_batch(jobs, measure, device)
    if cache_dir is not None:
        for overrides, row in zip(jobs, rows):
            if row["status"] == "ok":
                write_json(_cache_path(Path(cache_dir), overrides, "vector", measure, device), row)
    return rows


def batches(n: int, workers: int, size: int = VECTOR_BATCH) -> list[range]:
    """Positions 0..n-1 cut into even consecutive batches of at most ``size``, at least one per
    worker (so every worker has one), never empty."""
    if n <= 0:
        return []
    count = min(n, max(-(-n // size), workers))
    edges = [round(k * n / count) for k in range(count + 1)]
    return [range(a, b) for a, b in zip(edges, edges[1:])]


def vector_plan(device: str, workers: int | None, batch_size: int | None) -> tuple[int, int]:
    """Workers and batch size of a vector-engine ensemble: on the CPU one worker per core and
    batches of :data:`VECTOR_BATCH`; on a GPU one process with batches of :data:`GPU_BATCH`
    (more processes would each hold a CUDA context on the same device). Given values win."""
    on_gpu = device.startswith("cuda")
    return (workers or (1 if on_gpu else default_workers()),
            batch_size or (GPU_BATCH if on_gpu else VECTOR_BATCH))


def default_workers() -> int:
    return int(os.environ.get("ENSEMBLE_WORKERS", os.cpu_count() or 1))


def jobs_for(override_sets: Iterable[Sequence[str]], seeds: Iterable[int] | None) -> list[tuple[str, ...]]:
    """Every override set × every seed (``seed=<s>`` appended); ``seeds=None`` keeps the sets as given."""
    sets = [tuple(o) for o in override_sets]
    if seeds is None:
        return sets
    return [(*o, f"seed={s}") for o in sets for s in seeds]


def run_ensemble(override_sets: Iterable[Sequence[str]], seeds: Iterable[int] | None = None, *,
                 engine: str | None = None, workers: int | None = None, measure: Measure | None = None,
                 cache_dir: str | os.PathLike | None = None, device: str | None = None,
                 batch_size: int | None = None) -> pd.DataFrame:
    """Run every override set for every seed, in parallel (joblib); the tidy table, in job order.

    ``engine`` defaults to :data:`ENSEMBLE_ENGINE`; ``device`` (vector engine) to
    :data:`ENSEMBLE_DEVICE`; ``batch_size`` (vector engine) to :data:`VECTOR_BATCH`.
    ``measure(result) -> dict`` adds run-specific measurements (it runs in the worker, so
    only its small output crosses processes; a module-level function keeps the cache key
    stable). ``workers`` defaults to ``$ENSEMBLE_WORKERS`` or one per core.
    """
    engine = ENSEMBLE_ENGINE if engine is None else engine
    _check_engine(engine)
    jobs = jobs_for(override_sets, seeds)
    cache = None if cache_dir is None else str(Path(cache_dir))
    if engine == "vector":
        device = ENSEMBLE_DEVICE if device is None else device
        rows = _vector_rows(jobs, *vector_plan(device, workers, batch_size), measure, cache, device)
    elif (workers := workers or default_workers()) <= 1 or len(jobs) <= 1:
        rows = [_cached_run(j, engine, measure, cache) for j in jobs]
    else:
        from joblib import Parallel, delayed

        rows = Parallel(n_jobs=min(workers, len(jobs)))(delayed(_cached_run)(j, engine, measure, cache) for j in jobs)
    table = pd.DataFrame([{"run": i, **r} for i, r in enumerate(rows)])
    return table[[*FIRST_COLUMNS, *[c for c in table.columns if c not in FIRST_COLUMNS]]]


def _vector_rows(jobs: list[tuple[str, ...]], workers: int, batch_size: int, measure: Measure | None,
                 cache: str | None, device: str) -> list[dict]:
    rows: list[dict | None] = [None] * len(jobs)
    if cache is not None:
        for i, j in enumerate(jobs):
            rows[i] = _read_cache(_cache_path(Path(cache), j, "vector", measure, device))
    todo = [i for i, r in enumerate(rows) if r is None]
    cut = [[todo[k] for k in b] for b in batches(len(todo), workers, batch_size)]
    if len(cut) <= 1 or workers <= 1:
        done = [_cached_batch([jobs[i] for i in b], measure, device, cache) for b in cut]
    else:
        from joblib import Parallel, delayed

        done = Parallel(n_jobs=min(workers, len(cut)))(
            delayed(_cached_batch)([jobs[i] for i in b], measure, device, cache) for b in cut)
    for b, batch_rows in zip(cut, done):
        for i, row in zip(b, batch_rows):
            rows[i] = row
    return rows  # type: ignore[return-value]


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
