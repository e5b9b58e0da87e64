"""Strategy comparison dashboard for one sweep: ``sweep_report.html``, self-contained and offline.

Input is the table of :mod:`experiments.collect` (one row per job). A *strategy* is one
combination of the swept settings other than the replicate seed; its replicate runs form an
ensemble. The page answers, in this order, for a strategist who never saw Hydra:

1. a plain-language summary: which strategy wins on the chosen outcome and which differences
   are statistically significant (log-rank test for lifespan, Mann-Whitney U otherwise,
   Holm-corrected for the number of comparisons);
2. a ranked table of strategies with 95 % confidence intervals;
3. survival curves of lifespan (Kaplan-Meier; runs alive at the horizon are censored);
4. outcome distributions per strategy (every run as a dot, mean with 95 % t-interval);
5. heatmaps of the mean outcome over every pair of swept factors;
6. the jobs that failed or never ran, with their errors.

plotly.js is inlined once, so the file opens without a network.
"""

from __future__ import annotations

import html
import math
import os
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import yaml

from analysis.compare import LIFESPAN, factors, fmt_value as _fmt, label_strategies, ranked_strategies, summary
from analysis.files import write_atomic
from analysis.registry import OUTCOMES, Outcome, outcome as registered_outcome
from analysis.stats import ALPHA, kaplan_meier, numeric

REPORT_NAME = "sweep_report.html"
MAX_CURVES = 20  # survival curves drawn: the top-ranked strategies
MAX_LEVELS = 12  # a factor with more distinct values gets no heatmap


# ---------------------------------------------------------------- figures


def _num(v: float, digits: int = 3, rate: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if rate:
        return f"{v:.0%}"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.{digits}g}"


def survival_figure(ok: pd.DataFrame, order: list[str]) -> go.Figure:
    fig = go.Figure()
    for name in order:
        runs = ok[ok.strategy == name]
        x, y = kaplan_meier(runs[LIFESPAN], runs["censored"] if "censored" in runs else [False] * len(runs))
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line_shape="hv", name=name))
    fig.update_layout(
        title="Survival: share of groups still alive after N days (Kaplan–Meier, alive at horizon = censored)",
        xaxis_title="day",
        yaxis_title="share alive",
        yaxis_range=[0, 1.05],
        legend_title="strategy",
    )
    return fig


def distribution_figure(ok: pd.DataFrame, outcome: Outcome, order: list[str]) -> go.Figure:
    """Every run as a dot plus the mean with its 95 % CI; yes/no outcomes as shares (bars)."""
    fig = go.Figure()
    values = numeric(ok[outcome.key])
    pos = {name: i for i, name in enumerate(order)}
    cis = [summary(ok[ok.strategy == s], outcome) for s in order]
    error = dict(
        type="data",
        symmetric=False,
        array=[c[2] - c[0] for c in cis],
        arrayminus=[c[0] - c[1] for c in cis],
    )
    if outcome.is_rate:
        fig.add_trace(go.Bar(x=list(range(len(order))), y=[c[0] for c in cis], error_y=error, name="share, 95 % CI"))
        fig.update_yaxes(tickformat=".0%", range=[0, 1])
    else:
        # Deterministic jitter: the same table gives the same page (no global RNG).
        jitter = np.random.default_rng(0).uniform(-0.25, 0.25, len(ok))
        fig.add_trace(
            go.Scatter(
                x=ok["strategy"].map(pos) + jitter,
                y=values,
                mode="markers",
                marker=dict(size=5, opacity=0.35, color="gray"),
                name="one run",
                customdata=ok[["job"]],
                hovertemplate="job %{customdata[0]}: %{y}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=list(range(len(order))),
                y=[c[0] for c in cis],
                error_y=error,
                mode="markers",
                marker=dict(size=11, color="crimson", symbol="diamond"),
                name="mean, 95 % CI",
            )
        )
    better = "higher is better" if outcome.higher_is_better else "lower is better"
    fig.update_layout(
        title=f"{outcome.label} per strategy ({better})",
        xaxis=dict(tickmode="array", tickvals=list(range(len(order))), ticktext=[_tick(s) for s in order]),
        yaxis_title=outcome.label,
        height=440,
    )
    return fig


def _tick(strategy: str) -> str:
    return strategy.replace(", ", "<br>")


def heatmap_figure(ok: pd.DataFrame, fx: str, fy: str, outcome: Outcome) -> go.Figure:
    grid = ok.assign(_v=numeric(ok[outcome.key])).pivot_table(
        index=fy, columns=fx, values="_v", aggfunc=["mean", "count"]
    )
    means, counts = grid["mean"], grid["count"]
    text = [[f"{_num(m)}<br>n={int(c) if c == c else 0}" for m, c in zip(mr, cr)] for mr, cr in zip(means.values, counts.values)]
    fig = go.Figure(
        go.Heatmap(
            z=means.values,
            x=[_fmt(v) for v in means.columns],
            y=[_fmt(v) for v in means.index],
            text=text,
            texttemplate="%{text}",
            colorscale="Viridis" if outcome.higher_is_better else "Viridis_r",
            colorbar_title=outcome.label,
        )
    )
    fig.update_layout(title=f"Mean {outcome.label.lower()} by {fx} × {fy}", xaxis_title=fx, yaxis_title=fy, xaxis_type="category", yaxis_type="category")
    return fig


# ---------------------------------------------------------------- text


def _summary(ranked: pd.DataFrame, outcome: Outcome, n_strategies: int) -> list[str]:
    if ranked.empty:
        return ["No job finished successfully, so there is nothing to compare yet."]
    best = ranked.iloc[0]
    lines = [
        f"<b>{html.escape(best.strategy)}</b> ranks first on <b>{outcome.label.lower()}</b>: "
        f"mean {_num(best['mean'])} (95 % CI {_num(best.ci_low)} – {_num(best.ci_high)}, {int(best.runs)} runs)."
    ]
    if n_strategies < 2:
        return lines
    rest = ranked.iloc[1:]
    sig = rest[rest.p_vs_best < ALPHA]
    not_sig = rest[~(rest.p_vs_best < ALPHA)]
    test = "log-rank test" if outcome.key == "lifespan_days" else "Mann–Whitney U test"
    if len(sig):
        lines.append(
            f"It is significantly better than {len(sig)} of {len(rest)} other strategies "
            f"({test}, Holm-corrected for {len(rest)} comparisons, p &lt; {ALPHA}): "
            + "; ".join(f"{html.escape(s)} (p = {p:.3g})" for s, p in zip(sig.strategy, sig.p_vs_best))
            + "."
        )
    if len(not_sig):
        lines.append(
            "The difference to "
            + "; ".join(f"{html.escape(s)} (p = {p:.3g})" for s, p in zip(not_sig.strategy, not_sig.p_vs_best))
            + " is <b>not significant</b>: with these replicates they cannot be told apart"
            " from the best — treat them as equally good, or run more seeds."
        )
    return lines


def _table_html(ranked: pd.DataFrame, outcome: Outcome, present: list[Outcome]) -> str:
    extra = [o for o in present if o.key != outcome.key and o.key in ranked][:5]
    head = ["#", "strategy", "runs", f"{outcome.label}: mean [95 % CI]", "differs from #1? (Holm p)"]
    head += ["median lifespan (Kaplan–Meier)"] if "km_median_lifespan" in ranked else []
    head += [o.label for o in extra]
    rows = []
    for _, r in ranked.iterrows():
        p = r.p_vs_best
        verdict = "–" if math.isnan(p) else (f"yes ({p:.3g})" if p < ALPHA else f"no ({p:.3g})")
        rate = outcome.is_rate
        ci = f"{_num(r['mean'], rate=rate)} [{_num(r.ci_low, rate=rate)}, {_num(r.ci_high, rate=rate)}]"
        cells = [str(r["rank"]), html.escape(r.strategy), str(r.runs), ci, verdict]
        if "km_median_lifespan" in ranked:
            km = r.km_median_lifespan
            cells.append("beyond the horizon" if km == math.inf else _num(km))
        cells += [_num(r[o.key], rate=o.is_rate) for o in extra]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>" + "".join(rows) + "</table>"


def _problems_html(table: pd.DataFrame) -> str:
    bad = table[table.status != "ok"]
    if bad.empty:
        return "<p>All jobs finished.</p>"
    def cell(v: Any) -> str:
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else html.escape(_fmt(v))[:300]

    rows = "".join(
        "<tr>" + "".join(f"<td>{cell(r.get(c))}</td>" for c in ("job", "status", "strategy", "seed", "error")) + "</tr>"
        for _, r in bad.iterrows()
    )
    return (
        f"<p>{len(bad)} of {len(table)} jobs have no result; the statistics above use only finished runs. "
        "Re-run the same command with <code>hydra.sweep.dir=&lt;this folder&gt;</code> to fill the gaps "
        "(finished jobs are skipped).</p><table><tr><th>job</th><th>status</th><th>strategy</th><th>seed</th>"
        f"<th>error</th></tr>{rows}</table>"
    )


def _optuna_html(sweep_dir: Path, outcome: Outcome, constraints: dict | None) -> str:
    """The search's answer, when this sweep was an Optuna search: best settings + how to confirm."""
    try:
        best = yaml.safe_load((sweep_dir / "optimization_results.yaml").read_text())
        params = dict(best["best_params"])
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return ""
    bounds = "; ".join(
        f"{k} {'≥ ' + str(b['min']) if b.get('min') is not None else ''}{' ≤ ' + str(b['max']) if b.get('max') is not None else ''}"
        for k, b in (constraints or {}).items()
    )
    settings = " ".join(f"{k}={_fmt(v)}" for k, v in params.items())
    return (
        "<h2>Optuna's best strategy</h2>"
        f"<p>Best score {_num(best.get('best_value'))} ({outcome.label.lower()}"
        + (f", subject to {html.escape(bounds)}; a negative score means no trial met the constraints" if bounds else "")
        + f"). Settings:</p><pre>{html.escape(settings)}</pre>"
        "<p>Each trial was a single run, so confirm it against the other top strategies with replicate seeds:</p>"
        f"<pre>python experiments/run.py -m {html.escape(settings)} seed='range(20)'</pre>"
    )


CSS = """body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
th{background:#f3f3f3}.summary{background:#f7fbff;border-left:4px solid #3b82f6;padding:.5em 1em}
code{background:#eee;padding:0 3px}"""


# ---------------------------------------------------------------- entry point


def build_report(
    table: pd.DataFrame,
    sweep_dir: str | os.PathLike,
    *,
    outcome: str = "lifespan_days",
    question: str | None = None,
    constraints: dict | None = None,
) -> Path:
    """Write ``sweep_report.html`` into ``sweep_dir`` and return its path."""
    sweep_dir = Path(sweep_dir)
    primary = registered_outcome(outcome)
    table = table.copy()
    keys = factors(table)
    table["strategy"] = label_strategies(table, keys)
    ok = table[table.status == "ok"]
    if primary.key not in ok:
        ok = ok.assign(**{primary.key: math.nan})
    # Every outcome the runs report stays in the table (a column that is the same for every
    # strategy is an answer too); only outcomes that vary get a distribution chart.
    present = [o for o in OUTCOMES if o.key in ok and pd.Series(numeric(ok[o.key])).notna().any()]
    varying = [o for o in present if pd.Series(numeric(ok[o.key])).nunique() > 1]

    ranked = ranked_strategies(ok, primary) if len(ok) else pd.DataFrame()
    order = ranked["strategy"].tolist() if len(ranked) else []
    figs: list[tuple[str, go.Figure]] = []
    # A search (Optuna) makes every trial its own strategy: draw curves for the leaders only,
    # and heatmaps only over factors with few levels (a grid, not scattered trial values).
    if len(ok) and "lifespan_days" in ok and ok["lifespan_days"].notna().all():
        figs.append(("Survival", survival_figure(ok, order[:MAX_CURVES])))
    for o in varying:
        figs.append((o.label, distribution_figure(ok, o, order)))
    grid = [k for k in keys if ok[k].nunique() <= MAX_LEVELS]
    for fx, fy in list(combinations(grid, 2))[:6]:
        figs.append((f"{fx} × {fy}", heatmap_figure(ok, fx, fy, primary)))

    summary = _summary(ranked, primary, len(order))
    for o in varying[:3]:
        if o.key != primary.key and len(order) > 1:
            r = ranked_strategies(ok, o)
            summary.append(
                f"On {o.label.lower()}, <b>{html.escape(r.strategy.iloc[0])}</b> leads "
                f"(mean {_num(r['mean'].iloc[0])}); significantly ahead of "
                f"{int((r.p_vs_best < ALPHA).sum())} of {len(r) - 1} others."
            )
    counts = table.status.value_counts()
    status_line = ", ".join(f"{n} {s}" for s, n in counts.items())
    swept = ", ".join(f"<code>{html.escape(k)}</code>" for k in keys) or "nothing (replicates only)"

    parts = [
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Sweep report – {html.escape(sweep_dir.name)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Which strategy works best?</h1><p><i>{html.escape(question)}</i></p>" if question else "<h1>Which strategy works best?</h1>",
        f"<p>Sweep <code>{html.escape(str(sweep_dir))}</code>: {len(table)} simulated groups ({status_line}); "
        f"{len(order)} strategies compared, varying {swept}. Each strategy was run with several random "
        "seeds; the spread between seeds is the uncertainty shown as 95 % confidence intervals.</p>",
        "<h2>Answer</h2><div class='summary'>" + "".join(f"<p>{s}</p>" for s in summary) + "</div>",
        "<h2>Strategies ranked</h2>" + (_table_html(ranked, primary, present) if len(ranked) else "<p>No finished runs.</p>"),
    ]
    for i, (_, fig) in enumerate(figs):
        fig.update_layout(template="plotly_white")
        parts.append(fig.to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False}))
    parts.append(_optuna_html(sweep_dir, primary, constraints))
    parts.append("<h2>Jobs without a result</h2>" + _problems_html(table))
    parts.append(
        "<p style='color:#666'>How to read this: a strategy is significantly different from the best when the "
        "adjusted p-value is below 0.05 — the Holm correction keeps the chance of any false alarm across all "
        "comparisons under 5 %. Not significant means the seeds disagree too much to tell; it does not mean equal."
        " Raw numbers: <code>results.csv</code> / <code>results.parquet</code> next to this file.</p></body></html>"
    )
    path = sweep_dir / REPORT_NAME
    write_atomic(path, "\n".join(parts))
    return path
