"""One picture of the run at one moment: everything the page draws, taken in one go.

The play loop steps the model in a worker thread while the browser is being sent the last
day's picture. Anything drawn straight from the live model could mix two days (the old page
read ``model.observer.rows`` twice while the loop appended to it: "x has size 33, y2 34",
PITFALLS "Play thread vs drawing"). So the page never reads the model: after each day the
loop takes a :class:`Frame` under the run's lock, and every component draws from that
frozen copy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.events import Event


@dataclass(frozen=True)
class MemberDot:
    """One member on the network picture (positions come from the stable layout)."""

    uid: int
    x: float
    y: float
    role: str
    muted: bool
    messages_today: int


@dataclass(frozen=True)
class Frame:
    """The run on ``day``: its daily rows so far, its turning points, its members and ties."""

    scenario: str
    day: int
    horizon: int  #: the run's last day (Params.days)
    running: bool
    phase: str
    monetised: bool  #: indicator ③ (paid conversion) applies
    rows: tuple[dict[str, Any], ...]  #: the observer's rows, day 0..day (never mutated)
    events: tuple[Event, ...]  #: the model's own turning points (sim/events.py: day, text, kind)
    dots: tuple[MemberDot, ...] = ()
    left: tuple[tuple[float, float], ...] = ()  #: where each member who left used to be
    ties: tuple[tuple[int, int], ...] = ()  #: indexes into ``dots``
    levers: dict[str, Any] = field(default_factory=dict)  #: the setup this run was built from

    @property
    def last(self) -> dict[str, Any]:
        return self.rows[-1]

    def column(self, key: str) -> list:
        return [r[key] for r in self.rows]


def take_frame(model, layout, levers: dict[str, Any]) -> Frame:
    """A consistent copy of ``model`` now; call it under the run's lock (see lesson.Lesson)."""
    members = list(model.members)
    departed = [m for m in model.roster if not m.present]
    pos = layout.update(model.network, [m.unique_id for m in members] + [m.unique_id for m in departed])
    index = {m.unique_id: i for i, m in enumerate(members)}
    dots = tuple(MemberDot(m.unique_id, *pos[m.unique_id], str(m.role), bool(m.muted), int(m.messages_today))
                 for m in members)
    ties = tuple((index[u], index[v]) for u, v in model.network.edges() if u in index and v in index)
    return Frame(scenario=model.scenario, day=model.day, horizon=model.p.days, running=bool(model.running),
                 phase=model.phase, monetised=bool(model.p.monetisation.enabled),
                 rows=tuple(model.observer.rows), events=tuple(model.events), dots=dots,
                 left=tuple(pos[m.unique_id] for m in departed), ties=ties, levers=dict(levers))
