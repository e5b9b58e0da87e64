"""Agent-based simulator of online chat-community lifecycles.

>>> from sim import Params, run
>>> result = run(Params(days=30, seed=1))
>>> result.outcomes["final_phase"]  # doctest: +SKIP
'growth'

:func:`run` is the one way to run the model, on the engine ``params.engine`` names: ``mesa``
(sim/model.py, the readable agent-based reference) or ``vector`` (sim/vector/, the same model
on arrays, many groups per call). Give it a list to run many groups: the vector engine then
simulates them together, the Mesa engine one after another; the results are the same as one
by one either way (the vector engine's randomness is keyed by each run's seed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from sim.events import Event
from sim.observe import member_rows
from sim.params import ENGINE_NAMES, ParamError, Params, validate

if TYPE_CHECKING:
    from sim.model import CommunityModel


def __getattr__(name: str) -> Any:
    """``sim.CommunityModel`` on first use: importing ``sim`` (and the vector engine) loads no Mesa."""
    if name == "CommunityModel":
        from sim.model import CommunityModel

        return CommunityModel
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


__all__ = ["CommunityModel", "ParamError", "Params", "Result", "run", "simulate", "validate"]

OnDay = Callable[["CommunityModel"], None]  # the Mesa engine's day hook


@dataclass
class Result:
    """A finished run: daily rows, run outcomes, the turning points, its parameters, and the
    model itself (Mesa engine; None on the vector engine, which sets ``members`` instead)."""

    model: CommunityModel | None
    rows: list[dict[str, Any]]
    outcomes: dict[str, Any]
    events: list[Event]  #: turning points: (day, text) pairs with a kind (sim.events)
    params: Params
    #: members.csv rows, set by the vector engine (which has no ``model``); None: read ``model.roster``.
    members: Sequence[dict[str, Any]] | None = None

    def member_rows(self) -> Sequence[dict[str, Any]]:
        """One row per member who ever joined (``sim.observe.MEMBER_COLUMNS``), on either engine."""
        if self.members is not None:
            return self.members
        if self.model is None:
            raise ValueError("a result without a model (vector engine) must carry its members")
        return member_rows(self.model)


@overload
def run(params: Params | None = None, on_day: OnDay | None = None) -> Result: ...
@overload
def run(params: Sequence[Params], on_day: OnDay | None = None) -> list[Result]: ...


def run(params=None, on_day=None):
    """Run one group (a ``Params``) or many (a list: one ``Result`` each, in order) until it
    dies or the horizon, on the engine each ``params.engine`` names.

    ``on_day(model)`` is called after every day of a Mesa run (a progress bar, a snapshot of a
    given day); the vector engine lives many groups' days together and has no model object to
    pass, so it refuses ``on_day`` before anything runs. The vector engine's runs of a list
    are simulated as one batch per ``engine.device``."""
    if params is None or isinstance(params, Params):
        return _run_all([Params() if params is None else params], on_day)[0]
    return _run_all(list(params), on_day)


#: Kept for existing callers: the same function.
simulate = run


def _run_all(runs: list[Params], on_day: OnDay | None) -> list[Result]:
    groups: dict[tuple[str, str], list[int]] = {}  # (engine, device) -> positions, in order
    for i, p in enumerate(runs):
        if p.engine.name not in ENGINE_NAMES:
            raise ParamError(f"engine.name = {p.engine.name!r}: allowed {', '.join(ENGINE_NAMES)}")
        if p.engine.name == "vector" and on_day is not None:
            raise ValueError("on_day: engine.name = 'vector' has no model object to pass to a day hook "
                             "(use engine=mesa)")
        groups.setdefault((p.engine.name, p.engine.device if p.engine.name == "vector" else ""), []).append(i)
    results: list[Result | None] = [None] * len(runs)
    for (engine, device), positions in groups.items():
        batch = [runs[i] for i in positions]
        if engine == "vector":
            from sim.vector import simulate_batch  # numpy (and torch on a device) only when asked for

            done = simulate_batch(batch, device=device)
        else:
            done = [_run_mesa(p, on_day) for p in batch]
        for i, result in zip(positions, done):
            results[i] = result
    return results  # type: ignore[return-value]


def _run_mesa(p: Params, on_day: OnDay | None) -> Result:
    from sim.model import CommunityModel  # Mesa only when a Mesa run is asked for

    if p.start.snapshot:
        from sim.snapshot import continue_from

        model = continue_from(p)
    else:
        model = CommunityModel(p)
    while model.running:
        model.step()
        if on_day is not None:
            on_day(model)
    return Result(model, model.observer.rows, model.outcomes(), model.events, model.p)
