"""Leaving (MODEL.md §4.7): mute first, then go; zombie purge; threshold cascade.

``satisfaction`` mode — each day every member (not the founder, not a spammer) sets their
mute and leaves with the hazard of :mod:`sim.rules.leaving` (the formula and its seeds are
there), naming the reason it gives. This module decides who and when.

``cascade`` mode replaces all of that with Garcia et al. (2013): a member leaves when
b × (present neighbours) < c, so survivors are the ⌈c/b⌉-core of the network.

A leaver whose interest faded may stay instead, dormant (:mod:`sim.rules.dormancy`); a dormant
member spends the day's draw on waking, not leaving. The zombie purge (seed 004 L293-298:
silent for 1–2 months; L630: screen them out monthly) runs in both, and removes the dormant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.params import ChurnMode
from sim.roles import Role
from sim.processes import reading
from sim.rules.floats import dormancy as dormancy_rules
from sim.rules.floats import leaving as leaving_rules

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel
    from sim.params import Churn as ChurnParams


def let_members_leave(model: CommunityModel) -> None:
    if model.p.churn.mode is ChurnMode.cascade:
        _cascade(model)
    else:
        _satisfaction_churn(model)
    if model.p.churn.zombie_purge and model.day > 0 and model.day % model.p.churn.purge_every_days == 0:
        purge_zombies(model)
    _founder_may_quit(model)


def _satisfaction_churn(model: CommunityModel) -> None:
    c = model.p.churn
    rng = model.rng
    day = model.day
    audience = len(model.members)
    d = model.p.dormancy
    renewal = reading.renewal_today(model) if d.enabled else 0.0
    leaving: list[tuple[Member, str]] = []
    for m in model.members:
        role = m.role
        if role is Role.founder:
            continue
        if role is Role.spammer:
            if audience < c.spammer_min_audience or rng.random() < c.spammer_leave_prob:
                leaving.append((m, "moved_on"))
            continue
        if m.dormant:  # asleep: today's draw decides whether they wake (sim/rules/dormancy.py)
            if rng.random() < dormancy_rules.wake_chance(m.notified_day == day - 1, model.log.red_packets, renewal, d):
                m.dormant = m.muted = False
            continue
        m.muted = bool(leaving_rules.muted_after(m.muted, m.satisfaction, c))
        # The tie weights are summed only where they count (an O(ties) walk).
        lost = lost_tie_share(model, m) if m.tie_weight_ever and c.lost_ties_hazard else 0.0
        hazard = leaving_rules.leave_hazard(m.satisfaction, m.muted, lost, m.need, day - m.join_day,
                                            day - m.friend_left_day, c, model.p.entry.judgement_days)
        u = rng.random()
        if u < hazard:
            reason = _reason(m, day, c)
            if dormancy_rules.falls_dormant(u, hazard, reason == "bored", reason == "need_gone", d):
                m.dormant = m.muted = True
            else:
                leaving.append((m, reason))
        elif u < hazard + dormancy_rules.fade_hazard(m.satisfaction, d):  # interest faded: asleep
            m.dormant = m.muted = True
    for m, reason in leaving:
        model.remove_member(m, reason)


def lost_tie_share(model: CommunityModel, m: Member) -> float:
    """:func:`sim.rules.leaving.lost_tie_share` of the member's ties present now."""
    present = sum(d["weight"] for d in model.ties_of(m).values())
    return leaving_rules.lost_tie_share(present, m.tie_weight_ever)


_NAMES = {reason: reason for reason in leaving_rules.GRIEVANCES}  # the Mesa engine records names


def _reason(m: Member, day: int, c: ChurnParams) -> str:
    read = m.last_read is not None
    worst = m.last_read.worst_cost() if read else "bored"
    return leaving_rules.leave_reason(m.need, day - m.kol_shock_day, day - m.friend_left_day, read, worst, c, _NAMES)


def _cascade(model: CommunityModel) -> None:
    """Garcia et al. (2013): everyone with b·k < c leaves at once (k = present neighbours)."""
    c = model.p.churn
    g = model.network
    leaving = [m for m in model.members if c.cascade_benefit * g.degree(m.unique_id) < c.cascade_cost]
    for m in leaving:
        model.remove_member(m, "cascade")


def purge_zombies(model: CommunityModel) -> None:
    """Remove members silent for ``zombie_days``. The founder keeps the seat, and so do paying
    VIPs: the purge screens out lurkers who joined at no cost (seed 004 L630 如果是做的免费社群
    …本身用户的加入是没有成本), not customers."""
    zombie_days = model.p.churn.zombie_days
    zombies = [m for m in model.members
               if m.role not in (Role.founder, Role.vip) and m.days_silent >= zombie_days]
    for m in zombies:
        model.remove_member(m, "purged")
    if zombies:
        model.log_event("purge", members=len(zombies))


def _founder_may_quit(model: CommunityModel) -> None:
    quit_after = model.p.founder.quit_after_burnout_days
    f = model.founder
    if f is not None and f.present and model.day == model.p.founder.leave_day:
        model.remove_member(f, "moved_on")
        model.log_event("founder_left", who=f.name)
        return
    if quit_after and f is not None and f.present and f.burnt_out and f.burnout_days >= quit_after:
        model.remove_member(f, "burnout")
        model.log_event("founder_quit", who=f.name, days=f.burnout_days)
