"""Live charts of the classroom page, drawn from the model's own daily rows.

Everything here reads ``model.observer.rows`` (one dict per day, the same rows the batch job
writes), so the page shows exactly what a sweep would measure. Every series is drawn even
when it is all zeros, so a role or message type that dies out neither breaks nor re-colours
a chart (Mesa #2658, #3682).
"""

from __future__ import annotations

import solara
from matplotlib.figure import Figure

from dashboards.components.plot import LivePlot
from sim.roles import ROLE_COLORS, ROLE_LABELS

MESSAGE_COLOURS = {"valuable": "#2ca02c", "content": "#d62728", "chat": "#9ecae1", "ad": "#4d4d4d"}
#: (row key, label, Params.phases target field, colour) of the rate-type health indicators (seed 001).
INDICATORS = (
    ("weekly_speaking_rate", "② speak weekly", "speaking_rate_target", "#1f77b4"),
    ("word_of_mouth_share", "④ came by word of mouth", "word_of_mouth_target", "#2ca02c"),
    ("disappointed_share", "⑤ would miss the group", "disappointed_target", "#9467bd"),
    ("paid_conversion", "③ paid conversion", "paid_conversion_target", "#ff7f0e"),
)


def _axes(fig: Figure, title: str, ylabel: str):
    ax = fig.subplots()
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("day", fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)
    return ax


def _legend(ax) -> None:
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False, reverse=True)


def draw_members(model, fig: Figure) -> None:
    rows = model.observer.rows
    days = [r["day"] for r in rows]
    ax = _axes(fig, f"Members by role — {rows[-1]['members']} on day {model.day}", "members")
    ax.stackplot(days, *[[r[f"members_{role}"] for r in rows] for role in ROLE_COLORS],
                 labels=[ROLE_LABELS[r] for r in ROLE_COLORS], colors=list(ROLE_COLORS.values()), alpha=0.85)
    ax.plot(days, [r["muted"] for r in rows], "k:", linewidth=1, label="of whom muted")
    ax.set_xlim(0, max(days[-1], 1))
    _legend(ax)


def draw_messages(model, fig: Figure) -> None:
    rows = model.observer.rows
    days = [r["day"] for r in rows]
    ax = _axes(fig, "Messages per day by type", "messages")
    ax.stackplot(days, *[[r[f"msgs_{kind}"] for r in rows] for kind in MESSAGE_COLOURS],
                 labels=list(MESSAGE_COLOURS), colors=list(MESSAGE_COLOURS.values()), alpha=0.85)
    ax.set_xlim(0, max(days[-1], 1))
    _legend(ax)


def draw_health(model, fig: Figure) -> None:
    """Rate indicators (solid) against their targets (dotted, same colour)."""
    rows = model.observer.rows
    days = [r["day"] for r in rows]
    last = rows[-1]
    ax = _axes(fig, f"Health vs targets (dotted) — ① valuable rounds without the owner, 7 d: {last['rounds_7d']}",
               "share of members")
    for key, label, target_field, colour in INDICATORS:
        if key == "paid_conversion" and not model.p.monetisation.enabled:
            continue
        ax.plot(days, [r[key] for r in rows], color=colour, linewidth=1.3, label=label)
        ax.axhline(getattr(model.p.phases, target_field), color=colour, linestyle=":", linewidth=1)
    ax.plot(days, [r["quality"] for r in rows], color="#8c564b", linewidth=0.9, label="quality (valuable share)")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(days[-1], 1))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    _legend(ax)


@solara.component
def MembersChart(model):
    LivePlot(model, draw_members, "classroom-chart-members")


@solara.component
def MessagesChart(model):
    LivePlot(model, draw_messages, "classroom-chart-messages")


@solara.component
def HealthChart(model):
    LivePlot(model, draw_health, "classroom-chart-health")
