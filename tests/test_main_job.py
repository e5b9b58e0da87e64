"""The main job end to end, as a user runs it: files, contract, report, clean errors."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTCOME_KEYS = {"lifespan_days", "censored", "peak_members", "peak_daily_active", "reached_self_operation",
                "self_operation_day", "became_ad_group", "ad_group_day", "weekly_speaking_rate", "paid_conversion",
                "revenue", "organic_join_share", "kol_retention", "top20_message_share", "final_phase"}


def run_main(*overrides: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true", "HYDRA_FULL_ERROR": "0"}
    return subprocess.run([sys.executable, str(ROOT / "experiments" / "run.py"), *overrides], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("run")
    out = tmp / "out"
    proc = run_main("scenario=kol_exodus", "seed=7", "strategy/ad_policy=quota", "days=90", f"hydra.run.dir={out}",
                    cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    return proc, out


def test_writes_every_output(finished_run):
    _, out = finished_run
    for name in ("metrics.json", "timeseries.csv", "members.csv", "events.csv", "config.yaml", "report.html",
                 "status.json"):
        assert (out / name).is_file(), name
    assert not list(out.glob(".*.tmp")), "no temp files left behind"


def test_metrics_contract(finished_run):
    _, out = finished_run
    metrics = json.loads((out / "metrics.json").read_text())
    assert OUTCOME_KEYS <= set(metrics)
    assert metrics["scenario"] == "kol_exodus" and metrics["seed"] == 7
    assert json.loads((out / "status.json").read_text())["status"] == "ok"


def test_tables_agree_with_each_other(finished_run):
    _, out = finished_run
    metrics = json.loads((out / "metrics.json").read_text())
    days = list(csv.DictReader((out / "timeseries.csv").open()))
    members = list(csv.DictReader((out / "members.csv").open()))
    assert len(days) == metrics["days_run"] == 91
    assert len(members) == metrics["members_ever"] == sum(int(d["joins"]) for d in days)
    gone = [m for m in members if m["leave_day"]]
    assert len(gone) == sum(int(d["leaves"]) for d in days)
    assert all(m["leave_reason"] for m in gone)
    assert int(days[-1]["members"]) == len(members) - len(gone)


def test_report_is_self_contained_and_tells_the_story(finished_run):
    proc, out = finished_run
    html = (out / "report.html").read_text()
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html), "nothing loaded from the web"
    assert "plotly.js v" in html, "plotly.js is inlined"
    assert "Members by role" in html and "Leaves per day by reason" in html
    assert "kol_exodus" in html
    assert str(out / "report.html") in proc.stdout
    assert "final phase" in proc.stdout


def test_config_saved_resolved(finished_run):
    _, out = finished_run
    text = (out / "config.yaml").read_text()
    assert "name: kol_exodus" in text and "seed: 7" in text and "days: 90" in text


def test_bad_value_exits_with_the_key_and_range(tmp_path):
    proc = run_main("ads.quota_per_day=-1", f"hydra.run.dir={tmp_path / 'x'}", cwd=tmp_path)
    assert proc.returncode != 0
    assert "ads.quota_per_day = -1 is out of range: allowed [0, 1000]" in proc.stderr
    assert not (tmp_path / "x" / "metrics.json").exists()


def test_unknown_key_exits_naming_it(tmp_path):
    proc = run_main("reading.atention_budget=3", f"hydra.run.dir={tmp_path / 'x'}", cwd=tmp_path)
    assert proc.returncode != 0 and "atention_budget" in proc.stderr


def test_rerun_into_a_finished_folder_is_skipped(finished_run, tmp_path):
    _, out = finished_run
    before = (out / "metrics.json").stat().st_mtime_ns
    proc = run_main("scenario=kol_exodus", "seed=7", "strategy/ad_policy=quota", "days=90", f"hydra.run.dir={out}",
                    cwd=tmp_path)
    assert proc.returncode == 0 and "[skip]" in proc.stdout
    assert (out / "metrics.json").stat().st_mtime_ns == before
