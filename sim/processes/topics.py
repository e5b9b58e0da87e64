"""Hot topics and news (issue 12 "bursts"): why some days are far busier than others.

Real groups have spikes — R4DS's busiest 1% of days carry 6.6× the median day's messages
(data/README.md) — from news, a hot question, a controversy. Each morning a hot topic
arises with probability ``topics.hot_per_week / 7``; its heat is Pareto-distributed
(``heat_scale``, tail ``heat_alpha``, at most ``heat_cap``) and ``heat_decay`` of it is
left the next day. The members respond (the burst is theirs, not noise on the counts):
a member who cares (fit) opens the group more (``visit_pull``, processes/visiting.py) and
posts ``1 + heat × fit`` times as much (Member.posting_rate); replies and tomorrow's
stimulus carry the spike on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.rules.floats import topics as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel


def morning(model: CommunityModel) -> None:
    """Yesterday's heat fades; perhaps something new happens today (``model.heat``)."""
    t = model.p.topics
    new = bool(t.hot_per_week) and model.rng.random() < t.hot_per_week / 7.0
    heat = rules.heat_today(model.heat, new, float(model.rng.pareto(t.heat_alpha)) if new else 0.0, t)
    if new and rules.is_big_topic(heat, t):  # a big one is a turning point of the story
        model.log_event("hot_topic", heat=rules.capped_heat(heat, t))
    model.heat = rules.capped_heat(heat, t)
