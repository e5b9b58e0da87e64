"""The project's Hydra launcher: a sweep's jobs simulated as vector-engine batches (``hydra/launcher=batched``).

    python experiments/run.py -m experiment=switch_entry      # the presets run engine=vector

(Hydra finds launchers only in the ``hydra_plugins`` namespace, hence this folder.)

Every job is still a Hydra job — its own folder, ``status.json``, outputs, resume and
callbacks, through Hydra's ``run_job`` as the joblib launcher does — but the simulations are
not run one per job. The jobs are cut into chunks (at least one per worker, at most
``batch_size`` jobs: ``analysis.ensemble.batches``). The workers first compose every job's
configuration (all of them before any job runs, so a bad override or a value out of range
stops the sweep early with one line and exit status 2; the sweeper then need not compose them
too: ``batched_sweeper.py``), Hydra's expensive part once
per combination of config groups (``job_configs.py``). Then each worker, for its
chunk, simulates the ``engine=vector`` jobs not finished yet (``experiments.jobs.is_done``) as
one batch and runs each job, whose task finds its result
and its parameters ready (``experiments.jobs.take_prepared``) and only writes its files.
A run is the same alone or in any batch (the vector engine's counter-based randomness), so
each job's files are those the joblib launcher writes. A batch that
raises is left unprepared: its jobs then simulate one by one and a failing one fails alone,
recorded in its folder. ``engine=mesa`` jobs simulate one by one in the workers, as under
joblib (same files too), so this launcher is the default for every sweep
(configs/hydra/default.yaml).

Workers: ``hydra.launcher.n_jobs`` (null: ``$ENSEMBLE_WORKERS`` or one per core). Set the
launcher on the command line, not in a preset (Hydra #2946, ../shared/PITFALLS.md); on a
cluster use ``hydra/launcher=ray``; ``hydra/launcher=joblib`` gives Hydra's own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, JobStatus, configure_log, filter_overrides, run_job, setup_globals
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from joblib import Parallel, delayed
from omegaconf import DictConfig, OmegaConf, open_dict

from analysis.compose import to_params
from analysis.ensemble import batches, default_workers
from experiments.callbacks import task_config
from experiments.jobs import PREPARED, expands_like_basic_sweeper, is_done
from hydra_plugins.community_batched_launcher.job_configs import JobComposer

log = logging.getLogger(__name__)


def _prepare(configs: list[DictConfig]) -> set[int]:
    """Simulate together (``sim.run`` of a list: one vector-engine batch per device) the
    vector-engine jobs of ``configs`` that are not finished and compose; returns the job
    numbers whose results wait in ``PREPARED``."""
    from sim import run

    todo: list[tuple[int, Any]] = []
    for config in configs:
        if OmegaConf.select(config, "engine.name") != "vector":
            continue  # the Mesa engine runs one group per call: the job simulates itself
        HydraConfig.instance().set_config(config)  # resolves the job's folder (sweep.subdir)
        out_dir = Path(str(config.hydra.sweep.dir)) / str(config.hydra.sweep.subdir)
        if is_done(out_dir, list(config.hydra.overrides.task)):
            continue  # resumed: the job will skip itself
        try:
            todo.append((int(config.hydra.job.num), to_params(task_config(config))))
        except Exception as exc:  # noqa: BLE001 - the job composes again and fails alone, recorded
            log.warning(f"job #{config.hydra.job.num} runs alone: {type(exc).__name__}: {exc}")
    if not todo:
        return set(PREPARED)
    try:
        results = run([p for _, p in todo])
    except Exception as exc:  # noqa: BLE001 - each job then simulates alone; a failing one fails alone
        log.warning(f"a batch of {len(todo)} jobs failed as a whole ({type(exc).__name__}: {exc}); "
                    "its jobs run one by one")
        return set(PREPARED)
    for (num, params), result in zip(todo, results):
        PREPARED[num] = (params, result)
    return set(PREPARED)


def compose_chunk(jobs: list[tuple[int, Sequence[str]]], hydra_context: HydraContext, config: DictConfig,
                  singleton_state: dict[Any, Any], cached: bool = True) -> list[DictConfig]:
    """In a worker: each job's configuration (its number and id set); ``cached``: Hydra's
    expensive part once per combination of config groups (job_configs.py), else Hydra's own."""
    setup_globals()
    Singleton.set_state(singleton_state)
    loader = hydra_context.config_loader
    compose = JobComposer(loader, config).compose if cached else partial(loader.load_sweep_config, config)
    configs = []
    for idx, overrides in jobs:
        sweep_config = compose(list(overrides))
        with open_dict(sweep_config):
            sweep_config.hydra.job.id = f"{sweep_config.hydra.job.name}_{idx}"
            sweep_config.hydra.job.num = idx
        configs.append(sweep_config)
    return configs


def input_errors(configs: list[DictConfig]) -> list[str]:
    """In a worker: each composed job's parameters checked as the job will check them (a
    ParamError is an input error: ``switch_day`` past the horizon, a switch before a snapshot's
    day), so that one bad arm stops the sweep before any job runs, not ten jobs into it."""
    from sim import ParamError

    errors, checked = [], set()
    for config in configs:
        task = list(config.hydra.overrides.task)
        arm = tuple(o for o in task if not o.startswith("seed="))  # a replicate seed changes no range
        if arm in checked:
            continue
        checked.add(arm)
        try:
            to_params(task_config(config))
        except ParamError as exc:
            errors.append(f"job #{config.hydra.job.num} ({' '.join(filter_overrides(task))}): {exc}")
    return errors


def _refuse(sweep_dir: Path, errors: list[str]) -> None:
    """One line, exit status 2; the sweep folder goes if it holds only what was written at the start."""
    import shutil
    import sys

    more = f" (and {len(errors) - 1} more job(s) with input errors)" if len(errors) > 1 else ""
    print(f"Configuration error: {errors[0]}{more}; no job was run", file=sys.stderr)
    if sweep_dir.is_dir() and {p.name for p in sweep_dir.iterdir()} <= {"multirun.yaml", "sweep.json"}:
        shutil.rmtree(sweep_dir, ignore_errors=True)
    raise SystemExit(2)


def execute_chunk(configs: list[DictConfig], hydra_context: HydraContext, task_function: TaskFunction,
                  singleton_state: dict[Any, Any]) -> tuple[list[JobReturn], int, float, float]:
    """In a worker: simulate the chunk's composed jobs as a batch, run each job. Returns the
    jobs' returns, how many wrote a result simulated in the batch, and the seconds spent
    simulating and running the jobs (writing their files)."""
    setup_globals()
    Singleton.set_state(singleton_state)
    tic = time.perf_counter()
    prepared = _prepare(configs)
    simulated = time.perf_counter() - tic
    runs, used = [], 0
    for sweep_config in configs:
        num = int(sweep_config.hydra.job.num)
        run = run_job(hydra_context=hydra_context, task_function=task_function, config=sweep_config,
                      job_dir_key="hydra.sweep.dir", job_subdir_key="hydra.sweep.subdir")
        runs.append(run)
        # Took its result and finished (a sweep's job records its failure and returns None).
        used += (num in prepared and num not in PREPARED and run.status == JobStatus.COMPLETED
                 and run.return_value is not None)
        PREPARED.pop(num, None)  # a job that failed before taking its result
    return runs, used, simulated, time.perf_counter() - tic - simulated


class BatchedLauncher(Launcher):
    """Hydra launcher: per worker, a chunk of jobs, its vector-engine ones simulated as one batch."""

    #: Composes every job before running any (batched_sweeper.BatchedSweeper relies on it).
    composes_before_running = True

    def __init__(self, batch_size: int = 256, n_jobs: int | None = None) -> None:
        if batch_size < 1:
            raise ValueError(f"hydra.launcher.batch_size = {batch_size}: allowed at least 1")
        if n_jobs is not None and n_jobs < 1:
            raise ValueError(f"hydra.launcher.n_jobs = {n_jobs}: allowed at least 1, or null (one per core)")
        self.batch_size, self.n_jobs = batch_size, n_jobs
        self.config: DictConfig | None = None
        self.task_function: TaskFunction | None = None
        self.hydra_context: HydraContext | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        self.config, self.hydra_context, self.task_function = config, hydra_context, task_function

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        setup_globals()
        assert self.config is not None and self.hydra_context is not None and self.task_function is not None
        configure_log(self.config.hydra.hydra_logging, self.config.hydra.verbose)
        Path(str(self.config.hydra.sweep.dir)).mkdir(parents=True, exist_ok=True)
        workers = self.n_jobs or default_workers()
        chunks = [[(initial_job_idx + k, job_overrides[k]) for k in part]
                  for part in batches(len(job_overrides), workers, self.batch_size)]
        log.info(f"Launching {len(job_overrides)} jobs in {len(chunks)} chunk(s) on {min(workers, len(chunks))} "
                 "worker(s); a chunk's engine=vector jobs are simulated as one batch")
        for idx, overrides in enumerate(job_overrides):
            log.info(f"\t#{initial_job_idx + idx} : {' '.join(filter_overrides(overrides))}")
        state = Singleton.get_state()
        parallel = Parallel(n_jobs=min(workers, len(chunks)), backend="loky")
        # Every job composes before any runs: a bad override stops the sweep with no job run
        # (the check the sweeper leaves to this launcher: batched_sweeper.py).
        tic = time.perf_counter()
        if expands_like_basic_sweeper(str(OmegaConf.select(self.config, "hydra.sweeper._target_"))):
            composed = parallel(delayed(compose_chunk)(chunk, self.hydra_context, self.config, state) for chunk in chunks)
        else:  # Optuna: its typed sweeper node does not pickle (so no cache, nor a worker's copy); few jobs at a time
            composed = [compose_chunk(chunk, self.hydra_context, self.config, state, cached=False) for chunk in chunks]
        errors = [e for chunk in parallel(delayed(input_errors)(configs) for configs in composed) for e in chunk]
        if errors:
            _refuse(Path(str(self.config.hydra.sweep.dir)), errors)
        composing = time.perf_counter() - tic
        done = parallel(delayed(execute_chunk)(configs, self.hydra_context, self.task_function, state)
                        for configs in composed)
        runs = [run for chunk in done for run in chunk[0]]
        used = sum(chunk[1] for chunk in done)
        log.info(f"{used} of {len(job_overrides)} jobs wrote a result simulated in a batch (composing "
                 f"{composing:.1f} s; then, summed over workers, simulating {sum(c[2] for c in done):.1f} s and "
                 f"running the jobs {sum(c[3] for c in done):.1f} s)")
        return runs
