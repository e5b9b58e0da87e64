"""The vector engine's reactive changes: every watched change of the batch as one array.

One entry per (community, reactive change of its timeline); each morning the rule
(sim/rules/reactions.py) reads yesterday's row of every community at once, as the Mesa engine
reads its one group's (sim/processes/timeline.py), and says which entries fire.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.params import Change, Params
from sim.rules.reactions import holds, metric, watch
from sim.vector.observe import COLUMNS


class Watches:
    """The batch's reactive changes and their memory (streak, firings, last firing day)."""

    def __init__(self, params: Sequence[Params]) -> None:
        found = [(r, ch) for r, p in enumerate(params) for ch in p.timeline if ch.when is not None]
        self.changes: list[Change] = [ch for _, ch in found]
        self.run = np.array([r for r, _ in found], dtype=np.int64)
        self.metric = np.array([ch.when.metric for ch in self.changes], dtype=object)
        self.op = np.array([ch.when.op for ch in self.changes], dtype=object)
        self.value = np.array([ch.when.value for ch in self.changes], dtype=np.float64)
        self.for_days = np.array([ch.when.for_days for ch in self.changes], dtype=np.int64)
        self.repeat = np.array([ch.repeat for ch in self.changes], dtype=bool)
        self.cooldown = np.array([ch.cooldown_days for ch in self.changes], dtype=np.int64)
        self.streak = np.zeros(len(found), np.int64)
        self.fired = np.zeros(len(found), np.int64)
        self.last_fired = np.full(len(found), -1, np.int64)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def due(self, yesterday: np.ndarray, day: int, running: np.ndarray) -> list[tuple[int, Change, float]]:
        """(community, change, the watched value) of each change that fires this morning, in
        timeline order; ``yesterday``: the ``(R, len(COLUMNS))`` rows of the day before."""
        row = {c: yesterday[:, k] for k, c in enumerate(COLUMNS)}
        values = np.empty(self.run.size)
        for name in set(self.metric.tolist()):
            at = self.metric == name
            values[at] = np.asarray(metric(row, name))[self.run[at]]
        live = np.asarray(running)[self.run]
        fire, streak = watch(holds(values, self.op, self.value), self.streak, self.fired, self.last_fired, day,
                             self.for_days, self.repeat, self.cooldown)
        fire &= live
        self.streak = np.where(live, streak, self.streak)
        self.fired += fire
        self.last_fired = np.where(fire, day, self.last_fired)
        return [(int(self.run[j]), self.changes[j], float(values[j])) for j in np.flatnonzero(fire)]
