"""The member network: who is in the group, in which role, how active, and who has gone.

Layout is incremental and stable (PITFALLS "Speed"; Mesa #2243): each member gets a position
once, the first time they are drawn, and keeps it until the model is reset. A newcomer is put
on a sunflower spiral slot (even spread, no overlaps, O(1)) pulled part of the way towards the
contacts they already have, so friends of the founder cluster around the founder and a mesh
looks like a mesh. Nothing is ever recomputed, so a step costs O(members + ties), not the
O(n²) per-step spring layout, and a member never jumps around while the class watches.

The browser draws the picture on a canvas (canvas.vue) from the positions sent here: a
day's update is a few kilobytes of numbers, not a server-rendered image.
"""

from __future__ import annotations

import math

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


def network_spec(frame) -> dict:
    """What canvas.vue draws for a :class:`~dashboards.components.frame.Frame`."""
    dots = frame.dots
    counts = {role: 0 for role in ROLE_COLORS}
    for d in dots:
        counts[d.role] = counts.get(d.role, 0) + 1
    # founder and KOLs drawn last, on top of the crowd
    order = sorted(range(len(dots)), key=lambda k: dots[k].role in ("founder", "kol"))
    legend = [{"label": f"{ROLE_LABELS[r]} {counts[r]}", "color": c} for r, c in ROLE_COLORS.items() if counts[r]]
    legend += [{"label": "muted", "color": "#777", "ring": True},
               {"label": f"left {len(frame.left)}", "color": LEFT_COLOUR, "cross": True}]
    return {
        "kind": "network", "day": frame.day,
        "title": f"Members on day {frame.day}: {len(dots)} here, {len(frame.left)} left",
        "day": frame.day,
        "x": [round(d.x, 3) for d in dots], "y": [round(d.y, 3) for d in dots],
        "color": [ROLE_COLORS.get(d.role, "#999") for d in dots],
        # radius by activity: messages posted today, on a square-root scale
        "size": [round(2.2 + 1.1 * math.sqrt(d.messages_today) + (2 if d.role == "founder" else 0), 2) for d in dots],
        "ring": [int(d.muted) for d in dots],
        "order": order,
        "ties": [k for tie in frame.ties for k in tie],
        "left_x": [round(x, 3) for x, _ in frame.left], "left_y": [round(y, 3) for _, y in frame.left],
        "legend": legend,
        "file": f"{frame.scenario}-network-day{frame.day}",
    }
