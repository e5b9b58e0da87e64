"""One test per stylized fact of MODEL.md §6 (the measurement and its source live in
experiments/validate.py; the HTML report shows the same numbers with plots).

A fact the model cannot reproduce yet is marked ``xfail(strict=False)`` with the reason;
the report's note says what would fix it.
"""

from __future__ import annotations

import pytest

from experiments import validate as v

pytestmark = pytest.mark.validation


def _check(key: str, size: str):
    r = v.FACTS[key](size)
    assert r.passed, f"{r.title}: target {r.target}; measured {r.measured} (95% {r.interval})"
    return r


@pytest.mark.parametrize("key", [k for k in v.FACTS if k not in v.KNOWN_GAPS])
def test_fact(key, validation_size):
    _check(key, validation_size)


@pytest.mark.parametrize("key", sorted(v.KNOWN_GAPS))
def test_known_gap(key, validation_size):
    r = v.FACTS[key](validation_size)
    if not r.passed:
        pytest.xfail(v.KNOWN_GAPS[key])
