"""The few functions a rule needs beyond operators, for arrays and for one member's floats.

A rule module is written once, with the names below. As imported, they are numpy's
(``np.exp``, ``np.where`` …): the vector engine calls the rules on its arrays — numpy's, or
the PyTorch back-end's :class:`~sim.vector.backend.TorchArray`, which numpy's dispatch routes
to PyTorch. The Mesa engine calls a rule per member, on floats, through :func:`on_floats`:
the same code objects run again with :data:`FLOAT_FUNCTIONS` — the ``math`` module and the
builtins — in place of numpy's. Two reasons:

- *Bits.* The C library's ``exp`` and ``log`` and numpy's vectorised ones differ in the last
  bit for a few per cent of arguments (measured on AVX-512: 4.6% for ``exp``); the Mesa
  engine has always used ``math``, so its runs stay what they were, bit for bit.
- *Speed.* A member's rule is then a few float operations and C calls: no numpy call, no
  0-d array, no type test per operation (the Mesa engine calls rules ~20 times per member
  and day).

Operators (``+``, ``*``, ``**``, comparisons, ``&``, ``|``) need nothing: they already mean the
same on both (``**`` is the C library's ``pow`` on a float, a product on an array: each
engine keeps its own bits there too). Only ``not`` needs a name: :func:`logical_not`
(``~True`` is −2). Mind that both branches of ``where`` are evaluated: keep them finite. To
clip, write ``minimum(1.0, maximum(0.0, x))``: on floats the builtins, in the order the Mesa
engine always wrote them (it decides the sign of a zero); no Python call on the way.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from types import FunctionType, ModuleType, SimpleNamespace

import numpy as np

exp = np.exp
log = np.log
floor = np.floor
maximum = np.maximum
minimum = np.minimum
where = np.where
logical_not = operator.invert  # on boolean arrays (and the back-end's, through __invert__)


def select(conditions: Sequence, choices: Sequence, default):
    """The choice of the first condition that holds, else ``default`` (``np.select``)."""
    return np.select(list(conditions), list(choices), default=default)


def _where_float(condition, x, y):
    return x if condition else y


def _select_float(conditions: Sequence, choices: Sequence, default):
    return next((c for ok, c in zip(conditions, choices) if ok), default)


#: What the names above mean for one member's floats (:func:`on_floats`).
FLOAT_FUNCTIONS = {"exp": math.exp, "log": math.log, "floor": math.floor, "maximum": max, "minimum": min,
                   "where": _where_float, "logical_not": operator.not_,
                   "select": _select_float}


def on_floats(module: ModuleType) -> SimpleNamespace:
    """The rules of ``module`` for one member at a time: each function's code once more, with
    :data:`FLOAT_FUNCTIONS` for numpy's (a rule calling another gets the float one too), and
    the module's constants."""
    namespace = {**vars(module), **FLOAT_FUNCTIONS}
    rules = {name: FunctionType(f.__code__, namespace, name, f.__defaults__, f.__closure__)
             for name, f in vars(module).items()
             if isinstance(f, FunctionType) and f.__module__ == module.__name__}
    namespace.update(rules)
    constants = {name: value for name, value in vars(module).items() if name.isupper()}
    return SimpleNamespace(**constants, **rules)
