"""One test per stylized fact of MODEL.md §6 (the measurement and its source live in
analysis/facts.py; the HTML report shows the same numbers with plots).

A fact the model cannot reproduce yet is an expected failure, ``xfail(strict=True)`` with
the reason: when a change makes it pass, the suite says so (XPASS fails) and the gap's
entry in ``KNOWN_GAPS`` must go.
"""

from __future__ import annotations

import pytest

from analysis.facts import FACTS, KNOWN_GAPS

pytestmark = [pytest.mark.validation, pytest.mark.slow]


def _marks(key: str) -> list:
    return [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[key])] if key in KNOWN_GAPS else []


@pytest.mark.parametrize("key", [pytest.param(k, marks=_marks(k)) for k in FACTS])
def test_fact(key, validation_size):
    r = FACTS[key](validation_size)
    assert r.passed, f"{r.title}: target {r.target}; measured {r.measured} (95% {r.interval})"
