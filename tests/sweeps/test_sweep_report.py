"""The dashboard's statistics, recommendation and charts, on synthetic result tables with known answers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.compare import label_strategies, natural_order, ranked_strategies
from analysis.recommend import BaseResult, pareto_efficient, recommend
from analysis.registry import OUTCOME_BY_KEY
from analysis.stats import holm, km_median, mean_ci, rmst_ci
from dashboards.sweep_report import answer_sentences, build_report


KEY = "strategy/ad_policy"  # a registered lever: options free < quota < ban


def table(lifespans: dict[str, list[float]], horizon: float = 365, key: str = KEY, **extra: dict) -> pd.DataFrame:
    """One row per run; ``extra`` adds outcome columns: {outcome: {strategy: value}}."""
    rows = []
    for policy, values in lifespans.items():
        for seed, life in enumerate(values):
            row = {
                "job": len(rows), "status": "ok", "error": None, "wall_seconds": 1.0,
                "overrides": f"{key}={policy} seed={seed}", key: policy, "seed": seed,
                "lifespan_days": min(life, horizon), "censored": life >= horizon,
                "revenue": 10.0 * life, "became_ad_group": life < 100,
                "talking_at_6_months": life > 180, "talking_at_12_months": life >= horizon,
            }
            row.update({k: v[policy] for k, v in extra.items()})
            rows.append(row)
    return pd.DataFrame(rows)


def page_of(t: pd.DataFrame, tmp_path: Path, **kw) -> str:
    return build_report(t, tmp_path, **kw).read_text(encoding="utf-8")


def rec_of(t: pd.DataFrame, key: str = KEY, outcome: str = "lifespan_days"):
    t = t.assign(strategy=label_strategies(t, [key]))
    return recommend(t, OUTCOME_BY_KEY[outcome], [key])


def test_holm_matches_hand_computation() -> None:
    # sorted p 0.01, 0.03, 0.04 -> x3, x2, x1 = 0.03, 0.06, 0.04 -> running max 0.03, 0.06, 0.06
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_intervals() -> None:
    m, lo, hi = mean_ci(pd.Series([1.0, 2.0, 3.0]))
    assert (m, lo, hi) == pytest.approx((2.0, 2 - 2.4843, 2 + 2.4843), abs=1e-3)  # t(0.975, 2) * s/sqrt(3)
    share, lo, hi = mean_ci(pd.Series([True, False, False, False]), is_rate=True)
    assert share == 0.25 and 0 < lo < 0.25 < hi < 1  # Wilson stays inside [0, 1]


def test_kaplan_meier_median_respects_censoring() -> None:
    assert km_median([10, 20, 30, 365, 365], [False, False, False, True, True]) == 30
    # most outlive the horizon: no median inside it
    assert km_median([10, 365, 365], [False, True, True]) == math.inf


def test_lifespan_interval_never_leaves_the_horizon() -> None:
    # Mostly alive at the horizon: a t interval of the plain mean would run past day 365.
    life = [365] * 8 + [120, 200]
    value, lo, hi = rmst_ci(life, [x == 365 for x in life], 365)
    assert value == pytest.approx(0.8 * 365 + (120 + 200) / 10) and 0 <= lo <= value <= hi <= 365
    share, lo, hi = mean_ci([0.0, 0.0, 0.1], bounds=(0.0, 1.0))
    assert lo >= 0.0  # a share's interval never goes below 0


def test_clear_winner_is_ranked_first_and_called_significant() -> None:
    rng = np.random.default_rng(3)
    t = table({"free": list(rng.uniform(20, 80, 12)), "ban": list(rng.uniform(250, 400, 12))})
    ranked = ranked_strategies(t.assign(strategy="policy=" + t[KEY]), OUTCOME_BY_KEY["lifespan_days"])
    assert ranked["strategy"].tolist() == ["policy=ban", "policy=free"]
    assert ranked["p_vs_best"].iloc[1] < 0.001


def test_recommendation_names_the_winner_and_its_lead_in_days(tmp_path: Path) -> None:
    # ban: every group lives 300 days; no rule ~98 days; quota interleaved with no rule.
    free = list(range(80, 120, 4))  # mean 98
    quota = list(range(81, 121, 4))  # mean 99: indistinguishable from no rule
    t = table({"ban": [300.0] * 10, "free": free, "quota": quota})
    rec = rec_of(t)
    assert rec.best == "Ad policy: ban" and rec.top == ["Ad policy: ban"]
    assert rec.reference == "Ad policy: no rule"  # the natural first option, not in the top group
    assert rec.effect[0] == pytest.approx(300 - 98) and rec.ratio == pytest.approx(300 / 98)
    assert rec.in_group("like_reference") == ["Ad policy: daily quota"]
    text = " ".join(answer_sentences(rec, [KEY]))
    assert "<b>ban</b> works best" in text and "300 days" in text
    assert "3.1× longer than with <b>no rule</b> (98 days)" in text and "<b>+202 days</b>" in text
    assert "<b>daily quota</b> is hardly better than <b>no rule</b>" in text
    assert "p =" not in text and "p-value" not in text  # tests move to the details section
    page = page_of(t, tmp_path, question="Ads?")
    assert page.index("Ads?") < page.index("works best") < page.index("Context") < page.index("p vs best")


def test_ties_are_called_ties(tmp_path: Path) -> None:
    same = [30.0, 60, 90, 120, 150, 200, 365, 365]
    rec = rec_of(table({"free": same, "quota": same, "ban": same}))
    assert rec.tie and rec.reference is None and len(rec.top) == 3
    text = " ".join(answer_sentences(rec, [KEY]))
    assert "A tie — no clear winner" in text and "works best" not in text
    # two tied at the top, one clearly worse: the tie is named, the worse one is the reference
    rng = np.random.default_rng(1)
    good = list(rng.uniform(250, 330, 12))
    rec = rec_of(table({"free": list(rng.uniform(20, 60, 12)), "quota": good, "ban": good[::-1]}))
    assert set(rec.top) == {"Ad policy: daily quota", "Ad policy: ban"} and not rec.tie
    assert "a tie at the top" in " ".join(answer_sentences(rec, [KEY]))


def test_strategies_in_natural_order_with_human_labels(tmp_path: Path) -> None:
    life = {"paid": [300.0] * 4, "open": [50.0] * 4, "application": [200.0] * 4, "invite": [100.0] * 4}
    t = table(life, key="strategy/entry")
    labelled = t.assign(strategy=label_strategies(t, ["strategy/entry"]))
    assert natural_order(labelled, ["strategy/entry"]) == [
        "Entry threshold: open", "Entry threshold: invite", "Entry threshold: application", "Entry threshold: paid"]
    page = page_of(t, tmp_path)
    table_part = page[page.index("<h2>Strategies</h2>"):]
    at = [table_part.index(f"Entry threshold: {v}") for v in ("open", "invite", "application", "paid")]
    assert at == sorted(at) and "strategy/entry=" not in page.split("<h2>Jobs")[0]
    arms = table({"ban": [1.0], "quota_1": [1.0], "free": [1.0], "quota_10": [1.0]}, key="experiment/arms/ad_policy")
    arms = arms.assign(strategy=label_strategies(arms, ["experiment/arms/ad_policy"]))
    assert natural_order(arms, ["experiment/arms/ad_policy"]) == [
        "Ad policy: no rule", "Ad policy: quota of 10 ads a day", "Ad policy: quota of 1 ad a day", "Ad policy: ban"]


def test_pareto_marking() -> None:
    pts = {"a": (1.0, 5.0), "b": (2.0, 4.0), "c": (1.0, 3.0), "d": (3.0, 1.0), "e": (2.0, 4.0)}
    assert sorted(pareto_efficient(pts)) == ["a", "b", "d", "e"]  # c is beaten by a and b; equal points both stay
    assert sorted(pareto_efficient(pts, higher_x=False)) == ["a"]  # less x and more y: a beats everyone


def test_tradeoff_chart_only_with_cost_outcomes(tmp_path: Path) -> None:
    life = {"free": [60.0] * 5, "quota": [200.0] * 5, "ban": [300.0] * 5}
    assert "Trade-offs" not in page_of(table(life), tmp_path)
    t = table(life, net_revenue={"free": 900.0, "quota": 500.0, "ban": 0.0},
              founder_hours_per_day={"free": 1.0, "quota": 0.5, "ban": 0.6})
    rec = rec_of(t)
    money, hours = rec.tradeoffs
    assert money.efficient == ["Ad policy: no rule", "Ad policy: daily quota", "Ad policy: ban"]  # each best at a price
    assert hours.efficient == ["Ad policy: daily quota", "Ad policy: ban"]  # no rule: more hours, shorter life
    page = page_of(t, tmp_path)
    assert "<h2>Trade-offs</h2>" in page
    assert "no rule \\u2605 efficient" in page and "daily quota \\u2605 efficient" in page  # plotly's JSON escapes ★


def test_intervals_stay_inside_their_bounds() -> None:
    rng = np.random.default_rng(7)
    t = table({"free": list(rng.choice([20, 60, 90], 9)), "quota": list(rng.choice([20, 60, 200, 365, 400], 9)),
               "ban": list(rng.choice([200, 365, 400], 9))})
    rec = rec_of(t)
    h = rec.horizon
    assert h == 365
    for r in rec.results.values():
        assert 0 <= r.low <= r.value <= r.high <= h
        for s, lo, hi in r.survival.values():
            assert 0 <= lo <= s <= hi <= 1
    assert rec.reference is not None
    assert -h <= rec.effect[1] <= rec.effect[0] <= rec.effect[2] <= h
    shares = rec_of(t, outcome="became_ad_group")
    for r in shares.results.values():
        assert 0 <= r.low <= r.value <= r.high <= 1


def test_robustness_says_whether_the_winner_holds(tmp_path: Path) -> None:
    main = table({"free": [50.0] * 6, "ban": [300.0] * 6})
    flipped = rec_of(table({"free": [300.0] * 6, "ban": [50.0] * 6}))
    same = rec_of(main)
    bases = [BaseResult("a moderation team", ["strategy/moderation=team"], same),
             BaseResult("a paid group", ["scenario=paid_community"], flipped)]
    page = page_of(main, tmp_path, robustness=bases)
    assert "the answer holds with a moderation team" in page
    assert "with a paid group it changes: best there is <b>no rule</b>" in page
    assert "Does the answer hold elsewhere?" in page


def test_only_failures_still_gives_a_page(tmp_path: Path) -> None:
    t = table({"free": [10.0, 20.0]}).assign(status="failed", error="RuntimeError: x", lifespan_days=None)
    page = page_of(t, tmp_path)
    assert "No job finished successfully" in page and "RuntimeError: x" in page


def test_answers_rank_by_and_report_the_share_still_talking() -> None:
    """Alive means talking (issue 32): a sweep can rank on "talking at 12 months", and every answer
    gives the share of groups still talking at 6 and 12 months from the runs' own outcomes."""
    t = table({"free": [50.0] * 10, "quota": [200.0] * 5 + [365.0] * 5, "ban": [365.0] * 10})
    rec = rec_of(t, outcome="talking_at_12_months")
    assert rec.best == "Ad policy: ban" and rec.reference == "Ad policy: no rule"
    assert rec.results["Ad policy: daily quota"].value == pytest.approx(0.5)
    assert rec.results["Ad policy: daily quota"].survival[180][0] == 1.0  # still talking on day 180, all ten
    text = " ".join(answer_sentences(rec_of(t), [KEY]))
    assert "still talking" in text and "at 12 months" in text
