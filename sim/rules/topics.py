"""Hot topics (issue 12 "bursts"): today's heat.

Yesterday's heat fades to ``heat_decay`` of itself; a new hot topic adds ``heat_scale`` ·
(1 + a Lomax draw): Pareto from ``heat_scale`` (R4DS's busiest 1% of days carry 6.6× the
median day's messages, data/README.md); the heat is capped at ``heat_cap``, and one of at
least half the cap is a turning point of the story. ``t`` is the ``topics`` parameters:
floats, or the vector engine's ``(R,)`` arrays.
"""

from __future__ import annotations

from sim.rules.elementwise import minimum


def heat_today(heat, new_topic, lomax_draw, t):
    """Today's heat before the cap; ``lomax_draw`` counts only with a new topic."""
    return heat * t.heat_decay + t.heat_scale * (1.0 + lomax_draw) * new_topic


def capped_heat(heat, t):
    return minimum(heat, t.heat_cap)


def is_big_topic(heat, t):
    return heat >= t.heat_cap / 2
