"""Role transitions (MODEL.md §4.6): talking and lurking, KOLs rising and leaving, VIPs.

- lurker → active when content enough (``activate_satisfaction``) or already talking, more
  readily among people they know (``ease_activate``: friend groups are at ease, seed 004 L646);
  active → lurker when unhappy.
- active → KOL when others keep replying to them (30-day endorsement memory) and they
  know the topic (seed 001 树关键人).
- KOL exit: when the valuable share of the group's talk, less a penalty for the volume of
  beginner questions and off-topic chat beyond a tolerance (:class:`QualityView`), stays below
  ``kol_quality_floor`` for ``kol_patience_days`` (longer with incentives, seed 004 L61),
  the KOL leaves — low-quality influx suppresses experts (seed 004 L176, the PM cohort) —
  and everyone tied to them loses ``kol_exit_shock`` satisfaction.
- member → VIP when trust × need × ability to pay × urgency × value-for-money ×
  convenience clears ``conversion_bar`` (seed 000 L135's six factors, read as a product;
  urgency is the member's need, so need enters squared); VIPs renew each period while
  satisfied, else fall back to active.
- member → spammer: where ads stay visible, low-fit members start advertising too
  (seed 003: 99% of groups end as ad groups).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.params import ChurnMode
from sim.roles import Role
from sim.rules.satisfaction import move_toward

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel
    from sim.params import Roles as RolesParams
    from sim.processes.conversation import DayLog


@dataclass
class QualityView:
    """The KOL-exit mechanism's state: the group's quality as KOLs perceive it, an EMA of
    the day's quality — the valuable share of the talk (content counts half) less
    ``kol_noise_cost`` per noise message beyond ``kol_noise_tolerance`` a day (beginner
    questions and off-topic chat, ``DayLog.noise``): experts answering 小白 questions all day
    lose their enthusiasm whatever the share (seed 004 L150, L176)."""

    quality: float = 0.5

    def update(self, log: DayLog, r: RolesParams) -> None:
        # Acquaintances' side talk (DayLog.tie_chat) is not the topic's talk: it enters only
        # through the noise term, where newcomers and low-fit members wrote it.
        talk = log.valuable + log.chat - log.tie_chat + log.content
        if talk:
            today = log.valuable / talk + r.kol_content_weight * log.content / talk
            today -= r.kol_noise_cost * max(0.0, log.noise - r.kol_noise_tolerance)
            self.quality = move_toward(self.quality, today, r.kol_quality_smoothing)


def activate_chance(model: CommunityModel, m: Member) -> float:
    """A content lurker's daily chance to start talking: ``activate_prob``, plus up to
    ``ease_activate`` for one who knows many of the members (k present ties the two knew each
    other by outside the group's talk — friends, an invitation, a meet-up, the starting
    network: ``network.tie(known=True)``; a Hill curve of order 2 with half at ``ease_ties``).
    Replies among strangers, in a red-packet crowd say, do not make one at ease. People among
    friends are at ease and speak up; in a star everyone knows only the founder (seed 004 L646)."""
    r = model.p.roles
    if not r.ease_activate:
        return r.activate_prob
    k2 = sum(1 for d in model.ties_of(m).values() if d.get("known")) ** 2
    return r.activate_prob + r.ease_activate * k2 / (k2 + r.ease_ties ** 2)


def update_roles(model: CommunityModel) -> None:
    p = model.p
    log = model.log
    talk = log.valuable + log.chat + log.content
    model.kol_view.update(log, p.roles)
    ad_share = log.ads_visible / (talk + log.ads_visible) if (talk + log.ads_visible) else 0.0
    rng = model.rng
    decay = math.exp(-1.0 / p.roles.endorsement_memory_days)
    for m in list(model.members):
        m.endorsement *= decay
        role = m.role
        if not m.spec.person:
            continue
        if role is Role.lurker:
            if m.satisfaction >= p.roles.activate_satisfaction and rng.random() < activate_chance(model, m):
                m.become(Role.active)
        elif role is Role.active:
            if m.satisfaction < p.roles.deactivate_satisfaction:
                m.become(Role.lurker)
            elif m.endorsement >= p.roles.kol_endorsements and m.expertise >= p.roles.kol_min_expertise:
                m.become(Role.kol)
                model.log_event(f"{m.name} became a KOL")
        elif role is Role.kol and p.churn.mode is not ChurnMode.cascade and _kol_quits(model, m):
            continue  # (cascade mode: its rule only)
        if p.monetisation.enabled:
            _monetise(model, m)
        if ad_share and m.role is not Role.vip and m.fit < p.ads.temptation_fit \
                and rng.random() < p.ads.contagion * ad_share * (1.0 - m.fit):
            m.become(Role.spammer)


def _kol_quits(model: CommunityModel, kol: Member) -> bool:
    r = model.p.roles
    if model.kol_view.quality < r.kol_quality_floor:
        kol.kol_unhappy_days += 1
    else:
        kol.kol_unhappy_days = max(0, kol.kol_unhappy_days - 1)
    if kol.kol_unhappy_days < r.kol_patience_days * (1.0 + r.kol_incentive_patience * r.kol_incentive):
        return False
    model.log_event(f"KOL {kol.name} left: quality fell")
    for t in list(model.network.adj.get(kol.unique_id, ())):
        other = model.by_id(t)
        other.satisfaction = max(0.0, other.satisfaction - r.kol_exit_shock)
        other.kol_shock_day = model.day
    model.remove_member(kol, "quality_fell")
    return True


def _monetise(model: CommunityModel, m: Member) -> None:
    mon = model.p.monetisation
    day = model.day
    if m.role is Role.vip:
        if (day - m.vip_since) % mon.period_days == 0:
            if m.satisfaction >= mon.renewal_satisfaction:
                model.log.revenue += mon.price
            else:
                m.become(Role.active)
                m.vip_since = None
        return
    r = m.last_read
    if r is None:
        return
    trust = m.satisfaction * min(1.0, (day - m.join_day) / mon.trust_days)
    value_for_money = min(1.0, r.gain / model.p.reading.expectation)
    urgency = m.need  # no separate urgency trait: who needs the group most needs it now
    score = trust * m.need * m.willingness_to_pay * urgency * value_for_money * mon.convenience
    if score >= mon.conversion_bar and model.rng.random() < mon.daily_conversion_prob:
        m.become(Role.vip)
        m.vip_since = day
        model.log.revenue += mon.price
        model.log.new_vips += 1
        model.vips_ever += 1
