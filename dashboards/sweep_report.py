"""Strategy comparison dashboard for one sweep: ``sweep_report.html``, self-contained and offline.

Input is the table of :mod:`experiments.collect` (one row per job). A *strategy* is one
combination of the swept settings other than the replicate seed; its replicate runs form an
ensemble. The page is written for an operator who never saw Hydra; top to bottom:

0. the question: the preset's, or the sweep's own (from its arms, in words) when the command
   changed what the preset set;
1. **Answer** in words and units (analysis/recommend.py): the winning strategies (a tie is
   called a tie), their lead in days over the reference strategy with an interval, the share
   of groups still talking at 6 and 12 months (alive means talking), whether the answer holds under other base scenarios,
   and what each option costs in founder hours and money (analysis/money.py);
2. **Context**, read from the runs' configuration (analysis/provenance.py): the starting
   group, horizon, seeds, the timeline, the assumptions the answer rests on, the preset's
   notes, what the model is and is not trusted for (the validation's known gaps);
3. **Trade-offs** (when the runs report the cost model's outcomes): lifespan against net
   revenue and founder hours, efficient (Pareto) strategies marked;
4. **Robustness**: the same comparison under the preset's ``robustness_bases``;
5. the strategies in their natural order with intervals and each outcome's definition;
6. survival curves, outcome distributions, heatmaps (two-factor sweeps);
7. **Details**: test names and Holm-adjusted p-values; Optuna's best; jobs without a result.

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
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from analysis.compare import (
    LIFESPAN,
    alive,
    factors,
    label_strategies,
    natural_order,
    summary,
)
from analysis.compare import fmt_value as _fmt
from analysis.files import write_atomic
from analysis.recommend import (
    GAP_TOPICS,
    SURVIVAL_DAYS,
    TRUSTED_FOR,
    BaseResult,
    Recommendation,
    TradeOff,
    burnout_day,
    recommend,
)
from analysis.recommend import (
    robustness as run_robustness,
)
from analysis.provenance import changed_settings, group_name, preset_departures, starting_group, timeline_words
from analysis.money import AD_SLOTS, ad_slot_assumption, hours_words, money_words, with_money
from analysis.money import KEYS as MONEY_KEYS
from analysis.registry import OUTCOMES, Outcome, lever
from analysis.registry import outcome as registered_outcome
from analysis.stats import ALPHA, kaplan_meier, numeric
from dashboards.formatting import fmt_outcome, number
from dashboards.page import figure_writer, html_page
from sim.outcomes import TALKING_AT

REPORT_NAME = "sweep_report.html"
MAX_CURVES = 20  # survival curves drawn: the top-ranked strategies
MAX_LEVELS = 12  # a factor with more distinct values gets no heatmap
MONTHS = {180: "6 months", 365: "12 months"}


# ---------------------------------------------------------------- units and colours


def _num(v: float, digits: int = 3, rate: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if rate:
        return f"{v:.0%}"
    return number(v, digits)


def axis_title(o: Outcome) -> str:
    """An outcome's label with its unit: 'Lifespan (days)'."""
    unit = "share of runs" if o.is_rate else o.unit
    return f"{o.label} ({unit})" if unit else o.label


def value(o: Outcome, v: float) -> str:
    return fmt_outcome(o, v)


def span(o: Outcome, lo: float, hi: float) -> str:
    """An interval in the outcome's units, the unit written once: '200–240 days', '12–30 %'."""
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in (lo, hi)):
        return "–"
    a, b = fmt_outcome(o, lo), fmt_outcome(o, hi)
    for unit in (" days", "%"):
        if a.endswith(unit) and b.endswith(unit):
            a = a[: -len(unit)]
    return f"{a}–{b}"


def share_span(s: tuple[float, float, float]) -> str:
    v, lo, hi = s
    return "–" if math.isnan(v) else f"{v:.0%} ({lo:.0%}–{hi:.0%})"


def colours(order: list[str]) -> dict[str, str]:
    """One distinct colour per strategy, in natural order."""
    palette = qualitative.D3 if len(order) <= 10 else qualitative.Alphabet
    return {s: palette[i % len(palette)] for i, s in enumerate(order)}


def short_names(order: list[str], keys: list[str]) -> dict[str, str]:
    """With one swept factor, a strategy is named by its value alone ('ban'); the factor's
    label is said once. With several, the full label."""
    if len(keys) != 1:
        return {s: s for s in order}
    return {s: s.split(": ", 1)[1] if ": " in s else s for s in order}


def factor_title(keys: list[str]) -> str:
    lv = lever(keys[0]) if len(keys) == 1 else None
    return lv.label if lv else "Strategy"


# ---------------------------------------------------------------- figures


def survival_figure(ok: pd.DataFrame, order: list[str], keys: list[str] | None = None) -> go.Figure:
    """Kaplan–Meier curves, one colour per strategy in natural order; a two-factor sweep gets
    one panel per level of the first factor (colour = the second factor)."""
    keys = keys or []
    title = "Share of groups still alive (talking) after N days (Kaplan–Meier; alive at the horizon = censored)"
    if len(keys) == 2 and ok[keys[0]].nunique() <= 6:
        rows_key, col_key = keys
        panels = [v for v in sorted(ok[rows_key].dropna().unique(), key=lambda v: _sort(rows_key, v))]
        levels = [v for v in sorted(ok[col_key].dropna().unique(), key=lambda v: _sort(col_key, v))]
        palette = {v: qualitative.D3[i % 10] for i, v in enumerate(levels)}
        lab_r, lab_c = _label_of(rows_key), _label_of(col_key)
        fig = make_subplots(rows=1, cols=len(panels), shared_yaxes=True, horizontal_spacing=0.02,
                            subplot_titles=[f"{lab_r[0]}: {lab_r[1](v)}" for v in panels])
        for i, pv in enumerate(panels, start=1):
            for lv_ in levels:
                runs = ok[(ok[rows_key] == pv) & (ok[col_key] == lv_)]
                if runs.empty:
                    continue
                x, y = kaplan_meier(runs[LIFESPAN], alive(runs))
                fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line_shape="hv", line={"color": palette[lv_], "width": 2},
                                         name=f"{lab_c[0]}: {lab_c[1](lv_)}", legendgroup=str(lv_), showlegend=(i == 1)),
                              row=1, col=i)
            fig.update_xaxes(title_text="day", row=1, col=i)
        fig.update_yaxes(title_text="share alive", tickformat=".0%", range=[0, 1.05], row=1, col=1)
        fig.update_layout(title=title, height=430, legend={"orientation": "h", "y": -0.25})
        return fig
    fig = go.Figure()
    cmap = colours(order)
    for name in order:
        runs = ok[ok.strategy == name]
        x, y = kaplan_meier(runs[LIFESPAN], alive(runs))
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line_shape="hv", name=name, line={"color": cmap[name], "width": 2.5}))
    for d in SURVIVAL_DAYS:
        fig.add_vline(x=d, line={"color": "#bbb", "dash": "dot"}, annotation_text=MONTHS[d], annotation_position="top")
    fig.update_layout(title=title, xaxis_title="day", yaxis_title="share of groups alive", yaxis_range=[0, 1.08],
                      yaxis_tickformat=".0%", legend_title="strategy", height=430)
    return fig


def _sort(key: str, v) -> tuple:
    lv = lever(key)
    return lv.sort_key(v) if lv else (0, str(v))


def _label_of(key: str):
    lv = lever(key)
    return (lv.label, lv.value_label) if lv else (key, _fmt)


def distribution_figure(ok: pd.DataFrame, outcome: Outcome, order: list[str], names: dict[str, str] | None = None,
                        end: float | None = None) -> go.Figure:
    """Every run as a dot plus the value with its 95 % interval, one row per strategy (natural
    order, top to bottom: labels never collide); yes/no outcomes as shares."""
    names = names or {s: s for s in order}
    fig = go.Figure()
    pos = {name: i for i, name in enumerate(order)}
    cis = [summary(ok[ok.strategy == s], outcome, end) for s in order]
    cmap = colours(order)
    error = {"type": "data", "symmetric": False, "array": [c[2] - c[0] for c in cis], "arrayminus": [c[0] - c[1] for c in cis]}
    if outcome.is_rate:
        fig.add_trace(go.Bar(y=list(range(len(order))), x=[c[0] for c in cis], error_x=error, orientation="h",
                             marker_color=[cmap[s] for s in order], name="share, 95 % CI"))
        fig.update_xaxes(tickformat=".0%", range=[0, 1])
    else:
        jitter = np.random.default_rng(0).uniform(-0.22, 0.22, len(ok))  # deterministic: same table, same page
        fig.add_trace(go.Scatter(
            y=ok["strategy"].map(pos) + jitter, x=numeric(ok[outcome.key]), mode="markers",
            marker={"size": 5, "opacity": 0.45, "color": [cmap[s] for s in ok["strategy"]]}, name="one run",
            customdata=ok[["job"]] if "job" in ok else None, hovertemplate="%{x}<extra></extra>"))
        what = "restricted mean, 95 % CI" if outcome.key == LIFESPAN else "mean, 95 % CI"
        fig.add_trace(go.Scatter(y=list(range(len(order))), x=[c[0] for c in cis], error_x=error, mode="markers",
                                 marker={"size": 11, "color": "black", "symbol": "diamond"}, name=what))
    better = "higher is better" if outcome.higher_is_better else "lower is better"
    fig.update_layout(
        title=f"{outcome.label} per strategy ({better})",
        yaxis={"tickmode": "array", "tickvals": list(range(len(order))), "ticktext": [names[s] for s in order],
                   "autorange": "reversed", "automargin": True},
        xaxis_title=axis_title(outcome),
        height=max(260, 70 + 42 * len(order)),
        legend={"orientation": "h", "y": -0.3},
    )
    return fig


def tradeoff_figure(t: TradeOff, order: list[str], names: dict[str, str]) -> go.Figure:
    """y (the ranked outcome) against x (money or founder time) per strategy with 95 % intervals;
    efficient strategies as stars joined by the frontier, the others as open circles."""
    fig = go.Figure()
    cmap = colours(order)
    for s in order:
        x, xlo, xhi, y, ylo, yhi = t.points[s]
        eff = s in t.efficient
        mark = " ★ efficient" if eff else (" (an ad group: not efficient)" if s in t.ad_groups else "")
        fig.add_trace(go.Scatter(
            x=[x], y=[y], mode="markers", name=names[s] + mark,
            marker={"size": 16 if eff else 11, "color": cmap[s], "symbol": "star" if eff else "circle-open",
                        "line": {"width": 2, "color": cmap[s]}},
            error_x={"type": "data", "symmetric": False, "array": [xhi - x], "arrayminus": [x - xlo], "color": cmap[s], "thickness": 1},
            error_y={"type": "data", "symmetric": False, "array": [yhi - y], "arrayminus": [y - ylo], "color": cmap[s], "thickness": 1},
        ))
    front = sorted((t.points[s][0], t.points[s][3]) for s in t.efficient)
    if len(front) > 1:
        fig.add_trace(go.Scatter(x=[p[0] for p in front], y=[p[1] for p in front], mode="lines",
                                 line={"color": "#999", "dash": "dash"}, name="efficient frontier", hoverinfo="skip"))
    ylab = "Lifespan (days, restricted mean)" if t.y.key == LIFESPAN else axis_title(t.y)
    fig.update_layout(title=f"{t.y.label} against {t.x.label.lower()} (★ = no other strategy is better on both)",
                      xaxis_title=axis_title(t.x), yaxis_title=ylab, height=420, legend_title="strategy")
    return fig


def heatmap_figure(ok: pd.DataFrame, fx: str, fy: str, outcome: Outcome, end: float | None = None) -> go.Figure:
    """The outcome (lifespan: restricted mean) over every pair of levels, in natural order."""
    xs = sorted(ok[fx].dropna().unique(), key=lambda v: _sort(fx, v))
    ys = sorted(ok[fy].dropna().unique(), key=lambda v: _sort(fy, v))
    z, text = [], []
    for yv in ys:
        zr, tr = [], []
        for xv in xs:
            runs = ok[(ok[fx] == xv) & (ok[fy] == yv)]
            m = summary(runs, outcome, end)[0] if len(runs) else math.nan
            zr.append(m)
            tr.append(f"{_num(m, rate=outcome.is_rate)}<br>n={len(runs)}")
        z.append(zr)
        text.append(tr)
    (lx, fxl), (ly, fyl) = _label_of(fx), _label_of(fy)
    fig = go.Figure(go.Heatmap(z=z, x=[fxl(v) for v in xs], y=[fyl(v) for v in ys], text=text, texttemplate="%{text}",
                               colorscale="Viridis" if outcome.higher_is_better else "Viridis_r",
                               colorbar_title=axis_title(outcome)))
    fig.update_layout(title=f"{outcome.label} by {lx.lower()} × {ly.lower()}", xaxis_title=lx, yaxis_title=ly,
                      xaxis_type="category", yaxis_type="category", height=430)
    return fig


# ---------------------------------------------------------------- text


def _join(items: list[str], last: str = "or") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def _metric(o: Outcome) -> str:
    return "groups live" if o.key == LIFESPAN else f"{o.label.lower()}"


def _signed(o: Outcome, d: float) -> str:
    if o.is_rate or o.unit.startswith("share"):
        return f"{d * 100:+.0f} percentage points"
    sign = "+" if d >= 0 else "−"
    return sign + fmt_outcome(o, abs(d))


def answer_sentences(rec: Recommendation, keys: list[str], bases: list[BaseResult] | None = None) -> list[str]:
    """The recommendation in words and units (HTML), effect sizes with 95 % intervals; no p-values."""
    o = rec.outcome
    r = rec.results
    names = short_names(rec.order, keys)
    factor = factor_title(keys) + ": " if len(keys) == 1 else ""
    b = lambda s: f"<b>{html.escape(names[s])}</b>"
    lines = []
    top_values = [r[s].value for s in rec.top]
    lo_v, hi_v = min(top_values), max(top_values)
    restricted = f" (mean over the {rec.horizon:.0f}-day horizon, groups alive at the end counted as censored)" \
        if o.key == LIFESPAN else ""
    if len(rec.order) == 1:
        s = rec.best
        lines.append(f"{factor}{b(s)}: {_metric(o)} {value(o, r[s].value)} (95 % CI {span(o, r[s].low, r[s].high)})"
                     f"{restricted}. Only one strategy: nothing to compare.")
    elif rec.tie:
        lines.append(f"<b>A tie — no clear winner.</b> {factor}{_join([b(s) for s in rec.order])} cannot be told "
                     f"apart with {rec.seeds} seeds each: {_metric(o)} about {span(o, lo_v, hi_v)}{restricted}. "
                     "Choose on other grounds (cost, effort), or run more seeds.")
    elif len(rec.top) == 1:
        s = rec.best
        lines.append(f"{factor}{b(s)} works best: {_metric(o)} {value(o, r[s].value)} "
                     f"(95 % CI {span(o, r[s].low, r[s].high)}){restricted}.")
    else:
        lines.append(f"{factor}{_join([b(s) for s in rec.top])} — a tie at the top (the {rec.seeds} seeds cannot "
                     f"separate them): {_metric(o)} about {span(o, lo_v, hi_v)}{restricted}; "
                     f"{b(rec.best)} ranks first by a nose.")
    ref = rec.reference
    if ref is not None and not rec.tie:
        d, dlo, dhi = rec.effect
        times = ""
        if not math.isnan(rec.ratio) and rec.ratio > 0:
            times = f"{rec.ratio:.1f}× {'longer' if o.key == LIFESPAN else ('more' if rec.ratio >= 1 else 'less')} than "
        lines.append(f"That is {times}with {b(ref)} ({value(o, r[ref].value)}): {b(rec.best)} leads by "
                     f"<b>{_signed(o, d)}</b> (95 % CI {_signed(o, dlo)} to {_signed(o, dhi)}).")
        like = rec.in_group("like_reference")
        between = rec.in_group("between")
        if like:
            vals = (", ".join(f"{html.escape(names[s])} {value(o, r[s].value)}" for s in like) if len(like) > 1
                    else value(o, r[like[0]].value)) + f" vs {value(o, r[ref].value)}"
            verb = "is" if len(like) == 1 else "are"
            lines.append(f"{_join([b(s) for s in like], 'and')} {verb} hardly better than {b(ref)}: "
                         f"the difference is within the noise ({vals}).")
        for s in between:
            better = (r[s].value > r[ref].value) == o.higher_is_better
            where = f"in between: behind the best, ahead of {b(ref)}" if better else f"behind {b(ref)} too"
            lines.append(f"{b(s)} lies {where} ({value(o, r[s].value)}).")
    surv = [s for s in ([rec.best] + ([ref] if ref else [])) if r[s].survival]
    parts = []
    for d in SURVIVAL_DAYS:
        cells = [f"{html.escape(names[s])} {share_span(r[s].survival[d])}" for s in surv
                 if d in r[s].survival and not math.isnan(r[s].survival[d][0])]
        if cells:
            parts.append(f"at {MONTHS[d]}: " + " vs ".join(cells))
    if parts:
        lines.append("Share of groups still talking (not an ad group, not dead, and enough people speaking that "
                     "week; 95 % CI) " + "; ".join(parts) + ".")
    if bases and rec.tie:  # no winner here: say what the other bases show, not that "the answer holds"
        text = []
        for x in bases:
            other = x.recommendation
            if other is None:
                text.append(f"{html.escape(x.name)} could not be run ({html.escape(x.error or 'no finished run')})")
            elif other.tie:
                text.append(f"with {html.escape(x.name)} it is a tie too")
            else:
                text.append(f"with {html.escape(x.name)}, <b>{html.escape(short_names(other.order, keys)[other.best])}"
                            "</b> comes out best")
        lines.append("Robustness (same strategies, other base scenarios, fewer seeds): " + "; ".join(text) + ".")
    elif bases:
        held = [x.name for x in bases if x.holds(rec.best)]
        changed = [x for x in bases if x.holds(rec.best) is False]
        text = []
        if held:
            text.append(f"the answer holds with {_join([html.escape(h) for h in held], 'and')}")
        for x in changed:
            text.append(f"with {html.escape(x.name)} it changes: best there is "
                        f"<b>{html.escape(short_names(x.recommendation.order, keys)[x.recommendation.best])}</b>")
        for x in bases:
            if x.recommendation is None:
                text.append(f"{html.escape(x.name)} could not be run ({html.escape(x.error or 'no finished run')})")
        lines.append("Robustness (same strategies, other base scenarios, fewer seeds): " + "; ".join(text) + ".")
    return lines


def costs_sentence(ok: pd.DataFrame, order: list[str], names: dict[str, str], ad_slot_price: float | None) -> str:
    """What each option costs, in words: founder hours (a day, a week, in total) and money by
    source, means over each strategy's runs; empty when the runs do not report them."""
    if not any(k in ok for k in MONEY_KEYS):
        return ""
    parts, slots = [], False
    for s in order:
        runs = ok[ok.strategy == s]
        means = {k: float(np.nanmean(numeric(runs[k]))) for k in MONEY_KEYS if k in runs and runs[k].notna().any()}
        slots |= bool(means.get("income_total", 0) > means.get("revenue", 0))
        parts.append(f"<b>{html.escape(names[s])}</b>: {html.escape(hours_words(means))}; "
                     f"{html.escape(money_words(means))}")
    price = (f" Ad slots at an assumed ¥{ad_slot_price:g} each (costs.ad_slot_price)."
             if slots and ad_slot_price is not None else "")
    return "What each option costs (mean per group over the run): " + "; ".join(parts) + "." + price


def _ad_slot_assumption(ok: pd.DataFrame, order: list[str], names: dict[str, str], price: float | None) -> str:
    """The ad-slot price, stated wherever ad-slot income is part of a strategy's money."""
    if price is None or AD_SLOTS not in ok or "income_total" not in ok:
        return ""
    shares = {}
    for s in order:
        runs = ok[ok.strategy == s]
        slots, income = np.nanmean(numeric(runs[AD_SLOTS])), np.nanmean(numeric(runs["income_total"]))
        if slots > 0 and income > 0:
            shares[s] = slots / income
    if not shares:
        return ""
    top = max(shares, key=shares.get)
    return ad_slot_assumption(price, shares[top], names[top])


def _context_html(ok: pd.DataFrame, table: pd.DataFrame, keys: list[str], question: str | None,
                  assumptions: list[str] | None, bases: list[BaseResult] | None,
                  departures: list[str] | None = None) -> str:
    """What was run, from the configuration: the starting group, the strategy base, horizon,
    seeds, the timeline, the settings that differ from the defaults; then the preset's own
    assumptions (flagged when this sweep changed what the preset set) and what the model is
    trusted for."""
    cfg, choices = _job_config(ok)
    items = []
    scen = (cfg.get("scenario") or {}) if cfg else {}
    start = starting_group(cfg.get("start") or {}, _first_rows(ok)) if cfg else None
    if start:
        items.append(f"<b>Starting group:</b> {html.escape(start)}. <b>Strategy base:</b> the settings of scenario "
                     f"<code>{html.escape(str(scen.get('name')))}</code> (its founding story does not apply: the "
                     "group did not start from scratch).")
    elif scen:
        items.append(f"<b>Base scenario:</b> <code>{html.escape(str(scen.get('name')))}</code> — "
                     f"{html.escape(str(scen.get('description', '')).strip())}")
    days = cfg.get("days") if cfg else None
    seeds = ok.groupby("strategy").size() if len(ok) else pd.Series(dtype=int)
    per = (f"{seeds.min()}" if seeds.min() == seeds.max() else f"{seeds.min()}–{seeds.max()}") if len(seeds) else "0"
    items.append(f"<b>Horizon:</b> {days if days is not None else '?'} days; <b>seeds:</b> {per} per strategy "
                 f"({len(seeds)} strategies, {len(table)} jobs). Swept: "
                 + (", ".join(html.escape(_label_of(k)[0]) for k in keys) or "nothing (replicates only)") + ".")
    if cfg and cfg.get("timeline"):
        when = "on the switch day" if "switch_day" in keys else None
        items.append(f"<b>Timeline:</b> {html.escape(timeline_words(cfg['timeline'], when))}.")
    fixed = [f"{lever(k).label}: {lever(k).value_label(v)}" for k, v in (choices or {}).items()
             if lever(k) and k not in keys and not any(lever(x) and lever(x).label == lever(k).label for x in keys)]
    assume = []
    if fixed:
        until = " (until the timeline changes it)" if cfg and cfg.get("timeline") else ""
        assume.append(f"every strategy shares the rest of the base{until}: " + html.escape("; ".join(fixed)))
    changed = _shared_changes(ok, keys) if cfg else []
    if changed:
        assume.append("settings that differ from the model's defaults (all strategies): "
                      + html.escape("; ".join(changed)))
    ads = _ad_slot_assumption(ok, natural_order(ok, keys), short_names(natural_order(ok, keys), keys),
                              ((cfg or {}).get("costs") or {}).get("ad_slot_price"))
    if ads:
        assume.append(html.escape(ads))
    burn = _burnout(ok, cfg)
    if burn:
        assume.append(burn)
    if assume:
        items.append("<b>The answer rests on:</b><ul>" + "".join(f"<li>{a}</li>" for a in assume) + "</ul>")
    if assumptions:
        head = ("<b>The preset's notes</b> (written for the preset as shipped; this sweep changed "
                f"<code>{html.escape(' '.join(departures))}</code>, so they may not describe it):"
                if departures else "<b>The preset's notes:</b>")
        items.append(head + "<ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in assumptions) + "</ul>")
    items.append("<b>The model is trusted for</b> (validation, README): " + html.escape("; ".join(TRUSTED_FOR))
                 + ". <b>Not yet for</b> (known gaps, docs/calibration.md): "
                 + html.escape("; ".join(GAP_TOPICS.values())) + ".")
    return "<div class='context'><h3>Context</h3>" + "".join(f"<p>{i}</p>" for i in items) + "</div>"


def _first_rows(ok: pd.DataFrame) -> list[dict]:
    """A finished job's daily rows (its starting state is among them)."""
    for d in (ok.get("job_dir") if "job_dir" in ok else pd.Series(dtype=str)).dropna()[:5]:
        try:
            return pd.read_csv(Path(d) / "timeseries.csv").to_dict("records")
        except (OSError, ValueError):
            continue
    return []


def sweep_command(sweep_dir: Path, ok: pd.DataFrame) -> tuple[list[str], str | None]:
    """The sweep's command-line overrides and its preset (``experiment=``), from
    ``multirun.yaml`` or a job's ``.hydra/hydra.yaml``."""
    dirs = (ok.get("job_dir") if "job_dir" in ok else pd.Series(dtype=str)).dropna()[:1]
    for path in [sweep_dir / "multirun.yaml", *(Path(d) / ".hydra" / "hydra.yaml" for d in dirs)]:
        try:
            hyd = yaml.safe_load(path.read_text())["hydra"]
            return list(hyd["overrides"]["task"] or []), (hyd["runtime"]["choices"] or {}).get("experiment")
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue
    return [], None


def sweep_question(rec: Recommendation | None, ok: pd.DataFrame, keys: list[str], outcome: Outcome) -> str:
    """The question this sweep asks, from its arms: 'Switch: never, today or on day 30 — which
    keeps the group described in mygroup.yaml alive longest?'"""
    cfg, _ = _job_config(ok)
    group = (group_name(cfg.get("start") or {}) if cfg else None) or "the group"
    aim = f"keeps {group} alive longest" if outcome.key == LIFESPAN else \
        f"gives {group} the best {outcome.label.lower()}"
    order = rec.order if rec else natural_order(ok, keys)
    if len(keys) == 1:
        options = f"{factor_title(keys)}: {_join(list(short_names(order, keys).values()))}"
    else:
        options = _join(order)
    return f"{options} — which {aim}?"


def _job_config(ok: pd.DataFrame) -> tuple[dict, dict]:
    """A finished job's resolved config and its config-group choices (strategy pieces)."""
    for d in (ok.get("job_dir") if "job_dir" in ok else pd.Series(dtype=str)).dropna()[:5]:
        try:
            cfg = yaml.safe_load((Path(d) / ".hydra" / "config.yaml").read_text())
            hyd = yaml.safe_load((Path(d) / ".hydra" / "hydra.yaml").read_text())
            return cfg or {}, dict(hyd["hydra"]["runtime"]["choices"])
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue
    return {}, {}


def _shared_changes(ok: pd.DataFrame, keys: list[str]) -> list[str]:
    """The settings that differ from the model's defaults in every strategy alike (one job's
    config per strategy: an arm that sets several keys at once varies them, not the base)."""
    shared: list[str] | None = None
    for _, runs in ok.groupby("strategy", sort=False) if "strategy" in ok else []:
        cfg, _ = _job_config(runs)
        if not cfg:
            continue
        mine = changed_settings(cfg, skip=[k.lstrip("+") for k in keys])
        shared = mine if shared is None else [c for c in shared if c in mine]
    return shared or []


def _burnout(ok: pd.DataFrame, cfg: dict) -> str:
    """When the founder burns out in these runs (energy below founder.burnout_below), measured."""
    below = ((cfg or {}).get("founder") or {}).get("burnout_below")
    if below is None or "job_dir" not in ok:
        return ""
    days, n = [], 0
    for d in ok["job_dir"].dropna()[:60]:
        try:
            energy = pd.read_csv(Path(d) / "timeseries.csv", usecols=["founder_energy"])["founder_energy"]
        except (OSError, ValueError, KeyError):
            continue
        n += 1
        days.append(burnout_day(energy, float(below)))
    hit = [x for x in days if not math.isnan(x)]
    if not n:
        return ""
    if not hit:
        return f"the founder never burns out in these runs (energy stays above {below})"
    return (f"the founder does the work and tires: energy falls below {below} (burnout) around "
            f"<b>day {np.median(hit):.0f}</b> (median; {min(hit):.0f}–{max(hit):.0f}) in {len(hit)} of {n} runs read")


def _robustness_html(main: Recommendation, bases: list[BaseResult], keys: list[str]) -> str:
    names = short_names(main.order, keys)
    o = main.outcome
    head = ["base scenario", *[names[s] for s in main.order], "top group", f"{names[main.best]} still in it?"]
    rows = []
    rows.append(["this sweep", *[value(o, main.results[s].value) for s in main.order],
                 ", ".join(names[s] for s in main.top), "–"])
    for x in bases:
        rec = x.recommendation
        if rec is None:
            rows.append([x.name, *["–"] * len(main.order), f"not run: {x.error}", "–"])
            continue
        vals = [value(o, rec.results[s].value) if s in rec.results else "–" for s in main.order]
        holds = x.holds(main.best)
        rows.append([x.name, *vals, ", ".join(names.get(s, s) for s in rec.top) + (" (tie)" if rec.tie else ""),
                     "yes" if holds else f"no — best: {names.get(rec.best, rec.best)}"])
    seeds = min((x.recommendation.seeds for x in bases if x.recommendation), default=0)
    return ("<h2>Does the answer hold elsewhere?</h2><p>The same strategies re-run from other base scenarios "
            f"({seeds} seeds each, so only large differences show). Values: {html.escape(o.label.lower())}"
            + (" (restricted mean, days)" if o.key == LIFESPAN else "") + ".</p>"
            + "<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
            + "</table>"
            + "<p class='small'>Base overrides: " + "; ".join(
                f"{html.escape(x.name)}: <code>{html.escape(' '.join(x.overrides))}</code>" for x in bases) + "</p>")


def _table_html(rec: Recommendation, ok: pd.DataFrame, present: list[Outcome], keys: list[str]) -> str:
    """Strategies in natural order: the ranked outcome with its interval, the share talking at
    6/12 months, the main other outcomes; each outcome's definition underneath."""
    o = rec.outcome
    extra = [x for x in present if x.key != o.key and x.key not in TALKING_AT][:6]  # talking: its own columns
    main_head = "Lifespan: restricted mean [95 % CI]" if o.key == LIFESPAN else f"{axis_title(o)}: mean [95 % CI]"
    head = ["strategy", "rank", "runs", main_head]
    surv_days = [d for d in SURVIVAL_DAYS if any(d in r.survival and not math.isnan(r.survival[d][0])
                                                for r in rec.results.values())]
    head += [f"talking at {MONTHS[d]} [95 % CI]" for d in surv_days]
    head += [axis_title(x) + ": mean" for x in extra]
    verdict = {"best": "best", "tied": "tied with best", "reference": "reference", "like_reference": "like reference",
               "between": "in between"}
    rows = []
    cmap = colours(rec.order)
    for s in rec.order:
        r = rec.results[s]
        runs = ok[ok.strategy == s]
        cells = [f"<span class='dot' style='background:{cmap[s]}'></span>{html.escape(s)}",
                 f"{r.rank} ({verdict.get(r.group, '')})", str(r.runs),
                 f"{value(o, r.value)} [{span(o, r.low, r.high)}]"]
        cells += [share_span(r.survival[d]) if d in r.survival else "–" for d in surv_days]
        cells += [value(x, float(np.nanmean(numeric(runs[x.key])))) if runs[x.key].notna().any() else "–" for x in extra]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    defs = [x for x in [o, *extra] if x.definition]
    return ("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>" + "".join(rows) + "</table>"
            + "<dl class='defs'>" + "".join(f"<dt>{html.escape(x.label)}</dt><dd>{html.escape(x.definition)}</dd>"
                                            for x in defs) + "</dl>")


def _details_html(rec: Recommendation, ok: pd.DataFrame, varying: list[Outcome]) -> str:
    """Test names and Holm-adjusted p-values: the evidence behind the words above."""
    o = rec.outcome
    test = "log-rank test (censored lifespans)" if o.key == LIFESPAN else "Mann–Whitney U test"
    r = rec.results
    rows = "".join(
        f"<tr><td>{html.escape(s)}</td><td>{r[s].rank}</td><td>{_p(r[s].p_vs_best)}</td><td>{_p(r[s].p_vs_reference)}</td></tr>"
        for s in rec.order)
    lines = [
        f"<p>Ranked on {html.escape(o.label.lower())}: "
        + ("restricted mean survival time (area under the Kaplan–Meier curve up to the horizon, percentile-bootstrap "
           "interval of 1,000 resamples, inside [0, horizon]); the lead over the reference is the bootstrap "
           "difference of the two." if o.key == LIFESPAN else "mean with Student-t interval (Wilson for yes/no), "
           "clipped to the values the outcome can take; the lead is a Welch interval.")
        + f" Differences to the best: {test}, Holm-corrected for {max(len(rec.order) - 1, 0)} comparisons; "
        f"strategies outside the top group against the reference: the same test, Holm-corrected. Significance level {ALPHA}. "
        "Talking at 6 and 12 months: the share of runs alive (talking) on day 180 and 365, Wilson interval.</p>",
        "<table><tr><th>strategy</th><th>rank</th><th>p vs best (Holm)</th><th>p vs reference (Holm)</th></tr>"
        + rows + "</table>",
        ("<p>Not significant means the seeds disagree too much to tell; it does not mean equal. The top group is the "
        "best strategy and every strategy not significantly different from it.</p>"),
    ]
    for x in varying[:4]:
        if x.key != o.key and len(rec.order) > 1:
            other = recommend(ok, x, [], tradeoff_keys=())
            if other:
                lines.append(f"<p>On {html.escape(x.label.lower())}: top group "
                             f"{html.escape(', '.join(other.top))} ({value(x, other.results[other.best].value)} for the first).</p>")
    return "<details><summary><b>Details: tests and p-values</b></summary>" + "".join(lines) + "</details>"


def _p(p: float) -> str:
    return "–" if p is None or math.isnan(p) else f"{p:.3g}"


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
th{background:#f3f3f3}.summary{background:#f7fbff;border-left:4px solid #3b82f6;padding:.5em 1em;font-size:1.08em}
.context{background:#fafaf5;border-left:4px solid #b59f3b;padding:.3em 1em;margin-top:1em}
.context h3{margin:.4em 0}.small{color:#555;font-size:.9em}.dot{display:inline-block;width:.8em;height:.8em;
border-radius:50%;margin-right:.4em;vertical-align:middle}dl.defs dt{font-weight:600;float:left;clear:left;
margin-right:.5em}dl.defs dd{margin:0 0 .3em 0;color:#444}details{margin:1.5em 0}
code{background:#eee;padding:0 3px}"""


# ---------------------------------------------------------------- entry point


def build_report(
    table: pd.DataFrame,
    sweep_dir: str | os.PathLike,
    *,
    outcome: str = "lifespan_days",
    question: str | None = None,
    constraints: dict | None = None,
    assumptions: list[str] | None = None,
    robustness_bases: list | None = None,
    robustness_seeds: int = 5,
    robustness: list[BaseResult] | None = None,
) -> Path:
    """Write ``sweep_report.html`` into ``sweep_dir`` and return its path.

    ``assumptions``: sentences the preset's answer rests on (context box). ``robustness_bases``:
    base scenarios (names or ``{name, overrides}``) to re-run every strategy under, with
    ``robustness_seeds`` seeds (cached in ``<sweep_dir>/robustness_cache``);
    ``robustness``: results computed elsewhere (tests)."""
    sweep_dir = Path(sweep_dir)
    primary = registered_outcome(outcome)
    table = table.copy()
    keys = factors(table)
    table["strategy"] = label_strategies(table, keys)
    ok = with_money(table[table.status == "ok"].copy())
    if primary.key not in ok:
        ok = ok.assign(**{primary.key: math.nan})
    present = [o for o in OUTCOMES if o.key in ok and pd.Series(numeric(ok[o.key])).notna().any()]
    varying = [o for o in present if pd.Series(numeric(ok[o.key])).nunique() > 1]
    rec = recommend(ok, primary, keys) if len(ok) else None
    order = rec.order if rec else natural_order(ok, keys)
    names = short_names(order, keys)
    end = rec.horizon if rec and not math.isnan(rec.horizon) else None

    bases = robustness
    if bases is None and robustness_bases and rec is not None and len(order) > 1:
        bases = run_robustness(ok, primary, keys, list(robustness_bases), int(robustness_seeds),
                               cache_dir=str(sweep_dir / "robustness_cache"))

    counts = table.status.value_counts()
    status_line = ", ".join(f"{n} {s}" for s, n in counts.items())
    overrides, preset = sweep_command(sweep_dir, ok)
    departures = preset_departures(overrides, preset)
    own = sweep_question(rec, ok, keys, primary) if len(order) > 1 else None
    if question and not departures:
        parts = [f"<h1>{html.escape(question)}</h1>"]
    else:
        parts = [f"<h1>{html.escape(own or question or 'Which strategy works best?')}</h1>"]
        if question:
            parts.append(f"<p class='small'>The preset <code>{html.escape(str(preset))}</code> asks “"
                         f"{html.escape(question)}” of its own settings; this sweep changed <code>"
                         f"{html.escape(' '.join(departures))}</code>, so this page asks the sweep's own question.</p>")
    if rec is None:
        parts.append("<h2>Answer</h2><div class='summary'><p>No job finished successfully, so there is nothing "
                     "to compare yet.</p></div>")
    else:
        price = ((_job_config(ok)[0] or {}).get("costs") or {}).get("ad_slot_price")
        money = costs_sentence(ok, order, names, price)
        parts.append("<h2>Answer</h2><div class='summary'>"
                     + "".join(f"<p>{s}</p>" for s in [*answer_sentences(rec, keys, bases), money] if s) + "</div>")
    parts.append(_context_html(ok, table, keys, question, assumptions, bases, departures))
    figs: list[go.Figure] = []
    if rec is not None:
        if rec.tradeoffs and len(order) > 1:
            ad_groups = sorted({s for t in rec.tradeoffs for s in t.ad_groups}, key=order.index)
            never = (f" {_join([html.escape(names[s]) for s in ad_groups], 'and')} earn"
                     f"{'s' if len(ad_groups) == 1 else ''} as an ad group (most runs became one, selling ad slots): "
                     "never marked efficient." if ad_groups else "")
            parts.append("<h2>Trade-offs</h2><p>Each strategy with 95 % intervals; ★ marks the efficient strategies "
                         "(no other strategy is better on both axes). Pick among the stars by what you value."
                         f"{never}</p>")
            for t in rec.tradeoffs:
                figs.append(tradeoff_figure(t, order, names))
                parts.append(("fig", len(figs) - 1))
        if bases:
            parts.append(_robustness_html(rec, bases, keys))
        parts.append("<h2>Strategies</h2><p class='small'>In their natural order (loosest first). "
                     f"Sweep <code>{html.escape(str(sweep_dir))}</code>: {len(table)} jobs ({status_line}).</p>")
        parts.append(_table_html(rec, ok, present, keys))
        if LIFESPAN in ok and ok[LIFESPAN].notna().all():
            figs.append(survival_figure(ok, order[:MAX_CURVES] if len(order) > MAX_CURVES else order, keys))
            parts.append(("fig", len(figs) - 1))
        for o in varying:
            figs.append(distribution_figure(ok, o, order, names, end))
            parts.append(("fig", len(figs) - 1))
        grid = [k for k in keys if ok[k].nunique() <= MAX_LEVELS]
        for fx, fy in list(combinations(grid, 2))[:6]:
            figs.append(heatmap_figure(ok, fx, fy, primary, end))
            parts.append(("fig", len(figs) - 1))
        parts.append(_details_html(rec, ok, varying))
    parts.append(_optuna_html(sweep_dir, primary, constraints))
    parts.append("<h2>Jobs without a result</h2>" + _problems_html(table))
    parts.append("<p class='small'>Raw numbers: <code>results.csv</code> / <code>results.parquet</code> next to "
                 "this file.</p>")
    figure = figure_writer()
    out = []
    for p in parts:
        if isinstance(p, tuple):
            fig = figs[p[1]]
            fig.update_layout(template="plotly_white", margin={"l": 10, "r": 10, "t": 60, "b": 40})
            out.append(figure(fig))
        else:
            out.append(p)
    path = sweep_dir / REPORT_NAME
    write_atomic(path, html_page(f"Sweep report – {sweep_dir.name}", out, CSS))
    return path
