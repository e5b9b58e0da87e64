"""validation_report.html: every stylized fact of MODEL.md §6 with target, measured value,
95 % interval, pass/fail, its source and a small plot; then the Morris screening of the
strategy levers. One self-contained page (plotly.js inlined once: works offline).
Measurements come from analysis/facts.py and analysis/sensitivity.py; this module only draws.
"""

from __future__ import annotations

import html
import time

import plotly.graph_objects as go

from analysis.facts import FactResult, Plot
from analysis.sensitivity import OUTCOMES, ranking
from dashboards.page import CSS, figure_writer, html_page
from dashboards.sensitivity_report import morris_figure

_CSS = CSS + """table{width:100%}.pass{color:#1a7f37;font-weight:bold}.fail{color:#c62828;font-weight:bold}
.fact{border-top:2px solid #eee;margin-top:1.5em;padding-top:.5em}.note{font-size:13px}
"""


def _fmt_interval(iv: tuple[float, float]) -> str:
    lo, hi = iv
    if all(0 <= x <= 1 for x in iv):
        return f"[{lo:.1%}, {hi:.1%}]"
    return f"[{lo:.3g}, {hi:.3g}]"


def plot_figure(plot: Plot) -> go.Figure:
    """A fact's plot spec drawn with plotly."""
    fig = go.Figure()
    for s in plot.series:
        if plot.kind == "hist":
            fig.add_trace(go.Histogram(x=s.x, nbinsx=20, name=s.name))
        elif plot.kind == "box":
            fig.add_trace(go.Box(y=s.x, name=s.name, boxpoints="all"))
        elif plot.kind == "hbar":
            fig.add_trace(go.Bar(x=s.x, y=s.y, orientation="h", name=s.name))
        else:
            fig.add_trace(go.Scatter(x=s.x, y=s.y, name=s.name, showlegend=bool(s.name),
                                     mode="lines+markers" if s.markers or s.dash else "lines",
                                     line=dict(width=1 if len(plot.series) > 4 else 2, dash="dot" if s.dash else None),
                                     error_y=dict(type="data", array=s.error) if s.error else None))
    for y, text in plot.hlines:
        fig.add_hline(y=y, line_dash="dash", annotation_text=text)
    for x, text in plot.vlines:
        fig.add_vline(x=x, line_dash="dot", annotation_text=text)
    fig.update_layout(title=plot.title, height=plot.height, xaxis_title=plot.x_title, yaxis_title=plot.y_title,
                      margin=dict(l=260) if plot.kind == "hbar" else None)
    if plot.x_range:
        fig.update_xaxes(range=list(plot.x_range))
    if plot.y_range:
        fig.update_yaxes(range=list(plot.y_range))
    return fig


def build_validation_report(results: list[FactResult], sens: dict | None, size: str,
                            notes: dict[str, str] | None = None) -> str:
    notes = notes or {}
    n_pass = sum(r.passed for r in results)
    figure = figure_writer()
    parts = ["<h1>Stylized-facts validation (MODEL.md §6)</h1>",
             f"<p>{n_pass} of {len(results)} facts pass. Suite: <b>{size}</b> "
             f"(generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             "<code>python experiments/validate.py</code>; larger ensembles with <code>--full</code>). "
             "Intervals are 95% (Wilson for proportions, Student t for means and differences). "
             "How the defaults were calibrated: docs/calibration.md. The model: docs/model.md.</p>",
             "<table><tr><th>fact</th><th>target</th><th>measured</th><th>95% interval</th><th>n</th><th></th></tr>"]
    for r in results:
        cls = "pass" if r.passed else "fail"
        parts.append(f"<tr><td><a href='#{r.key}'>{html.escape(r.title)}</a></td><td>{html.escape(r.target)}</td>"
                     f"<td>{html.escape(r.measured)}</td><td>{_fmt_interval(r.interval)}</td><td>{r.n}</td>"
                     f"<td class='{cls}'>{'PASS' if r.passed else 'FAIL'}</td></tr>")
    parts.append("</table>")
    for r in results:
        cls = "pass" if r.passed else "fail"
        parts.append(f"<div class='fact' id='{r.key}'><h2>{html.escape(r.title)} "
                     f"<span class='{cls}'>{'PASS' if r.passed else 'FAIL'}</span></h2>")
        parts.append(f"<p class='src'>Source: {html.escape(r.source)}</p>")
        parts.append(f"<p><b>Target:</b> {html.escape(r.target)}<br><b>Measured:</b> {html.escape(r.measured)} "
                     f"— 95% interval {_fmt_interval(r.interval)}, n = {r.n}</p>")
        parts.append(f"<p class='note'>{html.escape(r.note)}</p>")
        if r.key in notes:
            parts.append(f"<p class='note'><b>Note:</b> {html.escape(notes[r.key])}</p>")
        if r.plot is not None:
            parts.append(figure(plot_figure(r.plot)))
        parts.append("</div>")
    if sens is not None:
        parts.append("<div class='fact' id='sensitivity'><h2>Sensitivity: which levers matter most</h2>")
        parts.append(f"<p>Morris elementary effects (SALib), {sens['trajectories']} trajectories, {sens['runs']} runs "
                     "on the typical_group base with a monthly purge and a VIP tier (so self-operation is possible); "
                     "each lever over a strategist's range (analysis/sensitivity.py). μ* = mean |elementary effect| "
                     "over the lever's full range.</p>")
        parts.append(figure(morris_figure(sens)))
        parts.append("<table><tr><th>outcome</th><th>levers by μ* (top 3)</th></tr>")
        for name in OUTCOMES:
            top = ", ".join(f"{lever} ({mu:.3g})" for lever, mu, _ in ranking(sens, name)[:3])
            parts.append(f"<tr><td>{name}</td><td>{html.escape(top)}</td></tr>")
        parts.append("</table></div>")
    return html_page("Validation report", parts, _CSS)
