"""Need shift (MODEL.md §4.8): what members need from the group changes over time.

Each member's need drifts as a small random walk (the step is drawn by the engine); on
``shift_day`` the group's purpose expires for a share of members (seed 004 L227: an
exam-prep group ends with the exam), whose need falls by ``shift_size``. From then on the
purpose has expired for the circle the group recruits from too: newcomers are hit in the
same share. ``n`` is the ``needs`` parameters: floats, or the vector engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import maximum, minimum, where


def need_after_drift(need, step, purpose_expired, n):
    """Today's need: yesterday's plus the walk's step, less ``shift_size`` where the purpose
    expired for the member today, within [0, 1]."""
    return minimum(1.0, maximum(0.0, need + step - n.shift_size * purpose_expired))


def purpose_has_expired(day, n):
    """On and after ``shift_day`` (−1: never) the purpose has expired for newcomers too."""
    return (0 <= n.shift_day) & (n.shift_day <= day)


def newcomer_need(need, purpose_expired, n):
    """A newcomer's need, reduced by ``shift_size`` where the expiry reaches them."""
    return where(purpose_expired, maximum(0.0, need - n.shift_size), need)
