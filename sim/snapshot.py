"""Snapshots: the whole state of a group on a given day, to continue it later.

A snapshot is the pickled :class:`~sim.model.CommunityModel` — members with roles, traits,
satisfaction, tenure and ties, the founder's energy, every mechanism's state (KOL-perceived
quality, red packets, the lifecycle's windows), the daily rows and the turning points so far,
and the random generators' state — in an envelope with a format version and the parameter
keys it was made with. :func:`continue_from` loads it under a new configuration: the group's
state comes from the snapshot, the strategy from the new ``Params``. With the same seed and
configuration the continued run is the uninterrupted run, row for row; with another seed the
generators are reseeded from (seed, day), so a sweep over seeds gives different futures of the
same group.

The main job writes ``snapshot.pkl`` (``analysis.files.write_atomic``). Pickle runs code when
loaded: load only snapshots you (or your own runs) wrote.
"""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import numpy as np

from sim.model import CommunityModel
from sim.params import ParamError, Params, _walk, validate

#: Bump when the model's state changes shape: older snapshots are refused, not misread.
SNAPSHOT_VERSION = 2  # 2: turning points are sim.events.Event (issue 29)
_FORMAT = "community-lifecycle snapshot"


class SnapshotError(ParamError):
    """A snapshot that cannot be continued: names the file and why."""


def _param_keys(p: Params) -> list[str]:
    return sorted(key for key, _, _ in _walk(p))


def dumps(model: CommunityModel) -> bytes:
    """The model's whole state as bytes (write them with ``analysis.files.write_atomic``)."""
    envelope = {"format": _FORMAT, "version": SNAPSHOT_VERSION, "day": model.day, "seed": model.p.seed,
                "param_keys": _param_keys(model.p), "model": model}
    return pickle.dumps(envelope, protocol=pickle.HIGHEST_PROTOCOL)


def load(path: str | Path) -> tuple[CommunityModel, dict]:
    """The model in a snapshot file and its envelope; SnapshotError when it is not one we can use."""
    where = f"start.snapshot = {path}"
    try:
        envelope = pickle.loads(Path(path).read_bytes())
    except OSError as e:
        raise SnapshotError(f"{where}: cannot be read ({e.strerror or e})") from None
    except Exception as e:  # noqa: BLE001 - any unpickling failure means "not a snapshot of this code"
        raise SnapshotError(f"{where}: not a snapshot this version of the model can read ({type(e).__name__}: {e})") from None
    if not isinstance(envelope, dict) or envelope.get("format") != _FORMAT:
        raise SnapshotError(f"{where}: not a snapshot (written by experiments/run.py as snapshot.pkl)")
    if envelope.get("version") != SNAPSHOT_VERSION:
        raise SnapshotError(f"{where}: snapshot format version {envelope.get('version')}, this model reads version "
                            f"{SNAPSHOT_VERSION}: rerun the earlier run to make a new snapshot")
    return envelope["model"], envelope


def check_continuation(params: Params, model: CommunityModel, envelope: dict) -> None:
    """SnapshotError unless ``params`` can continue the snapshot's group (same parameter keys,
    a later horizon, timeline changes after its day, a group still alive)."""
    where = f"start.snapshot = {params.start.snapshot}"
    keys = set(_param_keys(params))
    old = set(envelope["param_keys"])
    if keys != old:
        diff = sorted(keys ^ old)
        raise SnapshotError(f"{where}: made with other parameters ({', '.join(diff[:8])}"
                            f"{' ...' if len(diff) > 8 else ''} differ): rerun the earlier run to make a new snapshot")
    day = model.day
    if model.lifecycle.ended:
        raise SnapshotError(f"{where}: the group died on day {model.lifecycle.dead_day}: nothing to continue")
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
    model, envelope = load(params.start.snapshot)
    check_continuation(params, model, envelope)
    day = model.day
    model.p = params
    if params.seed != envelope["seed"]:
        # Another seed: another future of the same group (reseeded from seed and day).
        model.rng = np.random.default_rng([params.seed, day])
        model.random = random.Random(int(model.rng.integers(2**63)))
        model._all_agents.random = model.random
    model.running = True
    return model
