"""Hydra ⇄ sim: the typed config schema, and composing ``Params`` from configs/.

The main job, the sweeps and the classroom page all build a model through
:func:`to_params`, so a scenario means the same thing everywhere (PITFALLS: SolaraViz
re-creates the model from its own parameters on reset).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml
from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig, OmegaConf

from sim.params import ParamError, Params, validate

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


@dataclass
class RunConfig(Params):
    """What the main job reads: the model's Params plus run settings."""

    progress: bool = True  # progress bar on a terminal (silent under CI / non-TTY)
    report: bool = True  # write report.html (~5 MB, most of a short job's time: presets turn it off)
    debug_fail: bool = False  # raise on purpose: tests that a failing sweep job loses nothing


def register_configs() -> None:
    """Register the schema so unknown keys and wrong types fail before a run starts."""
    ConfigStore.instance().store(name="base_config", node=RunConfig)


def to_params(cfg: DictConfig) -> RunConfig:
    """Typed, range-checked parameters from a composed config (raises ParamError)."""
    _reject_unknown_keys(cfg, RunConfig)
    return validate(OmegaConf.to_object(cfg))


def _reject_unknown_keys(cfg: DictConfig, schema: type, prefix: str = "") -> None:
    """The schema already refuses typos; this also refuses keys added with ``+key=...``."""
    fields = {f.name: f for f in dataclasses.fields(schema)}
    for key in cfg:
        if key not in fields:
            raise ParamError(f"unknown key {prefix}{key}: allowed keys are {', '.join(fields)}")
        node = cfg[key]
        sub_schema = OmegaConf.get_type(cfg, key) if isinstance(node, DictConfig) else None
        if sub_schema is not None and dataclasses.is_dataclass(sub_schema):
            _reject_unknown_keys(node, sub_schema, f"{prefix}{key}.")


def load_params(overrides: list[str] | None = None) -> RunConfig:
    """Compose configs/ with command-line style overrides, outside of ``@hydra.main``."""
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=list(overrides or []))
    return to_params(cfg)


def scenario_catalog() -> dict[str, str]:
    """Scenario name → the description a viewer reads (from configs/scenario/*.yaml)."""
    out = {}
    for path in sorted((CONFIG_DIR / "scenario").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text()) or {}
        out[path.stem] = doc.get("scenario", {}).get("description", "").strip()
    return out
