"""Numbers in words and units, the same on every page: money as money, shares as
percentages, yes/no in words, a day as "day N", and "never" for an event that did not happen."""

from __future__ import annotations

import math
from typing import Any

from analysis.registry import Outcome


def number(v: float, digits: int = 3) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.{digits}g}"


def fmt_outcome(outcome: Outcome, v: Any) -> str:
    """``outcome``'s value ``v`` as a reader should see it."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "never" if outcome.unit == "day" else "–"
    if isinstance(v, bool) or outcome.unit == "yes/no":
        return "yes" if v else "no"
    if isinstance(v, str):
        return v.replace("_", " ")
    if outcome.unit == "yuan":
        return f"¥{v:,.0f}"
    if outcome.is_rate or outcome.unit.startswith("share"):
        return f"{v:.0%}"
    if outcome.unit == "day":
        return f"day {v:.0f}"
    if outcome.unit == "days":
        return f"{v:,.0f} days"
    if outcome.unit == "0..1":
        return f"{v:.2f}"
    return number(float(v))
