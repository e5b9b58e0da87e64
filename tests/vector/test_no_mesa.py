"""The vector engine stands on its own: importing and running it loads no Mesa (issue 29).
Its shared words, state, events and outcomes come from the neutral modules (sim/vocab.py,
sim/state.py, sim/events.py, sim/outcomes.py), not from the Mesa engine's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_vector_engine_imports_and_runs_without_mesa() -> None:
    code = ("import sys\nimport sim.vector\nassert 'mesa' not in sys.modules, 'import sim.vector loaded mesa'\n"
            "from sim import Params\nr = sim.vector.simulate_batch([Params(days=10, seed=1)])[0]\n"
            "assert r.outcomes['days_run'] == 11 and r.events is not None\n"
            "assert 'mesa' not in sys.modules, 'a vector run loaded mesa'\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
