"""Global sensitivity of the main outcomes to the strategy levers (SALib).

Which levers a strategist controls move the main outcomes most, and how much is luck? Each
screened lever of :mod:`analysis.registry` (``SCREENED_LEVERS``, over the range a strategist
would try) is varied on the typical_group base with a monthly purge and a VIP tier (so
self-operation is possible); each point is one run. Runs that are compared share their seed
(common random numbers), so a lever's effect is not blurred by the simulation's noise. Two
methods (docs/sensitivity.md):

- **Morris screening** (Morris 1991; Campolongo et al. 2007): one lever at a time along
  ``trajectories`` random trajectories, one seed per trajectory; μ* (mean absolute
  elementary effect over the lever's range) ranks the levers, σ large relative to μ* flags
  interactions or non-linearity. Runs = trajectories × (k + 1): cheap, a ranking only.
- **Sobol indices** (Sobol 2001; Saltelli et al. 2010 estimators): the share of an
  outcome's variance each lever explains alone (S1) and with all its interactions (ST), with
  bootstrap confidence intervals, and the same for the seed (:data:`LUCK`), a factor of the
  design. Runs = base_samples × (k + 3): 10³–10⁴ runs for useful intervals, which the
  vector engine (the ensemble runner's default) makes affordable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.ensemble import ok_runs, run_ensemble
from analysis.registry import LEVER_BY_NAME, SCREENED_LEVERS

#: Outcomes screened (sim/observe.py outcomes).
OUTCOMES = ("lifespan_days", "self_operating_days", "weekly_speaking_rate", "peak_members", "kol_exits")
#: The Sobol design's name for the run's seed (the luck of the draw).
LUCK = "seed"
BASE = ("scenario=typical_group", "strategy/zombie_purge=monthly", "strategy/monetisation=vip")


def problem() -> dict:
    levers = [LEVER_BY_NAME[n] for n in SCREENED_LEVERS]
    return {"num_vars": len(levers), "names": [lv.key for lv in levers],
            "bounds": [[lv.low, lv.high] for lv in levers]}


def _outcome_table(X: np.ndarray, base: tuple[str, ...], days: int | None, seeds: np.ndarray) -> pd.DataFrame:
    """One run per row of ``X`` (lever values in ``SCREENED_LEVERS`` order) with its seed: the
    ensemble runner's table, in row order (every run must succeed: the designs are paired)."""
    levers = [LEVER_BY_NAME[n] for n in SCREENED_LEVERS]
    jobs = []
    for row, seed in zip(X, seeds):
        ov = [*BASE, *base, f"seed={int(seed)}", *([f"days={days}"] if days is not None else [])]
        ov += [f"{lv.key}={int(round(x)) if lv.integer else round(float(x), 4)}" for lv, x in zip(levers, row)]
        jobs.append(ov)
    table = ok_runs(run_ensemble(jobs))
    if len(table) != len(X):
        raise RuntimeError(f"sensitivity: {len(X) - len(table)} of {len(X)} runs failed; the design needs every run")
    return table


def _outcome(table: pd.DataFrame, name: str) -> np.ndarray:
    """An outcome as floats; NaN (no such event in the run, e.g. never self-operating) as 0."""
    return table[name].astype(float).fillna(0.0).to_numpy()


def morris_screening(trajectories: int = 6, levels: int = 4, seed: int = 7, base: tuple[str, ...] = (),
                     days: int | None = None) -> dict:
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    prob = problem()
    X = morris_sample.sample(prob, trajectories, num_levels=levels, seed=seed)
    # One seed per trajectory (common random numbers): an elementary effect compares two
    # runs that differ in one lever only, not also in their luck.
    table = _outcome_table(X, base, days, 5000 + np.arange(len(X)) // (prob["num_vars"] + 1))
    out = {"method": "morris", "runs": len(table), "trajectories": trajectories, "levers": prob["names"],
           "results": {}}
    for name in OUTCOMES:
        res = morris_analyze.analyze(prob, X, _outcome(table, name), num_levels=levels, print_to_console=False)
        out["results"][name] = {"mu_star": [float(v) for v in res["mu_star"]],
                                "mu_star_conf": [float(v) for v in res["mu_star_conf"]],
                                "sigma": [float(v) for v in res["sigma"]]}
    return out


def sobol_design(base_samples: int, seed: int = 7) -> tuple[dict, np.ndarray, np.ndarray]:
    """The Saltelli design without second order: the problem (levers + :data:`LUCK`), the
    lever values of every run (rows in SALib's order: per base sample, A, then A with each
    factor taken from B, then B) and every run's seed."""
    from SALib.sample import sobol as sobol_sample

    if base_samples < 8 or base_samples & (base_samples - 1):
        raise ValueError(f"base_samples = {base_samples}: must be a power of two, at least 8 (Sobol' sequences)")
    prob = problem()
    prob = {"num_vars": prob["num_vars"] + 1, "names": [*prob["names"], LUCK], "bounds": [*prob["bounds"], [0.0, 1.0]]}
    X = sobol_sample.sample(prob, base_samples, calc_second_order=False, seed=seed)
    return prob, X[:, :-1], np.floor(X[:, -1] * 2**31).astype(np.int64)


def sobol_indices(base_samples: int = 256, seed: int = 7, base: tuple[str, ...] = (),
                  days: int | None = None) -> dict:
    """First-order (S1) and total (ST) Sobol indices of every outcome, with 95 % bootstrap
    half-widths (``*_conf``), for every lever and for :data:`LUCK`, the run's seed.

    The seed is a factor of the design (a uniform mapped to an integer seed), not a fresh
    seed per run: a run and its partner with one lever changed then share their seed (common
    random numbers), so a lever's ST is its effect, not its effect plus the simulation's
    noise, and the seed's own indices say how much of an outcome is the luck of the draw.
    ``base_samples`` must be a power of two (Sobol' sequences); the design is
    base_samples × (levers + 3) runs. An outcome that does not vary (e.g. no group
    self-operates within ``days``) has NaN indices."""
    from SALib.analyze import sobol as sobol_analyze

    prob, X, seeds = sobol_design(base_samples, seed)
    table = _outcome_table(X, base, days, seeds)
    out = {"method": "sobol", "runs": len(table), "base_samples": base_samples, "levers": prob["names"],
           "results": {}}
    for name in OUTCOMES:
        Y = _outcome(table, name)
        if np.ptp(Y) == 0:  # no variance to share out: the indices are undefined
            nan = [float("nan")] * prob["num_vars"]
            out["results"][name] = {"S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan}
            continue
        res = sobol_analyze.analyze(prob, Y, calc_second_order=False, seed=seed, print_to_console=False)
        out["results"][name] = {k: [float(v) for v in res[k]] for k in ("S1", "S1_conf", "ST", "ST_conf")}
    return out


def ranking(sens: dict, outcome: str) -> list[tuple[str, float, float]]:
    """Levers by importance, largest first: (config key, μ*, σ) for Morris, (config key, ST,
    S1) for Sobol."""
    r = sens["results"][outcome]
    first, second = ("ST", "S1") if sens.get("method") == "sobol" else ("mu_star", "sigma")
    return sorted(zip(sens["levers"], r[first], r[second]), key=lambda x: -np.nan_to_num(x[1], nan=-1.0))


def normalised(sens: dict) -> np.ndarray:
    """μ* of each outcome (rows) and lever (columns), scaled to the outcome's largest μ*."""
    mu = np.array([sens["results"][name]["mu_star"] for name in OUTCOMES])
    return mu / np.where(mu.max(axis=1, keepdims=True) > 0, mu.max(axis=1, keepdims=True), 1.0)
