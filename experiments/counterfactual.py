"""What if the fitted group had changed one strategy from day N?

    python experiments/counterfactual.py fit=outputs/calibrate/<run> change='strategy/entry=application' day=120
    python experiments/counterfactual.py fit=fitted_r4ds change='ads.policy=ban,cadence.posts_per_week=14' day=60

``fit`` is a calibrate run folder (its posterior: ``draws`` weighted draws × ``seeds`` seeds)
or a fitted preset (``configs/experiment/<name>.yaml`` or a path to one: its medians, so only
the seeds vary). ``change`` is one or more ``section.field=value`` or
``strategy/<piece>=<option>`` items, applied as a timeline change (``Change(day, set)``,
sim/params.py) on the morning of ``day``. Writes ``counterfactual.html`` (both arms' bands
and the outcome differences with intervals), ``differences.csv`` and ``counterfactual.json``
into the Hydra run folder (analysis/files.py). A bad input stops with one line and exit
code 2 before the run folder is made (:class:`Preflight`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python experiments/counterfactual.py` from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hydra
import numpy as np
import pandas as pd
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.experimental.callback import Callback
from omegaconf import MISSING, DictConfig

from analysis.calibration.abc import Bound, Posterior, Space
from analysis.calibration.counterfactual import parse_change, run_counterfactual
from analysis.calibration.fit import SimSetup
from analysis.calibration.verdict import WORDS
from analysis.compose import CONFIG_DIR
from analysis.files import read_json, write_atomic, write_json
from dashboards.calibration_report import build_counterfactual_report


@dataclass
class CounterfactualConfig:
    """What a what-if reads. Runs = 2 arms × draws × seeds."""

    fit: str = MISSING  # calibrate run folder (posterior.json) or preset name / path
    change: str = MISSING  # 'section.field=value,...' or 'strategy/<piece>=<option>'
    day: int = MISSING  # the morning the change takes effect (day of the group's life)
    draws: int = 10  # posterior draws (a preset has one: its medians)
    seeds: int = 3  # seeds per draw
    seed: int = 0  # the posterior draws and the seeds come from this
    workers: int = 2  # parallel simulations


ConfigStore.instance().store(name="counterfactual_schema", node=CounterfactualConfig)


class InputError(ValueError):
    """A bad setting: one line, exit code 2."""


@dataclass
class FitSource:
    post: Posterior | None
    setup: SimSetup
    days: int
    real_level: dict[str, float] | None
    label: str
    preset_file: Path | None = None
    real_series: dict[str, list] | None = None  # the fitted data, day by day (real-scale numbers)
    verdict: dict | None = None  # the fit's verdict and warnings, carried into the what-if
    warnings: list[str] = field(default_factory=list)


def load_fit(fit: str, workers: int) -> FitSource:
    """A calibrate run folder or a preset; raises InputError saying what was looked for."""
    folder = Path(fit)
    if folder.is_dir():
        result = read_json(folder / "posterior.json")
        samples = folder / "posterior.csv"
        if result is None or not samples.is_file():
            raise InputError(f"fit = {fit}: a calibrate run folder holds posterior.json and posterior.csv; not found")
        space = Space(tuple(Bound(b["path"], b["low"], b["high"], b["log"]) for b in result["space"]))
        table = pd.read_csv(samples)
        w = table["weight"].to_numpy(dtype=float)
        theta = table[space.paths].to_numpy(dtype=float)
        post = Posterior(space, theta, theta, w / w.sum(), table["distance"].to_numpy(), [], len(theta),
                         np.vstack([np.zeros(len(space.bounds)), np.ones(len(space.bounds))]))
        s = result["setup"]
        return FitSource(post, SimSetup(tuple(s["base"]), int(s["cap"]), s["engine"], workers), int(result["days"]),
                         result.get("real_level"), f"{fit} (posterior of {result['data']})",
                         real_series=result.get("real_series"), verdict=result.get("verdict"),
                         warnings=list(result.get("warnings") or []))
    path = Path(fit) if fit.endswith(".yaml") else CONFIG_DIR / "experiment" / f"{fit}.yaml"
    if not path.is_file():
        raise InputError(f"fit = {fit}: neither a calibrate run folder nor a preset ({path} not found)")
    horizon = re.search(r"^# Run: .*experiment=\S+ days=(\d+)", path.read_text(), re.MULTILINE)
    if horizon is None:
        raise InputError(f"fit = {fit}: {path} has no '# Run: ... days=N' line (not a fitted preset)")
    days = int(horizon.group(1)) + 1
    base: tuple[str, ...] = (f"experiment={path.stem}", f"days={days - 1}")
    if path.resolve().parent != (CONFIG_DIR / "experiment").resolve():
        if path.parent.name != "experiment":
            raise InputError(f"fit = {fit}: a preset outside configs/experiment/ must sit in a folder named "
                             "experiment/ (as in a calibrate run folder), so Hydra can find it as experiment=<name>")
        base = (f"hydra.searchpath=[file://{path.parent.parent.resolve()}]", *base)
    return FitSource(None, SimSetup(base, 0, workers=workers), days, None, f"preset {path}", path)


def check(cfg: Any) -> tuple[FitSource, dict[str, str]]:
    if cfg.draws < 1 or cfg.seeds < 1:
        raise InputError("draws and seeds must be at least 1")
    src = load_fit(str(cfg.fit), int(cfg.workers))
    try:
        change = parse_change(str(cfg.change))
    except ValueError as e:
        raise InputError(str(e)) from None
    if not 1 <= cfg.day < src.days:
        raise InputError(f"day = {cfg.day}: allowed [1, {src.days - 1}] (the fitted group's horizon)")
    from analysis.compose import expand_pieces, load_params
    from sim.params import ParamError, apply_change

    try:  # an unknown key or impossible value fails now, with the allowed ones
        base = list(src.setup.base) if src.post is None else \
            [*src.setup.base, f"arrivals.cap={src.setup.cap}", f"days={src.days - 1}"]
        apply_change(load_params(base), expand_pieces(change)[0])
    except ParamError as e:
        raise InputError(f"change: {e}") from None
    return src, change


class Preflight(Callback):
    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        try:
            check(config)
        except InputError as e:
            print(f"Input error: {e}", file=sys.stderr, flush=True)
            raise SystemExit(2) from None


@hydra.main(config_path="../configs/calibrate", config_name="counterfactual", version_base="1.3")
def main(cfg: DictConfig) -> None:
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        src, change = check(cfg)
    except InputError as e:
        print(f"Input error: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    search = out_dir / "configs"
    seeds = np.random.default_rng([cfg.seed, 3]).integers(0, 2**31 - 1, size=cfg.seeds).tolist()
    cf = run_counterfactual(src.post, None, src.setup, src.days, change, int(cfg.day),
                            int(cfg.draws) if src.post is not None else 1, seeds, search,
                            src.real_level or {}, seed=int(cfg.seed), source=src.label, real_series=src.real_series)
    cf.verdict, cf.warnings = src.verdict, src.warnings
    write_atomic(out_dir / "differences.csv", cf.table().to_csv(index=False))
    write_json(out_dir / "counterfactual.json", {"change": change, "day": cf.day, "fit": str(cfg.fit),
                                                 "pairs": cf.pairs, "failed": cf.failed, "rows": cf.rows,
                                                 "verdict": cf.verdict, "warnings": cf.warnings})
    write_atomic(out_dir / "counterfactual.html", build_counterfactual_report(cf))
    print(f"what if {cf.change_text} from day {cf.day}: {cf.pairs} paired runs ({cf.failed} failed)")
    if cf.verdict:
        print(f"the fit's verdict: {WORDS[cf.verdict['verdict']]}")
    for w in cf.warnings:
        print(f"warning (from the fit): {w}")
    for r in cf.rows:
        real = f"  (the real group: {r['real']:.4g})" if r.get("real") is not None else ""
        print(f"  {r['outcome']:42s} {r['baseline']:10.4g} -> {r['changed']:10.4g}  diff {r['difference']:+.4g} "
              f"[{r['low']:+.4g}, {r['high']:+.4g}]  higher in {r['share_higher']:.0%} of pairs{real}")
    print(f"report: {out_dir / 'counterfactual.html'}")


def quote_change(argv: list[str]) -> list[str]:
    """``change=strategy/entry=application`` as Hydra's grammar needs it (a value holding '='
    must be quoted: ``change='...'``), so the command reads as documented."""
    out = []
    for arg in argv:
        key, sep, value = arg.partition("=")
        if key == "change" and sep and value[:1] not in ("'", '"') and "'" not in value:
            arg = f"change='{value}'"
        out.append(arg)
    return out


if __name__ == "__main__":
    sys.argv = quote_change(sys.argv)
    main()
