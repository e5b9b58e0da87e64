"""Morris elementary-effects screening of the strategy levers (SALib).

    python experiments/sensitivity.py --trajectories 10      # prints the ranking

Which levers a strategist controls move the main outcomes most? Each of the ``LEVERS``
below (strategy parameters of sim/params.py, over the ranges a strategist would try) is
varied one at a time along ``trajectories`` random Morris trajectories (Morris 1991;
Campolongo et al. 2007), on the typical_group base with a monthly purge and a VIP tier;
each point is one run (own seed).
μ* (mean absolute elementary effect, normalised by the lever's range) ranks the levers;
σ large relative to μ* flags interactions or non-linearity. Runs = trajectories × (k+1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

#: (override key, low, high, integer?) — strategy levers only.
LEVERS: list[tuple[str, float, float, bool]] = [
    ("seeding.seed_users", 5, 60, True),
    ("entry.fit_cutoff", 0.0, 0.7, False),
    ("entry.spammer_pass", 0.0, 1.0, False),
    ("ads.quota_per_day", 1, 10, True),
    ("cadence.posts_per_week", 0, 28, False),
    ("moderation.capacity_per_day", 0, 20, False),
    ("roles.kol_incentive", 0.0, 1.0, False),
    ("arrivals.promotion_per_day", 0, 10, False),
    ("churn.zombie_days", 20, 120, True),
]

#: Outcomes screened (sim/observe.py outcomes, plus the validation's weekly-speaker measure).
OUTCOMES = ("lifespan_days", "self_operating_days", "weekly_speaking_rate", "peak_members", "kol_exits")


def _problem() -> dict:
    return {"num_vars": len(LEVERS), "names": [k for k, *_ in LEVERS],
            "bounds": [[lo, hi] for _, lo, hi, _ in LEVERS]}


def morris_screening(trajectories: int = 6, levels: int = 4, seed: int = 7, base: tuple[str, ...] = ()) -> dict:
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    from experiments.validate import run_many

    problem = _problem()
    X = morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    jobs = []
    for i, row in enumerate(X):
        ov = ["scenario=typical_group", "strategy/zombie_purge=monthly", "strategy/monetisation=vip", *base,
              f"seed={5000 + i}"]
        for (key, _, _, is_int), x in zip(LEVERS, row):
            ov.append(f"{key}={int(round(x)) if is_int else round(float(x), 4)}")
        jobs.append(ov)
    runs = run_many(jobs)
    out = {"runs": len(runs), "trajectories": trajectories, "levers": problem["names"], "results": {}}
    for name in OUTCOMES:
        Y = np.array([float(r.outcomes.get(name) or 0.0) for r in runs])
        res = morris_analyze.analyze(problem, X, Y, num_levels=levels, print_to_console=False)
        out["results"][name] = {"mu_star": [float(v) for v in res["mu_star"]],
                                "mu_star_conf": [float(v) for v in res["mu_star_conf"]],
                                "sigma": [float(v) for v in res["sigma"]]}
    return out


def ranking(sens: dict, outcome: str) -> list[tuple[str, float, float]]:
    r = sens["results"][outcome]
    rows = list(zip(sens["levers"], r["mu_star"], r["sigma"]))
    return sorted(rows, key=lambda x: -x[1])


def figure(sens: dict):
    """Normalised μ* per lever (each outcome scaled to its largest μ*): a heat map."""
    import plotly.graph_objects as go

    levers = sens["levers"]
    z, text = [], []
    for name in OUTCOMES:
        mu = np.array(sens["results"][name]["mu_star"])
        top = mu.max() or 1.0
        z.append(list(mu / top))
        text.append([f"{v:.3g}" for v in mu])
    fig = go.Figure(go.Heatmap(z=z, x=levers, y=list(OUTCOMES), text=text, texttemplate="%{text}",
                               colorscale="Blues", zmin=0, zmax=1, colorbar=dict(title="μ*/max")))
    fig.update_layout(title=f"Morris screening: μ* of each strategy lever ({sens['runs']} runs, "
                            f"{sens['trajectories']} trajectories)", height=380, margin=dict(l=160, b=140))
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trajectories", type=int, default=10)
    args = ap.parse_args(argv)
    sens = morris_screening(args.trajectories)
    for name in OUTCOMES:
        print(name)
        for lever, mu, sig in ranking(sens, name):
            print(f"  {lever:30s} mu*={mu:10.3f}  sigma={sig:10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
