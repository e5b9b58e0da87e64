"""The vector engine: the model of ``sim/processes/`` on arrays, many communities per call.

``simulate_batch(params_list)`` runs R communities at once (numpy; see engine.py) and gives
the same results as ``sim.simulate`` gives one by one, in distribution (tests/vector).
The Mesa engine stays the readable reference and the classroom page's engine.
"""

from sim.vector.engine import simulate_batch

__all__ = ["simulate_batch"]
