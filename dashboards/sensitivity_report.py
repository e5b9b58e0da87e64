"""Figures of the global sensitivity analysis (analysis/sensitivity.py): the Morris heat map
(drawn in the validation report too) and the Sobol bars, and sensitivity.html, one
self-contained page (plotly.js inlined: works offline). This module only draws."""

from __future__ import annotations

import html
import time

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.registry import outcome
from analysis.sensitivity import LUCK, OUTCOMES, normalised
from dashboards.page import figure_writer, html_page


def morris_figure(sens: dict) -> go.Figure:
    """Normalised μ* per lever (each outcome scaled to its largest μ*): a heat map."""
    z = normalised(sens)
    text = [[f"{v:.3g}" for v in sens["results"][name]["mu_star"]] for name in OUTCOMES]
    fig = go.Figure(go.Heatmap(z=z, x=sens["levers"], y=list(OUTCOMES), text=text, texttemplate="%{text}",
                               colorscale="Blues", zmin=0, zmax=1, colorbar=dict(title="μ*/max")))
    fig.update_layout(title=f"Morris screening: μ* of each strategy lever ({sens['runs']} runs, "
                            f"{sens['trajectories']} trajectories)", height=380, margin=dict(l=160, b=140))
    return fig


def sobol_figure(sens: dict) -> go.Figure:
    """Per outcome, each factor's total index ST (the bar) and first-order S1 (the dot), with
    their 95 % bootstrap half-widths; factors ordered by their mean ST over the outcomes."""
    outcomes = [o for o in OUTCOMES if o in sens["results"]]
    factors = sens["levers"]
    # NaN (an outcome that did not vary) counts as 0 in the ordering.
    mean_st = np.nansum([sens["results"][o]["ST"] for o in outcomes], axis=0)
    order = sorted(range(len(factors)), key=lambda i: mean_st[i])
    labels = [f"{factors[i]} (luck)" if factors[i] == LUCK else factors[i] for i in order]
    fig = make_subplots(rows=1, cols=len(outcomes), shared_yaxes=True, horizontal_spacing=0.02,
                        subplot_titles=[outcome(o).label for o in outcomes])
    for c, o in enumerate(outcomes, start=1):
        r = sens["results"][o]
        fig.add_trace(go.Bar(x=[r["ST"][i] for i in order], y=labels, orientation="h", name="ST (with interactions)",
                             marker_color="#90caf9", showlegend=c == 1, legendgroup="ST",
                             error_x=dict(type="data", array=[r["ST_conf"][i] for i in order], thickness=1)),
                      row=1, col=c)
        fig.add_trace(go.Scatter(x=[r["S1"][i] for i in order], y=labels, mode="markers", name="S1 (alone)",
                                 marker=dict(color="#0d47a1", size=7), showlegend=c == 1, legendgroup="S1",
                                 error_x=dict(type="data", array=[r["S1_conf"][i] for i in order], thickness=1)),
                      row=1, col=c)
        fig.update_xaxes(range=[-0.1, 1.05], row=1, col=c)
    fig.update_layout(title=f"Sobol indices: the share of each outcome's variance a factor explains "
                            f"({sens['runs']:,} runs, {sens['base_samples']} base samples)",
                      height=200 + 28 * len(factors), margin=dict(l=220, r=20, t=90, b=40),
                      legend=dict(orientation="h", y=-0.08), bargap=0.25)
    return fig


def sensitivity_page(sens: dict) -> str:
    """sensitivity.html for a Morris or Sobol result."""
    fig = sobol_figure(sens) if sens.get("method") == "sobol" else morris_figure(sens)
    how = ("ST: the share of the outcome's variance the factor explains with all its interactions; S1: alone. "
           "The seed is a factor: its indices are the luck of the draw. Runs compared share their seed."
           if sens.get("method") == "sobol" else
           "μ*: the mean absolute change of the outcome over a lever's range, one lever at a time.")
    return html_page("Which levers matter", [
        f"<h1>Which levers matter</h1><p>{html.escape(how)} Generated "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by <code>experiments/sensitivity.py</code>; "
        "how to read it: docs/sensitivity.md.</p>", figure_writer()(fig)])
