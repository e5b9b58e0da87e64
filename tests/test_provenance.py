"""Pages describe what was actually run (analysis/provenance.py): the starting group from its
file or snapshot, never the scenario's founding story or a preset's example group; the sweep's
own question and arms in words; the settings that differ from the defaults; plain wording."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import yaml

from analysis.provenance import changed_settings, starting_group
from analysis.recommend import BaseResult
from dashboards.sweep_report import build_report
from tests.sweeps.test_sweep_report import rec_of, table

GROUP = """founder: {tenure_days: 300, energy: 0.5}
members:
  - {role: kol, count: 6, tenure_days: 200}
  - {role: lurker, count: 20, tenure_days: [10, 200]}
  - {role: spammer, count: 24, tenure_days: [1, 30]}
"""
STORY = "A founder starts an interest group with friends"  # typical_group's founding story
PRESET_QUESTION = "what if I switch to application review on day 30, 60 or 120 — or never?"


def _sweep(tmp_path: Path, departures: bool) -> tuple[pd.DataFrame, Path]:
    """A switch_entry sweep's table and folder: from a described group with other switch days
    (``departures``), or as the preset ships it."""
    desc = tmp_path / "mygroup.yaml"
    desc.write_text(GROUP)
    sweep = tmp_path / "sweep"
    job = sweep / "0"
    (job / ".hydra").mkdir(parents=True)
    config = {"days": 365, "scenario": {"name": "typical_group", "description": STORY + " ..."},
              "start": {"description": str(desc) if departures else "", "snapshot": ""},
              "timeline": [{"day": 30, "set": {}, "label": "strategy/entry=application"}],
              "costs": {"ad_slot_price": 10.0}, "ads": {"quota_per_day": 10}}
    (job / ".hydra" / "config.yaml").write_text(yaml.safe_dump(config))
    (job / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump({"hydra": {"runtime": {"choices": {}}}}))
    (job / "timeseries.csv").write_text("day,members,members_founder,members_kol,members_active,members_lurker,"
                                        "members_spammer,members_vip\n0,51,1,6,0,20,24,0\n")
    days = "-1,0,30" if departures else "-1,30,60,120"
    task = ["experiment=switch_entry", *([f"start.description={desc}", f"switch_day={days}"] if departures else [])]
    (sweep / "multirun.yaml").write_text(yaml.safe_dump(
        {"hydra": {"overrides": {"task": task}, "runtime": {"choices": {"experiment": "switch_entry"}}}}))
    rows = []
    for day, life in zip([int(d) for d in days.split(",")], (80, 365, 300, 250)):
        for seed in range(6):
            rows.append({"job": len(rows), "status": "ok", "error": None, "overrides": f"switch_day={day} seed={seed}",
                         "switch_day": day, "seed": seed, "job_dir": str(job), "lifespan_days": min(life + seed, 365),
                         "censored": life >= 365, "became_ad_group": False})
    return pd.DataFrame(rows), sweep


def test_a_sweep_of_my_group_asks_my_question_about_my_group(tmp_path: Path) -> None:
    t, sweep = _sweep(tmp_path, departures=True)
    page = build_report(t, sweep, question="My group has 300 members and spam is rising: " + PRESET_QUESTION,
                        assumptions=["the group is the one described in examples/spam_rising_300.yaml: 300 members"]
                        ).read_text(encoding="utf-8")
    h1 = page[page.index("<h1>"):page.index("</h1>")]
    assert "Switch: never, today or on day 30 — which keeps the group described in mygroup.yaml alive longest?" in h1
    assert "this sweep changed <code>start.description=" in page and "asks the sweep's own question" in page
    context = page[page.index("class='context'"):]
    assert ("Starting group:</b> the group described in mygroup.yaml: 51 members (the founder, 6 KOLs, 20 lurkers, "
            "24 spammers) on day 0 (today), the founder 300 days in") in context
    assert STORY not in page, "a described group does not start with the scenario's founding story"
    assert "The preset's notes</b> (written for the preset as shipped; this sweep changed" in context
    assert "ads.quota_per_day = 10 (default" in context  # the assumptions, from the configuration
    answer = page[page.index("<h2>Answer</h2>"):page.index("class='context'")]
    assert "switch_day=" not in answer and "<b>never</b>" in answer and "<b>today</b>" in answer


def test_the_preset_as_shipped_keeps_its_question(tmp_path: Path) -> None:
    t, sweep = _sweep(tmp_path, departures=False)
    page = build_report(t, sweep, question="Q: " + PRESET_QUESTION).read_text(encoding="utf-8")
    assert f"<h1>Q: {PRESET_QUESTION}</h1>" in page and "this sweep changed" not in page
    assert STORY in page  # a group founded from scratch: the scenario's story is its story


def test_a_tie_is_not_followed_by_the_answer_holds(tmp_path: Path) -> None:
    tie = table({"free": [200.0, 210, 220, 230], "ban": [205.0, 215, 225, 235]})
    assert rec_of(tie).tie
    clear = rec_of(table({"free": [50.0] * 6, "ban": [300.0] * 6}))
    page = build_report(tie, tmp_path, robustness=[BaseResult("a paid group", [], clear)]).read_text(encoding="utf-8")
    assert "A tie — no clear winner" in page
    assert "the answer holds" not in page and "with a paid group, <b>ban</b> comes out best" in page


def test_the_run_report_describes_the_described_group_in_plain_words(tmp_path: Path) -> None:
    from dashboards.report import build_report as run_report
    from sim import simulate
    from sim.params import Start
    from tests.conftest import make_params

    desc = tmp_path / "mygroup.yaml"
    desc.write_text(GROUP)
    result = simulate(make_params(days=40, start=Start(description=str(desc)), ads={"quota_per_day": 10}))
    page = run_report(result)
    assert "the group described in mygroup.yaml: 51 members (the founder, 6 KOLs, 20 lurkers, 24 spammers)" in page
    assert result.params.scenario.description[:60] not in page
    assert "ads.quota_per_day = 10 (default" in page
    assert "(seed 001)" not in page and "source article 001" in page and "indicator ③" not in page
    assert "random seed 0" in page
    assert "<h1>the group described in mygroup.yaml <small>the strategy of scenario default" in page
    o = result.outcomes
    after = max(r["daily_active"] for r in result.rows[1:])
    assert f"{after} after the start ({o['peak_daily_active']} with the starting state of day 0)" in page
    names = set(re.findall(r'"name":"([^"]*)"', page))
    assert {"lurkers", "spammers", "KOLs"} <= names
    assert not any("_" in n or n in ("kol", "lurker", "spammer") for n in names), names  # legends: no code names


def test_changed_settings_and_starting_group_read_the_configuration(tmp_path: Path) -> None:
    from analysis.compose import RunConfig

    from sim.params import AdPolicy

    p = RunConfig()
    p.ads.quota_per_day = 7
    assert changed_settings(dataclasses.asdict(p)) == ["ads.quota_per_day = 7 (default 3)"]
    p.ads.policy = AdPolicy.ban
    p.seeding.seed_users += 5  # a section whose name starts like a run setting ("seed")
    p.seed, p.days = 9, 30  # run settings: said elsewhere, not assumptions
    changed = changed_settings(dataclasses.asdict(p))
    assert "ads.policy = ban (default quota)" in changed
    assert any(c.startswith("seeding.seed_users = ") for c in changed)
    assert not any(c.startswith(("seed ", "days ")) for c in changed)
    assert starting_group({"description": "", "snapshot": ""}, []) is None


def test_a_described_groups_day_0_has_the_phase_of_its_age(tmp_path: Path) -> None:
    """An old group starts mature (past its launch) on both engines and is never labelled
    ``launch`` again (the launch window counts the group's age, not the run's day); a week-old
    one starts in launch and stays in it until it is two weeks old."""
    from sim import simulate
    from sim.params import Start
    from sim.vector import simulate_batch
    from tests.conftest import make_params

    old, young = tmp_path / "old.yaml", tmp_path / "young.yaml"
    old.write_text(GROUP)
    young.write_text("founder: {tenure_days: 7}\nmembers:\n  - {role: lurker, count: 20, tenure_days: [1, 7]}\n")
    for path, phase in ((old, "mature"), (young, "launch")):
        p = make_params(days=20, start=Start(description=str(path)))
        for rows in (simulate(p).rows, simulate_batch([p])[0].rows):
            assert rows[0]["phase"] == phase
            later = [r["phase"] for r in rows[1:7]]  # the young one is 8-13 days old then (launch: 14)
            assert ("launch" not in later) if phase == "mature" else all(ph == "launch" for ph in later)


def test_peaks_after_the_start_leave_the_starting_state_out(tmp_path: Path) -> None:
    from analysis.provenance import peaks_after_start

    rows = [{"day": 0, "members": 300, "daily_active": 275}, {"day": 1, "members": 290, "daily_active": 80},
            {"day": 2, "members": 295, "daily_active": 90}]
    desc = tmp_path / "g.yaml"
    desc.write_text(GROUP)
    assert peaks_after_start(rows, {"description": str(desc)}) == {"start_day": 0, "peak_members": 295,
                                                                    "peak_daily_active": 90}
    assert peaks_after_start(rows, {"description": "", "snapshot": ""}) is None  # a new group: its own peaks


def test_only_settings_all_strategies_share_are_listed_as_the_base(tmp_path: Path) -> None:
    """An arm that sets several keys (``+experiment/arms/ad_policy=quota_10``) varies them: they
    are not 'all strategies' assumptions."""
    rows = []
    for arm, quota in (("quota_10", 10), ("quota_1", 1)):
        job = tmp_path / arm
        (job / ".hydra").mkdir(parents=True)
        (job / ".hydra" / "config.yaml").write_text(yaml.safe_dump(
            {"days": 365, "ads": {"quota_per_day": quota}, "founder": {"fade_days": 120}}))
        (job / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump({"hydra": {"runtime": {"choices": {}}}}))
        for seed in range(4):
            rows.append({"job": len(rows), "status": "ok", "error": None, "job_dir": str(job), "seed": seed,
                         "overrides": f"+experiment/arms/ad_policy={arm} seed={seed}",
                         "experiment/arms/ad_policy": arm, "lifespan_days": 100 + 50 * quota + seed,
                         "censored": False, "became_ad_group": True})
    page = build_report(pd.DataFrame(rows), tmp_path).read_text(encoding="utf-8")
    assert "founder.fade_days = 120 (default 0)" in page and "ads.quota_per_day = " not in page
