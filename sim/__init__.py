"""Agent-based simulator of online chat-community lifecycles.

>>> from sim import Params, simulate
>>> result = simulate(Params(days=30, seed=1))
>>> result.outcomes["final_phase"]  # doctest: +SKIP
'growth'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.events import Event
from sim.observe import member_rows
from sim.params import ParamError, Params, validate

if TYPE_CHECKING:
    from sim.model import CommunityModel


def __getattr__(name: str) -> Any:
    """``sim.CommunityModel`` on first use: importing ``sim`` (and the vector engine) loads no Mesa."""
    if name == "CommunityModel":
        from sim.model import CommunityModel

        return CommunityModel
    raise AttributeError(f"module 'sim' has no attribute {name!r}")

__all__ = ["CommunityModel", "ParamError", "Params", "Result", "simulate", "validate"]


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


def simulate(params: Params | None = None, on_day: Callable[[CommunityModel], None] | None = None) -> Result:
    """Run one group until it dies or the horizon; ``on_day`` is called after every day."""
    from sim.model import CommunityModel

    p = params if params is not None else Params()
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
