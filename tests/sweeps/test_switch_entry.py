"""The switch_entry preset end to end: a real Hydra multirun (joblib) from a described group."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.sweeps.helpers import results, run_sweep


@pytest.mark.slow
def test_switch_entry_preset_sweeps_the_switch_day(tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    run_sweep(sweep, "experiment=switch_entry", "seed=range(2)", "days=150", timeout=600)
    table = results(sweep)
    assert len(table) == 8 and (table["status"] == "ok").all()
    assert sorted(set(table["switch_day"])) == [-1, 30, 60, 120]  # never, and the three switch days
    assert (table.groupby("switch_day").size() == 2).all()
    assert {"founder_hours_per_day", "costs_total", "income_total", "net_revenue"} <= set(table.columns)
    assert (table["peak_members"] >= 300).all()  # every arm starts from the described 300-member group
    assert (sweep / "sweep_report.html").stat().st_size > 10_000
    for _, job in table.iterrows():
        events = list(csv.DictReader((Path(job["job_dir"]) / "events.csv").open()))
        switched = [e for e in events if e["event"] == "Strategy change: strategy/entry=application"]
        if job["switch_day"] == -1:
            assert not switched
        else:
            assert [e["day"] for e in switched] == [str(job["switch_day"])]
