"""Fit the model to your own group's daily history, with honest uncertainty.

    python experiments/calibrate.py data=data/r4ds_slack_daily.csv
    python experiments/calibrate.py data=mygroup.csv columns.members=Members columns.posters=Posting budget=800
    python experiments/calibrate.py data=mygroup.csv holdout=0.3 space=tiny   # out-of-sample check

Reads a daily series (analysis/calibration/data.py: columns, dates or day numbers, gaps),
fits the parameters listed in ``configs/calibrate/space/<space>.yaml`` by sequential
reference-table ABC (analysis/calibration/abc.py) over ensembles of the model run through
``analysis.ensemble.run_ensemble``, and writes into the Hydra run folder (atomically,
analysis/files.py):

- ``experiment/fitted_<name>.yaml``: the fitted configuration as a Hydra preset (posterior
  medians; intervals and the data source in its comment block). ``install_preset=true``
  also writes it to ``configs/experiment/`` so ``experiments/run.py experiment=fitted_<name>``
  and sweeps find it;
- ``posterior.csv`` (accepted particles, adjusted and raw, with weights), ``posterior.json``
  (medians, 50 %/90 % intervals, warnings, the setup), ``reference_table.csv``;
- ``calibration_report.html`` (self-contained) and ``posterior_predictive.png``.

The reference table is checkpointed in chunks under ``checkpoint_dir/<fingerprint>``: the
same command again resumes a killed fit. A bad input (file, column, value, row, space) stops
with one line and exit code 2 before Hydra makes the run folder (:class:`Preflight`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python experiments/calibrate.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hydra
import numpy as np
import pandas as pd
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.experimental.callback import Callback
from omegaconf import MISSING, DictConfig, OmegaConf

from analysis.calibration import abc
from analysis.calibration.data import DataError, Observed, read_daily
from analysis.calibration.verdict import WORDS, budget_warning, matched, stat_ranges, verdict
from analysis.calibration.fit import (
    SERIES,
    ModelSimulator,
    SimSetup,
    mean_level,
    load_space,
    observed_summary,
    predictive,
    preset_text,
)
from analysis.compose import CONFIG_DIR
from analysis.ensemble import ENGINES, ENSEMBLE_ENGINE
from analysis.files import write_atomic, write_json
from analysis.r4ds import SHAPE_KEYS
from dashboards.calibration_report import build_fit_report, predictive_png

logging.getLogger("MESA").setLevel(logging.WARNING)
log = logging.getLogger(__name__)


@dataclass
class ParamBound:
    """One fitted parameter: config path (``reading.expectation``), prior box in the
    parameter's own unit (sim/params.py), log-uniform or uniform; ``if_present`` skips it when
    the model version lacks it."""

    path: str = MISSING
    low: float = MISSING
    high: float = MISSING
    log: bool = False
    if_present: bool = False


@dataclass
class Columns:
    """Which column of the file holds each standard series (``columns.members=Members``;
    ``a+b`` sums columns); empty: found by its usual names (analysis/calibration/data.py)."""

    date: str = ""
    members: str = ""
    daily_active: str = ""
    posters: str = ""
    messages: str = ""
    weekly_active: str = ""
    weekly_posters: str = ""
    joins: str = ""
    leaves: str = ""


def column_mapping(cfg: Any) -> dict[str, str]:
    """The columns the user mapped (the rest are found by their usual names)."""
    given = OmegaConf.to_container(cfg.columns) if OmegaConf.is_config(cfg.columns) else dict(cfg.columns)
    return {k: str(v) for k, v in given.items() if v}


@dataclass
class CalibrateConfig:
    """What a fit reads. Sizes are in runs (one simulated group over the data's length)."""

    data: str = MISSING  # the daily CSV (one row per day)
    name: str = ""  # preset name fitted_<name>; default: the data file's name
    columns: Columns = field(default_factory=Columns)  # standard name -> file column (or a+b)
    holdout: float = 0.0  # share of the last days held out for the out-of-sample check, [0, 0.5]
    budget: int = 400  # runs in the reference table, all rounds together
    rounds: int = 2  # sequential rounds (1 = plain rejection from the prior)
    chunk: int = 40  # runs per checkpoint (a killed fit loses at most one chunk)
    accept: float = 0.1  # share of the (truncated) table accepted
    min_accept: int = 30  # accepted at least this many particles
    margin: float = 0.5  # truncation box = accepted range widened by this share of it on each side
    seed: int = 0  # all randomness: parameter draws, simulator seeds, predictive draws
    workers: int = 2  # parallel simulations (joblib)
    engine: str = ENSEMBLE_ENGINE  # analysis.ensemble engine (mesa | vector); default: its ENSEMBLE_ENGINE
    cap: int = 400  # the simulated group's size cap (members); shapes, not sizes, are fitted
    base: list[str] = field(default_factory=lambda: ["scenario=healthy_learning_group"])  # base group overrides
    ppc_draws: int = 30  # posterior draws simulated for the predictive check (one seed each)
    install_preset: bool = False  # also write configs/experiment/fitted_<name>.yaml
    checkpoint_dir: str = "outputs/calibrate/checkpoints"
    min_days: int = 60  # fewest days of data accepted
    progress: bool = True  # progress bar on stderr (tqdm; silent off a terminal)
    space: list[ParamBound] = field(default_factory=list)


ConfigStore.instance().store(name="calibrate_schema", node=CalibrateConfig)


class InputError(ValueError):
    """A bad setting or data file: one line, exit code 2."""


def preset_name(cfg: Any) -> str:
    raw = cfg.name or Path(str(cfg.data)).stem
    safe = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in raw).strip("_")
    return safe or "group"


def check(cfg: Any) -> tuple[Observed, abc.Space, list[str]]:
    """Every check before anything runs; raises InputError / DataError naming what to change."""
    if not 0 <= cfg.holdout <= 0.5:
        raise InputError(f"holdout = {cfg.holdout}: allowed [0, 0.5] (share of the last days held out)")
    if cfg.engine not in ENGINES:
        raise InputError(f"engine = {cfg.engine!r}: allowed {', '.join(ENGINES)}")
    for key, lo in (("budget", 20), ("rounds", 1), ("chunk", 1), ("cap", 10), ("ppc_draws", 2), ("workers", 1)):
        if getattr(cfg, key) < lo:
            raise InputError(f"{key} = {getattr(cfg, key)}: must be at least {lo}")
    if not 0 < cfg.accept <= 1:
        raise InputError(f"accept = {cfg.accept}: allowed (0, 1]")
    obs = read_daily(cfg.data, column_mapping(cfg), cfg.min_days)
    if cfg.holdout and obs.head(1 - cfg.holdout).days < cfg.min_days:
        raise InputError(f"holdout = {cfg.holdout} leaves {obs.head(1 - cfg.holdout).days} days to fit; "
                         f"at least min_days = {cfg.min_days}")
    entries = [dict(e) for e in (OmegaConf.to_container(cfg.space) if OmegaConf.is_config(cfg.space) else cfg.space)]
    try:
        space, notes = load_space(entries)
    except ValueError as e:
        raise InputError(str(e)) from None
    from analysis.compose import load_params
    from sim import ParamError

    try:
        load_params([*cfg.base, f"arrivals.cap={cfg.cap}", f"days={obs.days - 1}"])
    except (ParamError, Exception) as e:  # noqa: BLE001 - a Hydra override error is also a bad input
        raise InputError(f"base = {list(cfg.base)}: {e}") from None
    return obs, space, notes


class Preflight(Callback):
    """Runs in Hydra's main process before the run folder exists: bad input → exit 2, no folder."""

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        try:
            check(config)
        except (InputError, DataError) as e:
            print(f"Input error: {e}", file=sys.stderr, flush=True)
            raise SystemExit(2) from None


def fingerprint(cfg: Any, data_path: str, space: abc.Space, fit_days: int) -> dict[str, Any]:
    """What makes two fits the same (their checkpoints interchangeable)."""
    digest = hashlib.sha256(Path(data_path).read_bytes()).hexdigest()
    keys = ("holdout", "budget", "rounds", "chunk", "accept", "min_accept", "margin", "seed", "engine", "cap",
            "min_days")
    return {"data_sha256": digest, "fit_days": fit_days, "space": [b.__dict__ for b in space.bounds],
            "base": list(cfg.base), "columns": column_mapping(cfg), "stats": list(SHAPE_KEYS),
            **{k: getattr(cfg, k) for k in keys}}


def run_fit(cfg: Any, out_dir: Path) -> dict[str, Any]:
    """The whole fit; returns posterior.json's content."""
    started = time.perf_counter()
    obs, space, notes = check(cfg)
    name = f"fitted_{preset_name(cfg)}"
    fit_obs = obs.head(1 - cfg.holdout) if cfg.holdout else obs
    setup = SimSetup(tuple(cfg.base), int(cfg.cap), str(cfg.engine), int(cfg.workers))
    fp = fingerprint(cfg, cfg.data, space, fit_obs.days)
    key = hashlib.sha1(json.dumps(fp, sort_keys=True, default=str).encode()).hexdigest()[:12]
    checkpoint = Path(cfg.checkpoint_dir) / key
    s_obs = observed_summary(fit_obs)
    for note in notes:
        log.info("%s", note)
    too_small = budget_warning(int(cfg.budget), len(space.bounds))
    if too_small:
        log.warning("%s", too_small)
    log.info("fitting %d parameters to %s (%d days, %d fitted, %s); checkpoints in %s", len(space.bounds), cfg.data,
             obs.days, fit_obs.days, obs.gap_text(), checkpoint)
    fit = abc.run_sequential(ModelSimulator(space, setup, fit_obs.days, fit_obs.mask), space, s_obs,
                             budget=cfg.budget, rounds=cfg.rounds, chunk=cfg.chunk, seed=cfg.seed, accept=cfg.accept,
                             min_accept=cfg.min_accept, margin=cfg.margin, checkpoint=checkpoint, fingerprint=fp,
                             names=SHAPE_KEYS, progress=cfg.progress)
    fit_seconds = time.perf_counter() - started
    post = fit.posterior
    pred = predictive(post, setup, obs, fit_obs.days, cfg.ppc_draws, cfg.seed)
    summary = post.summary()
    observed = dict(zip(SHAPE_KEYS, map(float, s_obs)))
    ranges = stat_ranges(SHAPE_KEYS, fit.table.s)
    result = {
        "name": name, "data": str(cfg.data), "data_sha256": fp["data_sha256"], "days": obs.days,
        "fit_days": fit_obs.days, "start": obs.start, "end": obs.end, "gaps": obs.gap_text(),
        "setup": {"base": list(setup.base), "cap": setup.cap, "engine": setup.engine},
        "space": fp["space"], "notes": notes, "posterior": summary,
        "warnings": [*([too_small] if too_small else []), *post.warnings], "budget_warning": too_small,
        "adjusted": post.adjusted, "observed_stats": observed, "stats_used": post.stat_names,
        "stat_ranges": ranges, "matched": matched(observed, ranges, post.stat_names),
        "accepted": len(post.samples), "table_rows_in_final_box": post.table_rows, "table_rows": len(fit.table.theta),
        "simulated_now": fit.simulated, "rounds": cfg.rounds, "boxes": [b.tolist() for b in fit.boxes],
        "predictive": {"runs": pred.runs, "failed": pred.failed, "inside_90": pred.inside_90,
                       "inside_50": pred.inside_50, "level_error": pred.level_error,
                       "checked_on": "held-out days" if cfg.holdout else "all days (in-sample)"},
        "real_level": {c: mean_level(obs.frame[c], fit_obs.days) for c in SERIES},
        # The real daily series (gaps as null): the what-if rescales to the real level before its day.
        "real_series": {c: [None if np.isnan(v) else float(v) for v in obs.frame[c].to_numpy(dtype=float)]
                        for c in SERIES},
        "fit_seconds": round(fit_seconds, 1), "total_seconds": None, "seed": cfg.seed,
        "config": OmegaConf.to_container(cfg) if OmegaConf.is_config(cfg) else None,
    }
    result["verdict"] = verdict(result)
    _write_outputs(out_dir, name, result, fit, pred, obs, setup, cfg)
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    write_json(out_dir / "posterior.json", result)
    return result


def _write_outputs(out_dir: Path, name: str, result: dict, fit: abc.Fit, pred, obs: Observed, setup: SimSetup,
                   cfg: Any) -> None:
    post = fit.posterior
    paths = post.space.paths
    table = pd.DataFrame(post.samples, columns=paths)
    table = pd.concat([table, pd.DataFrame(post.raw, columns=[f"raw:{p}" for p in paths])], axis=1)
    table["weight"] = post.weights
    table["distance"] = post.distances
    write_atomic(out_dir / "posterior.csv", table.to_csv(index=False))
    ref = pd.DataFrame(fit.table.theta, columns=paths)
    ref["round"] = fit.table.round
    ref["sim_seed"] = fit.table.seeds
    ref = pd.concat([ref, pd.DataFrame(fit.table.s, columns=list(SHAPE_KEYS))], axis=1)
    write_atomic(out_dir / "reference_table.csv", ref.to_csv(index=False))
    header = [f"Fitted by experiments/calibrate.py to {cfg.data} ({obs.start}..{obs.end}, {obs.days} days, "
              f"{obs.gap_text()}; sha256 {result['data_sha256'][:12]}),",
              f"fit on the first {result['fit_days']} days; {len(fit.table.theta)} simulations at cap {setup.cap}, "
              f"{cfg.rounds} rounds, seed {cfg.seed}. Method: docs/calibration.md",
              "(Fit the model to your own group). Only the shape is fitted: the group is simulated at this cap.",
              f"Verdict: {result['verdict']['verdict']}" + (f" ({'; '.join(result['verdict']['reasons'])})"
                                                           if result["verdict"]["reasons"] else ""),
              *(f"Warning: {w}" for w in result["warnings"])]
    text = preset_text(name, result["posterior"], setup, obs.days, header)
    write_atomic(out_dir / "experiment" / f"{name}.yaml", text)
    if cfg.install_preset:
        write_atomic(CONFIG_DIR / "experiment" / f"{name}.yaml", text)
    write_atomic(out_dir / "calibration_report.html", build_fit_report(result, post, fit.table, pred, obs))
    write_atomic(out_dir / "posterior_predictive.png", lambda tmp: predictive_png(pred, obs, result, tmp))


def _summary(result: dict, out_dir: Path, installed: bool) -> str:
    v = result["verdict"]
    lines = [f"verdict: {WORDS[v['verdict']]}" + (f" ({'; '.join(v['reasons'])})" if v["reasons"] else ""),
             f"fitted {len(result['posterior'])} parameters to {result['data']} in {result['fit_seconds']:.0f} s "
             f"({result['table_rows']} runs, {result['simulated_now']} simulated now, {result['accepted']} accepted):"]
    for path, s in result["posterior"].items():
        lines.append(f"  {path:36s} {s['median']:.4g}  50% [{s['q25']:.4g}, {s['q75']:.4g}]  "
                     f"90% [{s['q05']:.4g}, {s['q95']:.4g}]")
    p = result["predictive"]
    lines.append(f"posterior predictive ({p['checked_on']}): share of days inside the 90% band " + ", ".join(
        f"{k} {v:.0%}" for k, v in p["inside_90"].items()) + "; level error " + ", ".join(
        f"{k} {v:+.0%}" for k, v in p["level_error"].items()))
    lines += [f"warning: {w}" for w in result["warnings"]]
    name = result["name"]
    lines.append(f"report: {out_dir / 'calibration_report.html'}")
    if installed:
        lines.append(f"preset: configs/experiment/{name}.yaml -> python experiments/run.py experiment={name} "
                     f"days={result['days'] - 1}")
    else:
        lines.append(f"preset: {out_dir / 'experiment' / (name + '.yaml')} (install_preset=true puts it in configs/"
                     f"experiment/, or copy it there) -> python experiments/run.py experiment={name} "
                     f"days={result['days'] - 1}")
    lines.append(f"what if: python experiments/counterfactual.py fit={out_dir} change='strategy/entry=application' day=N")
    return "\n".join(lines)


@hydra.main(config_path="../configs/calibrate", config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        result = run_fit(cfg, out_dir)
    except (InputError, DataError) as e:  # normally caught by Preflight before the folder exists
        print(f"Input error: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    print(_summary(result, out_dir, bool(cfg.install_preset)))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
