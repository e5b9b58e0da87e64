"""Moderation (MODEL.md §4.4): how many rule-breaking ads are handled a day, and by whom.

The founder handles ``capacity_per_day`` violations a day at full energy, less when tired;
KOL admins (seed 004 L61: privileges for work) add ``kol_admin_share`` of that each.
Fractional capacity is rounded stochastically, so it counts on average. ``m`` is the
``moderation`` parameters: floats, or the vector engine's ``(R,)`` arrays.
"""

from __future__ import annotations

from sim.rules.elementwise import floor, maximum, minimum, where


def capacities(founder_energy, founder_active, kols, m):
    """(the founder's, the KOL admins') violations handled per day."""
    founder = where(founder_active, m.capacity_per_day * maximum(0.0, founder_energy), 0.0)
    admins = where(m.kol_admins, m.kol_admin_share * m.capacity_per_day * kols, 0.0)
    return founder, admins


def handled(violations, capacity, u):
    """Violations handled today: the capacity, its fraction kept with chance ``u`` < fraction."""
    whole = floor(capacity)
    return minimum(violations, whole + (u < capacity - whole))


def founder_share(handled_, founder_capacity, capacity):
    """The removed ads the founder handled (the rest: KOL admins), in proportion to capacity."""
    return where(capacity > 0, handled_ * founder_capacity / where(capacity > 0, capacity, 1.0), 0.0)
