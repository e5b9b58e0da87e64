"""Strategy timelines: validated like every parameter, applied on the morning of their day,
a strategy piece switches as a whole, and the change is a turning point of the story."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from analysis.compose import load_params
from sim import simulate
from sim.params import AdPolicy, Change, EntryThreshold, ParamError, validate
from tests.conftest import ROOT, make_params
from tests.test_mechanisms import SPAMMY


@pytest.mark.parametrize(("change", "days", "names"), [
    (Change(50, {"ads.polcy": "ban"}), 100, ["timeline[0]", "ads.polcy", "ads.policy"]),  # unknown key: the allowed ones
    (Change(50, {"ads.quota_per_day": -1}), 100, ["timeline[0]", "ads.quota_per_day", "[0, 1000]"]),
    (Change(50, {"ads.policy": "sometimes"}), 100, ["ads.policy", "free, quota, ban"]),
    (Change(50, {"start.snapshot": "x.pkl"}), 100, ["start.snapshot"]),  # where a group started is history
    (Change(150, {"ads.policy": "ban"}), 100, ["timeline[0].day = 150", "[1, 100]", "-1 (never)"]),
    (Change(0, {"ads.policy": "ban"}), 100, ["timeline[0].day = 0", "[1, 100]"]),
])
def test_a_bad_change_fails_before_the_run_naming_key_and_range(change, days, names):
    p = make_params(days=days)
    p.timeline = [change]
    with pytest.raises(ParamError) as err:
        validate(p)
    for name in names:
        assert name in str(err.value)


def test_changes_are_checked_on_top_of_each_other():
    p = make_params(days=100, ads={"policy": AdPolicy.free})
    p.timeline = [Change(40, {"ads.policy": "quota", "ads.quota_per_day": 0})]  # a quota of zero ads is a ban
    with pytest.raises(ParamError, match="quota_per_day >= 1"):
        validate(p)
    p.timeline = [Change(-1, {"ads.policy": "quota", "ads.quota_per_day": 0})]  # never happens: not checked
    validate(p)


def test_a_ban_from_day_50_takes_effect_on_day_50():
    p = make_params(days=110, ads={"policy": AdPolicy.free}, moderation={"capacity_per_day": 50.0}, **SPAMMY)
    p.timeline = [Change(50, {"ads.policy": "ban"})]
    r = simulate(p)
    rows = {row["day"]: row for row in r.rows}
    assert all(rows[d]["ads_removed"] == 0 for d in range(1, 50)), "nothing removed under the free policy"
    assert sum(rows[d]["msgs_ad"] for d in range(1, 50)) > 50, "ads stayed up before the change"
    assert rows[50]["ads_removed"] > 0, "the ban works from the morning of day 50"
    assert all(rows[d]["msgs_ad"] == 0 for d in range(80, 111)), "no visible ads once moderation caught up"
    assert r.model.p.ads.policy is AdPolicy.ban
    assert (50, "Strategy change: ads.policy = ban") in r.events


def test_a_strategy_piece_switches_as_a_whole():
    p = load_params(["days=30", "timeline=application_review", "switch_day=10"])
    seen = {}
    simulate(p, on_day=lambda m: seen.setdefault(m.day, (m.p.entry.threshold, m.p.entry.fit_cutoff,
                                                          m.p.entry.spammer_pass, m.p.entry.review_noise)))
    assert seen[9] == (EntryThreshold.open, 0.0, 1.0, 0.1)
    assert seen[10] == seen[30] == (EntryThreshold.application, 0.5, 0.05, 0.1)  # every field of application.yaml
    assert p.entry.threshold is EntryThreshold.open, "the configured Params are not changed in place"


def test_a_switch_day_of_minus_one_never_switches():
    p = load_params(["days=30", "timeline=application_review", "switch_day=-1"])
    r = simulate(p)
    assert r.model.p.entry.threshold is EntryThreshold.open
    assert not any("Strategy change" in e for _, e in r.events)


def test_a_piece_that_does_not_exist_is_named():
    with pytest.raises(ParamError, match="strategy/entry = 'lottery': allowed application, invite, open, paid"):
        from analysis.compose import expand_pieces

        expand_pieces({"strategy/entry": "lottery"})


def test_the_change_is_in_events_csv(tmp_path):
    out = tmp_path / "run"
    subprocess.run([sys.executable, str(ROOT / "experiments" / "run.py"), "days=40", "report=false", "snapshot=false",
                    "timeline=application_review", "switch_day=20", f"hydra.run.dir={out}"],
                   cwd=tmp_path, check=True, capture_output=True, env={"CI": "1", "PATH": ""})
    events = list(csv.DictReader((out / "events.csv").open()))
    assert {"day": "20", "event": "Strategy change: strategy/entry=application"} in events
    assert not (out / "snapshot.pkl").exists()
