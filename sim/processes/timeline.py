"""Strategy timelines: a strategy changes on a given day (``Params.timeline``).

Called first in ``CommunityModel.step``: on the morning of a change's day the model's
parameters are replaced by a validated copy with the change applied (``params.apply_change``),
so every process reads the new strategy from that day on — each reads ``model.p`` when it
runs, none keeps a copy. The change is a turning point of the story (``model.log_event``).
A change with ``day = -1`` never happens (the "no switch" arm of a swept switch day).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.events import describe_change
from sim.params import apply_change

if TYPE_CHECKING:
    from sim.model import CommunityModel


def apply_due_changes(model: CommunityModel) -> None:
    """Apply today's changes, in the order the timeline lists them."""
    for ch in model.p.timeline:
        if ch.day == model.day:
            model.p = apply_change(model.p, ch.set)
            model.log_event("strategy_change", what=describe_change(ch))
