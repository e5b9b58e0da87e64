"""The vector engine: the model of ``sim/processes/`` on arrays, many communities per call.

``simulate_batch(params_list)`` runs R communities at once (numpy; see engine.py) and gives
the same results as ``sim.simulate`` gives one by one, in distribution (tests/vector).
The Mesa engine stays the readable reference and the classroom page's engine.

Names a reader meets everywhere here: ``engine`` (the running :class:`~sim.vector.engine.Engine`),
its ``batch`` (member columns, :mod:`sim.vector.state`), ``table`` (every parameter as an ``(R,)``
column, :mod:`sim.vector.params`), ``streams`` (the counter-based random numbers, one id per
call site in :class:`~sim.vector.streams.Stream`) and ``latent`` (the latent friendship
networks); the array shapes are written ``(R, N)``: R communities by N member slots.
"""

from sim.vector.engine import simulate_batch

__all__ = ["simulate_batch"]
