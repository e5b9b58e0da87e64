"""What a strategy costs and earns, day by day (accounting only: it changes nobody).

At the end of each day the day's counts (``DayLog``: tips, sessions, events, greetings,
reviews, ads the founder removed, members bought, ad slots sold) become founder hours, cost
and income by the rules of :mod:`sim.rules.costs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.params import SeedStrategy
from sim.roles import Role
from sim.rules.floats import costs as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel


def account(model: CommunityModel) -> None:
    """Turn today's counts into founder hours, cost and income (in ``model.log``)."""
    c, log, p = model.p.costs, model.log, model.p
    log.founder_hours = rules.founder_hours(log.tips, log.sessions, log.offline_events, log.founder_ads_handled,
                                           log.founder_welcomes, log.reviews, c, log.private_chats, log.endorsements,
                                           log.answers, log.checkins_run, log.name_checks,
                                           log.core_cared)
    bought = log.joins["paid_ads"]
    if model.day == 0 and p.seeding.strategy is SeedStrategy.paid_ads and not p.start.description:
        bought += log.joins["seed"] - 1  # the seed cohort was bought too (the founder was not)
    team = p.moderation.kol_admins and model.day >= 1 and not model.lifecycle.ended
    kols = model.count_role(Role.kol)
    log.cost = rules.cost_of_day(log.joins["promotion"], bought, team, kols, p.roles.kol_incentive, c, log.checkins_run,
                                 log.kol_meetups, log.question_packets)
    log.income = rules.income(log.revenue, log.ad_slots, c)
