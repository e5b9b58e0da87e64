"""The few functions a rule needs, for a float and for an array alike.

On arrays they are numpy's (``np.exp``, ``np.where`` …), so the vector engine's arrays —
numpy's, or the PyTorch back-end's :class:`~sim.vector.backend.TorchArray`, which numpy's
dispatch routes to PyTorch — go through unchanged. On a Python float they are the ``math``
module's and the builtins: the C library's ``exp`` and ``log`` and numpy's vectorised ones
differ in the last bit for a few per cent of arguments (measured on AVX-512: 4.6% for
``exp``), so the Mesa engine, which computed with ``math`` per member, keeps its runs bit for
bit, and a member's rule stays a float operation (no 0-d arrays, no numpy call per member).

Operators (``+``, ``*``, ``**``, comparisons, ``&``, ``|``) need no helper: they already mean
the same on both. Only ``not`` does (``~True`` is −2): use :func:`logical_not`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

_SCALAR = (bool, int, float, np.generic)


def _scalars(*xs) -> bool:
    return all(isinstance(x, _SCALAR) for x in xs)


def exp(x):
    return math.exp(x) if isinstance(x, _SCALAR) else np.exp(x)


def log(x):
    return math.log(x) if isinstance(x, _SCALAR) else np.log(x)


def where(condition, x, y):
    """``x`` where ``condition`` holds, else ``y`` (both are evaluated: keep them cheap and finite)."""
    if isinstance(condition, _SCALAR):
        return x if condition else y
    return np.where(condition, x, y)


def maximum(x, y):
    """Element-wise max; on floats ``max(x, y)`` in this argument order (it decides the sign of a zero)."""
    return max(x, y) if _scalars(x, y) else np.maximum(x, y)


def minimum(x, y):
    return min(x, y) if _scalars(x, y) else np.minimum(x, y)


def clip(x, low, high):
    """``x`` within [low, high]; on floats ``min(high, max(low, x))``, as the Mesa engine wrote it."""
    return min(high, max(low, x)) if _scalars(x, low, high) else np.clip(x, low, high)


def logical_not(x):
    return (not x) if isinstance(x, _SCALAR) else ~x


def select(conditions: Sequence, choices: Sequence, default):
    """The choice of the first condition that holds, else ``default`` (``np.select``)."""
    if isinstance(conditions[0], _SCALAR):
        return next((c for ok, c in zip(conditions, choices) if ok), default)
    return np.select(list(conditions), list(choices), default=default)
