"""The rules for one member at a time, on floats: what the Mesa engine calls.

Each rule module compiled once more by :func:`sim.rules.elementwise.on_floats` (``math`` and
the builtins for numpy's functions: the Mesa engine's bits, and a float's speed). Import the
family from here in ``sim/processes/``; the vector engine imports ``sim.rules`` itself.
"""

from __future__ import annotations

from sim.rules import arrivals, content, costs, leaving, lifecycle, moderation, needs, posting, roles
from sim.rules import satisfaction, topics, visiting
from sim.rules.elementwise import on_floats

arrivals = on_floats(arrivals)
content = on_floats(content)
costs = on_floats(costs)
leaving = on_floats(leaving)
lifecycle = on_floats(lifecycle)
moderation = on_floats(moderation)
needs = on_floats(needs)
posting = on_floats(posting)
roles = on_floats(roles)
satisfaction = on_floats(satisfaction)
topics = on_floats(topics)
visiting = on_floats(visiting)
