"""Check-in streaks, points, rewards and badges (MODEL.md §4.13; ``Params.checkins``), with
habituation.

Seed 004 L622–624 (签到打卡): members do a small task each day and post their check-in card in
the group; those who keep it up for a week or a month get a reward (L627: the month's most
active get small gifts). It works while it is new: the programme's pull fades as

    freshness = exp(−days since start / habituation_days)      (× badge_persistence with badges)

and while fresh it adds ``visit_pull · freshness`` to the log-odds of opening the group
(:func:`sim.rules.visiting.visit_probability`), and a visitor posts a check-in (one chat
message) with chance ``checkin_share · freshness``. Levels and badges (seed 002 L169: a
spiritual reward, more lasting) slow the fading. Off (``enabled = false``, the default): no
pull, no check-ins, nothing drawn. ``c`` is the ``checkins`` parameters: floats, or the vector
engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import exp, maximum, where


def running(day, c):
    """Whether the programme runs today (its hours and rewards are counted on these days)."""
    return c.enabled & (day >= c.start_day)


def freshness(day, c):
    """How new the programme still is, 1 on its first day, 0 when off or before it starts."""
    lasting = c.habituation_days * where(c.badges, c.badge_persistence, 1.0)
    return where(running(day, c), exp(-maximum(day - c.start_day, 0) / lasting), 0.0)


def visit_pull(day, c):
    """Log-odds of opening the group the programme adds today."""
    return c.visit_pull * freshness(day, c)


def checkin_chance(day, c):
    """Chance that a visiting member posts a check-in today."""
    return c.checkin_share * freshness(day, c)
