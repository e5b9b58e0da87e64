"""Reading and satisfaction (MODEL.md §4.5), and the group's quality as KOLs see it (§4.6).

A member who opens the group reads up to their attention budget (~40 messages, MODEL.md §3)
in proportion to what is on screen, and turns what they read into one day's utility:

    gain  = novelty · need · fit · saturation            saturation = 1 − exp(−V / value_scale)
            + social_value · S · (1 − exp(−H / S))       H = messages of own ties read, S = social_scale
            + VIP bonus · need · saturation + red-packet thrill · (1 − fit)
    cost  = overload + ads + off-topic noise + content fatigue + boredom
    target satisfaction = clip(0.5 + gain − cost − expectation, 0, 1)

with V = valuable read + content_weight · content read · the founder's expertise (content is
as good as its author). Novelty wears off with each day read, down to ``novelty_floor``
(seed 003 L20: without renewed value activity falls), and today's renewal (sessions, tips,
newcomers' questions, a hot topic: params.Renewal) gives some of it back. Satisfaction moves
toward the target by ``adaptation`` a day (:func:`move_toward`); an absent member's drifts
toward neutral. ``r`` is the ``reading`` parameters, ``c`` the ``cadence`` ones, ``n`` the
``renewal`` ones: floats, or the vector engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import exp, maximum, minimum, where

NEUTRAL = 0.5  # the satisfaction scale's midpoint (structural)


def move_toward(value, target, rate):
    """One day's step of ``value`` toward ``target`` (an exponential moving average)."""
    return value + rate * (target - value)


# -- the page: what is on screen today, the same for every reader ----------------------------------
def attention_share(total, r):
    """Share of today's messages a reader gets through within the attention budget."""
    return where(total > 0, minimum(1.0, r.attention_budget / maximum(total, 1e-300)), 0.0)


def saturation(value_read, r):
    """Diminishing returns of the value read: 1 − exp(−V / value_scale)."""
    return 1.0 - exp(-value_read / r.value_scale)


def overload(total, r):
    """The cost of more messages than the attention budget."""
    return r.overload_cost * maximum(0.0, total - r.attention_budget) / r.attention_budget


def fatigue(content, c):
    """The cost of more scheduled content than ``fatigue_threshold`` a day."""
    return c.fatigue_cost * maximum(0.0, content - c.fatigue_threshold)


def boredom(value_read, c):
    """The cost of a day with little of value."""
    return c.boredom_cost * exp(-value_read)


def renewal_share(sessions, offline_events, tips, joins, members, heat, n):
    """Share of a reader's staleness that today's news removes (params.Renewal): sessions and
    events, tips, newcomers' questions (per 100 members), a hot topic; 0 with renewal off."""
    share = (n.per_session * (sessions + offline_events) + n.per_tip * tips
             + n.per_newcomer * 100.0 * joins / maximum(1, members) + n.per_heat * heat)
    return where(n.enabled, minimum(n.max_share, share), 0.0)


# -- a reader's day --------------------------------------------------------------------------------
def staleness_after_reading(staleness, renewal):
    """Staleness grows by one with each day read; today's renewal removes a share first."""
    return staleness * (1.0 - renewal) + 1.0


def novelty(stale, r):
    """What is still new to a reader ``stale`` days of reading in (seed 003 L20)."""
    return r.novelty_floor + (1.0 - r.novelty_floor) * exp(-stale / r.novelty_days)


def reading_gain(novelty_, need, fit, saturation_, ties_read, vip, thrill, r, vip_value_bonus):
    """A reader's gain of the day; ``ties_read``: messages of their own ties they read."""
    gain = novelty_ * need * fit * saturation_
    gain = gain + r.social_value * r.social_scale * (1.0 - exp(-ties_read / r.social_scale))  # 0 with none read
    gain = gain + vip_value_bonus * need * saturation_ * vip
    return gain + thrill * (1.0 - fit)


def noise(chat_read, fit, r):
    """The cost of off-topic chat, felt more by a member of high fit."""
    return r.noise_cost * chat_read * (1.0 - fit)


def expectation(vip, r):
    """What a reader expects of a day: more when they pay."""
    return where(vip, r.vip_expectation, r.expectation)


def target_satisfaction(utility, expectation_):
    """The satisfaction a day's utility (gain − costs) points to, against the expectation."""
    return minimum(1.0, maximum(0.0, NEUTRAL + utility - expectation_))
