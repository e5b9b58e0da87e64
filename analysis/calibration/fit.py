"""The fit: a community's daily series + a parameter space → a posterior, through the simulator.

Connects analysis/calibration/abc.py (the method, which knows nothing of the model) to the
model through the one ensemble runner, ``analysis.ensemble.run_ensemble`` (the engine is a
parameter there, so a faster engine plugs in without touching this module), and the one set
of statistics, ``analysis.r4ds.shape_stats``, applied to the data and to every run alike.

Scale: the model's group is small (``cap`` members, e.g. 400) and the data's may be 3,000;
the statistics are scale-free and the simulated horizon equals the data's length, so only the
shape is fitted. Series shown next to the data (posterior predictive) are rescaled per run so
that their mean over the fit period equals the data's: "if the model's group had the real
group's size"; the held-out days then test the trajectory, not the size. Nothing here writes files; experiments/calibrate.py does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.calibration.abc import Bound, Posterior, Space
from analysis.calibration.data import Observed
from analysis.ensemble import ENSEMBLE_ENGINE, run_ensemble
from analysis.r4ds import DAILY_COLUMN, SHAPE_KEYS, daily_series, model_frame, shape_stats
from analysis.stats import rolling_mean

#: The daily series the posterior-predictive check draws (common-frame columns).
SERIES = ("members", "daily_active", "posters", "messages")
SERIES_LABELS = {"members": "members", "daily_active": "daily active members", "posters": "daily posting members",
                 "messages": "daily messages"}
SMOOTH_DAYS = 7  # days of the trailing mean the predictive check compares (weekly rhythm removed)


# ----------------------------------------------------------------------------------------
# the parameter space: config entries checked against sim/params.py
# ----------------------------------------------------------------------------------------


def param_field(path: str) -> dataclasses.Field | None:
    """The Params field a dotted path names (``reading.expectation``), or None."""
    from sim.params import Params

    node: Any = Params()
    parts = path.split(".")
    for i, part in enumerate(parts):
        if not dataclasses.is_dataclass(node):
            return None
        fields = {f.name: f for f in dataclasses.fields(node)}
        if part not in fields:
            return None
        if i == len(parts) - 1:
            return fields[part]
        node = getattr(node, part)
    return None


def is_int(path: str) -> bool:
    f = param_field(path)
    return f is not None and (f.type if isinstance(f.type, str) else f.type.__name__) == "int"


def load_space(entries: Sequence[dict[str, Any]]) -> tuple[Space, list[str]]:
    """Check config entries ``{path, low, high, log, if_present}`` against the model: the
    path must name a numeric parameter and the box lie inside its allowed range. An entry with
    ``if_present`` is skipped (noted) when the model has no such parameter yet. Returns the
    space and the notes. Raises ValueError naming the entry."""
    bounds, notes = [], []
    for e in entries:
        path = str(e["path"])
        f = param_field(path)
        if f is None:
            if e.get("if_present"):
                notes.append(f"{path}: not a parameter of this model version, left out of the fit")
                continue
            raise ValueError(f"space: {path} is not a parameter (sim/params.py)")
        kind = f.type if isinstance(f.type, str) else f.type.__name__
        if kind not in ("int", "float"):
            raise ValueError(f"space: {path} is a {kind}, not a number; only numeric parameters are fitted")
        lo, hi = f.metadata.get("range", (None, None))
        b = Bound(path, float(e["low"]), float(e["high"]), bool(e.get("log", False)))
        if (lo is not None and b.low < lo) or (hi is not None and b.high > hi):
            raise ValueError(f"space: {path} box [{b.low:g}, {b.high:g}] leaves its allowed range [{lo}, {hi}]")
        bounds.append(b)
    if not bounds:
        raise ValueError("space: no parameters to fit")
    return Space(tuple(bounds)), notes


def value_text(path: str, value: float) -> str:
    """A parameter value as an override / preset writes it (4 significant digits; ints rounded)."""
    return str(int(round(value))) if is_int(path) else f"{float(f'{value:.4g}'):g}"


# ----------------------------------------------------------------------------------------
# the simulator side
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimSetup:
    """How the fitted group is simulated: a base configuration (overrides of configs/, e.g.
    ``scenario=healthy_learning_group``), the group's size cap, the engine and workers."""

    base: tuple[str, ...] = ("scenario=healthy_learning_group",)
    cap: int = 400
    engine: str = ENSEMBLE_ENGINE  # analysis.ensemble's default engine (recorded with a fit)
    workers: int = 1

    def overrides(self, space: Space, theta: np.ndarray, days: int, seed: int,
                  extra: Sequence[str] = ()) -> list[str]:
        """One run's overrides: base, size, horizon (``days`` rows: days 0..days-1), seed, the
        parameter values, then ``extra`` (a timeline)."""
        values = [f"{b.path}={value_text(b.path, v)}" for b, v in zip(space.bounds, theta)]
        return [*self.base, f"arrivals.cap={self.cap}", f"days={days - 1}", f"seed={int(seed)}", *values, *extra]


def simulate_runs(space: Space, theta: np.ndarray, seeds: np.ndarray, setup: SimSetup, days: int,
                  extra: Sequence[str] = ()) -> tuple[list[pd.DataFrame | None], pd.DataFrame]:
    """Run every parameter vector once (its seed); the common daily frame of each run (None
    for a failed run) and the ensemble's tidy table (outcomes per run)."""
    jobs = [setup.overrides(space, t, days, s, extra) for t, s in zip(np.atleast_2d(theta), seeds)]
    table = run_ensemble(jobs, engine=setup.engine, workers=setup.workers, measure=daily_series)
    frames = [model_frame(d, days) if st == "ok" else None for st, d in
              zip(table["status"], table.get(DAILY_COLUMN, [None] * len(table)))]
    return frames, table


def masked(frame: pd.DataFrame, mask: np.ndarray | None) -> pd.DataFrame:
    """The model frame with the data's missing days blanked: both sides see the same days."""
    if mask is None or not mask.any():
        return frame
    out = frame.iloc[:len(mask)].copy()
    out.loc[out.index[mask[:len(out)]], :] = np.nan
    return out


def summary_vector(frame: pd.DataFrame | None, mask: np.ndarray | None = None) -> np.ndarray:
    """SHAPE_KEYS of one frame as a vector (NaN for a failed run)."""
    if frame is None:
        return np.full(len(SHAPE_KEYS), np.nan)
    s = shape_stats(masked(frame, mask))
    return np.array([s[k] for k in SHAPE_KEYS], dtype=float)


def observed_summary(obs: Observed) -> np.ndarray:
    return summary_vector(obs.frame)


class ModelSimulator:
    """The abc.Simulator of the model: parameter vectors → shape statistics over ``days``."""

    def __init__(self, space: Space, setup: SimSetup, days: int, mask: np.ndarray | None = None) -> None:
        self.space, self.setup, self.days, self.mask = space, setup, days, mask

    def __call__(self, theta: np.ndarray, seeds: np.ndarray) -> np.ndarray:
        frames, _ = simulate_runs(self.space, theta, seeds, self.setup, self.days)
        return np.vstack([summary_vector(f, self.mask) for f in frames])


# ----------------------------------------------------------------------------------------
# posterior predictive and out-of-sample check
# ----------------------------------------------------------------------------------------


def mean_level(x: pd.Series | np.ndarray, upto: int) -> float:
    """The mean of ``x`` over its first ``upto`` days (the fit period): the level a run is
    rescaled by (its own level → the data's). A mean, not a peak: a real launch spike the
    model does not make (R4DS's first fortnight) would otherwise inflate every later day."""
    x = np.asarray(x, dtype=float)[:upto]
    return float(np.nanmean(x)) if np.isfinite(x).any() else float("nan")


@dataclass
class Predictive:
    """Simulated series rescaled to the data's size, their bands, and the check's numbers."""

    days: int
    fit_days: int  # days used by the fit (the rest is held out)
    real: dict[str, np.ndarray]  # 7-day means of the data
    bands: dict[str, np.ndarray]  # series → (5, days): 5th, 25th, 50th, 75th, 95th percentile
    runs: int
    failed: int
    inside_90: dict[str, float]  # share of held-out (or all) days inside the 90 % band
    inside_50: dict[str, float]
    level_error: dict[str, float]  # (median simulated − real) / real, mean over the held-out days
    frames: list[pd.DataFrame]  # rescaled runs

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"series": list(self.inside_90), "inside_90": list(self.inside_90.values()),
                             "inside_50": list(self.inside_50.values()),
                             "level_error": list(self.level_error.values())})


def predictive(post: Posterior, setup: SimSetup, obs: Observed, fit_days: int, draws: int, seed: int,
               frames: list[pd.DataFrame | None] | None = None) -> Predictive:
    """Simulate ``draws`` posterior draws (one seed each) over the data's whole length and
    compare: on the held-out days (``fit_days`` < length) or, without a holdout, on all days."""
    rng = np.random.default_rng([seed, 99])
    theta = post.draw(rng, draws)
    seeds = rng.integers(0, 2**31 - 1, size=draws)
    if frames is None:
        frames, _ = simulate_runs(post.space, theta, seeds, setup, obs.days)
    ok = [f for f in frames if f is not None]
    if not ok:
        raise RuntimeError("every posterior-predictive run failed")
    real = {c: np.asarray(rolling_mean(obs.frame[c], SMOOTH_DAYS), dtype=float) for c in SERIES}
    real_level = {c: mean_level(obs.frame[c], fit_days) for c in SERIES}
    scaled = []
    for f in ok:
        g = f.iloc[:obs.days].copy()
        for c in SERIES:
            p = mean_level(g[c], fit_days)
            g[c] = g[c].astype(float) * (real_level[c] / p if p and p > 0 else 0.0)
        scaled.append(g)
    bands, inside90, inside50, level = {}, {}, {}, {}
    test = slice(fit_days, obs.days) if fit_days < obs.days else slice(0, obs.days)
    for c in SERIES:
        m = np.vstack([rolling_mean(g[c], SMOOTH_DAYS) for g in scaled])
        bands[c] = np.nanpercentile(m, [5, 25, 50, 75, 95], axis=0)
        r = real[c][test]
        have = np.isfinite(r) & ~obs.mask[test]
        b = bands[c][:, test]
        inside90[c] = float(np.mean((r >= b[0]) & (r <= b[4]))) if have.any() else float("nan")
        inside50[c] = float(np.mean((r[have] >= b[1][have]) & (r[have] <= b[3][have]))) if have.any() else float("nan")
        real_level = float(np.nanmean(r[have])) if have.any() else float("nan")
        sim_level = float(np.nanmedian(np.nanmean(m[:, test][:, have], axis=1))) if have.any() else float("nan")
        level[c] = (sim_level - real_level) / real_level if real_level and math.isfinite(real_level) else float("nan")
    return Predictive(obs.days, fit_days, real, bands, len(ok), len(frames) - len(ok), inside90, inside50, level,
                      scaled)


# ----------------------------------------------------------------------------------------
# the fitted configuration as a Hydra experiment preset
# ----------------------------------------------------------------------------------------


def _nest(values: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, text in values.items():
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = text
    return out


def _yaml_lines(tree: dict[str, Any], indent: int = 0) -> list[str]:
    lines = []
    for k, v in tree.items():
        if isinstance(v, dict):
            lines.append(" " * indent + f"{k}:")
            lines.extend(_yaml_lines(v, indent + 2))
        else:
            lines.append(" " * indent + f"{k}: {v}")
    return lines


def preset_text(name: str, summary: dict[str, dict[str, float]], setup: SimSetup, days: int,
                header: Sequence[str]) -> str:
    """A ``# @package _global_`` preset: the base's groups as defaults overrides, the size cap,
    the posterior medians; ``header``, the intervals and the command (with the data's horizon)
    as a comment block."""
    groups, values = [], {}
    for item in setup.base:
        key, _, value = item.partition("=")
        key = key.lstrip("+")
        if "." in key or key in ("seed", "days"):
            values[key] = value
        else:
            groups.append(f"  - override /{key}: {value}")
    values["arrivals.cap"] = str(setup.cap)
    for path, s in summary.items():
        values[path] = value_text(path, s["median"])
    comment = [f"# {line}" if line else "#" for line in header]
    comment.append("# Posterior (median [50% interval] [90% interval]; prior box):")
    for path, s in summary.items():
        comment.append(f"#   {path}: {value_text(path, s['median'])} [{s['q25']:.4g}, {s['q75']:.4g}] "
                       f"[{s['q05']:.4g}, {s['q95']:.4g}]; prior {'log-' if s['log'] else ''}uniform "
                       f"[{s['prior_low']:g}, {s['prior_high']:g}]")
    # configs/config.yaml sets days after the presets (its _self_ comes last), so the horizon
    # travels on the command line: the data's length, days 0..days-1.
    comment.append(f"# Run: python experiments/run.py experiment={name} days={days - 1}")
    body = ["# @package _global_", *comment]
    if groups:
        body += ["defaults:", *groups]
    body += _yaml_lines(_nest(values))
    return "\n".join(body) + "\n"
