"""The rules for one member at a time, on floats: what the Mesa engine calls.

Each rule module compiled once more by :func:`sim.rules.elementwise.on_floats` (``math`` and
the builtins for numpy's functions: the Mesa engine's bits, and a float's speed). Import the
family from here in ``sim/processes/``; the vector engine imports ``sim.rules`` itself.
"""

from __future__ import annotations

from sim.rules import arrivals, cast, checkins, conduct, content, costs, dormancy, leaving, lifecycle, meetups
from sim.rules import moderation, needs, outreach, posting, real_name, roles, satisfaction, topics, visiting
from sim.rules.elementwise import on_floats

(arrivals, cast, checkins, conduct, content, costs, dormancy, leaving, lifecycle, meetups, moderation, needs, outreach,
 posting, real_name, roles, satisfaction, topics, visiting) = (on_floats(family) for family in (
    arrivals, cast, checkins, conduct, content, costs, dormancy, leaving, lifecycle, meetups, moderation, needs,
    outreach, posting, real_name, roles, satisfaction, topics, visiting))
