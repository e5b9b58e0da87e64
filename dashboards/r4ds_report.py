"""r4ds_comparison.html: the model next to the R4DS Slack, one self-contained page.

The table of statistics with verdicts, the daily series of both sides, and the model/real
ratio per statistic. Measurements come from analysis/r4ds.py; this module only draws
(plotly.js inlined once: the page works offline) and returns the HTML text.
"""

from __future__ import annotations

import html
import time
import warnings

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.r4ds import (
    BURN_IN_DAYS,
    CLOSE_FACTOR,
    PEAK_WINDOW,
    SOURCE,
    STATS,
    Comparison,
    fmt,
    verdict,
)
from dashboards.page import CSS, figure_writer, html_page

_CSS = CSS + "table{width:100%}.yes{color:#1a7f37}.partly{color:#9a6700}.no{color:#c62828}"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")


def _band(frames: list[pd.DataFrame], col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Day, 5th percentile, median, 95th percentile of ``col`` across the runs (NaN ignored)."""
    m = np.vstack([f[col].to_numpy(dtype=float) for f in frames])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN days once every run is dead
        return (np.arange(m.shape[1]), np.nanpercentile(m, 5, axis=0), np.nanmedian(m, axis=0),
                np.nanpercentile(m, 95, axis=0))


def series_figure(c: Comparison) -> go.Figure:
    """R4DS's daily series (left) beside the model's median and 5–95% band per scenario (right)."""
    rf = c.real_frame
    days = np.arange(len(rf))
    fig = make_subplots(rows=2, cols=2, horizontal_spacing=0.08, vertical_spacing=0.14, subplot_titles=(
        "R4DS Slack: weekly posting share", "Model: weekly speaking rate (median, 5–95% of seeds)",
        "R4DS Slack: daily active and posting members", "Model: daily active and speakers (median, 5–95%)"))
    fig.add_trace(go.Scatter(x=days, y=rf["weekly_posting_share"], name="R4DS weekly posters / members",
                             line={"color": "#444"}), 1, 1)
    fig.add_trace(go.Scatter(x=days, y=rf["weekly_posting_share_of_active"], name="R4DS weekly posters / weekly active",
                             line={"color": "#999", "dash": "dot"}), 1, 1)
    fig.add_trace(go.Scatter(x=days, y=rf["daily_active"], name="R4DS daily active", line={"color": "#444"}), 2, 1)
    fig.add_trace(go.Scatter(x=days, y=rf["posters"], name="R4DS daily posting", line={"color": "#999"}), 2, 1)
    for (scen, frames), col in zip(c.model_frames.items(), COLOURS):
        for row, metric in ((1, "weekly_posting_share"), (2, "daily_active"), (2, "posters")):
            x, lo, med, hi = _band(frames, metric)
            dash = "dot" if metric == "posters" else None
            label = f"{scen}: {metric.replace('_', ' ')}"
            fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[hi, lo[::-1]], fill="toself", fillcolor=col + "22",
                                     line={"width": 0}, hoverinfo="skip", showlegend=False, legendgroup=label), row, 2)
            fig.add_trace(go.Scatter(x=x, y=med, name=label, line={"color": col, "dash": dash}, legendgroup=label), row, 2)
    fig.add_hline(y=0.2, line_dash="dash", line_color="#888", annotation_text="20% (indicator ②)", row=1, col=2)
    fig.update_xaxes(title_text="day since the community started (R4DS: 2017-08-27)")
    fig.update_yaxes(tickformat=".0%", row=1)
    fig.update_yaxes(title_text="members", row=2)
    fig.update_layout(height=820, legend={"orientation": "h", "y": -0.12}, margin={"t": 60})
    return fig


def ratio_figure(c: Comparison) -> go.Figure:
    """Model/real ratio per comparable statistic (log scale): 1 = the same."""
    fig = go.Figure()
    keys = [s for s in STATS if s.comparable != "no"]
    for scen, col in zip(c.model, COLOURS):
        r = [c.real[s.key] for s in keys]
        med = [c.model[scen][s.key][0] / x if x else float("nan") for s, x in zip(keys, r)]
        lo = [c.model[scen][s.key][1] / x if x else float("nan") for s, x in zip(keys, r)]
        hi = [c.model[scen][s.key][2] / x if x else float("nan") for s, x in zip(keys, r)]
        fig.add_trace(go.Scatter(y=[s.title for s in keys], x=med, mode="markers", name=scen, marker={"color": col, "size": 10},
                                 error_x={"type": "data", "symmetric": False, "array": np.subtract(hi, med),
                                          "arrayminus": np.subtract(med, lo)}))
    fig.add_vrect(x0=1 / CLOSE_FACTOR, x1=CLOSE_FACTOR, fillcolor="#2ca02c", opacity=0.1, line_width=0)
    fig.add_vline(x=1, line_dash="dash")
    fig.update_xaxes(type="log", range=[-3, 2], title_text="model / R4DS (log scale, 0.001–100; green band = within ×1.5)")
    fig.update_layout(height=420, margin={"l": 320}, legend={"orientation": "h", "y": -0.25},
                      title="How far the model is from R4DS, per statistic (median and 5–95% of seeds)")
    return fig


def stats_table(c: Comparison) -> str:
    """The HTML table: statistic, comparable?, R4DS [IQR], model median [5–95%] and verdict per scenario."""
    scen = list(c.model)
    head = "".join(f"<th>model: {html.escape(s)}<br>median [5–95% of {c.seeds} seeds]</th><th>verdict ({html.escape(s)})</th>"
                   for s in scen)
    rows = []
    for s in STATS:
        real = c.real[s.key]
        iqr = c.real_iqr.get(s.key)
        real_txt = fmt(real, s.pct) + (f" <span class='src'>[IQR {fmt(iqr[0], s.pct)}–{fmt(iqr[1], s.pct)}]</span>"
                                       if iqr else "")
        cells = ""
        for sc in scen:
            med, lo, hi = c.model[sc][s.key]
            cells += (f"<td>{fmt(med, s.pct)} [{fmt(lo, s.pct)}–{fmt(hi, s.pct)}]</td>"
                      f"<td>{html.escape(verdict(s, real, med))}</td>")
        rows.append(f"<tr><td><b>{html.escape(s.title)}</b><br><span class='src'>R4DS: {html.escape(s.real_def)}; "
                    f"model: {html.escape(s.model_def)}</span></td><td class='{s.comparable}'>{s.comparable}</td>"
                    f"<td>{real_txt}</td>{cells}<td class='src'>{html.escape(s.caveat)}</td></tr>")
    return (f"<table><tr><th>statistic</th><th>comparable?</th><th>R4DS Slack<br>[IQR over days]</th>{head}"
            f"<th>why (not) comparable</th></tr>{''.join(rows)}</table>")


def build_report(c: Comparison) -> str:
    """The whole page as one HTML string."""
    scen = list(c.model)
    figure = figure_writer()
    fig1, fig2 = figure(series_figure(c)), figure(ratio_figure(c))
    first, last = c.real_frame.index[0], c.real_frame.index[-1]
    return html_page("Model vs R4DS Slack", [
        "<h1>The model next to a real community: R4DS Online Learning Community (Slack)</h1>",
        f"<p>R4DS: {len(c.real_frame)} days, {first:%Y-%m-%d} to {last:%Y-%m-%d}, membership headcount up to "
        f"{int(c.real['peak_members']):,}. Model: scenarios {', '.join(scen)}, {c.seeds} seeds each, run for the same "
        f"{len(c.real_frame)} days with the default calibration (nothing tuned to R4DS). Statistics skip the first "
        f"{BURN_IN_DAYS} days on both sides. Still active at the end (someone posted in the last {PEAK_WINDOW} days): "
        "R4DS yes; model " + ", ".join(f"{html.escape(s)} {v:.0%} of runs" for s, v in c.alive_share.items())
        + f". Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
        "<code>python experiments/compare_r4ds.py</code>.</p>",
        ("<p>Verdicts: <b>close</b> = the seeds' median is within a factor 1.5 of R4DS; otherwise <b>off by a "
         "factor X</b>. A Slack workspace with channels and DMs is not a WeChat group: the <i>comparable?</i> column "
         "says how much a statistic means (<span class='yes'>yes</span> = same quantity on both sides; "
         "<span class='partly'>partly</span> = same idea, different denominator or setting; "
         "<span class='no'>no</span> = scale only). This is a comparison, not a pass/fail test.</p>"),
        stats_table(c), fig1, fig2,
        (f"<p class='src'>Data: {html.escape(SOURCE)} Copy and quirks: data/README.md in the repository (membership "
         "is a headcount that only roughly accumulates; daily messages = sum of the messages_in_* columns).</p>")],
        _CSS)
