"""The admin's one-to-one work (MODEL.md §4.13), after reading and before roles change:
private chats with long-silent lurkers (seed 004 L641–643) and endorsing experts in the
daily chat (seed 004 L283–284). Who gets a chat or an endorsement is decided here; what it
does is :mod:`sim.rules.outreach`. Nothing is drawn while both are off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.roles import Role
from sim.rules.floats import outreach as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel


def reach_out(model: CommunityModel) -> None:
    o = model.p.outreach
    if o.lurker_chats_per_day > 0:
        _private_chats(model)
    if o.endorsements_per_day > 0:
        _endorse_experts(model)


def _private_chats(model: CommunityModel) -> None:
    """Chats with long-silent lurkers, drawn at random among them: some wake, some leave."""
    o, day, rng = model.p.outreach, model.day, model.rng
    silent = [m for m in model.members
              if m.role is Role.lurker and rules.long_silent(day - m.last_post_day, o)]
    k = rules.chats_today(len(silent), model.founder_active, o)
    if not k:
        return
    model.log.private_chats += k
    for i in rng.choice(len(silent), size=k, replace=False):
        m = silent[i]
        outcome = rules.chat_outcome(rng.random(), o)
        if outcome == rules.WOKE:
            m.muted = False
            m.satisfaction = rules.woken_satisfaction(m.satisfaction, o)
            m.notified_day = day  # the chat is a notification: they look in tomorrow
            m.become(Role.active)
        elif outcome == rules.LEFT:
            model.remove_member(m, "need_gone")


def _endorse_experts(model: CommunityModel) -> None:
    """Endorsements of talking experts, drawn at random among them."""
    o, rng = model.p.outreach, model.rng
    experts = [m for m in model.members
               if m.role is Role.active and m.expertise >= model.p.roles.kol_min_expertise]
    k = rules.endorsements_today(len(experts), model.founder_active, o)
    if not k:
        return
    model.log.endorsements += k
    for i in rng.choice(len(experts), size=k, replace=False):
        experts[i].endorsement = rules.endorsed(experts[i].endorsement, o)
