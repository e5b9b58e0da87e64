"""The floor plan: packages import only downward, ``sim`` ← ``analysis`` ← ``dashboards`` ←
``experiments``, and the tools on top of them (the Hydra launcher in ``hydra_plugins/``,
``benchmarks/``, ``scripts/``) may use any layer but none uses them. ``sim`` imports no Hydra
or OmegaConf (a notebook builds Params directly). Read from the source (ast), so a lazy import
inside a function counts too, and ``from hydra import compose`` as much as ``import hydra``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("sim", "analysis", "dashboards", "experiments")
#: Above every layer; each folder is checked like a layer (nothing below may import it).
TOOLS = ("hydra_plugins", "benchmarks", "scripts")
HYDRA = {"hydra", "omegaconf"}


def imported_packages(path: Path) -> set[str]:
    """The top-level names of every absolute import in a file (``from a.b import c`` -> ``a``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_the_reader_sees_every_form_of_import(tmp_path) -> None:
    src = tmp_path / "m.py"
    src.write_text("import hydra.core\nfrom omegaconf import OmegaConf\nfrom .x import y\n"
                   "def f():\n    from experiments.run import main\n    import analysis.stats as s\n")
    assert imported_packages(src) == {"hydra", "omegaconf", "experiments", "analysis"}


@pytest.mark.parametrize("layer", LAYERS + TOOLS)
def test_imports_point_down_only(layer: str) -> None:
    # The tools sit side by side on top: each may use every layer, not another tool.
    above = (set(LAYERS[LAYERS.index(layer) + 1:]) if layer in LAYERS else set()) | set(TOOLS) - {layer}
    files = sources(layer)
    assert files, f"{layer}/ has no Python files: the check would pass on nothing"
    wrong = {str(p.relative_to(ROOT)): sorted(imported_packages(p) & above) for p in files}
    assert not {k: v for k, v in wrong.items() if v}, f"{layer} imports from a layer above it"


def test_sim_needs_no_hydra() -> None:
    """A notebook builds Params directly: the model never imports Hydra or OmegaConf."""
    wrong = {str(p.relative_to(ROOT)): sorted(imported_packages(p) & HYDRA) for p in sources("sim")}
    assert not {k: v for k, v in wrong.items() if v}
