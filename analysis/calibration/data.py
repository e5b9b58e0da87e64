"""Read a community's daily history (an export from Slack, Discord, Telegram, WeChat tools)
into the common daily frame of analysis/r4ds.py, checking it first.

Why strict: a fit on a misread column (a cumulative count read as daily, a text cell read as
NaN) still produces a confident-looking posterior. So every problem stops the fit with one
line naming the column and the row (:class:`DataError`), before anything is simulated or
written.

Columns (standard name ← what the file may call it; ``columns.<standard>=<file column>``
maps any other name, ``a+b`` sums columns):

- time: ``date`` (ISO dates) or ``day`` (day numbers); strictly increasing; missing days are
  allowed (gaps: reported, and blanked on the model side too)
- ``members`` (headcount), ``daily_active`` (opened the group that day), ``posters``
  (posted that day), ``messages`` (messages that day): required. ``members`` may instead be
  built from ``joins`` and ``leaves`` (cumulative sum).
- ``weekly_active``, ``weekly_posters`` (7-day counts): optional; without them the weekly
  statistic is not used.

Counts are people or messages per day: numbers ≥ 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.r4ds import MESSAGE_COLUMNS, _div

REQUIRED = ("members", "daily_active", "posters", "messages")
OPTIONAL = ("weekly_active", "weekly_posters", "joins", "leaves")
#: Names other exports use, tried in order when no mapping is given (R4DS's Slack export first).
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "Date", "day", "Day"),
    "members": ("members", "total_membership", "member_count", "members_total"),
    "daily_active": ("daily_active", "daily_active_members", "active_members", "active"),
    "posters": ("posters", "daily_members_posting_messages", "posting_members", "speakers"),
    "messages": ("messages", "+".join(MESSAGE_COLUMNS), "message_count", "messages_sent"),
    "weekly_active": ("weekly_active", "weekly_active_members"),
    "weekly_posters": ("weekly_posters", "weekly_members_posting_messages"),
    "joins": ("joins", "joined", "new_members"),
    "leaves": ("leaves", "left", "departed_members"),
}
#: Fewest days a fit accepts: the shape statistics need a launch, a peak and a tail.
MIN_DAYS = 60


class DataError(ValueError):
    """The data file cannot be fitted; the message names the file, column and row."""


@dataclass
class Observed:
    """A checked daily series: the common frame (one row per day, gaps as NaN rows)."""

    frame: pd.DataFrame
    source: str
    start: str  # first date or day number, as text
    end: str
    gaps: list[tuple[str, str]] = field(default_factory=list)  # (first, last) missing day of each gap
    has_weekly: bool = False

    @property
    def days(self) -> int:
        return len(self.frame)

    @property
    def missing_days(self) -> int:
        return int(self.frame["members"].isna().sum())

    @property
    def mask(self) -> np.ndarray:
        """True on days without data (the same days are blanked in the model's frames)."""
        return self.frame["members"].isna().to_numpy()

    def head(self, share: float) -> Observed:
        """The first ``share`` of the days (the fit part of an out-of-sample check)."""
        n = int(round(share * self.days))
        return Observed(self.frame.iloc[:n].copy(), self.source, self.start, self.start, self.gaps, self.has_weekly)

    def gap_text(self) -> str:
        if not self.gaps:
            return "no gaps"
        spans = ", ".join(a if a == b else f"{a}..{b}" for a, b in self.gaps[:5])
        more = f" and {len(self.gaps) - 5} more" if len(self.gaps) > 5 else ""
        return f"{self.missing_days} missing days in {len(self.gaps)} gaps ({spans}{more})"


def _resolve(name: str, given: dict[str, str], columns: list[str]) -> str | None:
    """The file column (or ``a+b`` sum) for standard ``name``: the mapping, else an alias."""
    if name in given:
        return given[name]
    for alias in ALIASES.get(name, (name,)):
        if all(part in columns for part in alias.split("+")):
            return alias
    return None


def _numbers(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """A column as non-negative floats, or a DataError naming the first bad row."""
    raw = df[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        raise DataError(f"{path}: column '{column}', row {i + 1} (line {i + 2}): {raw.iloc[i]!r} is not a number")
    blank = values.isna()
    if blank.any():
        i = int(np.argmax(blank.to_numpy()))
        raise DataError(f"{path}: column '{column}', row {i + 1} (line {i + 2}) is empty; leave the whole day "
                        "out instead (a missing day is a gap, which the fit allows)")
    neg = values < 0
    if neg.any():
        i = int(np.argmax(neg.to_numpy()))
        raise DataError(f"{path}: column '{column}', row {i + 1} (line {i + 2}): {values.iloc[i]:g} is negative; "
                        "counts cannot be")
    return values.astype(float)


def _column(df: pd.DataFrame, name: str, spec: str, path: Path) -> pd.Series:
    parts = spec.split("+")
    missing = [p for p in parts if p not in df.columns]
    if missing:
        raise DataError(f"{path}: column '{missing[0]}' (for {name}) not found; the file has: {', '.join(df.columns)}")
    return sum((_numbers(df, p, path) for p in parts), start=pd.Series(0.0, index=df.index))


def read_daily(path: str | Path, columns: dict[str, str] | None = None, min_days: int = MIN_DAYS) -> Observed:
    """Read and check ``path``; raises DataError (one line: file, column, row)."""
    path = Path(path)
    given = {k: str(v) for k, v in (columns or {}).items()}
    unknown = sorted(set(given) - {"date", *REQUIRED, *OPTIONAL})
    if unknown:
        raise DataError(f"columns.{unknown[0]}: unknown; map any of date, {', '.join((*REQUIRED, *OPTIONAL))}")
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        df = pd.read_csv(path, dtype=str, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: not a readable CSV file ({e})") from None
    cols = list(df.columns)
    time_col = _resolve("date", given, cols)
    if time_col is None or time_col not in cols:
        raise DataError(f"{path}: no time column (looked for {given.get('date') or ', '.join(ALIASES['date'])}); "
                        "map it with columns.date=<column> (dates or day numbers)")
    out = {}
    for name in (*REQUIRED, *OPTIONAL):
        spec = _resolve(name, given, cols)
        if spec is not None:
            out[name] = _column(df, name, spec, path)
        elif name == "members" and _resolve("joins", given, cols):
            continue  # built from joins/leaves below
        elif name in REQUIRED:
            looked = ", ".join(ALIASES[name])
            raise DataError(f"{path}: column '{name}' not found (looked for {looked}); map it with "
                            f"columns.{name}=<column>. The file has: {', '.join(cols)}")
    if "members" not in out:
        out["members"] = (out["joins"] - out.get("leaves", 0.0)).cumsum()
    if len(df) < min_days:
        raise DataError(f"{path}: {len(df)} days of data; a fit needs at least {min_days} (a launch, a peak and a tail)")
    index, labels = _time_index(df[time_col], time_col, path)
    frame = pd.DataFrame(out)
    frame.index = index
    full = range(int(index.min()), int(index.max()) + 1)
    frame = frame.reindex(full)
    gaps = _gaps(frame.index.to_numpy(), frame["members"].isna().to_numpy(), labels)
    if len(frame) - frame["members"].isna().sum() < min_days:
        raise DataError(f"{path}: {len(df)} days with data; a fit needs at least {min_days}")
    common = _common(frame)
    has_weekly = "weekly_posting_share_of_active" in common
    common.index = range(len(common))
    return Observed(common, str(path), labels(int(index.min())), labels(int(index.max())), gaps, has_weekly)


def _time_index(col: pd.Series, name: str, path: Path):
    """Day numbers from dates or numbers (strictly increasing), and a function day → label."""
    numeric = pd.to_numeric(col, errors="coerce")
    if numeric.notna().all():
        days = numeric.to_numpy()
        if not np.all(days == np.round(days)):
            i = int(np.argmax(days != np.round(days)))
            raise DataError(f"{path}: column '{name}', row {i + 1} (line {i + 2}): {col.iloc[i]!r} is not a whole day number")
        days = days.astype(int)
        labels = str
    else:
        dates = pd.to_datetime(col, errors="coerce", format="mixed")
        if dates.isna().any():
            i = int(np.argmax(dates.isna().to_numpy()))
            raise DataError(f"{path}: column '{name}', row {i + 1} (line {i + 2}): {col.iloc[i]!r} is not a date")
        origin = dates.iloc[0].normalize()
        days = ((dates.dt.normalize() - origin).dt.days).to_numpy().astype(int)

        def labels(d: int) -> str:
            return f"{origin + pd.Timedelta(days=d):%Y-%m-%d}"
    steps = np.diff(days)
    if (steps <= 0).any():
        i = int(np.argmax(steps <= 0)) + 1
        raise DataError(f"{path}: column '{name}', row {i + 1} (line {i + 2}): {col.iloc[i]} is not after the "
                        f"previous row's {col.iloc[i - 1]} (dates must increase; duplicates and reordering are errors)")
    return pd.Index(days), labels


def _gaps(index: np.ndarray, missing: np.ndarray, labels) -> list[tuple[str, str]]:
    """(first, last) label of each run of missing days."""
    out = []
    i = 0
    while i < len(missing):
        if missing[i]:
            j = i
            while j + 1 < len(missing) and missing[j + 1]:
                j += 1
            out.append((labels(int(index[i])), labels(int(index[j]))))
            i = j + 1
        else:
            i += 1
    return out


def _common(frame: pd.DataFrame) -> pd.DataFrame:
    """The common daily frame (analysis/r4ds.py COMMON) from standard columns."""
    out = pd.DataFrame({"members": frame["members"], "daily_active": frame["daily_active"],
                        "posters": frame["posters"], "messages": frame["messages"]})
    if "weekly_posters" in frame and "weekly_active" in frame:
        out["weekly_posting_share_of_active"] = _div(frame["weekly_posters"], frame["weekly_active"])
    out["daily_active_share"] = _div(frame["daily_active"], frame["members"])
    out["daily_posting_share_of_active"] = _div(frame["posters"], frame["daily_active"])
    out["messages_per_poster"] = _div(frame["messages"], frame["posters"])
    return out
