"""Shared helpers for the test suite."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.compose import TEST_HOOKS_ENV  # noqa: E402
from sim.params import ENGINE_NAMES, Params  # noqa: E402

# The failure switch ``debug_fail`` exists only under the test suite (and in the sweeps and
# jobs it starts, which inherit the environment); production configs refuse it.
os.environ[TEST_HOOKS_ENV] = "1"


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


@pytest.fixture(params=ENGINE_NAMES, scope="session")
def engine(request) -> str:
    """The engine a test's runs take (``make_params(engine={"name": engine})``, run by
    ``sim.run``): a test that asks for it runs on each engine. Every published number comes
    from the vector engine and the Mesa engine is the readable reference, so the model's
    invariants and mechanisms are checked on both, from the run record they share (rows,
    members, events, outcomes). Session scope: hypothesis tests may take it."""
    return request.param
