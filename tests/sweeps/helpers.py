"""Helpers for end-to-end sweeps: the real `experiments/run.py -m`, in a temp folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "experiments" / "run.py"


def run_sweep(sweep_dir: Path, *overrides: str, timeout: float = 240, expect_rc: int = 0) -> subprocess.CompletedProcess:
    """`python experiments/run.py -m <overrides> hydra.sweep.dir=<sweep_dir>`, cwd = its parent.

    Fails the test with the sweep's output when the command does not exit with ``expect_rc``:
    0 when every job finishes, 1 when some job failed (the sweep itself still completes).
    """
    cmd = [sys.executable, str(RUN), "-m", *overrides, f"hydra.sweep.dir={sweep_dir}"]
    env = {**os.environ, "CI": "1", "HYDRA_FULL_ERROR": "1", "RAY_USAGE_STATS_ENABLED": "0"}
    proc = subprocess.run(cmd, cwd=sweep_dir.parent, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != expect_rc:
        pytest.fail(f"sweep command failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return proc


def results(sweep_dir: Path) -> pd.DataFrame:
    """The parquet table, checked against the CSV twin."""
    table = pd.read_parquet(sweep_dir / "results.parquet")
    assert len(pd.read_csv(sweep_dir / "results.csv")) == len(table)
    return table.set_index("job")


def assert_dashboard(sweep_dir: Path) -> str:
    """The report exists and is self-contained: plotly.js inline, nothing fetched."""
    page = (sweep_dir / "sweep_report.html").read_text(encoding="utf-8")
    assert "<script src=" not in page.replace("<script src=\"data:", "")
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # the inlined library
    assert "<h2>Answer</h2>" in page and "<h2>Strategies</h2>" in page and "survival" in page.lower()
    return page
