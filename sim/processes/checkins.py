"""Check-ins (MODEL.md §4.13; seed 004 L622–628, seed 002 L169), after posting: while the
programme runs, visiting members post their check-in card (one chat message each) with a
chance that fades as the programme gets old (:mod:`sim.rules.checkins`). Its pull on visits is
in :func:`sim.processes.visiting.decide_visits`; its hours and rewards in
:mod:`sim.processes.costs`. Nothing is drawn while it is off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.rules.floats import checkins as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel


def check_in(model: CommunityModel) -> None:
    c, day = model.p.checkins, model.day
    if not rules.running(day, c):
        return
    model.log.checkins_run = True
    chance = rules.checkin_chance(day, c)
    for m in model.members:
        if m.spec.person and m.visiting and model.rng.random() < chance:
            m.spoke(1)
            m.messages_today += 1
            model.log.add_posts(m, valuable=0, chat=1)
