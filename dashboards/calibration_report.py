"""calibration_report.html and counterfactual.html: a fit and a what-if, one self-contained page each.

The fit page: the posterior table, the posterior-predictive plot (the real series' 7-day
means against the simulated 50 % / 90 % bands, rescaled to the real group's size), posterior
histograms over the prior, and the out-of-sample panel when part of the series was held out.
The what-if page: both arms' bands and the table of outcome differences. Numbers come from
analysis/calibration; this module only draws (plotly.js inlined once, so the pages work
offline) and returns HTML text. ``predictive_png`` draws the same predictive plot with
matplotlib for the README (no browser needed).
"""

from __future__ import annotations

import html
import time

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.calibration.fit import SERIES, SERIES_LABELS, SMOOTH_DAYS
from analysis.calibration.verdict import WORDS
from dashboards.page import CSS, figure_writer, html_page

_CSS = CSS + ".warn{color:#9a6700}.verdict{background:#f7fbff;border-left:4px solid #3b82f6;padding:.3em 1em}"
BAND = "#1f77b4"
ALT = "#d62728"


def _band_traces(fig, x, bands, colour, name, row, col, show):
    """90 % band, 50 % band and median of one simulated series."""
    fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[bands[4], bands[0][::-1]], fill="toself",
                             fillcolor=colour + "22", line={"width": 0}, name=f"{name}: 90% band",
                             legendgroup=name + "90", showlegend=show, hoverinfo="skip"), row, col)
    fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[bands[3], bands[1][::-1]], fill="toself",
                             fillcolor=colour + "44", line={"width": 0}, name=f"{name}: 50% band",
                             legendgroup=name + "50", showlegend=show, hoverinfo="skip"), row, col)
    fig.add_trace(go.Scatter(x=x, y=bands[2], line={"color": colour}, name=f"{name}: median",
                             legendgroup=name + "med", showlegend=show), row, col)


def predictive_figure(pred, fit_days: int) -> go.Figure:
    """Real 7-day means (black) over the simulated bands, one panel per series."""
    fig = make_subplots(rows=2, cols=2, subplot_titles=[SERIES_LABELS[c] for c in SERIES],
                        vertical_spacing=0.12, horizontal_spacing=0.08)
    x = np.arange(pred.days)
    for i, c in enumerate(SERIES):
        row, col = i // 2 + 1, i % 2 + 1
        _band_traces(fig, x, pred.bands[c], BAND, "model", row, col, i == 0)
        fig.add_trace(go.Scatter(x=x, y=pred.real[c], line={"color": "#111", "width": 1.5}, name="real",
                                 legendgroup="real", showlegend=i == 0), row, col)
        if fit_days < pred.days:
            fig.add_vline(x=fit_days, line_dash="dash", line_color="#888", row=row, col=col)
    fig.update_xaxes(title_text="day")
    fig.update_layout(height=700, legend={"orientation": "h", "y": -0.1}, margin={"t": 60},
                      title=f"Posterior predictive: real series ({SMOOTH_DAYS}-day means) vs {pred.runs} simulated "
                            "groups rescaled to the real size" + (" — dashed line: start of the held-out days"
                                                                 if fit_days < pred.days else ""))
    return fig


def posterior_figure(result: dict, post, table) -> go.Figure:
    """Per parameter: the prior (the table's first round) and the posterior (adjusted, weighted)."""
    paths = post.space.paths
    cols = 3
    rows = -(-len(paths) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=paths, vertical_spacing=0.5 / max(rows, 1),
                        horizontal_spacing=0.06)
    first = table.round == 0
    for j, (path, b) in enumerate(zip(paths, post.space.bounds)):
        r, c = j // cols + 1, j % cols + 1
        tr = (lambda v: np.log10(v)) if b.log else (lambda v: v)
        edges = np.linspace(tr(b.low), tr(b.high), 31)
        prior, _ = np.histogram(tr(table.theta[first, j]), bins=edges, density=True)
        postd, _ = np.histogram(tr(post.samples[:, j]), bins=edges, weights=post.weights, density=True)
        mid = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(go.Bar(x=mid, y=prior, marker_color="#bbb", name="prior (round 1 draws)", showlegend=j == 0,
                             legendgroup="prior"), r, c)
        fig.add_trace(go.Bar(x=mid, y=postd, marker_color=BAND, opacity=0.7,
                             name="posterior" + (" (regression-adjusted)" if post.adjusted else " (plain rejection)"),
                             showlegend=j == 0, legendgroup="post"), r, c)
        s = result["posterior"][path]
        for q, dash in (("q05", "dot"), ("median", "solid"), ("q95", "dot")):
            fig.add_vline(x=tr(s[q]), line_dash=dash, line_color=BAND, row=r, col=c)
        fig.update_xaxes(title_text="log10 value" if b.log else "value", row=r, col=c)
    fig.update_layout(barmode="overlay", height=260 * rows + 80, legend={"orientation": "h", "y": -0.08},
                      title="Posterior (blue) over the prior (grey); lines: median and 90% interval")
    return fig


def _posterior_table(result: dict) -> str:
    rows = "".join(
        f"<tr><td><code>{html.escape(p)}</code></td><td><b>{s['median']:.4g}</b></td><td>{s['q25']:.4g} – {s['q75']:.4g}</td>"
        f"<td>{s['q05']:.4g} – {s['q95']:.4g}</td><td>{'log-' if s['log'] else ''}uniform "
        f"[{s['prior_low']:g}, {s['prior_high']:g}]</td></tr>" for p, s in result["posterior"].items())
    return ("<table><tr><th>parameter</th><th>median</th><th>50% interval</th><th>90% interval</th><th>prior</th></tr>"
            f"{rows}</table>")


def _stats_table(result: dict) -> str:
    """Observed statistics next to the simulations' spread: *used* (the data had it, the fit
    read it) and *matched* (its real value lies inside the simulations' 5–95 % range)."""
    rows = []
    for k, v in result["observed_stats"].items():
        spread = result["stat_ranges"].get(k)
        used = k in result["stats_used"]
        match = ("yes" if k in result["matched"] else "<b class='warn'>no: outside the range</b>") if used else "–"
        rows.append(f"<tr><td>{k}</td><td>{v:.3g}</td><td>{f'{spread[0]:.3g} – {spread[1]:.3g}' if spread else '–'}"
                    f"</td><td>{'yes' if used else 'no (not in the data)'}</td><td>{match}</td></tr>")
    return ("<table><tr><th>shape statistic (analysis/r4ds.py shape_stats)</th><th>data</th>"
            "<th>simulations, 5–95%</th><th>used</th><th>matched (inside 5–95%)</th></tr>"
            + "".join(rows) + "</table>")


def verdict_html(v: dict) -> str:
    """The overall verdict and its reasons, first on the page (fit and what-if alike)."""
    reasons = "".join(f"<li>{html.escape(r)}</li>" for r in v["reasons"])
    return (f"<div class='verdict'><p><b>Verdict — {html.escape(WORDS[v['verdict']])}.</b></p>"
            + (f"<ul>{reasons}</ul>" if reasons else "") + "</div>")


def _adjustment(result: dict) -> str:
    """The same words wherever the adjustment is named (header, legend): done, or skipped."""
    return ("regression-adjusted" if result.get("adjusted", True)
            else "not regression-adjusted (too few accepted particles: plain rejection, see the warning)")


def _predictive_table(result: dict) -> str:
    p = result["predictive"]
    rows = "".join(f"<tr><td>{SERIES_LABELS[c]}</td><td>{p['inside_90'][c]:.0%}</td><td>{p['inside_50'][c]:.0%}</td>"
                   f"<td>{p['level_error'][c]:+.0%}</td></tr>" for c in SERIES)
    return (f"<p>Checked on the {html.escape(p['checked_on'])}: the share of days whose real {SMOOTH_DAYS}-day mean "
            "lies inside the simulated band (a calibrated prediction puts ~90% / ~50% inside), and the relative "
            "error of the simulated median level (mean over those days) against the real one.</p>"
            "<table><tr><th>series</th><th>inside 90% band</th><th>inside 50% band</th><th>level error</th></tr>"
            f"{rows}</table>")


def build_fit_report(result: dict, post, table, pred, obs) -> str:
    """The fit's page as one HTML string."""
    figure = figure_writer()
    fig1 = figure(predictive_figure(pred, result["fit_days"]))
    fig2 = figure(posterior_figure(result, post, table))
    warn = "".join(f"<li class='warn'>{html.escape(w)}</li>" for w in result["warnings"] + result["notes"])
    holdout = result["fit_days"] < result["days"]
    return html_page(f"Calibration: {result['name']}", [
        f"<h1>The model fitted to {html.escape(result['data'])}</h1>", verdict_html(result["verdict"]),
        f"<p>{result['days']} days ({html.escape(result['start'])} to {html.escape(result['end'])}; "
        f"{html.escape(result['gaps'])}); fitted on the first {result['fit_days']}. {result['table_rows']} simulated "
        f"groups (cap {result['setup']['cap']} members, base <code>{html.escape(' '.join(result['setup']['base']))}</code>, "
        f"{result['rounds']} rounds of sequential reference-table ABC), {result['accepted']} accepted, "
        f"{_adjustment(result)}; {result['fit_seconds']:.0f} s. Only the shape is fitted (scale-free statistics), "
        f"so simulated series are rescaled to the real group's size. Preset: <code>experiment={html.escape(result['name'])}"
        f"</code>. Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.</p>",
        f"<ul>{warn}</ul>" if warn else "",
        "<h2>Posterior</h2>", _posterior_table(result),
        "<h2>Posterior predictive" + (" and out-of-sample check" if holdout else "") + "</h2>",
        _predictive_table(result), fig1,
        "<h2>Posterior against prior</h2>", fig2,
        "<h2>What was matched</h2>", _stats_table(result),
        "<p class='src'>Method and caveats: docs/calibration.md, 'Fit the model to your own group'.</p>"], _CSS)


def predictive_png(pred, obs, result: dict, path: str) -> None:
    """The predictive plot as a PNG (matplotlib; for the README)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 6.5), sharex=True)
    x = np.arange(pred.days)
    for ax, c in zip(axes.flat, SERIES):
        b = pred.bands[c]
        ax.fill_between(x, b[0], b[4], color=BAND, alpha=0.18, lw=0, label="model 90%")
        ax.fill_between(x, b[1], b[3], color=BAND, alpha=0.35, lw=0, label="model 50%")
        ax.plot(x, b[2], color=BAND, lw=1, label="model median")
        ax.plot(x, pred.real[c], color="#111", lw=1.2, label="real")
        if result["fit_days"] < pred.days:
            ax.axvline(result["fit_days"], color="#888", ls="--", lw=1)
        ax.set_title(f"{SERIES_LABELS[c]} ({SMOOTH_DAYS}-day mean)", fontsize=10)
    for ax in axes[1]:
        ax.set_xlabel("day")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    title = f"{result['name']}: {pred.runs} posterior draws vs the data, rescaled to its size"
    if result["fit_days"] < pred.days:
        title += f" (fitted on days 0–{result['fit_days'] - 1}; dashed: held out after)"
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)


def _real(v: float | None) -> str:
    return "–" if v is None else f"{v:.4g}"


def build_counterfactual_report(cf) -> str:
    """Both arms' bands (members, posters, messages) and the outcome-difference table."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=[SERIES_LABELS[c] for c in ("members", "posters", "messages")])
    x = np.arange(cf.days)
    for i, c in enumerate(("members", "posters", "messages")):
        _band_traces(fig, x, cf.bands["baseline"][c], BAND, "as fitted", 1, i + 1, i == 0)
        _band_traces(fig, x, cf.bands["changed"][c], ALT, f"changed from day {cf.day}", 1, i + 1, i == 0)
        fig.add_vline(x=cf.day, line_dash="dash", line_color="#888", row=1, col=i + 1)
    fig.update_xaxes(title_text="day")
    fig.update_layout(height=480, legend={"orientation": "h", "y": -0.2},
                      title=f"{SMOOTH_DAYS}-day means, rescaled to the real group's size; {cf.pairs} paired runs")
    rows = "".join(
        f"<tr><td>{html.escape(r['outcome'])}</td><td>{_real(r.get('real'))}</td><td>{r['baseline']:.4g}</td>"
        f"<td>{r['changed']:.4g}</td><td><b>{r['difference']:+.4g}</b> [{r['low']:+.4g}, {r['high']:+.4g}]</td>"
        f"<td>{r['share_higher']:.0%} [{r['share_low']:.0%}, {r['share_high']:.0%}]</td></tr>" for r in cf.rows)
    warn = "".join(f"<li class='warn'>{html.escape(w)}</li>" for w in cf.warnings)
    return html_page(f"What if: {cf.change_text}", [
        f"<h1>What if <code>{html.escape(cf.change_text)}</code> from day {cf.day}?</h1>",
        verdict_html(cf.verdict) if cf.verdict else "",
        f"<p>Carried over from the fit:</p><ul>{warn}</ul>" if warn else "",
        f"<p>The fitted group ({html.escape(cf.source)}) rerun {cf.pairs} times — {cf.draws} posterior draws × "
        f"{cf.seeds} seeds — once as fitted and once with the change from the morning of day {cf.day}; each pair "
        "shares its parameters and seed, so the days before the change are identical and the difference is the "
        "change's effect under that draw. Counts are in the real group's units (each pair rescaled by its "
        "as-fitted run's mean level before the change to the real group's over the same days); the real group's own "
        "values are listed for scale (it had no change). Intervals: 95% percentile bootstrap of the mean paired difference; the share of "
        f"pairs where the change gives more, with its Wilson 95% interval. {cf.failed} failed runs.</p>",
        "<table><tr><th>outcome</th><th>the real group</th><th>as fitted (mean)</th><th>changed (mean)</th>"
        "<th>difference [95%]</th>"
        f"<th>share of pairs higher with the change</th></tr>{rows}</table>",
        figure_writer()(fig),
        "<p class='src'>Uncertainty shown combines the posterior (which group this is) and chance (seeds). "
        "The model's mechanisms are assumptions (docs/model.md); the fit constrains only what the daily series "
        "can tell.</p>"], _CSS)
