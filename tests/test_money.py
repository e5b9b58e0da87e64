"""Money and founder time in one vocabulary (analysis/money.py): the console, metrics.json, the
run report and the sweep report name income by source, costs and net the same way, say what an
option costs in words, state the ad-slot price wherever ad slots are income, and never call a
strategy that earns by being an ad group efficient."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.compare import label_strategies
from analysis.recommend import recommend
from analysis.registry import OUTCOME_BY_KEY
from dashboards.sweep_report import build_report
from tests.test_cli_errors import run_main

KEY = "strategy/ad_policy"


def test_console_and_metrics_say_the_same_money(tmp_path: Path) -> None:
    """A 10-a-day quota sells ad slots: the console must not say 'revenue ¥0' while metrics.json nets money."""
    out = tmp_path / "out"
    proc = run_main("strategy/ad_policy=quota", "ads.quota_per_day=10", "days=90", "report=false",
                    f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    m = json.loads((out / "metrics.json").read_text())
    assert m["income_ad_slots"] == m["income_total"] - m["revenue"] > 0
    money = next(line for line in proc.stdout.splitlines() if line.strip().startswith("money:"))
    assert f"income ¥{m['income_total']:,.0f}" in money and f"net ¥{m['net_revenue']:,.0f}" in money
    assert f"ad slots ¥{m['income_ad_slots']:,.0f} at an assumed ¥10 a slot" in money
    assert "revenue ¥" not in proc.stdout
    time = next(line for line in proc.stdout.splitlines() if line.strip().startswith("time:"))
    assert f"{m['founder_hours_per_day'] * 7:.1f} h a week" in time and f"{m['founder_hours_total']:,.0f} h in all" in time


def _table(tmp_path: Path) -> pd.DataFrame:
    """A quota that lives short as an ad group and sells ad slots, against a ban: the quota nets
    more money and costs fewer hours, so a plain Pareto front would star it alone."""
    job = tmp_path / "job0"
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "config.yaml").write_text(yaml.safe_dump({"days": 365, "costs": {"ad_slot_price": 10.0}}))
    (job / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump({"hydra": {"runtime": {"choices": {}}}}))
    rows = []
    for policy, life, ads, hours in (("quota", 17, 15000.0, 0.3), ("ban", 365, 0.0, 0.5)):
        for seed in range(6):
            rows.append({"job": len(rows), "status": "ok", "error": None, "overrides": f"{KEY}={policy} seed={seed}",
                         KEY: policy, "seed": seed, "job_dir": str(job), "lifespan_days": life + seed,
                         "censored": life >= 365, "became_ad_group": policy == "quota", "revenue": 0.0,
                         "income_total": ads, "costs_total": 0.0, "net_revenue": ads,
                         "founder_hours_per_day": hours, "founder_hours_total": hours * (life + seed)})
    return pd.DataFrame(rows)


def test_an_ad_group_earner_is_never_efficient(tmp_path: Path) -> None:
    t = _table(tmp_path)
    t = t.assign(strategy=label_strategies(t, [KEY]))
    money = recommend(t, OUTCOME_BY_KEY["lifespan_days"], [KEY]).tradeoffs[0]
    assert money.x.key == "net_revenue"
    assert money.ad_groups == ["Ad policy: daily quota"]
    assert money.efficient == ["Ad policy: ban"]  # not beaten by an ad market's money


def test_the_sweep_answer_says_what_each_option_costs(tmp_path: Path) -> None:
    page = build_report(_table(tmp_path), tmp_path).read_text(encoding="utf-8")
    answer = page[page.index("<h2>Answer</h2>"):page.index("class='context'")]
    assert "What each option costs" in answer
    assert re.search(r"<b>daily quota</b>: founder 0\.3 h a day \(2\.1 h a week, \d+ h in all\); income ¥15,000 "
                     r"\(fees and VIP ¥0; ad slots ¥15,000\), costs ¥0, net ¥15,000", answer)
    assert "Ad slots at an assumed ¥10 each (costs.ad_slot_price)" in answer
    context = page[page.index("class='context'"):]
    assert "sold as a flash-market slot for ¥10 (costs.ad_slot_price, an assumption" in context
    assert "that is 100% of daily quota" in context
    assert "daily quota earns as an ad group" in page and "never marked efficient" in page


def test_the_run_report_says_money_and_hours_in_words() -> None:
    from dashboards.report import build_report as run_report
    from sim import simulate
    from tests.conftest import make_params
    from sim.params import AdPolicy

    result = simulate(make_params(days=60, ads={"policy": AdPolicy.quota, "quota_per_day": 10}))
    page = run_report(result)
    o = result.outcomes
    assert f"net ¥{o['net_revenue']:,.0f}" in page and "<b>Founder time:</b> founder" in page
    assert f"{o['founder_hours_per_day'] * 7:.1f} h a week" in page


def test_a_loss_reads_as_one() -> None:
    from analysis.money import money_words, yuan

    assert yuan(-1349.4) == "−¥1,349" and yuan(0.2) == "¥0" and yuan(float("nan")) == "–"
    words = money_words({"revenue": 1746.0, "income_total": 2046.0, "costs_total": 3395.0, "net_revenue": -1349.0})
    assert words == "income ¥2,046 (fees and VIP ¥1,746; ad slots ¥300), costs ¥3,395, net −¥1,349"


def test_income_is_split_by_source_on_both_engines(engine) -> None:
    """Entry fees and VIP payments are separate sources (issue 30): they add up to the run's revenue,
    and the words name each."""
    from analysis.compose import load_params
    from analysis.money import money_words
    from sim import run

    o = run(load_params(["scenario=paid_community", "seed=1", f"engine={engine}", "days=120"])).outcomes
    assert o["income_fees"] > 0 and o["income_vip"] > 0
    assert o["income_fees"] + o["income_vip"] == pytest.approx(o["revenue"])
    words = money_words(o)
    assert f"entry fees ¥{o['income_fees']:,.0f}, VIP ¥{o['income_vip']:,.0f}" in words
