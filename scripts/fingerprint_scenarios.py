"""Fingerprint every scenario's runs: a sha256 per scenario.

A refactor that must not change behaviour is checked by comparing the output before and
after (issue "One analysis layer"; the vector engine's exact speed-ups of 2026-12-03/04):

    python scripts/fingerprint_scenarios.py > before.json
    ... change the code ...
    python scripts/fingerprint_scenarios.py | diff before.json -

``--engine mesa`` (default): seed 0 of each scenario, its ``timeseries.csv`` contents.
``--engine vector``: seeds 0..``--seeds``-1 of every scenario as one batch, each run's daily
rows, outcomes, members and turning points (everything a run's files hold), for ``--days``
days (default 200: long enough for decline, ad groups and purges to happen), on ``--device``
(``torch-cpu`` checks that the PyTorch back-end gives numpy's results).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.compose import load_params, scenario_catalog  # noqa: E402
from sim import simulate  # noqa: E402


def fingerprint(scenario: str, seed: int = 0) -> str:
    rows = simulate(load_params([f"scenario={scenario}", f"seed={seed}"])).rows
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return hashlib.sha256(buf.getvalue().encode()).hexdigest()


def vector_fingerprints(seeds: int, days: int, device: str = "cpu") -> dict[str, str]:
    from sim.vector import simulate_batch

    names = list(scenario_catalog())
    params = [load_params([f"scenario={n}", f"seed={s}", f"days={days}"]) for n in names for s in range(seeds)]
    results = simulate_batch(params, device=device)
    out = {}
    for k, name in enumerate(names):
        h = hashlib.sha256()
        for r in results[k * seeds:(k + 1) * seeds]:
            h.update(json.dumps({"rows": list(r.rows), "outcomes": r.outcomes, "members": list(r.member_rows()),
                                 "events": r.events}, default=str, sort_keys=True).encode())
        out[name] = h.hexdigest()
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=("mesa", "vector"), default="mesa")
    ap.add_argument("--seeds", type=int, default=3, help="seeds per scenario (vector)")
    ap.add_argument("--days", type=int, default=200, help="days per run (vector)")
    ap.add_argument("--device", default="cpu", help="engine.device (vector): cpu, torch-cpu, cuda")
    args = ap.parse_args()
    prints = ({name: fingerprint(name) for name in scenario_catalog()} if args.engine == "mesa"
              else vector_fingerprints(args.seeds, args.days, args.device))
    print(json.dumps(prints, indent=2))
