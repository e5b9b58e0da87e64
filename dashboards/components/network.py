"""The member network: who is in the group, in which role, how active, and who has gone.

Drawn as SVG (go.Scatter), not WebGL: headless and GPU-less browsers may lack WebGL, and
500 members plus their ties is well within what SVG redraws per step.

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

import plotly.graph_objects as go
import solara

from dashboards.components.live_figure import LiveChart

ROLE_COLOURS = {
    "founder": "#d62728",  # red: the one the group hangs on
    "kol": "#ff7f0e",  # orange
    "active": "#2ca02c",  # green
    "lurker": "#9ecae1",  # pale blue: present but silent
    "vip": "#9467bd",  # purple
    "spammer": "#4d4d4d",  # near-black
}
ROLE_LABELS = {"founder": "founder", "kol": "KOL", "active": "active", "lurker": "lurker",
               "vip": "paying VIP", "spammer": "spammer"}
LEFT_COLOUR = "#d9d9d9"
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


def network_figure(model) -> go.Figure:
    """Plotly figure of the member network of ``model`` (a ``sim.model.CommunityModel``)."""
    members = list(model.members)
    departed = [m for m in model.roster if not m.present]  # roster: everyone who ever joined
    graph = model.network
    layout = layout_for(model)
    pos = layout.update(graph, [m.unique_id for m in members] + [m.unique_id for m in departed])

    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for u, v in graph.edges():
        if u in pos and v in pos:
            edge_x += [pos[u][0], pos[v][0], None]
            edge_y += [pos[u][1], pos[v][1], None]
    traces = [go.Scatter(x=edge_x, y=edge_y, mode="lines", hoverinfo="skip", showlegend=False,
                           line={"width": 0.5, "color": "rgba(120,120,120,0.35)"})]

    # Members who left: a small grey cross where they used to be, so the emptying is visible.
    # Always a trace (maybe empty): a fixed trace list lets the page restyle in place.
    traces.append(go.Scatter(
        x=[pos[m.unique_id][0] for m in departed], y=[pos[m.unique_id][1] for m in departed],
        mode="markers", name=f"left ({len(departed)})",
        marker={"symbol": "x-thin", "size": 6, "line": {"width": 1, "color": LEFT_COLOUR}},
        text=[f"{m.name} ({m.role}) left on day {m.leave_day}: {m.leave_reason}" for m in departed],
        hoverinfo="text"))

    for role, colour in ROLE_COLOURS.items():
        group = [m for m in members if m.role == role]
        # A trace per role even when empty, so the legend and colours stay put (Mesa #2658).
        muted = [m.muted for m in group]
        traces.append(go.Scatter(
            x=[pos[m.unique_id][0] for m in group], y=[pos[m.unique_id][1] for m in group],
            mode="markers", name=f"{ROLE_LABELS[role]} ({len(group)})",
            marker={
                "color": colour,
                # size by activity: messages posted today, on a square-root scale
                "size": [6 + 4 * math.sqrt(m.messages_today) + (8 if role == "founder" else 0) for m in group],
                # muted members are hollow rings: still here, no longer listening
                "symbol": ["circle-open" if mu else "circle" for mu in muted],
                "line": {"width": [2 if mu else 0.5 for mu in muted], "color": colour},
            },
            text=[f"{m.name} ({m.role}{', muted' if m.muted else ''}): {m.messages_today} msgs today" for m in group],
            hoverinfo="text"))

    fig = go.Figure(traces)
    fig.update_layout(
        title={"text": f"Members on day {model.day}: {len(members)} present, {len(departed)} left<br>"
                       "<sup>size = messages today · ring = muted · × = left</sup>", "font": {"size": 13}},
        margin={"l": 5, "r": 5, "t": 45, "b": 5}, height=370,
        xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
        legend={"itemsizing": "constant", "font": {"size": 11}, "orientation": "h", "y": -0.02, "yanchor": "top"},
        plot_bgcolor="white",
    )
    return fig


@solara.component
def MemberNetwork(model):
    LiveChart(model, network_figure, "classroom-network")
