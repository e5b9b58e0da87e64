"""Role transitions (MODEL.md §4.6): talking and lurking, KOLs rising and leaving, VIPs.

Each day, in the members' order: a content lurker may start talking (``activate_satisfaction``
and :func:`activate_chance`), an unhappy active member falls silent, an endorsed expert rises
to KOL, a KOL counts unhappy days against the group's quality (:class:`QualityView`) and
leaves when patience runs out (everyone tied to them loses ``kol_exit_shock`` satisfaction),
VIPs renew each period while satisfied and others may buy, and where ads stay visible a
low-fit member may start advertising. The rules and their seeds: :mod:`sim.rules.roles`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.params import ChurnMode
from sim.roles import Role
from sim.rules.floats import roles as role_rules
from sim.rules.floats import satisfaction as sat

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
            # The vector engine sums this in another order (sim/rules/__init__.py, "Floating point").
            today = log.valuable / talk + r.kol_content_weight * log.content / talk
            today -= r.kol_noise_cost * max(0.0, log.noise - r.kol_noise_tolerance)
            self.quality = sat.move_toward(self.quality, today, r.kol_quality_smoothing)


def activate_chance(model: CommunityModel, m: Member) -> float:
    """:func:`sim.rules.roles.activate_chance` of ``m``: its known ties are present ties the two
    knew each other by outside the group's talk (``network.tie(known=True)``); replies among
    strangers, in a red-packet crowd say, do not make one at ease."""
    r = model.p.roles
    known = sum(1 for d in model.ties_of(m).values() if d.get("known")) if r.ease_activate else 0
    return role_rules.activate_chance(known, r)


def update_roles(model: CommunityModel) -> None:
    p = model.p
    log = model.log
    talk = log.valuable + log.chat + log.content
    model.kol_view.update(log, p.roles)
    ad_share = role_rules.ad_share(talk, log.ads_visible)
    rng = model.rng
    decay = role_rules.endorsement_kept(p.roles)
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
            elif role_rules.rises_to_kol(m.endorsement, m.expertise, p.roles):
                m.become(Role.kol)
                model.log_event("kol_rose", who=m.name)
        elif role is Role.kol and p.churn.mode is not ChurnMode.cascade and _kol_quits(model, m):
            continue  # (cascade mode: its rule only)
        if p.monetisation.enabled:
            _monetise(model, m)
        if ad_share and m.role is not Role.vip and not m.dormant and m.fit < p.ads.temptation_fit \
                and rng.random() < role_rules.advertise_chance(ad_share, m.fit, p.ads.contagion):
            m.become(Role.spammer)


def _kol_quits(model: CommunityModel, kol: Member) -> bool:
    r = model.p.roles
    kol.kol_unhappy_days = role_rules.kol_unhappy_days(kol.kol_unhappy_days, model.kol_view.quality, r)
    if kol.kol_unhappy_days < role_rules.kol_patience(r):
        return False
    model.log_event("kol_left", who=kol.name)
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
    score = role_rules.vip_score(m.satisfaction, day - m.join_day, m.need, m.willingness_to_pay, r.gain, mon,
                                 model.p.reading.expectation)
    if score >= mon.conversion_bar and model.rng.random() < mon.daily_conversion_prob:
        m.become(Role.vip)
        m.vip_since = day
        model.log.revenue += mon.price
        model.log.new_vips += 1
        model.vips_ever += 1
