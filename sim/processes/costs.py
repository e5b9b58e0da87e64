"""What a strategy costs and earns, day by day (accounting only: it changes nobody).

At the end of each day the day's counts (``DayLog``: tips, sessions, events, greetings,
reviews, ads the founder removed, members bought, ad slots sold) become

    founder_hours = tips · hours_per_post + sessions · hours_per_session + events · hours_per_event
                    + ads handled by the founder · hours_per_violation + greetings · hours_per_welcome
                    + applications · hours_per_review
    cost   = moderation_team_per_day [moderation.kol_admins, each day from day 1 while the group lives]
             + kol_privilege_per_day · roles.kol_incentive · KOLs
             + cost_per_promoted_member · promotion joins + cost_per_paid_ads_member · bought joins
    income = revenue (entry fees + VIP payments) + ad_slot_price · ads within the quota

with every rate in ``Params.costs`` (docs/model.md, "Costs"). Money is in yuan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.params import SeedStrategy
from sim.roles import Role

if TYPE_CHECKING:
    from sim.model import CommunityModel


def account(model: CommunityModel) -> None:
    """Turn today's counts into founder hours, cost and income (in ``model.log``)."""
    c, log, p = model.p.costs, model.log, model.p
    log.founder_hours = (log.tips * c.hours_per_post + log.sessions * c.hours_per_session
                         + log.offline_events * c.hours_per_event
                         + log.founder_ads_handled * c.hours_per_violation
                         + log.founder_welcomes * c.hours_per_welcome + log.reviews * c.hours_per_review)
    bought = log.joins["paid_ads"]
    if model.day == 0 and p.seeding.strategy is SeedStrategy.paid_ads and not p.start.description:
        bought += log.joins["seed"] - 1  # the seed cohort was bought too (the founder was not)
    cost = c.cost_per_promoted_member * log.joins["promotion"] + c.cost_per_paid_ads_member * max(0, bought)
    if p.moderation.kol_admins and model.day >= 1 and not model.lifecycle.ended:
        cost += c.moderation_team_per_day
    if p.roles.kol_incentive:
        cost += c.kol_privilege_per_day * p.roles.kol_incentive * model.count_role(Role.kol)
    log.cost = cost
    log.income = log.revenue + c.ad_slot_price * log.ad_slots
