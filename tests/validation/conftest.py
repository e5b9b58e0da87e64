"""Stylized-facts validation (MODEL.md §6; experiments/validate.py).

The fast suite (default: 20 seeds per arm) runs in CI in ~1.5 minutes on 2 cores.
``pytest tests/validation --validation-size=full`` (or VALIDATION_SIZE=full) runs the
100-seed ensembles (~15 minutes). ``-m "not validation"`` skips the suite. Markers are
registered here so the suite needs nothing in pyproject.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser):
    parser.addoption("--validation-size", default=os.environ.get("VALIDATION_SIZE", "fast"),
                     choices=("fast", "full"), help="ensemble size of the stylized-facts checks")


def pytest_configure(config):
    config.addinivalue_line("markers", "validation: a stylized-fact check of MODEL.md §6 (ensemble of seeds)")


@pytest.fixture(scope="session")
def validation_size(request) -> str:
    return request.config.getoption("--validation-size")
