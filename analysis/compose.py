"""Hydra ⇄ sim: the typed config schema, and composing ``Params`` from configs/.

The main job, the sweeps and the classroom page all build a model through
:func:`to_params`, so a scenario means the same thing everywhere (PITFALLS: SolaraViz
re-creates the model from its own parameters on reset).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    # The day a timeline preset (configs/timeline/) switches strategy: a swept number; -1 = never,
    # 0 = today (the first day the run simulates: TODAY).
    switch_day: int = -1
    # A reactive playbook's alarm (configs/timeline/, ``when:``): it reacts once the watched share
    # has been below ``alarm_level`` for ``alarm_days`` days in a row; swept numbers.
    alarm_level: float = 0.1
    alarm_days: int = 14
    # Write snapshot.pkl (the whole group, to continue it with start.snapshot=<path>):
    # null = single runs do, sweep jobs do not; true/false = always/never. engine=vector writes
    # none (it has no model object to pickle): snapshot=true or snapshot_day with it is an error.
    snapshot: bool | None = None
    snapshot_day: int = -1  # the day the snapshot is of; -1 = the run's last day
    report: bool = True  # write report.html (~5 MB, most of a short job's time: presets turn it off)


#: Set by the test suite (tests/conftest.py) to admit its failure switch; never in production.
TEST_HOOKS_ENV = "COMMUNITY_TEST_HOOKS"


@dataclass
class TestHooksConfig(RunConfig):
    """The schema under the test suite: a job that fails on purpose proves a failing sweep
    job loses nothing. Production configs refuse ``debug_fail`` as an unknown key."""

    debug_fail: bool = False


def schema() -> type[RunConfig]:
    return TestHooksConfig if os.environ.get(TEST_HOOKS_ENV) == "1" else RunConfig


def register_configs() -> None:
    """Register the schema so unknown keys and wrong types fail before a run starts."""
    ConfigStore.instance().store(name="base_config", node=schema())


def to_params(cfg: DictConfig) -> RunConfig:
    """Typed, range-checked parameters from a composed config (raises ParamError)."""
    _reject_unknown_keys(cfg, schema())
    params = OmegaConf.to_object(cfg)
    params.start.snapshot = find_start_file(params.start.snapshot)
    params.start.description = find_start_file(params.start.description)
    today = _today(params)
    for change in params.timeline:
        change.set, label = expand_pieces(change.set)
        change.label = change.label or label
        if change.day == TODAY:
            change.day = today
    return _check_run_settings(validate(params))


#: A timeline change (or ``switch_day``) on day 0 is "today": the first day the run simulates,
#: day 1 of a new group or the day after a snapshot's (the starting state is day 0 / the
#: snapshot's day, which no change can alter).
TODAY = 0


def _today(params: Params) -> int:
    if not params.start.snapshot:
        return 1
    from sim.snapshot import SnapshotError, read_header

    try:
        return int(read_header(params.start.snapshot)[0]["day"]) + 1
    except SnapshotError:
        return 1  # the snapshot's own check says what is wrong with it


def find_start_file(path: str) -> str:
    """A relative start file: from the working folder, else from the repository (the shipped
    examples/ work from anywhere)."""
    if not path or Path(path).is_absolute() or Path(path).exists():
        return path
    shipped = CONFIG_DIR.parent / path
    return str(shipped) if shipped.exists() else path


def _check_run_settings(p: RunConfig) -> RunConfig:
    if not (p.switch_day == -1 or TODAY <= p.switch_day <= p.days):
        raise ParamError(f"switch_day = {p.switch_day} is out of range: allowed [{TODAY}, {p.days}] (days; "
                         f"{TODAY} = today) or -1 (never)")
    if not (p.snapshot_day == -1 or 1 <= p.snapshot_day <= p.days):
        raise ParamError(f"snapshot_day = {p.snapshot_day} is out of range: allowed [1, {p.days}] (days) "
                         "or -1 (the last day)")
    if p.engine.name == "vector":  # the vector engine keeps no model object to pickle
        if p.snapshot_day != -1:
            raise ParamError(f"snapshot_day = {p.snapshot_day}: the vector engine writes no snapshot "
                             "(use engine=mesa for a snapshot of a given day)")
        if p.snapshot:
            raise ParamError("snapshot = true: the vector engine writes no snapshot.pkl (use engine=mesa)")
    if p.start.snapshot:  # a snapshot that cannot be continued says so before anything runs
        from sim.snapshot import continue_from

        continue_from(p)
    if p.start.description:  # likewise a description that cannot be founded (~15 ms for 300 members)
        from sim.model import CommunityModel

        CommunityModel(p)
    return p


_PACKAGE = re.compile(r"^#\s*@package\s+(\S+)", re.MULTILINE)


def piece_values(piece: str, option: str) -> dict[str, Any]:
    """A strategy piece's option as dotted keys: ``("entry", "application")`` →
    ``{"entry.threshold": "application", "entry.fit_cutoff": 0.5, ...}``, read from
    configs/strategy/<piece>/<option>.yaml (its ``# @package <section>`` header)."""
    folder = CONFIG_DIR / "strategy"
    pieces = sorted(p.name for p in folder.iterdir() if p.is_dir())
    if piece not in pieces:
        raise ParamError(f"unknown strategy piece strategy/{piece}: allowed {', '.join(pieces)}")
    path = folder / piece / f"{option}.yaml"
    if not path.is_file():
        options = sorted(p.stem for p in (folder / piece).glob("*.yaml"))
        raise ParamError(f"strategy/{piece} = {option!r}: allowed {', '.join(options)}")
    text = path.read_text()
    header = _PACKAGE.search(text)
    if header is None or header.group(1) == "_global_":
        raise ParamError(f"{path}: a strategy piece needs a '# @package <section>' header")
    body = yaml.safe_load(text) or {}
    return {f"{header.group(1)}.{k}": v for k, v in body.items()}


def expand_pieces(values: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A timeline change with ``strategy/<piece>: <option>`` keys as the dotted keys the
    model reads (the piece changes as a whole), and a label naming the pieces."""
    out: dict[str, Any] = {}
    labels = []
    for key, value in values.items():
        if str(key).startswith("strategy/"):
            out.update(piece_values(str(key).split("/", 1)[1], str(value)))
            labels.append(f"{key}={value}")
        else:
            out[key] = value
    return out, ", ".join(labels)


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
    """Compose configs/ with command-line style overrides, outside of ``@hydra.main``.

    Composing takes Hydra ~0.8 s, as long as a small group's year, and an ensemble composes
    once per run. So plain numbers set on known fields (``seed=3``, ``visiting.habit_mean=0.4``,
    ``cadence.weekly_session=false``) are set on a copy of the composition of the other
    overrides, which is cached: the same Params as Hydra's (command-line values are applied
    after the config groups, and a number of the field's type means the same either way).
    Everything else — groups, strings, enums, keys a config interpolates (``switch_day``),
    anything unusual — goes through Hydra, which keeps its error messages."""
    structural, values = [], {}
    for o in overrides or []:
        value = _plain_number(o)
        if value is _NOT_PLAIN:
            structural.append(o)
        else:
            values[o.split("=", 1)[0]] = value
    params = copy.deepcopy(_compose(tuple(structural), os.environ.get(TEST_HOOKS_ENV) == "1"))
    if not values:
        return params
    for key, value in values.items():
        section, _, name = key.rpartition(".")
        setattr(getattr(params, section) if section else params, name, value)
    return _check_run_settings(validate(params))


_NOT_PLAIN = object()
_PLAIN = re.compile(r"^(?P<key>[a-z_]+(?:\.[a-z_]+)?)=(?P<value>-?\d+(?P<frac>\.\d*)?(?:[eE][-+]?\d+)?|true|false)$")


def _plain_number(override: str) -> Any:
    """The typed value of ``key=number`` (or true/false) for a scalar field of that type, else
    ``_NOT_PLAIN`` (the override goes to Hydra)."""
    m = _PLAIN.match(override)
    if m is None or m["key"] in _interpolated_keys():
        return _NOT_PLAIN
    section, _, name = m["key"].rpartition(".")
    owner = schema()
    if section:  # a section is a field whose default is a dataclass (Params.visiting, ...)
        field = {f.name: f for f in dataclasses.fields(owner)}.get(section)
        factory = field.default_factory if field is not None else dataclasses.MISSING
        if factory is dataclasses.MISSING or not dataclasses.is_dataclass(factory):
            return _NOT_PLAIN
        owner = factory
    fields = {f.name: f for f in dataclasses.fields(owner)}
    if name not in fields:
        return _NOT_PLAIN
    kind = fields[name].type if isinstance(fields[name].type, str) else fields[name].type.__name__
    text = m["value"]
    if kind == "bool":
        return text == "true" if text in ("true", "false") else _NOT_PLAIN
    if text in ("true", "false"):
        return _NOT_PLAIN
    is_int = m["frac"] is None and "e" not in text.lower()
    if kind == "int":
        return int(text) if is_int else _NOT_PLAIN
    if kind == "float":
        return float(text)
    return _NOT_PLAIN


@functools.cache
def _interpolated_keys() -> frozenset[str]:
    """Keys a config reads by interpolation (``day: ${switch_day}``): setting one after
    composing would not reach the places that copy it, so those go through Hydra."""
    found = set()
    for path in CONFIG_DIR.rglob("*.yaml"):
        for line in path.read_text().splitlines():
            if not re.match(r"\s*(sub)?dir:", line):  # Hydra's output folder names are no parameters
                found.update(re.findall(r"\$\{([a-z_.]+)\}", line))
    return frozenset(found)


@functools.lru_cache(maxsize=32)
def _compose(overrides: tuple[str, ...], test_hooks: bool) -> RunConfig:
    """Hydra's composition of ``overrides`` (cached: callers get a deep copy)."""
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=list(overrides))
    return to_params(cfg)


def scenario_catalog() -> dict[str, str]:
    """Scenario name → the description a viewer reads (from configs/scenario/*.yaml)."""
    out = {}
    for path in sorted((CONFIG_DIR / "scenario").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text()) or {}
        out[path.stem] = doc.get("scenario", {}).get("description", "").strip()
    return out
