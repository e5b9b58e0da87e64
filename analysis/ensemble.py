"""The one ensemble runner: (engine, override sets, seeds, workers) -> a tidy table.

One row per run: the run's overrides (one column per key), seed, status, error,
wall_seconds and every run outcome. Hydra multiruns (``experiments/collect.py``) build the
same table from job folders, so a sweep from the command line and an ensemble from Python
are read by the same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _scalar(text: str) -> Any:
    """An override's value as Hydra would read it: ``True``/``false`` -> bool, ``3`` -> int."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip("'\"")


def override_columns(overrides: Iterable[str]) -> dict[str, Any]:
    """``["+a.b=1", "x=q"]`` -> ``{"a.b": 1, "x": "q"}``; deletions (``~key``) are skipped."""
    cols = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or key.startswith("~"):
            continue
        cols[key.lstrip("+")] = _scalar(value)
    return cols
