"""The main job: compose a config, simulate one group, write results and the report.

    python experiments/run.py                                   # typical_group, 365 days
    python experiments/run.py scenario=kol_exodus seed=7 strategy/ad_policy=quota days=180
    python experiments/run.py -m experiment=ad_policy          # a sweep (docs/sweeps.md)

Outputs land in Hydra's run folder (``hydra.run.dir=...`` to choose); see
experiments/outputs.py for the file contract.

Both engines run through ``sim.run``. ``engine=vector`` runs the group on the batched array
engine (sim/vector/, a batch of one; ``engine.device=cuda`` on a GPU): the same files, except
snapshot.pkl, which only the Mesa engine writes (the vector engine has no model object to
pickle; ``snapshot=true`` or ``snapshot_day`` with it stops before the run). A sweep's
``engine=vector`` jobs (the presets') are simulated as batches first by the default launcher
(hydra_plugins/community_batched_launcher/).
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import signal
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python experiments/run.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

import sim
from analysis.compose import register_configs, to_params
from analysis.money import hours_words, money_words
from analysis.provenance import peaks_after_start
from experiments import callbacks
from experiments.jobs import SWEEP_PID_ENV, run_job, sweep_owner_tag, take_prepared
from experiments.outputs import write_run
from sim import ParamError, Result, snapshot

register_configs()
# Hydra sets the root logger to INFO; Mesa would then log every step.
logging.getLogger("MESA").setLevel(logging.WARNING)


def _progress_wanted(enabled: bool) -> bool:
    """A bar on a terminal; silence under CI, pipes and sweeps."""
    return enabled and sys.stderr.isatty() and not os.environ.get("CI")


def simulate_with_progress(params, show: bool, on_day=None) -> Result:
    """``sim.run`` with a progress bar (Mesa engine: the bar reads the model each day)."""
    if not show:
        return sim.run(params, on_day=on_day)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("day {task.completed:.0f}"),
                  TextColumn("{task.fields[phase]}"), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task(params.scenario.name, total=params.days, phase="")
        def tick(m) -> None:
            bar.update(task, completed=m.day, phase=m.phase)
            if on_day is not None:
                on_day(m)

        return sim.run(params, on_day=tick)


def run_once(cfg: DictConfig, out_dir: Path, show_progress: bool, sweeping: bool = False) -> dict:
    """Validate, simulate (on the engine ``params.engine`` names: ``sim.run``), write every
    output. Returns the run outcomes."""
    # hydra/launcher=batched simulated the sweep's jobs ahead, as batches (hydra_plugins/),
    # from this same config: its parameters come with the result.
    prepared = take_prepared(HydraConfig.get().job.num) if sweeping else None
    params = prepared[0] if prepared is not None else to_params(cfg)  # ParamError before anything runs
    for warning in callbacks.preflight(params):  # also in each sweep job: names, edge list, memory
        logging.getLogger(__name__).warning("%s", warning)
    if getattr(params, "debug_fail", False):  # the test suite's failure switch (analysis/compose.py)
        raise RuntimeError("debug_fail=true: this job fails on purpose")
    # Only the Mesa engine has a model object to pickle and to show day by day (to_params
    # refuses snapshot settings with engine=vector).
    on_mesa = params.engine.name == "mesa"
    if not on_mesa and not sweeping:
        logging.getLogger(__name__).info("engine=vector: no snapshot.pkl (use engine=mesa to continue this "
                                         "group later)")
    want_snapshot = on_mesa and (params.snapshot if params.snapshot is not None else not sweeping)
    saved: list[bytes] = []

    def keep_snapshot(m) -> None:  # the group at the end of day snapshot_day
        if m.day == params.snapshot_day:
            saved.append(snapshot.dumps(m))

    hook = keep_snapshot if want_snapshot and params.snapshot_day != -1 else None
    result = prepared[1] if prepared is not None else simulate_with_progress(params, show_progress and on_mesa, hook)
    if want_snapshot and params.snapshot_day == -1:
        saved.append(snapshot.dumps(result.model))
    report = _report(result) if params.report else None
    write_run(result, out_dir, OmegaConf.to_yaml(cfg, resolve=True), report, saved[0] if saved else None)
    return result.outcomes


def _report(result: Result) -> str:
    from dashboards.report import build_report

    return build_report(result)


def _summary(outcomes: dict, out_dir: Path, ad_slot_price: float, peaks: dict | None = None) -> str:
    o = outcomes
    life = f"{o['lifespan_days']} days" + (" (still alive at the horizon)" if o["censored"] else "")
    after = f" (on the days after the starting state of day {peaks['start_day']})" if peaks else ""
    peaks = peaks or o
    lines = [
        f"scenario {o['scenario']}, seed {o['seed']}: final phase {o['final_phase']}, life {life}",
        f"  peak members {peaks['peak_members']}, peak daily active {peaks['peak_daily_active']}{after}, "
        f"weekly speaking rate {o['weekly_speaking_rate']:.0%}, top-20% message share {o['top20_message_share']:.0%}",
        f"  self-operating: {'day ' + str(o['self_operation_day']) if o['reached_self_operation'] else 'never'}"
        f"{'' if o.get('self_operation_reachable', True) else ' (not reachable without a paid tier)'}; "
        f"ad group: {'day ' + str(o['ad_group_day']) if o['became_ad_group'] else 'never'}",
        f"  money: {money_words(o, ad_slot_price)}",
        f"  time: {hours_words(o)}" + (f" (money and time count the whole life, the snapshot's days 0–"
                                        f"{peaks['start_day']} included)" if after and peaks["start_day"] else ""),
        f"report: {out_dir / 'report.html'}" if (out_dir / "report.html").exists() else f"results: {out_dir}",
    ]
    if (out_dir / "snapshot.pkl").exists():
        lines.append(f"continue this group: experiments/run.py start.snapshot={out_dir / 'snapshot.pkl'} days=<later day>")
    return "\n".join(lines)


HYDRA_OWN_FILES = {".hydra", "run.log"}


def _remove_if_only_hydra(out_dir: Path) -> None:
    """Remove a run folder that holds nothing but what Hydra put there for this run."""
    try:
        if out_dir.is_dir() and {p.name for p in out_dir.iterdir()} <= HYDRA_OWN_FILES:
            shutil.rmtree(out_dir)
    except OSError:
        pass


@hydra.main(config_path="../configs", config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> dict | None:
    hc = HydraConfig.get()
    out_dir = Path(hc.runtime.output_dir)
    sweeping = hc.mode == RunMode.MULTIRUN
    overrides = list(hc.overrides.task)
    if not sweeping:
        # Normally caught earlier, before Hydra made the folder (callbacks.Preflight).
        try:
            callbacks.preflight(to_params(cfg))
        except (ParamError, callbacks.PreflightError) as e:
            _remove_if_only_hydra(out_dir)
            _refuse(e)
    outcomes = run_job(out_dir, overrides,
                       lambda: run_once(cfg, out_dir, _progress_wanted(cfg.progress) and not sweeping, sweeping),
                       swallow_errors=sweeping)
    if outcomes is not None and not sweeping:
        rows = out_dir / "timeseries.csv"
        peaks = peaks_after_start(list(csv.DictReader(rows.open())), cfg.start) if rows.exists() else None
        print(_summary(outcomes, out_dir, float(cfg.costs.ad_slot_price), peaks))
    return outcomes


def _refuse(error: Exception) -> None:
    """An input error: one line, exit status 2 (nothing ran)."""
    print(f"Configuration error: {error}", file=sys.stderr)
    sys.exit(2)


def _terminate(signum, frame):  # noqa: ARG001 - signal handler signature
    """SIGTERM takes the same way out as Ctrl-C: joblib stops its workers, jobs record
    ``interrupted``. (Default SIGTERM would kill this process alone and orphan the workers.)"""
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    os.environ[SWEEP_PID_ENV] = sweep_owner_tag()  # sweep workers exit when this process is gone
    signal.signal(signal.SIGTERM, _terminate)
    try:  # before Hydra composes: it would fail with a traceback
        callbacks.check_group_values(sys.argv[1:], Path(__file__).resolve().parent.parent / "configs")
    except callbacks.PreflightError as e:
        _refuse(e)
    main()
    # A sweep with unfinished jobs exits 1 (the callback logged how many and where).
    sys.exit(1 if callbacks.LAST_SWEEP_PROBLEMS else 0)
