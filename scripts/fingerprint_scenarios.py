"""Fingerprint every scenario's seed-0 run: sha256 of its ``timeseries.csv`` contents.

A refactor that must not change behaviour is checked by comparing the output before and
after (issue "One analysis layer"):

    python scripts/fingerprint_scenarios.py > before.json
    ... change the code ...
    python scripts/fingerprint_scenarios.py | diff before.json -
"""

from __future__ import annotations

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


if __name__ == "__main__":
    print(json.dumps({name: fingerprint(name) for name in scenario_catalog()}, indent=2))
