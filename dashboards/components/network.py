"""The member network: who is in the group, in which role, how active, and who has gone.

Layout is incremental and stable (PITFALLS "Speed"; Mesa #2243): each member gets a position
once, the first time they are drawn, and keeps it until the model is reset. A newcomer is put
on a sunflower spiral slot (even spread, no overlaps, O(1)) pulled part of the way towards the
contacts they already have, so friends of the founder cluster around the founder and a mesh
looks like a mesh. Nothing is ever recomputed, so a step costs O(members + ties), not the
O(n²) per-step spring layout, and a member never jumps around while the class watches.
"""

from __future__ import annotations

import math
import weakref

import solara
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dashboards.components.plot import LivePlot
from sim.roles import ROLE_COLORS, ROLE_LABELS

LEFT_COLOUR = "#b0b0b0"
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_PULL = 0.35  # share of the way a newcomer moves from their spiral slot towards their contacts


class StableLayout:
    """Positions that are assigned once per member and never move."""

    def __init__(self) -> None:
        self.pos: dict[int, tuple[float, float]] = {}

    def _slot(self, k: int) -> tuple[float, float]:
        # Vogel's sunflower: the k-th of n points fills a disc evenly for any n.
        r = math.sqrt(k + 0.5)
        return r * math.cos(k * _GOLDEN_ANGLE), r * math.sin(k * _GOLDEN_ANGLE)

    def update(self, graph, ids) -> dict[int, tuple[float, float]]:
        for uid in sorted(i for i in ids if i not in self.pos):  # sorted: deterministic
            x, y = self._slot(len(self.pos))
            placed = [self.pos[v] for v in graph.neighbors(uid) if v in self.pos] if uid in graph else []
            if placed:
                mx = sum(p[0] for p in placed) / len(placed)
                my = sum(p[1] for p in placed) / len(placed)
                x, y = x + _PULL * (mx - x), y + _PULL * (my - y)
            self.pos[uid] = (x, y)
        return self.pos


# One layout per model object, dropped with the model (a reset builds a new model).
_layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def layout_for(model) -> StableLayout:
    if model not in _layouts:
        _layouts[model] = StableLayout()
    return _layouts[model]


def draw_network(model, fig: Figure) -> None:
    """Draw the member network of ``model`` (a ``sim.model.CommunityModel``) on ``fig``."""
    members = list(model.members)
    departed = [m for m in model.roster if not m.present]  # roster: everyone who ever joined
    graph = model.network
    pos = layout_for(model).update(graph, [m.unique_id for m in members] + [m.unique_id for m in departed])
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_aspect("equal")

    segments = [(pos[u], pos[v]) for u, v in graph.edges() if u in pos and v in pos]
    # Fainter ties in a big group, or 500 members' ties become a grey blot.
    alpha = max(0.06, min(0.5, 5 / max(1, len(segments)) ** 0.5))
    ax.add_collection(LineCollection(segments, linewidths=0.4, colors="grey", alpha=alpha, zorder=1))
    if departed:  # a faint cross where each member who left used to be: the emptying is visible
        ax.scatter([pos[m.unique_id][0] for m in departed], [pos[m.unique_id][1] for m in departed],
                   marker="x", s=10, linewidths=0.6, color=LEFT_COLOUR, zorder=2)
    for role, colour in ROLE_COLORS.items():
        group = [m for m in members if m.role == role]
        if not group:
            continue  # a role that died out: nothing to draw (Mesa #2658), the legend says 0
        xy = [pos[m.unique_id] for m in group]
        # size by activity: messages posted today, on a square-root scale
        sizes = [(3 + 2.2 * math.sqrt(m.messages_today) + (4 if role == "founder" else 0)) ** 2 for m in group]
        # muted members are hollow rings: still here, no longer listening
        face = ["none" if m.muted else colour for m in group]
        ax.scatter([p[0] for p in xy], [p[1] for p in xy], s=sizes, facecolors=face, edgecolors=colour,
                   linewidths=0.8, zorder=4 if role in ("founder", "kol") else 3)
    ax.autoscale_view()
    counts = {role: sum(1 for m in members if m.role == role) for role in ROLE_COLORS}
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=f"{ROLE_LABELS[r]} ({counts[r]})")
               for r, c in ROLE_COLORS.items()]
    handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="none", color="grey", label="muted (ring)"),
                Line2D([], [], marker="x", linestyle="", color=LEFT_COLOUR, label=f"left ({len(departed)})")]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    ax.set_title(f"Members on day {model.day}: {len(members)} present, {len(departed)} left "
                 "(size = messages today)", fontsize=9)


@solara.component
def MemberNetwork(model):
    LivePlot(model, draw_network, "classroom-network")
