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


#: What the vector engine may import from the rest of ``sim`` when it loads: the shared model
#: (parameters, roles, words, member state, turning points, outcomes, the rules' formulas in
#: sim/rules/, which both engines call) and the two plain graph
#: modules (the latent network's generators, the edge-list reader). The Mesa engine's modules
#: (sim.model, sim.snapshot) only inside the functions that start a batch from a Mesa model.
SHARED = {"sim.params", "sim.roles", "sim.vocab", "sim.state", "sim.events", "sim.outcomes", "sim.friends",
          "sim.network"}


def _loaded_imports(path: Path) -> set[str]:
    """The ``sim.*`` modules a file imports when it loads (not under TYPE_CHECKING, not in a function)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # ``if TYPE_CHECKING:``: never at run time
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sim"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("sim")}
    return out


def test_the_vector_engine_loads_only_the_shared_model() -> None:
    loaded = {str(p.relative_to(ROOT)): _loaded_imports(p) for p in (ROOT / "sim" / "vector").glob("*.py")}
    wrong = {f: sorted(x for x in m - SHARED if not x.startswith(("sim.vector", "sim.rules"))) for f, m in loaded.items()}
    wrong = {f: m for f, m in wrong.items() if m}
    assert wrong == {}, "the vector engine loads a Mesa-engine module"
