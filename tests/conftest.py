"""Shared helpers for the test suite."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sim.params import Params  # noqa: E402


def make_params(**groups) -> Params:
    """Params() with some groups partly replaced: make_params(days=30, ads={"policy": AdPolicy.ban})."""
    p = Params()
    for name, value in groups.items():
        if isinstance(value, dict):
            setattr(p, name, dataclasses.replace(getattr(p, name), **value))
        else:
            setattr(p, name, value)
    return p


@pytest.fixture
def params_factory():
    return make_params
