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

#: Python's numbers, tested by ``type(x) in _PYTHON`` first: the Mesa engine calls these per
#: member, and the exact type test is the cheapest (numpy scalars take the isinstance test).
_PYTHON = frozenset((float, int, bool))
_NUMPY = np.generic


def exp(x):
    if type(x) in _PYTHON or isinstance(x, _NUMPY):
        return math.exp(x)
    return np.exp(x)


def log(x):
    if type(x) in _PYTHON or isinstance(x, _NUMPY):
        return math.log(x)
    return np.log(x)


def where(condition, x, y):
    """``x`` where ``condition`` holds, else ``y`` (both are evaluated: keep them cheap and finite)."""
    if type(condition) in _PYTHON or isinstance(condition, _NUMPY):
        return x if condition else y
    return np.where(condition, x, y)


def maximum(x, y):
    """Element-wise max; on floats ``max(x, y)`` in this argument order (it decides the sign of a zero)."""
    if (type(x) in _PYTHON or isinstance(x, _NUMPY)) and (type(y) in _PYTHON or isinstance(y, _NUMPY)):
        return max(x, y)
    return np.maximum(x, y)


def minimum(x, y):
    if (type(x) in _PYTHON or isinstance(x, _NUMPY)) and (type(y) in _PYTHON or isinstance(y, _NUMPY)):
        return min(x, y)
    return np.minimum(x, y)


def clip(x, low, high):
    """``x`` within [low, high]; on floats ``min(high, max(low, x))``, as the Mesa engine wrote it."""
    if ((type(x) in _PYTHON or isinstance(x, _NUMPY)) and (type(low) in _PYTHON or isinstance(low, _NUMPY))
            and (type(high) in _PYTHON or isinstance(high, _NUMPY))):
        return min(high, max(low, x))
    return np.clip(x, low, high)


def logical_not(x):
    if type(x) in _PYTHON or isinstance(x, _NUMPY):
        return not x
    return ~x


def select(conditions: Sequence, choices: Sequence, default):
    """The choice of the first condition that holds, else ``default`` (``np.select``)."""
    first = conditions[0]
    if type(first) in _PYTHON or isinstance(first, _NUMPY):
        return next((c for ok, c in zip(conditions, choices) if ok), default)
    return np.select(list(conditions), list(choices), default=default)


def floor(x):
    """Rounded down: an int on a float (``math.floor``), floats on an array (``np.floor``)."""
    if type(x) in _PYTHON or isinstance(x, _NUMPY):
        return math.floor(x)
    return np.floor(x)
