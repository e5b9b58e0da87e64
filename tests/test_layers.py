"""The floor plan: packages import only downward, ``sim`` ← ``analysis`` ← ``dashboards`` ←
``experiments``. Read from the source (ast), so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("sim", "analysis", "dashboards", "experiments")


def imported_packages(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out & set(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down_only(layer: str) -> None:
    above = set(LAYERS[LAYERS.index(layer) + 1:])
    wrong = {str(p.relative_to(ROOT)): sorted(imported_packages(p) & above) for p in (ROOT / layer).rglob("*.py")}
    assert not {k: v for k, v in wrong.items() if v}, f"{layer} imports from a layer above it"


def test_sim_needs_no_hydra() -> None:
    """A notebook builds Params directly: the model never imports Hydra or OmegaConf."""
    for p in (ROOT / "sim").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        assert "import hydra" not in text and "omegaconf" not in text, p
