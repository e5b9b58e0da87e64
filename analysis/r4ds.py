"""The model next to a real community: the R4DS Online Learning Community's Slack.

Real data: daily statistics of the Slack workspace of the R for Data Science (R4DS) Online
Learning Community, 2017-08-27..2019-07-05 (678 days), copied into ``data/`` (source,
commit, licence and quirks in ``data/README.md``). The folder is ``<repo>/data`` unless
``COMMUNITY_DATA_DIR`` names another.

R4DS is a ~3,000-account Slack workspace with 10–27 channels and DMs; the model is one
WeChat-style group of at most 500. Absolute sizes cannot be compared, so this module
computes *scale-free stylized statistics* (shares and ratios) the same way from R4DS's daily
rows and from the model's daily rows (sim/observe.py), and says per statistic whether it is
comparable, close, or off by a factor. It does not tune anything: the model runs with its
default calibration (docs/calibration.md). No HTML here: dashboards/r4ds_report.py draws.

Statistics (after a 30-day burn-in on both sides):

- ``weekly_posting_share``: median over days of the 7-day posters / members.
  R4DS ``weekly_members_posting_messages / total_membership``; model ``weekly_speaking_rate``
  (people who spoke in 7 days / people present; spammers and founder excluded).
- ``weekly_posting_share_of_active``: the same over the 7-day *active* members. R4DS
  ``weekly_members_posting_messages / weekly_active_members``; model people who spoke in 7
  days / ``weekly_active`` (people who opened the group in 7 days: processes/visiting.py).
- ``daily_active_share``: median daily active / members. R4DS ``daily_active_members /
  total_membership``; model ``daily_active / members`` (who opened the group that day).
- ``daily_posting_share_of_active``: median posters / active that day. R4DS
  ``daily_members_posting_messages / daily_active_members``; model ``speakers / daily_active``.
- ``messages_per_poster``: median messages per posting member per day. R4DS (public +
  private + shared + DM messages) / posters; model (valuable + chat + content + ads posted)
  / speakers.
- ``late_to_peak_posters`` and ``late_to_peak_active``: mean of the last 183 days / the peak
  28-day mean (posting members; active members). Model runs last as long as R4DS's record
  (678 days), so "the last six months" is the same stretch of a community's life.
- ``daily_messages_p99_over_median``: heavy tail of daily messages, 99th percentile /
  median over days with at least one message.
- ``top10_days_message_share``: share of all messages posted on the busiest 10% of days.
- ``peak_members`` (not comparable: a headcount of 3,029 vs a cap of 500; shown for scale).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.ensemble import ok_runs, run_ensemble
from analysis.stats import rolling_mean

DATA_FILE = "r4ds_slack_daily.csv"
ENV_VAR = "COMMUNITY_DATA_DIR"
SOURCE = ("R4DS Online Learning Community Slack daily statistics, 2017-08-27..2019-07-05; tidytuesday "
          "project, week of 2019-07-16 (GitHub rfordatascience/tidytuesday, "
          "data/2019/2019-07-16/r4ds_members.csv, commit 9ecfe8b8aaf330d133e07df001b0029d43a5610c; MIT licence).")
#: Scenarios compared by default: the well-run group (R4DS is a well-run learning community)
#: and the default, what happens to most groups.
SCENARIOS = ("healthy_learning_group", "typical_group")
BASE_SEED = 1000
BURN_IN_DAYS = 30
LATE_DAYS = 183
PEAK_WINDOW = 28
MESSAGE_COLUMNS = ("messages_in_public_channels", "messages_in_private_channels",
                   "messages_in_shared_channels", "messages_in_d_ms")
#: Model/real ratio within which a statistic is called "close".
CLOSE_FACTOR = 1.5


class DataMissing(FileNotFoundError):
    pass


def data_dir() -> Path:
    """``$COMMUNITY_DATA_DIR`` or the repository's own ``data/`` folder."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data"


def load_r4ds(path: Path | None = None) -> pd.DataFrame:
    """Read and check the R4DS file; add the derived columns. Raises DataMissing / ValueError."""
    path = Path(path) if path is not None else data_dir() / DATA_FILE
    if not path.is_file():
        raise DataMissing(f"R4DS data not found at {path}. The repository's data/{DATA_FILE} holds it; "
                          f"unset {ENV_VAR} or point it at a folder that holds {DATA_FILE}.")
    df = pd.read_csv(path, parse_dates=["date"])
    need = {"date", "total_membership", "daily_active_members", "daily_members_posting_messages",
            "weekly_active_members", "weekly_members_posting_messages", *MESSAGE_COLUMNS}
    missing = need - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    if df[list(need - {"date"})].isna().any().any():
        raise ValueError(f"{path}: missing values")
    df = df.sort_values("date").reset_index(drop=True)
    gaps = df["date"].diff().dropna() != pd.Timedelta(days=1)
    if gaps.any():
        raise ValueError(f"{path}: dates are not consecutive days (first gap after {df['date'][gaps.idxmax() - 1]:%Y-%m-%d})")
    if (df["daily_members_posting_messages"] > df["daily_active_members"]).any() or \
            (df["weekly_members_posting_messages"] > df["weekly_active_members"]).any():
        raise ValueError(f"{path}: more posting than active members on some day")
    df["messages"] = df[list(MESSAGE_COLUMNS)].sum(axis=1)
    df["weekly_posting_share"] = df["weekly_members_posting_messages"] / df["total_membership"]
    df["weekly_posting_share_of_active"] = _div(df["weekly_members_posting_messages"], df["weekly_active_members"])
    df["daily_active_share"] = df["daily_active_members"] / df["total_membership"]
    df["daily_posting_share_of_active"] = _div(df["daily_members_posting_messages"], df["daily_active_members"])
    df["messages_per_poster"] = _div(df["messages"], df["daily_members_posting_messages"])
    return df


def _div(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a / b.where(b > 0)).astype(float)


# ----------------------------------------------------------------------------------------
# statistics: one function for both sides, on a common daily frame
# ----------------------------------------------------------------------------------------

#: Columns of the common daily frame.
COMMON = ("members", "daily_active", "posters", "messages", "weekly_posting_share",
          "weekly_posting_share_of_active", "daily_active_share", "daily_posting_share_of_active",
          "messages_per_poster")


def real_frame(df: pd.DataFrame) -> pd.DataFrame:
    """R4DS's checked rows (load_r4ds) in the common frame, indexed by date."""
    out = pd.DataFrame({"members": df["total_membership"], "daily_active": df["daily_active_members"],
                        "posters": df["daily_members_posting_messages"], "messages": df["messages"]})
    for c in COMMON[4:]:
        out[c] = df[c]
    out.index = df["date"]
    return out


def model_frame(rows: list[dict[str, Any]] | dict[str, list], length: int | None = None) -> pd.DataFrame:
    """The model's daily rows (sim/observe.py; a list of dicts or a dict of columns) in the
    common frame, padded to ``length`` days.

    A run stops when its group dies: the days after count as silent (no one active or
    posting; shares undefined), so every run covers the same span as R4DS.
    """
    r = pd.DataFrame(rows)
    msgs = r["msgs_valuable"] + r["msgs_chat"] + r["msgs_content"] + r["ads_posted"]
    alive = r["phase"] != "dead"
    out = pd.DataFrame({"members": r["members"], "daily_active": r["daily_active"], "posters": r["speakers"],
                        "messages": msgs})
    out["weekly_posting_share"] = r["weekly_speaking_rate"].where(alive)
    if "weekly_active" in r:  # people who spoke in 7 days / people who opened the group in 7 days
        people = r["members"] - r["members_spammer"] - r["members_founder"]
        out["weekly_posting_share_of_active"] = _div(r["weekly_speaking_rate"] * people, r["weekly_active"]).where(alive)
    else:  # rows from before visiting (everyone read daily): the same series
        out["weekly_posting_share_of_active"] = out["weekly_posting_share"]
    out["daily_active_share"] = _div(r["daily_active"], r["members"]).where(alive)
    out["daily_posting_share_of_active"] = _div(r["speakers"], r["daily_active"]).where(alive)
    out["messages_per_poster"] = _div(msgs, r["speakers"]).where(alive)
    out.index = r["day"]
    if length is not None and len(out) < length:
        out = out.reindex(range(int(out.index[0]), int(out.index[0]) + length))
        out["members"] = out["members"].ffill()
        out[["daily_active", "posters", "messages"]] = out[["daily_active", "posters", "messages"]].fillna(0)
    return out


def late_to_peak(x: pd.Series, late_days: int = LATE_DAYS, window: int = PEAK_WINDOW) -> float:
    """Mean of the last ``late_days`` / the highest full ``window``-day mean (NaN when undefined;
    days without a value, gaps in a data set, are skipped)."""
    full_windows = [v for v in rolling_mean(x, window)[window - 1:] if math.isfinite(v)]
    peak = max(full_windows) if full_windows else float("nan")
    return float(x.iloc[-late_days:].mean() / peak) if peak and peak > 0 else float("nan")


def stats(frame: pd.DataFrame) -> dict[str, float]:
    """The stylized statistics of one community's daily frame (see module docstring)."""
    f = frame.iloc[BURN_IN_DAYS:]
    msgs = f["messages"][f["messages"] > 0].to_numpy(dtype=float)
    if msgs.size:
        srt = np.sort(msgs)[::-1]
        top = srt[:max(1, math.ceil(0.1 * srt.size))].sum() / srt.sum()
        tail = float(np.percentile(msgs, 99) / np.median(msgs))
    else:
        top = tail = float("nan")
    return {
        "weekly_posting_share": float(f["weekly_posting_share"].median()),
        "weekly_posting_share_of_active": float(f["weekly_posting_share_of_active"].median()),
        "daily_active_share": float(f["daily_active_share"].median()),
        "daily_posting_share_of_active": float(f["daily_posting_share_of_active"].median()),
        "messages_per_poster": float(f["messages_per_poster"].median()),
        "late_to_peak_posters": late_to_peak(frame["posters"].astype(float)),
        "late_to_peak_active": late_to_peak(frame["daily_active"].astype(float)),
        "daily_messages_p99_over_median": tail,
        "top10_days_message_share": float(top),
        "peak_members": float(frame["members"].max()),
    }


#: The shape statistics a fit matches (analysis/calibration): scale-free (shares and ratios)
#: and length-relative (days as a share of the series), so a 3,000-member record and a
#: 400-member simulation of the same length are comparable. Computed by :func:`shape_stats`.
SHAPE_KEYS = ("half_members_day", "peak_active_day", "final_to_peak_members", "posters_decay",
              "weekly_posters_of_active", "daily_posters_of_active", "daily_active_share",
              "messages_per_poster", "messages_cv", "late_to_peak_posters", "late_to_peak_active")


def _nanmedian(x: pd.Series) -> float:
    """Median over the days with a value; 0 when a column exists but no day has one (a dead
    group: nobody active, so no share of them posts)."""
    x = x.dropna()
    return float(x.median()) if len(x) else 0.0


def shape_stats(frame: pd.DataFrame, burn_in_share: float = 0.05, late_share: float = 0.25) -> dict[str, float]:
    """The launch–peak–decline shape of one community's common daily frame (``real_frame``,
    ``model_frame`` or a data set read by analysis/calibration/data.py): the one function both
    sides of a fit go through. Rows may be NaN (gaps in the data; the same days are blanked on
    the model side). A statistic whose column is absent (no weekly counts) is NaN: unavailable.

    - ``half_members_day``: first day members reach half their peak / series length (launch speed)
    - ``peak_active_day``: day of the highest smoothed daily active / length
    - ``final_to_peak_members``: mean members over the last smoothing window / peak members
    - ``posters_decay``: slope of log(1 + smoothed posters) after their peak, in e-folds per
      series length (negative = decline; 0 when the peak is in the last window)
    - ``weekly_posters_of_active``, ``daily_posters_of_active``, ``daily_active_share``,
      ``messages_per_poster``: medians over days after the burn-in (as :func:`stats`)
    - ``messages_cv``: coefficient of variation of daily messages (burstiness)
    - ``late_to_peak_posters`` / ``late_to_peak_active``: mean of the last ``late_share`` of
      days / the peak smoothed mean

    The smoothing window is a 24th of the length (28 days on two years), at least 7 days.
    """
    n = len(frame)
    window = max(7, round(n / 24))
    late = max(window, round(late_share * n))
    f = frame.iloc[round(burn_in_share * n):]

    def col(name: str) -> pd.Series:
        return frame[name].astype(float) if name in frame else pd.Series(np.nan, index=frame.index)

    members, active, posters = col("members"), col("daily_active"), col("posters")
    peak_m = members.max()
    half = (int(np.argmax((members >= peak_m / 2).to_numpy())) / n) if peak_m > 0 else 1.0
    smooth_a = pd.Series(rolling_mean(active, window))
    smooth_p = np.log1p(np.nan_to_num(np.asarray(rolling_mean(posters, window), dtype=float)))
    top = int(np.nanargmax(smooth_p)) if np.isfinite(smooth_p).any() else n - 1
    after = smooth_p[top:]
    decay = float(np.polyfit(np.arange(len(after)) / n, after, 1)[0]) if len(after) > window else 0.0
    msgs = f["messages"].astype(float).dropna()
    cv = float(msgs.std() / msgs.mean()) if len(msgs) > 1 and msgs.mean() > 0 else 0.0
    weekly = _nanmedian(f["weekly_posting_share_of_active"]) if "weekly_posting_share_of_active" in f \
        else float("nan")
    return {
        "half_members_day": half,
        "peak_active_day": float(np.nanargmax(smooth_a.to_numpy()) / n) if smooth_a.notna().any() else 1.0,
        "final_to_peak_members": float(members.iloc[-window:].mean() / peak_m) if peak_m > 0 else 0.0,
        "posters_decay": decay,
        "weekly_posters_of_active": weekly,
        "daily_posters_of_active": _nanmedian(f["daily_posting_share_of_active"]),
        "daily_active_share": _nanmedian(f["daily_active_share"]),
        "messages_per_poster": _nanmedian(f["messages_per_poster"]),
        "messages_cv": cv,
        "late_to_peak_posters": _zero_if_nan(late_to_peak(posters, late, window)),
        "late_to_peak_active": _zero_if_nan(late_to_peak(active, late, window)),
    }


def _zero_if_nan(v: float) -> float:
    """A ratio to a peak of zero (nobody ever posted) is read as 'nothing left': 0."""
    return v if math.isfinite(v) else 0.0


def real_spread(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Interquartile range over days of the daily-median statistics (R4DS is one trajectory)."""
    f = frame.iloc[BURN_IN_DAYS:]
    return {k: (float(f[k].quantile(0.25)), float(f[k].quantile(0.75))) for k in COMMON[4:]}


@dataclass(frozen=True)
class Stat:
    key: str
    title: str
    real_def: str
    model_def: str
    comparable: str  # "yes", "partly", "no"
    caveat: str
    pct: bool = True


STATS = (
    Stat("weekly_posting_share", "Weekly posting share of members",
         "weekly posters / total_membership", "weekly_speaking_rate (people who spoke in 7 days / people)", "partly",
         "Slack keeps every account that ever joined (total_membership only grows), so R4DS's denominator "
         "includes thousands of dormant accounts; in the model silent members mute, leave or are purged."),
    Stat("weekly_posting_share_of_active", "Weekly posters among weekly active",
         "weekly posters / weekly active members", "people who spoke in 7 days / weekly_active (opened it in 7 days)",
         "yes", "Removes the dormant-account problem: both sides count those who showed up in the week."),
    Stat("daily_active_share", "Daily active share of members",
         "daily active / total_membership", "daily_active / members (members who opened the group)", "partly",
         "Slack 'active' = opened the workspace that day; the model's members open the group by habit and "
         "engagement (processes/visiting.py). Slack keeps dormant accounts a WeChat group would lose."),
    Stat("daily_posting_share_of_active", "Share of the day's active members who post",
         "daily posters / daily active", "speakers / daily_active", "yes",
         "The cleanest comparison: both are 'of those who showed up today, how many spoke'."),
    Stat("messages_per_poster", "Messages per posting member per day",
         "(public + private + DM messages) / daily posters", "(valuable + chat + content + ads) / speakers", "partly",
         "R4DS counts DMs and messages across 10–27 channels; a WeChat group is one channel and has no DMs in it.",
         pct=False),
    Stat("late_to_peak_posters", "Late (last 6 months) / peak posting members",
         "mean daily posters, last 183 days / peak 28-day mean", "same on speakers, 678-day runs", "yes",
         "Same horizon on both sides (the model runs as many days as R4DS's record). Dead model groups count as 0."),
    Stat("late_to_peak_active", "Late (last 6 months) / peak daily active",
         "mean daily active, last 183 days / peak 28-day mean", "same on daily_active, 678-day runs", "partly",
         "R4DS kept recruiting (headcount 430 → 3,029) while the model's group is capped at 500; its daily active "
         "≈ members, so this is mostly a membership ratio in the model."),
    Stat("daily_messages_p99_over_median", "Heavy tail of daily messages (p99 / median)",
         "over days with ≥ 1 message", "same", "partly",
         "R4DS's spikes come from events across channels (book-club cohorts, an influx in Dec 2017–Jan 2018).",
         pct=False),
    Stat("top10_days_message_share", "Share of messages on the busiest 10% of days",
         "over days with ≥ 1 message", "same", "partly", "Same caveat as the tail ratio."),
    Stat("peak_members", "Peak membership", "max total_membership", "max members", "no",
         "A Slack workspace headcount (3,029, accounts never leave) vs one WeChat group capped at 500: scale only.",
         pct=False),
)


def verdict(stat: Stat, real: float, model_med: float) -> str:
    """Plain-language verdict: close / off by a factor X / not comparable."""
    if stat.comparable == "no":
        return "not comparable (scale only)"
    lead = "" if stat.comparable == "yes" else "partly comparable: "
    if math.isfinite(real) and real > 0 and model_med == 0:
        return f"{lead}far lower (model median 0: most runs are silent or dead by then)"
    if not (math.isfinite(real) and math.isfinite(model_med)) or real <= 0 or model_med <= 0:
        return "cannot say (zero or undefined on one side)"
    ratio = model_med / real
    if 1 / CLOSE_FACTOR <= ratio <= CLOSE_FACTOR:
        return f"{lead}close (model/real = {ratio:.2f})"
    word = "higher" if ratio > 1 else "lower"
    return f"{lead}off by a factor {max(ratio, 1 / ratio):.1f} (model {word})"


def fmt(v: float, pct: bool) -> str:
    """A statistic's value as the report and the command line print it ("–" when undefined)."""
    if not math.isfinite(v):
        return "–"
    if pct:
        return f"{v:.1%}"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


# ----------------------------------------------------------------------------------------
# the model ensemble (analysis.ensemble.run_ensemble)
# ----------------------------------------------------------------------------------------

#: The daily series a run hands back (all model_frame needs).
MODEL_KEYS = ("day", "phase", "members", "daily_active", "speakers", "weekly_speaking_rate",
              "msgs_valuable", "msgs_chat", "msgs_content", "ads_posted", "weekly_active", "members_spammer",
              "members_founder")
#: The ensemble-table column that holds them.
DAILY_COLUMN = "r4ds_daily"


def daily_series(result) -> dict[str, dict[str, list]]:
    """``measure`` for run_ensemble: the run's daily MODEL_KEYS as columns (runs in the worker)."""
    return {DAILY_COLUMN: {k: [r[k] for r in result.rows] for k in MODEL_KEYS}}


def model_jobs(scenarios: Iterable[str] = SCENARIOS, seeds: int = 20, days: int = 677,
               base_seed: int = BASE_SEED, overrides: Iterable[str] = ()) -> list[tuple[str, ...]]:
    """The override sets, scenario by scenario, seeds ``base_seed..base_seed+seeds-1``."""
    return [(f"scenario={s}", f"seed={base_seed + i}", f"days={days}", *overrides)
            for s in scenarios for i in range(seeds)]


def model_frames(scenarios: Iterable[str] = SCENARIOS, seeds: int = 20, days: int = 677,
                 base_seed: int = BASE_SEED, workers: int | None = None,
                 overrides: Iterable[str] = ()) -> dict[str, list[pd.DataFrame]]:
    """Scenario → one common daily frame per seed (default calibration, plus ``overrides``).

    A run records days 0..``days``: ``days=677`` gives R4DS's 678 rows. A failed run raises.
    """
    scenarios = list(scenarios)
    table = ok_runs(run_ensemble(model_jobs(scenarios, seeds, days, base_seed, tuple(overrides)), workers=workers,
                                 measure=daily_series))
    out: dict[str, list[pd.DataFrame]] = {s: [] for s in scenarios}
    for scen, daily in zip(table["scenario"], table[DAILY_COLUMN]):
        out[scen].append(model_frame(daily, days + 1))
    return out


#: Issue 12's targets for a well-run group (``TARGET_SCENARIO``) against R4DS: statistic →
#: (rule, bound). ``within``: within ×bound of R4DS's value either way; ``at_most`` /
#: ``at_least``: an absolute bound on the model's median over seeds.
TARGET_SCENARIO = "healthy_learning_group"
TARGETS: dict[str, tuple[str, float]] = {
    "weekly_posting_share_of_active": ("within", CLOSE_FACTOR),
    "daily_posting_share_of_active": ("within", CLOSE_FACTOR),
    "daily_active_share": ("at_most", 0.5),
    "daily_messages_p99_over_median": ("at_least", 4.0),
}


def target_distances(model: dict[str, float], real: dict[str, float]) -> dict[str, float]:
    """Each target's normalised distance (0 = met): for ``within``, how far beyond ×bound the
    ratio lies, in units of log(bound) (×3 with bound 1.5 is 1.71); for a bound, the shortfall
    relative to it. A statistic the model leaves undefined (a dead group) counts 1."""
    out = {}
    for key, (rule, bound) in TARGETS.items():
        v = model.get(key, float("nan"))
        if not math.isfinite(v) or (rule == "within" and v <= 0):
            out[key] = 1.0
        elif rule == "within":
            out[key] = max(0.0, abs(math.log(v / real[key])) / math.log(bound) - 1.0)
        elif rule == "at_most":
            out[key] = max(0.0, v - bound) / bound
        else:
            out[key] = max(0.0, bound - v) / bound
    return out


def summarise(per_run: list[dict[str, float]]) -> dict[str, tuple[float, float, float]]:
    """Statistic → (median, 5th, 95th percentile) across seeds (NaN runs ignored)."""
    out = {}
    for k in per_run[0]:
        xs = np.array([r[k] for r in per_run], dtype=float)
        xs = xs[np.isfinite(xs)]
        out[k] = (float(np.median(xs)), float(np.percentile(xs, 5)), float(np.percentile(xs, 95))) if xs.size \
            else (float("nan"),) * 3
    return out


def still_alive(frame: pd.DataFrame, days: int = PEAK_WINDOW) -> bool:
    """Someone posted in the last ``days`` days of the record."""
    return bool(frame["posters"].iloc[-days:].sum() > 0)


@dataclass
class Comparison:
    real: dict[str, float]
    real_iqr: dict[str, tuple[float, float]]
    model: dict[str, dict[str, tuple[float, float, float]]]  # scenario → stat → (med, p5, p95)
    real_frame: pd.DataFrame
    model_frames: dict[str, list[pd.DataFrame]]
    seeds: int
    alive_share: dict[str, float]  # scenario → share of runs with someone posting in the last 28 days


def compare(seeds: int = 20, scenarios: Iterable[str] = SCENARIOS, data: pd.DataFrame | None = None,
            workers: int | None = None) -> Comparison:
    """R4DS (``data`` or load_r4ds()) against ``seeds`` runs per scenario over the same span."""
    df = data if data is not None else load_r4ds()
    rf = real_frame(df)
    frames = model_frames(scenarios, seeds=seeds, days=len(df) - 1, workers=workers)
    model = {s: summarise([stats(f) for f in fs]) for s, fs in frames.items()}
    alive = {s: float(np.mean([still_alive(f) for f in fs])) for s, fs in frames.items()}
    return Comparison(stats(rf), real_spread(rf), model, rf, frames, seeds, alive)


def text_table(c: Comparison) -> str:
    """The comparison as plain-text lines: statistic, R4DS, model median [5–95%] per scenario."""
    scen = list(c.model)
    lines = [f"{'statistic':34s} {'R4DS':>9s} " + " ".join(f"{s[:24]:>26s}" for s in scen)]
    for s in STATS:
        line = f"{s.key:34s} {fmt(c.real[s.key], s.pct):>9s} "
        for sc in scen:
            med, lo, hi = c.model[sc][s.key]
            line += f"{fmt(med, s.pct) + ' [' + fmt(lo, s.pct) + '-' + fmt(hi, s.pct) + ']':>26s} "
        lines.append(line)
    lines.append("still active at the end (posts in the last 28 days): R4DS yes; "
                 + ", ".join(f"{s} {v:.0%} of runs" for s, v in c.alive_share.items()))
    return "\n".join(lines)
