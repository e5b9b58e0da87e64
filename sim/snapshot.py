"""Snapshots: the whole state of a group on a given day, to continue it later.

A snapshot holds the :class:`~sim.model.CommunityModel` — members with roles, traits,
satisfaction, tenure and ties, the founder's energy, every mechanism's state (KOL-perceived
quality, red packets, the lifecycle's windows), the daily rows and the turning points so far,
and the random generators' state. :func:`continue_from` loads it under a new configuration:
the group's state comes from the snapshot, the strategy from the new ``Params``. With the same
seed and configuration the continued run is the uninterrupted run, row for row; with another
seed the generators are reseeded from (seed, day), so a sweep over seeds gives different
futures of the same group.

Strategists share these files, so opening one must not run anything. The file is a magic
line, a one-line JSON header (format version, day, seed, the parameter keys it was made with)
read before anything else, then the model's pickle, read by an unpickler that builds only
the classes on an allow-list: the project's own classes (``sim.*``) and the containers,
generators and arrays they hold. A plain pickle's ``REDUCE`` can call any function
(``os.system``); here a name off the list is refused before it is looked up, so a crafted
file fails with "not a snapshot" and nothing of it runs. Snapshots of format version 1 (a bare
pickle, before this) are not opened at all.

The main job writes ``snapshot.pkl`` (``analysis.files.write_atomic``).
"""

from __future__ import annotations

import dataclasses
import io
import json
import pickle
import random
from pathlib import Path
from typing import Any

import numpy as np

from sim.model import CommunityModel
from sim.params import ParamError, Params, _walk, validate

#: Bump when the model's state changes shape: older snapshots are refused, not misread.
#: Version 2: header line and allow-listed unpickling (version 1 was a bare pickle);
#: turning points are sim.events.Event. Version 3: daily rows carry ``weekly_speakers`` (alive means talking).
SNAPSHOT_VERSION = 3
_FORMAT = "community-lifecycle snapshot"
_MAGIC = _FORMAT.encode() + b"\n"

#: What a model's pickle may name outside the project's own ``sim.*`` classes: containers,
#: Python's and numpy's generators, numpy scalars and arrays, the network and Mesa's agent set.
#: Classes and constructors only: nothing that reaches a module, a file or the shell.
_ALLOWED = {
    "collections": {"Counter", "deque", "defaultdict", "OrderedDict"},
    "random": {"Random"},
    "numpy": {"dtype", "ndarray"},
    "numpy._core.multiarray": {"scalar", "_reconstruct"},
    "numpy.core.multiarray": {"scalar", "_reconstruct"},
    "numpy._core.numeric": {"_frombuffer"},
    "numpy.core.numeric": {"_frombuffer"},
    "numpy.random._pcg64": {"PCG64"},
    "numpy.random._pickle": {"__bit_generator_ctor", "__generator_ctor"},
    "numpy.random.bit_generator": {"SeedSequence", "__pyx_unpickle_SeedSequence"},
    "networkx.classes.graph": {"Graph"},
    "networkx.classes.coreviews": {"AdjacencyView", "AtlasView"},
    "mesa.agent": {"AgentSet"},
}
#: Mesa keeps the model's ``step`` as a bound method (it wraps the user's step), pickled as
#: ``getattr(model, name)``: only these names, only on a project object.
_BOUND_METHODS = {"step", "_wrapped_step"}


class SnapshotError(ParamError):
    """A snapshot that cannot be continued: names the file and why."""


def _param_keys(p: Params) -> list[str]:
    """The model's parameter keys (not a run's settings, such as the main job's ``switch_day``:
    a snapshot written by one front end continues under another)."""
    model_fields = {f.name for f in dataclasses.fields(Params)}
    return sorted(key for key, _, _ in _walk(p) if key.split(".")[0] in model_fields)


class _ModelPickler(pickle.Pickler):
    """Writes a run's configuration (a ``Params`` subclass with run settings, such as the main
    job's) as the plain ``Params`` it extends: a snapshot holds the model's parameters only, so
    it opens without the layers above ``sim`` and within the allow-list."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Params) and type(obj) is not Params:
            return Params, (), {f.name: getattr(obj, f.name) for f in dataclasses.fields(Params)}
        return NotImplemented


def dumps(model: CommunityModel) -> bytes:
    """The model's whole state as bytes (write them with ``analysis.files.write_atomic``)."""
    header = {"format": _FORMAT, "version": SNAPSHOT_VERSION, "day": model.day, "seed": model.p.seed,
              "param_keys": _param_keys(model.p)}
    body = io.BytesIO()
    _ModelPickler(body, protocol=pickle.HIGHEST_PROTOCOL).dump(model)
    return _MAGIC + json.dumps(header).encode() + b"\n" + body.getvalue()


def _project_getattr(obj: Any, name: str) -> Any:
    if name not in _BOUND_METHODS or not type(obj).__module__.startswith("sim."):
        raise pickle.UnpicklingError(f"getattr({type(obj).__name__}, {name!r}) is not allowed")
    return getattr(obj, name)


class _AllowListUnpickler(pickle.Unpickler):
    """Builds only allow-listed classes: any other global is refused (before its module is
    imported, unless it is one of the project's own ``sim`` modules)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("builtins", "getattr"):
            return _project_getattr
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        if module.split(".")[0] == "sim" and not name.startswith("_"):
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:  # a class defined there, not an import
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not something a snapshot holds")


def read_header(path: str | Path) -> tuple[dict, bytes]:
    """The header of a snapshot file and its model's bytes (not unpickled); SnapshotError when
    the file is not a snapshot of this format."""
    where = f"start.snapshot = {path}"
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise SnapshotError(f"{where}: cannot be read ({e.strerror or e})") from None
    if not data.startswith(_MAGIC):
        if data[:1] == b"\x80":  # a bare pickle: a version-1 snapshot, or anything else
            raise SnapshotError(f"{where}: a snapshot of format version 1 (or another pickle), which this model does "
                                "not open (a bare pickle can run code): rerun the earlier run to make a new snapshot")
        raise SnapshotError(f"{where}: not a snapshot (written by experiments/run.py as snapshot.pkl)")
    line, _, payload = data[len(_MAGIC):].partition(b"\n")
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not (isinstance(header, dict) and header.get("format") == _FORMAT
            and isinstance(header.get("param_keys"), list) and isinstance(header.get("seed"), int)):
        raise SnapshotError(f"{where}: not a snapshot: its header line is damaged")
    if header.get("version") != SNAPSHOT_VERSION:
        raise SnapshotError(f"{where}: snapshot format version {header.get('version')}, this model reads version "
                            f"{SNAPSHOT_VERSION}: rerun the earlier run to make a new snapshot")
    return header, payload


def load(path: str | Path) -> tuple[CommunityModel, dict]:
    """The model in a snapshot file and its header; SnapshotError when it is not one we can use.
    Nothing in the file runs: see the module's docstring."""
    header, payload = read_header(path)
    try:
        model = _AllowListUnpickler(io.BytesIO(payload)).load()
    except Exception as e:  # noqa: BLE001 - any unpickling failure means "not a snapshot of this code"
        raise SnapshotError(f"start.snapshot = {path}: not a snapshot this version of the model can open "
                            f"({type(e).__name__}: {e})") from None
    if not isinstance(model, CommunityModel):
        raise SnapshotError(f"start.snapshot = {path}: not a snapshot: it holds a {type(model).__name__}, not a group")
    return model, header


def check_continuation(params: Params, model: CommunityModel, header: dict) -> None:
    """SnapshotError unless ``params`` can continue the snapshot's group (same parameter keys,
    room for its members under the cap, a later horizon, timeline changes after its day, a
    group still alive)."""
    where = f"start.snapshot = {params.start.snapshot}"
    keys = set(_param_keys(params))
    old = set(header["param_keys"])
    if keys != old:
        diff = sorted(keys ^ old)
        raise SnapshotError(f"{where}: made with other parameters ({', '.join(diff[:8])}"
                            f"{' ...' if len(diff) > 8 else ''} differ): rerun the earlier run to make a new snapshot")
    day = model.day
    if model.lifecycle.ended:
        raise SnapshotError(f"{where}: the group died on day {model.lifecycle.dead_day}: nothing to continue")
    present = len(model.agents)
    if params.arrivals.cap < present:
        raise SnapshotError(f"{where}: arrivals.cap = {params.arrivals.cap} is below the snapshot's {present} members "
                            f"(founder included): allowed at least {present}")
    if params.days <= day:
        raise SnapshotError(f"{where}: the snapshot is of day {day}; days = {params.days} must be later "
                            f"(days counts the group's age: allowed [{day + 1}, 36500])")
    early = [ch for ch in params.timeline if ch.day != -1 and ch.day <= day]
    if early:
        raise SnapshotError(f"{where}: timeline change on day {early[0].day} is not after the snapshot's day {day}: "
                            f"allowed [{day + 1}, {params.days}] or -1 (never)")


def continue_from(params: Params) -> CommunityModel:
    """The group of ``params.start.snapshot``, continued under ``params`` (strategy, horizon, timeline)."""
    params = validate(params)
    model, header = load(params.start.snapshot)
    check_continuation(params, model, header)
    day = model.day
    model.p = params
    if params.seed != header["seed"]:
        # Another seed: another future of the same group (reseeded from seed and day).
        model.rng = np.random.default_rng([params.seed, day])
        model.random = random.Random(int(model.rng.integers(2**63)))
        model._all_agents.random = model.random
    model.running = True
    return model
