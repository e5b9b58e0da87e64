"""The single-run report: one self-contained HTML page (plotly inlined, works offline).

It tells the story top to bottom: who is in the group (members by role, lifecycle
phases as shaded bands, turning points marked), what they say (messages by type),
whether the group is healthy (the five indicators against their targets, source article 001) and
why people left (leave reasons).
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.money import hours_words, money_words
from analysis.provenance import changed_settings, group_name, peaks_after_start, starting_group
from analysis.registry import RUN_SUMMARY
from analysis.stats import rolling_mean
from dashboards.formatting import fmt_outcome
from dashboards.page import figure_writer, html_page
from sim import Result
from sim.events import of_kind
from sim.roles import ROLE_COLORS, ROLE_PLURALS, ROLES
from sim.vocab import LEAVE_REASON, MESSAGE_TYPE, PHASE, PHASES

# Colours and legends come from the model's vocabulary (sim/vocab.py), read when a report is
# drawn: a new leave reason or phase brings its own, nothing here counts them.
MESSAGE_COLORS = {kind: MESSAGE_TYPE.colors[kind] for kind in ("valuable", "content", "chat", "ad")}  # stacking order
PHASE_COLORS = PHASE.colors

#: Phases shorter than this (days) are shaded but not labelled, so labels never overlap.
MIN_LABELLED_SPAN = 25


def _phase_spans(rows: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    spans: list[tuple[str, int, int]] = []
    for r in rows:
        if spans and spans[-1][0] == r["phase"]:
            spans[-1] = (r["phase"], spans[-1][1], r["day"])
        else:
            spans.append((r["phase"], r["day"], r["day"]))
    return spans


def members_figure(result: Result, height: int = 420) -> go.Figure:
    """Members by role over time with phase bands and turning points: the README picture."""
    fig = go.Figure()
    _add_members(fig, result, row=None)
    _add_phase_bands(fig, result.rows, subplots=False)
    by_day = {r["day"]: r["members"] for r in result.rows}
    first: dict[str, tuple[int, str]] = {}  # the first event of each headline kind
    for e in of_kind(result.events, *HEADLINE_EVENTS):
        first.setdefault(e.kind, (e.day, e.text))
    for i, (day, text) in enumerate(sorted(first.values())[:MAX_HEADLINES]):
        fig.add_annotation(x=day, y=by_day.get(day, 0), text=text if "day" in text else f"day {day}: {text}", showarrow=True, arrowhead=0,
                           ax=60, ay=-25 - 28 * i, font={"size": 11}, bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(height=height, title=f"{result.outcomes['scenario']}: members by role and lifecycle phase",
                      xaxis_title="day", yaxis_title="members", template="plotly_white",
                      legend={"orientation": "h", "y": -0.25}, margin={"b": 40})
    fig.update_traces(legendgrouptitle_text=None, legendgroup=None)
    return fig


#: Turning points worth a label on the summary chart (the rest stay as hover diamonds).
HEADLINE_EVENTS = ("founder_burnt_out", "ad_group", "died", "self_operating", "founder_left", "founder_quit",
                   "kol_left", "need_shift")
MAX_HEADLINES = 5


def _add_members(fig: go.Figure, result: Result, row: int | None) -> None:
    days = [r["day"] for r in result.rows]
    kw = {"row": row, "col": 1} if row else {}
    for role in ROLES:
        fig.add_trace(go.Scatter(x=days, y=[r[f"members_{role}"] for r in result.rows], name=ROLE_PLURALS[role],
                                 stackgroup="members", line={"width": 0.5, "color": ROLE_COLORS[role]},
                                 legendgroup="roles", legendgrouptitle_text="members by role"), **kw)
    if result.events:
        by_day = {r["day"]: r["members"] for r in result.rows}
        fig.add_trace(go.Scatter(x=[d for d, _ in result.events], y=[by_day.get(d, 0) for d, _ in result.events],
                                 mode="markers", name="turning point", marker={"symbol": "diamond", "size": 9,
                                                                               "color": "black"},
                                 text=[e for _, e in result.events], hovertemplate="day %{x}: %{text}<extra></extra>"),
                      **kw)


def _add_phase_bands(fig: go.Figure, rows: list[dict[str, Any]], subplots: bool) -> None:
    """Shade each lifecycle phase; label the longer ones on the (top) members chart."""
    where = {"row": "all", "col": 1} if subplots else {}
    label_at = {"row": 1, "col": 1} if subplots else {}
    for phase, start, end in _phase_spans(rows):
        fig.add_vrect(x0=start - 0.5, x1=end + 0.5, fillcolor=PHASE_COLORS[phase], opacity=0.4, layer="below",
                      line_width=0, **where)
        if end - start >= MIN_LABELLED_SPAN:
            fig.add_annotation(x=(start + end) / 2, y=1.0, yref="y domain", yanchor="bottom", text=PHASE.labels[phase],
                               showarrow=False, font={"size": 10}, **label_at)


def build_figure(result: Result) -> go.Figure:
    rows = result.rows
    p = result.params
    days = [r["day"] for r in rows]
    fig = make_subplots(rows=4, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        subplot_titles=("Members by role (bands: lifecycle phase; ◆ turning points)",
                                        "Messages per day by type (7-day average)",
                                        "Health indicators against their targets (source article 001)",
                                        "Leaves per day by reason (7-day sum)"))
    _add_members(fig, result, row=1)
    for kind, col in (("valuable", "msgs_valuable"), ("content", "msgs_content"), ("chat", "msgs_chat"),
                      ("ad", "msgs_ad")):
        fig.add_trace(go.Scatter(x=days, y=rolling_mean([r[col] for r in rows]), name=kind, stackgroup="msgs",
                                 line={"width": 0.5, "color": MESSAGE_COLORS[kind]}, legendgroup="msgs",
                                 legendgrouptitle_text="messages"), row=2, col=1)
    ph = p.phases
    indicators = [("② weekly speaking rate", "weekly_speaking_rate", ph.speaking_rate_target, "#1b9e77"),
                  ("⑤ would be disappointed", "disappointed_share", ph.disappointed_target, "#7570b3"),
                  ("④ word-of-mouth share of joins", "word_of_mouth_share", ph.word_of_mouth_target, "#e7298a")]
    if p.monetisation.enabled:
        indicators.append(("③ paid conversion", "paid_conversion", ph.paid_conversion_target, "#e6ab02"))
    for name, col, target, color in indicators:
        fig.add_trace(go.Scatter(x=days, y=[r[col] for r in rows], name=name, line={"color": color},
                                 legendgroup="health", legendgrouptitle_text="health (dashed = target)"), row=3, col=1)
        fig.add_trace(go.Scatter(x=[days[0], days[-1]], y=[target, target], mode="lines", showlegend=False,
                                 line={"color": color, "dash": "dash", "width": 1}, hoverinfo="skip"), row=3, col=1)
    fig.add_trace(go.Scatter(x=days, y=[min(1.0, r["rounds_7d"] / 5) for r in rows], name="① rounds without owner (÷5)",
                             line={"color": "#666", "dash": "dot"}, legendgroup="health"), row=3, col=1)
    for reason in LEAVE_REASON:
        series = [r[f"leaves_{reason.name}"] for r in rows]
        if any(series):
            fig.add_trace(go.Bar(x=days, y=[v * 7 for v in rolling_mean(series)], name=reason.label,
                                 marker_color=reason.color or None, legendgroup="leaves",
                                 legendgrouptitle_text="leave reasons"), row=4, col=1)
    _add_phase_bands(fig, rows, subplots=True)
    fig.update_layout(height=1150, template="plotly_white", barmode="stack", hovermode="x unified",
                      legend={"groupclick": "toggleitem"}, margin={"t": 40})
    fig.update_yaxes(title_text="members", row=1, col=1)
    fig.update_yaxes(title_text="messages/day", row=2, col=1)
    fig.update_yaxes(title_text="share", range=[0, 1.05], row=3, col=1)
    fig.update_yaxes(title_text="leaves/week", row=4, col=1)
    fig.update_xaxes(title_text="day", row=4, col=1)
    return fig


# A single run's page is a dashboard, not a document: a grid, unbordered tables, phase chips.
_CSS = """body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:1200px;color:#222}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:2rem}
table{border-collapse:collapse}th,td{padding:.15rem .6rem;text-align:left}
th{font-weight:500;color:#555}.chip{padding:.1rem .5rem;border-radius:.6rem;font-size:.85rem}
ul{max-height:16rem;overflow-y:auto;padding-left:1.2rem}
"""


def build_report(result: Result) -> str:
    """The whole page as one HTML string (no network needed to view it)."""
    o = result.outcomes
    p = result.params
    plot = figure_writer()(build_figure(result))
    shown = {oc.key: fmt_outcome(oc, o.get(oc.key)) for oc in RUN_SUMMARY}
    peaks = peaks_after_start(result.rows, dataclasses.asdict(p.start))
    history = (f" Both count the whole life: the snapshot's days 0–{peaks['start_day']} are included."
               if peaks and peaks["start_day"] else "")
    if peaks:
        for key in ("peak_members", "peak_daily_active"):
            shown[key] = f"{peaks[key]} after the start ({o[key]} with the starting state of day {peaks['start_day']})"
    if not o.get("self_operation_reachable", True):
        shown["self_operation_day"] = ("never: it needs a paid tier (health indicator 3, paid conversion, "
                                       "cannot be met without VIPs)")
    outcome_rows = "".join(
        f"<tr><th title='{html.escape(oc.definition, quote=True)}'>{html.escape(oc.label)}</th>"
        f"<td>{html.escape(shown[oc.key])}</td></tr>" for oc in RUN_SUMMARY)
    events = "".join(f"<li><b>day {d}</b> — {html.escape(e)}</li>" for d, e in result.events) or "<li>none</li>"
    strategy = (f"seeding {p.seeding.strategy.value}, entry {p.entry.threshold.value}, ads {p.ads.policy.value}"
                + (f" ({p.ads.quota_per_day}/day)" if p.ads.policy.value == "quota" else "")
                + f", {p.cadence.posts_per_week:g} posts/week, moderation {p.moderation.capacity_per_day:g}/day"
                + (", VIP tier" if p.monetisation.enabled else "") + (", zombie purge" if p.churn.zombie_purge else ""))
    phases = " ".join(f'<span class="chip" style="background:{PHASE_COLORS[ph]}">{PHASE.labels[ph]}</span>'
                      for ph in PHASES)
    start = starting_group(dataclasses.asdict(p.start), result.rows)
    group = group_name(dataclasses.asdict(p.start))
    strategy_of = f"the strategy of scenario {o['scenario']}, " if group else ""
    story = (f"<p><b>Starting group:</b> {html.escape(start)}. The scenario <code>{html.escape(p.scenario.name)}"
             "</code> gives the strategy and the model's settings; its founding story does not apply.</p>"
             if start else f"<p>{html.escape(p.scenario.description)}</p>")
    changed = changed_settings(dataclasses.asdict(p))
    assumptions = (f"<p><b>Settings that differ from the model's defaults:</b> {html.escape('; '.join(changed))}.</p>"
                   if changed else "")
    return html_page(f"{o['scenario']} — community lifecycle report", [
        f"<h1>{html.escape(group or o['scenario'])} <small>{html.escape(strategy_of)}random seed {o['seed']}, "
        f"{o['days_run'] - 1} days</small></h1>",
        story,
        f"<p><b>Strategy:</b> {html.escape(strategy)}</p>",
        f"<p><b>Money:</b> {html.escape(money_words(o, p.costs.ad_slot_price))}. "
        f"<b>Founder time:</b> {html.escape(hours_words(o))}.{html.escape(history)}</p>",
        assumptions,
        f"<div class='cols'><div><h2>Outcome</h2><table>{outcome_rows}</table></div>",
        f"<div><h2>Turning points</h2><ul>{events}</ul></div></div>",
        f"<p>Phases: {phases}</p>", plot], _CSS)
