"""Leaving (MODEL.md §4.7): mute first, then go; zombie purge; threshold cascade.

``satisfaction`` mode — the daily leave hazard of a member is

    h = base + dissatisfied · (1 − s)² · (1 if muted else 0.3) + lost_ties · (1 − weight present / weight ever)
        + need_gone · (1 − need / need_gone_below)   (need below need_gone_below: seed 004 L227)
        + friend_left (for friend_left_days after a latent friend left: sim/friends.py)

where a tie's weight counts its interactions (replies, welcomes, invitations): what the
lost ties carried, not how many they were (seed 004 L646: when the one you know leaves).

and unhappy members mute first (seed 004 L642: 免打扰 from day one). Newcomers judge
the group within ``entry.judgement_days`` (MODEL.md §4.1). The reason recorded is the
member's main grievance: need gone, a KOL they knew left, a friend left, or their worst cost of the
day (bored, overloaded, annoyed by ads).

``cascade`` mode replaces all of that with Garcia et al. (2013): a member leaves when
b × (present neighbours) < c, so survivors are the ⌈c/b⌉-core of the network.

The zombie purge (seed 004 L293-298: silent for 1–2 months; L630: screen them out monthly) runs in both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.params import ChurnMode
from sim.roles import Role

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
    leaving: list[tuple[Member, str]] = []
    for m in model.members:
        role = m.role
        if role is Role.founder:
            continue
        if role is Role.spammer:
            if audience < c.spammer_min_audience or rng.random() < c.spammer_leave_prob:
                leaving.append((m, "moved_on"))
            continue
        s = m.satisfaction
        if m.muted:
            if s >= c.unmute_above:
                m.muted = False
        elif s < c.mute_below:
            m.muted = True
        hazard = c.base_hazard + c.dissatisfied_hazard * (1.0 - s) ** 2 * (1.0 if m.muted else c.unmuted_factor)
        if m.tie_weight_ever and c.lost_ties_hazard:
            hazard += c.lost_ties_hazard * lost_tie_share(model, m)
        if m.need < c.need_gone_below:  # the purpose is over for them (seed 004 L227)
            hazard += c.need_gone_hazard * (1.0 - m.need / c.need_gone_below)
        if day - m.friend_left_day < c.friend_left_days:  # a latent friend left: friends leave together
            hazard += c.friend_left_hazard
        if day - m.join_day < model.p.entry.judgement_days and s < c.newcomer_dislike_below:
            hazard += c.newcomer_dislike_hazard
        if rng.random() < hazard:
            leaving.append((m, _reason(m, day, c)))
    for m, reason in leaving:
        model.remove_member(m, reason)


def lost_tie_share(model: CommunityModel, m: Member) -> float:
    """Share of the member's interactions (tie weights) that were with ties now gone: losing the
    friend one talked with every day weighs more than losing a passing acquaintance."""
    present = sum(d["weight"] for d in model.ties_of(m).values())
    return max(0.0, 1.0 - present / m.tie_weight_ever)


def _reason(m: Member, day: int, c: ChurnParams) -> str:
    if m.need < c.need_gone_below:
        return "need_gone"
    if day - m.kol_shock_day <= c.kol_shock_memory_days:
        return "kol_left"
    if c.friend_left_hazard > 0 and day - m.friend_left_day < c.friend_left_days:
        return "friend_left"
    if m.last_read is None:
        return "bored"  # stopped opening the group
    return m.last_read.worst_cost()


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
