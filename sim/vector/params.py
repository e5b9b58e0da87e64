"""Per-community parameters as arrays: one column per ``Params`` field, one row per community.

A batch may mix parameter sets (a whole sweep grid is one batch), so every process reads
its parameters as ``(R,)`` arrays — ``T.conversation.kol_posts_per_day[r]`` — instead of
one scalar. Enums become arrays of their string values (``T.ads.policy == "ban"``), bools
bool arrays. A strategy change of a timeline rewrites one community's row
(:meth:`ParamTable.set_row`).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from types import SimpleNamespace

import numpy as np

from sim.params import Params

#: Sections that are not parameters of the dynamics (names, paths, the timeline, the engine).
_SKIP = ("scenario", "start", "timeline", "engine")


def _column(values: list) -> np.ndarray:
    first = values[0]
    if isinstance(first, enum.Enum):
        return np.array([v.value for v in values])
    if isinstance(first, bool):
        return np.array(values, dtype=bool)
    if isinstance(first, int):
        return np.array(values, dtype=np.int64)
    if isinstance(first, float):
        return np.array(values, dtype=np.float64)
    return np.array(values, dtype=object)


class ParamTable:
    """``(R,)`` arrays of every parameter of a batch of ``Params``; see the module docstring."""

    def __init__(self, params: Sequence[Params]) -> None:
        self.params = list(params)
        self.R = len(self.params)
        self.days = np.array([p.days for p in self.params], dtype=np.int64)
        self.seed = np.array([p.seed for p in self.params], dtype=np.int64)
        for f in dataclasses.fields(Params):
            section = getattr(self.params[0], f.name)
            if f.name in _SKIP or not dataclasses.is_dataclass(section):
                continue
            ns = SimpleNamespace()
            for g in dataclasses.fields(section):
                setattr(ns, g.name, _column([getattr(getattr(p, f.name), g.name) for p in self.params]))
            setattr(self, f.name, ns)

    def set_row(self, r: int, p: Params) -> None:
        """Community ``r`` follows ``p`` from now on (a timeline change)."""
        self.params[r] = p
        for name, ns in vars(self).items():
            if not isinstance(ns, SimpleNamespace):
                continue
            section = getattr(p, name)
            for key, col in vars(ns).items():
                value = getattr(section, key)
                col[r] = value.value if isinstance(value, enum.Enum) else value
