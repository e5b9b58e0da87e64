"""Costs and trade-offs: founder hours, money out and money in, counted from what happened."""

from __future__ import annotations

import pytest

from sim import simulate
from sim.params import AdPolicy, SeedStrategy
from tests.conftest import make_params
from tests.test_mechanisms import SPAMMY


def _sum(result, column):
    return sum(row[column] for row in result.rows)


def test_a_ban_with_a_moderation_team_costs_more_than_no_moderation():
    team = simulate(make_params(days=60, seed=1, ads={"policy": AdPolicy.ban},
                                moderation={"capacity_per_day": 10.0, "kol_admins": True}, **SPAMMY))
    none = simulate(make_params(days=60, seed=1, ads={"policy": AdPolicy.ban},
                                moderation={"capacity_per_day": 0.0, "kol_admins": False}, **SPAMMY))
    assert none.outcomes["costs_total"] == 0
    assert team.outcomes["costs_total"] == pytest.approx(100.0 * 60)  # moderation_team_per_day, every day alive
    # Removing ads is founder work too: the moderating founder puts in more hours.
    assert _sum(team, "founder_hours") > _sum(none, "founder_hours")


def test_paid_promotion_costs_per_member_bought():
    r = simulate(make_params(days=40, seed=3, arrivals={"promotion_per_day": 3.0}, costs={"cost_per_promoted_member": 7.0}))
    promoted = _sum(r, "joins_promotion")
    assert promoted > 20
    assert r.outcomes["costs_total"] == pytest.approx(7.0 * promoted)
    bought = simulate(make_params(days=10, seed=3, seeding={"strategy": SeedStrategy.paid_ads, "seed_users": 40}))
    assert bought.rows[0]["cost"] == pytest.approx(10.0 * 40)  # the bought seed cohort, on day 0


def test_ad_slot_income_only_under_a_quota():
    runs = {policy: simulate(make_params(days=60, seed=2, ads={"policy": policy, "quota_per_day": 2},
                                         moderation={"capacity_per_day": 50.0}, **SPAMMY))
            for policy in (AdPolicy.free, AdPolicy.quota, AdPolicy.ban)}
    assert runs[AdPolicy.free].outcomes["income_total"] == 0 == runs[AdPolicy.ban].outcomes["income_total"]
    quota = runs[AdPolicy.quota]
    slots = sum(min(row["ads_posted"], 2) for row in quota.rows)
    assert slots > 50 and quota.outcomes["income_total"] == pytest.approx(10.0 * slots)


def test_net_revenue_is_income_minus_costs_and_revenue_is_unchanged():
    r = simulate(make_params(days=120, seed=5, monetisation={"enabled": True}, moderation={"kol_admins": True},
                             roles={"kol_incentive": 0.5}, arrivals={"promotion_per_day": 1.0}))
    o = r.outcomes
    assert o["revenue"] > 0 and o["income_total"] >= o["revenue"]
    assert o["revenue"] == pytest.approx(_sum(r, "revenue"))  # fees + VIP, as before
    assert o["income_total"] == pytest.approx(_sum(r, "income"))
    assert o["costs_total"] == pytest.approx(_sum(r, "cost")) and o["costs_total"] > 0
    assert o["net_revenue"] == pytest.approx(o["income_total"] - o["costs_total"])


def test_founder_hours_count_the_content_work():
    daily = simulate(make_params(days=28, cadence={"posts_per_week": 7, "weekly_session": True}))
    none = simulate(make_params(days=28, cadence={"posts_per_week": 0, "weekly_session": False}))
    # 28 tips at 0.5 h and 4 sessions at 2 h, on top of greetings and moderation.
    assert _sum(daily, "founder_hours") - _sum(none, "founder_hours") == pytest.approx(28 * 0.5 + 4 * 2.0, abs=3.0)
    o = daily.outcomes
    assert o["founder_hours_total"] == pytest.approx(_sum(daily, "founder_hours"))
    assert o["founder_hours_per_day"] == pytest.approx(sum(r["founder_hours"] for r in daily.rows[1:]) / 28)
