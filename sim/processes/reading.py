"""Reading and satisfaction (MODEL.md §4.5).

A member opens the group (muted members rarely do), reads up to their attention
budget (~40 messages, MODEL.md §3) in proportion to what is on screen, and turns
what they read into one day's utility and a target satisfaction
(:mod:`sim.rules.satisfaction`: the formulas and their seeds are there). Satisfaction moves
toward the target by ``adaptation`` per day. The cost terms are kept so churn can name the
reason a member leaves. Per member the work is O(own ties), never O(members).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.roles import Role
from sim.rules.floats import leaving
from sim.rules.floats import satisfaction as sat

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel


_COST_NAMES = {name: name for name in leaving.COSTS}


@dataclass(slots=True)
class Reading:
    """What one member got out of today: kept for churn reasons and the VIP decision."""

    gain: float
    overload: float
    ads: float
    noise: float
    fatigue: float
    boredom: float
    target_satisfaction: float

    def worst_cost(self) -> str:
        """The leave reason this day's experience points to (:func:`sim.rules.leaving.worst_cost`)."""
        return leaving.worst_cost(self.overload, self.fatigue, self.ads, self.boredom, self.noise, _COST_NAMES)


@dataclass(slots=True)
class Page:
    """What is on screen today, the same for every reader: computed once per day."""

    chat: float  # chat messages a reader gets through (within the attention budget)
    share: float  # share of today's messages a reader gets through (attention budget)
    saturation: float  # 1 − exp(−V / value_scale): value read, before who reads it
    overload: float
    ad_cost: float
    fatigue: float
    boredom: float
    red_packet_thrill: float
    renewal: float  # share of a reader's staleness today's news removes (renewal_today)


def prepare_page(model: CommunityModel) -> Page:
    r, c, log = model.p.reading, model.p.cadence, model.log
    total = log.visible
    share = sat.attention_share(total, r)
    valuable, content, chat, ads = (log.valuable * share, log.content * share,
                                    log.chat * share, log.ads_visible * share)
    # The vector engine sums these two in another order (sim/rules/__init__.py, "Floating point").
    v = valuable + r.content_weight * content * model.p.founder.expertise  # content is as good as its author
    return Page(
        chat=chat,
        share=share,
        saturation=sat.saturation(v, r),
        overload=sat.overload(total, r),
        ad_cost=r.ad_cost * ads,
        fatigue=sat.fatigue(log.content, c),
        boredom=sat.boredom(v, c),
        red_packet_thrill=model.red_packets.thrill if log.red_packets else 0.0,
        renewal=renewal_today(model),
    )


def renewal_today(model: CommunityModel) -> float:
    """Share of a reader's staleness that today's news removes (:func:`sim.rules.satisfaction.renewal_share`)."""
    log = model.log
    return sat.renewal_share(log.sessions, log.offline_events + log.kol_meetups, log.tips, sum(log.joins.values()),
                             len(model.members), model.heat, model.p.renewal)


def novelty(member: Member, model: CommunityModel, renewal: float) -> float:
    """What is still new to this reader (:func:`sim.rules.satisfaction.novelty`): staleness
    grows with each day read; with renewal off it is the member's tenure."""
    if model.p.renewal.enabled:
        member.staleness = sat.staleness_after_reading(member.staleness, renewal)
        stale = member.staleness
    else:
        stale = model.day - member.join_day
    return sat.novelty(stale, model.p.reading)


def read_day(member: Member, model: CommunityModel) -> Reading | None:
    """One member's day of reading ``model.page``; None if they did not open the group."""
    r = model.p.reading
    if not member.visiting:  # stayed away today (processes/visiting.py)
        return None
    if not model.p.visiting.enabled and member.muted and model.rng.random() >= r.muted_check_prob:
        return None
    page = model.page
    ties = model.ties_of(member)
    heard = 0.0
    if ties and r.social_value:  # the messages of own ties read (a walk over the member's ties)
        said = model.log.said
        heard = sum(said[t] for t in ties.keys() & said.keys()) * page.share
    vip = member.role is Role.vip
    gain = sat.reading_gain(novelty(member, model, page.renewal), member.need, member.fit, page.saturation, heard, vip,
                            page.red_packet_thrill, r, model.p.monetisation.vip_value_bonus)
    noise = sat.noise(page.chat, member.fit, r)
    # The vector engine sums the costs in another order (sim/rules/__init__.py, "Floating point").
    u = gain - page.overload - page.ad_cost - noise - page.fatigue - page.boredom
    target = sat.target_satisfaction(u, sat.expectation(vip, r))
    return Reading(gain, page.overload, page.ad_cost, noise, page.fatigue, page.boredom, target)
