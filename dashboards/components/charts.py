"""Live charts of the classroom page, drawn from the model's own daily rows.

Everything here reads ``model.observer.rows`` (one dict per day, the same rows the batch job
writes), so the page shows exactly what a sweep would measure. Each chart keeps a trace per
series even when it is all zeros, so a role or message type that dies out does not break or
re-colour the chart (Mesa #2658, #3682).
"""

from __future__ import annotations

import plotly.graph_objects as go
import solara

from dashboards.components.live_figure import LiveChart
from dashboards.components.network import ROLE_COLOURS, ROLE_LABELS

MESSAGE_COLOURS = {"valuable": "#2ca02c", "chat": "#9ecae1", "ad": "#4d4d4d", "content": "#d62728"}
#: (row key, label, Params.phases target field, colour) of the rate-type health indicators (seed 001).
INDICATORS = (
    ("weekly_speaking_rate", "② weekly speaking rate", "speaking_rate_target", "#1f77b4"),
    ("word_of_mouth_share", "④ joins by word of mouth (30 d)", "word_of_mouth_target", "#2ca02c"),
    ("disappointed_share", "⑤ would be disappointed", "disappointed_target", "#9467bd"),
    ("paid_conversion", "③ paid conversion", "paid_conversion_target", "#ff7f0e"),
)
CHART_HEIGHT = 370  # fits a cell of SolaraViz's grid (10 rows)


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 13}}, height=CHART_HEIGHT,
        margin={"l": 45, "r": 10, "t": 35, "b": 20},
        legend={"font": {"size": 10}, "orientation": "h", "y": -0.15, "yanchor": "top"},
        xaxis={"title": {"text": "day", "standoff": 2}}, **kw)
    return fig


def members_figure(model) -> go.Figure:
    rows = model.observer.rows
    days = [r["day"] for r in rows]
    fig = go.Figure([
        go.Scatter(x=days, y=[r[f"members_{role}"] for r in rows], name=ROLE_LABELS[role],
                   stackgroup="members", mode="lines", line={"width": 0.5, "color": colour})
        for role, colour in ROLE_COLOURS.items()
    ] + [go.Scatter(x=days, y=[r["muted"] for r in rows], name="of whom muted", mode="lines",
                    line={"dash": "dot", "color": "black", "width": 1})])
    return _layout(fig, "Members by role", yaxis={"title": "members"})


def messages_figure(model) -> go.Figure:
    rows = model.observer.rows
    days = [r["day"] for r in rows]
    fig = go.Figure([
        go.Scatter(x=days, y=[r[f"msgs_{kind}"] for r in rows], name=kind, stackgroup="msgs",
                   mode="lines", line={"width": 0.5, "color": colour})
        for kind, colour in MESSAGE_COLOURS.items()
    ])
    return _layout(fig, "Messages per day by type", yaxis={"title": "messages"})


def health_figure(model) -> go.Figure:
    """Rate indicators (solid) against their targets (dotted, same colour)."""
    rows = model.observer.rows
    days = [r["day"] for r in rows]
    targets = model.p.phases
    shown = [i for i in INDICATORS if i[0] != "paid_conversion" or model.p.monetisation.enabled]
    traces = []
    for key, label, target_field, colour in shown:
        traces.append(go.Scatter(x=days, y=[r[key] for r in rows], name=label, mode="lines",
                                 line={"color": colour}))
        target = getattr(targets, target_field)
        traces.append(go.Scatter(x=[days[0], days[-1]], y=[target, target], mode="lines", showlegend=False,
                                 hoverinfo="skip", line={"color": colour, "dash": "dot", "width": 1}))
    traces.append(go.Scatter(x=days, y=[r["quality"] for r in rows], name="quality (valuable share)",
                             mode="lines", line={"color": "#8c564b", "width": 1}))
    last = rows[-1]
    rounds = f"① rounds without the owner (7 d): {last['rounds_7d']}"
    fig = go.Figure(traces)
    return _layout(fig, f"Health vs targets (dotted) — {rounds}",
                   yaxis={"title": "share", "tickformat": ".0%", "range": [0, 1]})


@solara.component
def MembersChart(model):
    LiveChart(model, members_figure, "classroom-chart-members")


@solara.component
def MessagesChart(model):
    LiveChart(model, messages_figure, "classroom-chart-messages")


@solara.component
def HealthChart(model):
    LiveChart(model, health_figure, "classroom-chart-health")
