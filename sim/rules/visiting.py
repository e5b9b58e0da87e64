"""Visiting (issue 12): the chance that a member opens the group today, and talks there.

    log-odds(visit) = logit(habit) + engagement_gain · (satisfaction − 0.5)
                      + topics.visit_pull · heat · fit    (a hot topic draws who cares)
                      + programme pull                    (a fresh check-in programme: rules/checkins.py)
                      + recent_post_boost                 (own post at most recent_post_days old)
    p = max(p, notified_prob)                 (yesterday's post got replies: a notification)
    p = p · muted_factor                      (muted, 免打扰 — seed 004 L642)

A visit is a talking one with chance ``talk_share``, more the day after a tie answered the
member (``answer_share``). A member's daily rates are spoken on the talking days, a share
:func:`talk_day_share` of days (R4DS: members read most days and spoke on few; data/README.md).
``v`` is the ``visiting`` parameters: floats, or the vector engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import exp, log, maximum, minimum, where
from sim.rules.satisfaction import NEUTRAL


def habit_logit(habit):
    """logit(habit), kept finite (structural): the habit's part of the visit log-odds."""
    h = minimum(maximum(habit, 1e-6), 1.0 - 1e-6)
    return log(h / (1.0 - h))


def visit_probability(logit_habit, satisfaction, visit_pull, heat, fit, days_since_post, notified_yesterday, muted, v,
                      programme_pull=0.0):
    """Today's chance that a member (not the founder, not a spammer) opens the group;
    ``programme_pull``: the log-odds a check-in programme adds (sim/rules/checkins.py)."""
    z = logit_habit + v.engagement_gain * (satisfaction - NEUTRAL)
    z = z + visit_pull * heat * fit + programme_pull
    z = z + v.recent_post_boost * (days_since_post <= v.recent_post_days)
    p = 1.0 / (1.0 + exp(-z))
    p = maximum(p, v.notified_prob * notified_yesterday)
    return where(muted, p * v.muted_factor, p)


def talk_chance(answered_yesterday, v):
    """Chance that a visit is a talking one: ``talk_share``, and more the day after a tie
    answered the member (one answers a friend)."""
    return where(answered_yesterday, v.talk_share + (1.0 - v.talk_share) * v.answer_share, v.talk_share)


def talk_day_share(founder, v):
    """The share of days a member's daily rates (posts, tie replies) are spoken on:
    ``habit_mean · talk_share``; 1 for the founder (there and talking every day) and with
    visiting off."""
    return where(founder, 1.0, where(v.enabled, v.habit_mean * v.talk_share, 1.0))
