"""A strategist loads their own group's ties (network.edgelist) through the main job:
every node becomes a member, members.csv names them by their label and says who stayed."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.validation


def test_main_job_with_user_network_writes_who_stayed(tmp_path):
    g = nx.les_miserables_graph()
    g = nx.Graph(g.edges)  # drop weights
    path = tmp_path / "my group.txt"
    path.write_text("# my group's ties\n" + "".join(f"{u.replace(' ', '_')} {v.replace(' ', '_')}\n"
                                                   for u, v in g.edges))
    out = tmp_path / "run"
    b, c = 1.0, 3.0
    cmd = [sys.executable, "experiments/run.py", "network.initial=edgelist", f"network.edgelist='{path}'",
           "churn.mode=cascade", f"churn.cascade_benefit={b}", f"churn.cascade_cost={c}",
           "seeding.recruits_per_day=0", "arrivals.invite_rate=0", "friends.exposure_rate=0", "arrivals.spam_base=0",
           "arrivals.spam_per_100_members=0", "strategy/zombie_purge=off", "days=40", "progress=false",
           f"hydra.run.dir={out}"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = list(csv.DictReader((out / "members.csv").open()))
    labels = {r["label"] for r in rows}
    assert labels == {n.replace(" ", "_") for n in g.nodes}, "every node of the file is a member, by its label"
    stayed = {r["label"] for r in rows if not r["leave_day"]}
    core = {n.replace(" ", "_") for n in nx.k_core(g, math.ceil(c / b)).nodes}
    assert stayed == core
    left = [r for r in rows if r["leave_day"]]
    assert left and all(r["leave_reason"] == "cascade" for r in left)
