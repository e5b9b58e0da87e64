"""Strategy timelines: a strategy changes on a given day, or when the group calls for it
(``Params.timeline``).

Called first in ``CommunityModel.step``: on the morning of a change's day the model's
parameters are replaced by a validated copy with the change applied (``params.apply_change``),
so every process reads the new strategy from that day on — each reads ``model.p`` when it
runs, none keeps a copy. The change is a turning point of the story (``model.log_event``).
A change with ``day = -1`` never happens (the "no switch" arm of a swept switch day).

A reactive change (``Change.when``) watches yesterday's daily row instead: the rule
(sim/rules/reactions.py) says whether its condition has now held long enough, and it fires
this morning, after the day's fixed changes, as a ``reaction`` turning point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.events import describe_change, describe_reaction
from sim.params import apply_change
from sim.rules.reactions import holds, metric, watch

if TYPE_CHECKING:
    from sim.model import CommunityModel


def apply_due_changes(model: CommunityModel) -> None:
    """Apply today's changes, in the order the timeline lists them, then the reactive ones
    whose condition has held long enough."""
    for ch in model.p.timeline:
        if ch.day == model.day:
            model.p = apply_change(model.p, ch.set)
            model.log_event("strategy_change", what=describe_change(ch))
    react(model)


@dataclass
class Watch:
    """A reactive change's memory: days in a row its condition has held, firings, the last one."""

    streak: int = 0
    fired: int = 0
    last_fired: int = -1


def react(model: CommunityModel) -> None:
    """Fire the reactive changes whose condition held on yesterday's row long enough."""
    yesterday = model.observer.rows[-1]
    for i, ch in enumerate(model.p.timeline):
        if ch.when is None:
            continue
        w = model.watches.setdefault(i, Watch())
        value = metric(yesterday, ch.when.metric)
        fire, w.streak = watch(holds(value, ch.when.op, ch.when.value), w.streak, w.fired, w.last_fired, model.day,
                               ch.when.for_days, ch.repeat, ch.cooldown_days)
        w.streak = int(w.streak)
        if fire:
            w.fired += 1
            w.last_fired = model.day
            model.p = apply_change(model.p, ch.set)
            model.log_event("reaction", what=describe_reaction(ch), value=float(value))
