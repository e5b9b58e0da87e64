"""Role transitions (MODEL.md §4.6): who starts talking, rises to KOL, leaves as a KOL, buys, advertises.

- A content lurker starts talking with ``activate_prob`` a day, more readily among people they
  know (``ease_activate``: friend groups are at ease, seed 004 L646).
- An active member becomes a KOL when others keep replying to them (endorsements, a
  ``endorsement_memory_days`` memory) and they know the topic (seed 001 树关键人).
- A KOL leaves once the group's quality has stayed below ``kol_quality_floor`` for their
  patience, longer with incentives (seed 004 L61, L176).
- A member buys the VIP tier when trust × need × ability to pay × urgency × value-for-money ×
  convenience clears ``conversion_bar`` (seed 000 L135's six factors, read as a product;
  urgency is the member's need, so need enters squared).
- Where ads stay visible, low-fit members start advertising too (seed 003: 99% of groups end
  as ad groups).

``r`` is the ``roles`` parameters, ``mon`` the ``monetisation`` ones: floats, or the vector
engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import exp, maximum, minimum, where


def endorsement_kept(r):
    """Share of yesterday's endorsement a member keeps today (the memory's daily decay)."""
    return exp(-1.0 / r.endorsement_memory_days)


def activate_chance(known_ties, r):
    """A content lurker's daily chance to start talking: ``activate_prob``, plus up to
    ``ease_activate`` for one with ``known_ties`` present ties they knew outside the group's
    talk (friends, an invitation, a meet-up, the starting network); a Hill curve of order 2,
    half at ``ease_ties``. In a star everyone knows only the founder (seed 004 L646)."""
    k2 = known_ties ** 2
    return r.activate_prob + r.ease_activate * k2 / (k2 + r.ease_ties ** 2)


def rises_to_kol(endorsement, expertise, r):
    """An active member others keep answering, who knows the topic, becomes a KOL."""
    return (endorsement >= r.kol_endorsements) & (expertise >= r.kol_min_expertise)


def kol_unhappy_days(days, quality, r):
    """A KOL's count of unhappy days: up while the quality is below the floor, else down to 0."""
    return where(quality < r.kol_quality_floor, days + 1, maximum(0, days - 1))


def kol_patience(r):
    """Unhappy days a KOL bears before leaving: longer with privileges (seed 004 L61)."""
    return r.kol_patience_days * (1.0 + r.kol_incentive_patience * r.kol_incentive)


def vip_score(satisfaction, days_in_group, need, willingness, gain, mon, expectation):
    """A member's readiness to buy the VIP tier (compared with ``conversion_bar``); ``gain``:
    what today's reading gave, against the reader's ``expectation``."""
    trust = satisfaction * minimum(1.0, days_in_group / mon.trust_days)
    value_for_money = minimum(1.0, gain / expectation)
    urgency = need  # no separate urgency trait: who needs the group most needs it now
    return trust * need * willingness * urgency * value_for_money * mon.convenience


def ad_share(talk, ads):
    """Share of today's visible messages that were ads."""
    seen = talk + ads
    return where(seen > 0, ads / maximum(seen, 1e-300), 0.0)


def advertise_chance(ad_share_, fit, contagion):
    """A low-fit member's chance to start advertising where ads stay visible (seed 003)."""
    return contagion * ad_share_ * (1.0 - fit)
