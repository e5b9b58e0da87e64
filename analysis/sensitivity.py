"""Morris elementary-effects screening of the strategy levers (SALib).

Which levers a strategist controls move the main outcomes most? Each screened lever of
:mod:`analysis.registry` (``SCREENED_LEVERS``, over the range a strategist would try) is
varied one at a time along ``trajectories`` random Morris trajectories (Morris 1991;
Campolongo et al. 2007), on the typical_group base with a monthly purge and a VIP tier
(so self-operation is possible); each point is one run (own seed). μ* (mean absolute
elementary effect over the lever's range) ranks the levers; σ large relative to μ* flags
interactions or non-linearity. Runs = trajectories × (k + 1).
"""

from __future__ import annotations

import numpy as np

from analysis.ensemble import ok_runs, run_ensemble
from analysis.registry import LEVER_BY_NAME, SCREENED_LEVERS

#: Outcomes screened (sim/observe.py outcomes).
OUTCOMES = ("lifespan_days", "self_operating_days", "weekly_speaking_rate", "peak_members", "kol_exits")
BASE = ("scenario=typical_group", "strategy/zombie_purge=monthly", "strategy/monetisation=vip")


def problem() -> dict:
    levers = [LEVER_BY_NAME[n] for n in SCREENED_LEVERS]
    return {"num_vars": len(levers), "names": [lv.key for lv in levers],
            "bounds": [[lv.low, lv.high] for lv in levers]}


def morris_screening(trajectories: int = 6, levels: int = 4, seed: int = 7, base: tuple[str, ...] = ()) -> dict:
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    prob = problem()
    levers = [LEVER_BY_NAME[n] for n in SCREENED_LEVERS]
    X = morris_sample.sample(prob, trajectories, num_levels=levels, seed=seed)
    jobs = []
    for i, row in enumerate(X):
        ov = [*BASE, *base, f"seed={5000 + i}"]
        ov += [f"{lv.key}={int(round(x)) if lv.integer else round(float(x), 4)}" for lv, x in zip(levers, row)]
        jobs.append(ov)
    table = ok_runs(run_ensemble(jobs))
    out = {"runs": len(table), "trajectories": trajectories, "levers": prob["names"], "results": {}}
    for name in OUTCOMES:
        Y = table[name].astype(float).fillna(0.0).to_numpy()
        res = morris_analyze.analyze(prob, X, Y, num_levels=levels, print_to_console=False)
        out["results"][name] = {"mu_star": [float(v) for v in res["mu_star"]],
                                "mu_star_conf": [float(v) for v in res["mu_star_conf"]],
                                "sigma": [float(v) for v in res["sigma"]]}
    return out


def ranking(sens: dict, outcome: str) -> list[tuple[str, float, float]]:
    """Levers by μ* (largest first): (config key, μ*, σ)."""
    r = sens["results"][outcome]
    return sorted(zip(sens["levers"], r["mu_star"], r["sigma"]), key=lambda x: -x[1])


def normalised(sens: dict) -> np.ndarray:
    """μ* of each outcome (rows) and lever (columns), scaled to the outcome's largest μ*."""
    mu = np.array([sens["results"][name]["mu_star"] for name in OUTCOMES])
    return mu / np.where(mu.max(axis=1, keepdims=True) > 0, mu.max(axis=1, keepdims=True), 1.0)
