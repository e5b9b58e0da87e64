"""Every file a run writes, written atomically (temp file + rename).

File names and columns are a stable contract, read by sweeps and dashboards:

- ``metrics.json``   run outcomes (sim/observe.py ``outcomes``)
- ``timeseries.csv`` one row per day (sim/observe.py ``Observer.record``)
- ``members.csv``    one row per member who ever joined
- ``events.csv``     the story's turning points (day, event)
- ``config.yaml``    the resolved configuration
- ``report.html``    the self-contained interactive report
- ``snapshot.pkl``   the whole group on the last day (or ``snapshot_day``): continue it with
                     ``start.snapshot=<path>`` (sim/snapshot.py); Mesa engine only: a run with
                     ``engine=vector`` has no model object to pickle and writes none

Both engines write the same files with the same columns (``Result.member_rows``, columns
``sim.observe.MEMBER_COLUMNS``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from analysis.files import write_atomic, write_json
from analysis.money import with_money
from sim import Result
from sim.observe import MEMBER_COLUMNS

# Every file write_run may write: a new run into a used folder removes them first, so no
# stale file from an earlier run (another scenario's report) passes for this run's.
RUN_FILES = ("metrics.json", "timeseries.csv", "members.csv", "events.csv", "config.yaml", "report.html",
             "snapshot.pkl")


def _csv(rows: list[dict[str, Any]], columns: list[str] | tuple[str, ...]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def write_run(result: Result, out_dir: Path, config_yaml: str, report_html: str | None,
              snapshot: bytes | None = None) -> None:
    """All of a run's files; metrics.json last, so its presence means the run is complete."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / "config.yaml", config_yaml)
    write_atomic(out_dir / "timeseries.csv", _csv(result.rows, list(result.rows[0])))
    write_atomic(out_dir / "members.csv", _csv(result.member_rows(), MEMBER_COLUMNS))
    write_atomic(out_dir / "events.csv", _csv([{"day": d, "event": e} for d, e in result.events], ("day", "event")))
    if report_html is not None:
        write_atomic(out_dir / "report.html", report_html)
    if snapshot is not None:
        write_atomic(out_dir / "snapshot.pkl", snapshot)
    write_json(out_dir / "metrics.json", with_money(dict(result.outcomes)))
