"""Leaving (MODEL.md §4.7): muting, the daily leave hazard, and the reason a leaver gives.

The daily leave hazard of a member (``churn.mode = satisfaction``) is

    h = base + dissatisfied · (1 − s)² · (1 if muted else unmuted_factor)
        + lost_ties · (share of the member's tie weight now gone)          (seed 004 L646)
        + need_gone · (1 − need / need_gone_below)   while need < need_gone_below   (seed 004 L227)
        + friend_left   for friend_left_days after a latent friend left      (sim/friends.py)
        + newcomer_dislike   within entry.judgement_days, below newcomer_dislike_below

Unhappy members mute first (seed 004 L642: 免打扰 from day one). The reason recorded is the
member's main grievance, the first that holds of: need gone, a KOL they knew left (within
``kol_shock_memory_days``), a friend left, did not read (bored), else their worst cost of
the day (:func:`worst_cost`). ``c`` is the ``churn`` parameters: floats, or the vector
engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import logical_not, maximum, select, where

#: The grievances a leaver names, in the order they are checked (then the day's worst cost).
GRIEVANCES = ("need_gone", "kol_left", "friend_left", "bored")
#: The day's costs a reader may leave over (:func:`worst_cost`), in the order ties go.
COSTS = ("overloaded", "annoyed_by_ads", "bored")


def muted_after(muted, satisfaction, c):
    """Today's mute setting: a muted member unmutes at ``unmute_above``, another mutes below
    ``mute_below`` (params require unmute_above ≥ mute_below)."""
    return where(muted, satisfaction < c.unmute_above, satisfaction < c.mute_below)


def lost_tie_share(weight_now, weight_ever):
    """Share of a member's interactions (tie weights) that were with ties now gone: losing the
    friend one talked with every day weighs more than losing a passing acquaintance. 0 with no ties ever."""
    return maximum(0.0, 1.0 - weight_now / maximum(weight_ever, 1e-300)) * (weight_ever > 0)


def need_gone(need, c):
    """The group's purpose is over for this member (seed 004 L227)."""
    return need < c.need_gone_below


def friend_left_lately(days_since_friend_left, c):
    """A latent friend left within ``friend_left_days``: friends leave together."""
    return days_since_friend_left < c.friend_left_days


def leave_hazard(satisfaction, muted, lost_share, need, days_in_group, days_since_friend_left, c, judgement_days):
    """Today's chance that a member (not the founder, not a spammer) leaves; see the module docstring."""
    # A term that applies only sometimes is multiplied by its condition (True · x = x, False · x = 0).
    h = c.base_hazard + c.dissatisfied_hazard * (1.0 - satisfaction) ** 2 * where(muted, 1.0, c.unmuted_factor)
    h = h + c.lost_ties_hazard * lost_share
    h = h + c.need_gone_hazard * (1.0 - need / maximum(c.need_gone_below, 1e-300)) * need_gone(need, c)
    h = h + c.friend_left_hazard * friend_left_lately(days_since_friend_left, c)
    newcomer_dislikes = (days_in_group < judgement_days) & (satisfaction < c.newcomer_dislike_below)
    return h + c.newcomer_dislike_hazard * newcomer_dislikes


def leave_reason(need, days_since_kol_shock, days_since_friend_left, read_today, worst, c, code):
    """The leaver's main grievance (:data:`GRIEVANCES` in order), else ``worst`` (the day's worst
    cost); ``code`` maps a reason's name to what the engine records (the name, or a code)."""
    return select([need_gone(need, c), days_since_kol_shock <= c.kol_shock_memory_days,
                   (c.friend_left_hazard > 0) & friend_left_lately(days_since_friend_left, c), logical_not(read_today)],
                  [code[g] for g in GRIEVANCES], worst)


def worst_cost(overload, fatigue, ads, boredom, noise, code):
    """The leave reason a day's reading points to: the largest of crowding (overload and
    content fatigue), ads, and boredom (with off-topic noise); the first of equals."""
    crowded = overload + fatigue
    crowd_first = crowded >= ads
    return where(where(crowd_first, crowded, ads) >= boredom + noise,
                 where(crowd_first, code["overloaded"], code["annoyed_by_ads"]), code["bored"])
