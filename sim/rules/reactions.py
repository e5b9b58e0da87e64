"""Rules that react: a timeline change that fires when the group's own numbers call for it.

Seed 002 L115 measures participation after every activity and changes rhythm and format when
it trends down; seed 004 switches models (V1 → V2 → V3) as members' needs change and responds
when core members leave. A reactive change (``Change.when``, sim/params.py) watches one
number of the daily row both engines record (``sim.vocab.REACTION_METRICS``); when the
condition has held on each of the last ``for_days`` days, the change fires on the next
morning — once, or each time the condition holds again (``repeat``), never within
``cooldown_days`` of the last firing.

The rule is written once, on floats (the Mesa engine, one group) or on arrays (the vector
engine, every watched change of the batch at once); the engines only gather the numbers.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Any

import numpy as np

#: A condition's comparison: its symbol → the test.
OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

#: The message columns whose sum is a day's talk (``ad_share``'s denominator).
_MESSAGES = ("msgs_valuable", "msgs_chat", "msgs_ad", "msgs_content")


def metric(row: Mapping[str, Any], name: str) -> Any:
    """The value of metric ``name`` on a daily row (a dict of floats, or of arrays over
    groups): a column of the row, or ``ad_share`` — ads as a share of the day's messages
    (0 on a silent day)."""
    if name != "ad_share":
        return row[name]
    total = sum(row[c] for c in _MESSAGES)
    return np.where(total > 0, row["msgs_ad"] / np.maximum(total, 1), 0.0)


def holds(value: Any, op: Any, threshold: Any) -> Any:
    """Whether ``value op threshold``: one operator on floats, or an array of operators
    (one per watched change) on arrays."""
    if isinstance(op, str):
        return bool(OPERATORS[op](value, threshold))
    out = np.zeros(np.shape(value), bool)
    for symbol, test in OPERATORS.items():
        m = op == symbol
        out[m] = test(value[m], threshold[m])
    return out


def watch(held: Any, streak: Any, fired: Any, last_fired: Any, day: int, for_days: Any, repeat: Any,
          cooldown_days: Any) -> tuple[Any, Any]:
    """(fires today, the new streak) of a watched condition.

    ``streak``: the days in a row the condition has held so far; ``fired``: how many times the
    change has fired; ``last_fired``: the day it last did (-1: never). A firing starts the
    streak again, so a repeating change needs its condition to hold ``for_days`` anew."""
    streak = np.where(held, streak + 1, 0)
    rested = (last_fired < 0) | (day - last_fired > cooldown_days)
    fire = (streak >= for_days) & rested & (repeat | (fired == 0))
    return fire, np.where(fire, 0, streak)
