"""Reading and satisfaction (MODEL.md §4.5).

A member opens the group (muted members rarely do), reads up to their attention
budget (~40 messages, MODEL.md §3) in proportion to what is on screen, and turns
what they read into one day's utility:

    gain  = novelty · need · fit · (1 − exp(−V / value_scale))   diminishing returns
            + social_value · S · (1 − exp(−H / S))   H = messages of own ties read, S = social_scale
            + VIP bonus + red-packet thrill
    cost  = overload + ads + off-topic noise + content fatigue + boredom
    target satisfaction = clip(0.5 + gain − cost − expectation, 0, 1)

with V = valuable read + content_weight · content read. Novelty wears off with each day
the reader reads, down to ``novelty_floor`` (seed 003 L20: without renewed value activity
falls), and today's renewal (sessions, tips, newcomers' questions, a hot topic:
params.Renewal) gives some of it back, so a group lives on value that keeps coming. Satisfaction moves toward the
target by ``adaptation`` per day. The cost terms are kept so churn can name the
reason a member leaves. Per member the work is O(own ties), never O(members).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.roles import Role
from sim.rules.leaving import COSTS, worst_cost

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel


_COST_NAMES = {name: name for name in COSTS}


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
        return worst_cost(self.overload, self.fatigue, self.ads, self.boredom, self.noise, _COST_NAMES)


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
    budget = r.attention_budget
    share = min(1.0, budget / total) if total else 0.0
    valuable, content, chat, ads = (log.valuable * share, log.content * share,
                                    log.chat * share, log.ads_visible * share)
    v = valuable + r.content_weight * content * model.p.founder.expertise  # content is as good as its author
    return Page(
        chat=chat,
        share=share,
        saturation=1.0 - math.exp(-v / r.value_scale),
        overload=r.overload_cost * max(0.0, total - budget) / budget,
        ad_cost=r.ad_cost * ads,
        fatigue=c.fatigue_cost * max(0.0, log.content - c.fatigue_threshold),
        boredom=c.boredom_cost * math.exp(-v),
        red_packet_thrill=model.red_packets.thrill if log.red_packets else 0.0,
        renewal=renewal_today(model),
    )


def renewal_today(model: CommunityModel) -> float:
    """Share of a reader's staleness that today's news removes (params.Renewal): sessions and
    events, tips, newcomers' questions, a hot topic."""
    n, log = model.p.renewal, model.log
    if not n.enabled:
        return 0.0
    members = max(1, len(model.members))
    share = (n.per_session * (log.sessions + log.offline_events) + n.per_tip * log.tips
             + n.per_newcomer * 100.0 * sum(log.joins.values()) / members + n.per_heat * model.heat)
    return min(n.max_share, share)


def novelty(member: Member, model: CommunityModel, renewal: float) -> float:
    """What is still new to this reader (seed 003 L20): staleness grows with each day read and
    today's renewal takes a share of it; with renewal off it is the member's tenure."""
    r = model.p.reading
    if model.p.renewal.enabled:
        member.staleness = member.staleness * (1.0 - renewal) + 1.0
        stale = member.staleness
    else:
        stale = model.day - member.join_day
    return r.novelty_floor + (1.0 - r.novelty_floor) * math.exp(-stale / r.novelty_days)


def read_day(member: Member, model: CommunityModel) -> Reading | None:
    """One member's day of reading ``model.page``; None if they did not open the group."""
    r = model.p.reading
    if not member.visiting:  # stayed away today (processes/visiting.py)
        return None
    if not model.p.visiting.enabled and member.muted and model.rng.random() >= r.muted_check_prob:
        return None
    page = model.page
    gain = novelty(member, model, page.renewal) * member.need * member.fit * page.saturation
    ties = model.ties_of(member)
    if ties and r.social_value:
        said = model.log.said
        heard = sum(said[t] for t in ties.keys() & said.keys()) * page.share  # ties' messages read
        if heard:
            gain += r.social_value * r.social_scale * (1.0 - math.exp(-heard / r.social_scale))
    if member.role is Role.vip:
        gain += model.p.monetisation.vip_value_bonus * member.need * page.saturation
    gain += page.red_packet_thrill * (1.0 - member.fit)
    noise = r.noise_cost * page.chat * (1.0 - member.fit)
    expectation = r.vip_expectation if member.role is Role.vip else r.expectation
    u = gain - page.overload - page.ad_cost - noise - page.fatigue - page.boredom
    target = min(1.0, max(0.0, 0.5 + u - expectation))  # 0.5: the scale's neutral midpoint (structural)
    return Reading(gain, page.overload, page.ad_cost, noise, page.fatigue, page.boredom, target)
