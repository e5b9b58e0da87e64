"""Spam and rules: ad policy, moderation capacity, warn-then-kick (MODEL.md §4.4).

``free``: every ad stays. ``quota``: the first ``quota_per_day`` ads of the day stay
(the "flash market" window of seed 001); the rest are violations. ``ban``: every ad
is a violation. Moderators (the founder, scaled by energy, plus KOL admins if enabled)
handle up to ``capacity_per_day`` violations: the ad is removed before most members
read it, its poster is warned, and kicked after ``warnings_before_kick`` warnings
(seed 004 L600: "warn once, the second time remove"). Violations nobody catches stay
visible — so an unmanaged group drifts into an ad group (seed 004 L20).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.params import AdPolicy
from sim.roles import Role
from sim.rules.floats import moderation as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel

def capacity(model: CommunityModel) -> float:
    return sum(_capacities(model))


def _capacities(model: CommunityModel) -> tuple[float, float]:
    """(the founder's, the KOL admins') violations handled per day today."""
    energy = model.founder.energy if model.founder is not None else 0.0
    return rules.capacities(energy, model.founder_active, model.count_role(Role.kol), model.p.moderation)


def enforce_rules(model: CommunityModel) -> None:
    p = model.p
    log = model.log
    ads = log.ad_posts
    if not ads or p.ads.policy is AdPolicy.free:
        return
    allowed = p.ads.quota_per_day if p.ads.policy is AdPolicy.quota else 0
    log.ad_slots = min(len(ads), allowed)  # the flash market's slots (seed 001 L99)
    violations = ads[allowed:]
    if not violations:
        return
    founder_cap, admin_cap = _capacities(model)
    cap = founder_cap + admin_cap
    handled = rules.handled(len(violations), cap, model.rng.random())
    order = model.rng.permutation(len(violations))[:handled]
    kicked = []
    for k in order:
        poster = violations[k]
        log.ads_removed += 1
        if poster.present and poster not in kicked:
            poster.warnings += 1
            if poster.warnings > p.moderation.warnings_before_kick:
                kicked.append(poster)
    log.founder_ads_handled = rules.founder_share(handled, founder_cap, cap)
    if model.founder is not None and model.founder.present:
        model.founder.tire(p.founder.cost_per_moderation * handled)
    for poster in kicked:
        model.remove_member(poster, "kicked")
        log.kicked += 1
