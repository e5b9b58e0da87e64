"""Check-in streaks, points, rewards and badges with habituation (sim/rules/checkins.py; issue
34; seed 004 L622–628, seed 002 L169). The ensemble runs the vector engine: 12 groups × 150
days per arm, one batch of a few seconds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import run
from sim.params import Checkins, Engine, Params
from sim.rules import checkins
from tests.conftest import make_params

SEEDS = range(12)


def test_off_by_default_and_fading_when_on() -> None:
    assert not Params().checkins.enabled
    assert checkins.visit_pull(10, Params().checkins) == 0.0 == checkins.checkin_chance(10, Params().checkins)
    c = Checkins(enabled=True, start_day=5, habituation_days=30.0, checkin_share=0.3)
    assert checkins.checkin_chance(4, c) == 0.0  # not started yet
    assert checkins.checkin_chance(5, c) == pytest.approx(0.3)
    assert checkins.checkin_chance(35, c) == pytest.approx(0.3 / math.e)
    badges = Checkins(enabled=True, start_day=5, habituation_days=30.0, badges=True, badge_persistence=3.0)
    assert checkins.freshness(95, badges) == pytest.approx(1 / math.e)


def test_the_mesa_engine_runs_check_ins_and_counts_their_cost() -> None:
    off = run(make_params(days=40, seed=3))
    on = run(make_params(days=40, seed=3, checkins={"enabled": True}))
    week = lambda r: np.mean([row["weekly_speaking_rate"] for row in r.rows[7:30]])  # noqa: E731
    assert week(on) > week(off) + 0.1
    assert on.outcomes["costs_total"] == pytest.approx(10.0 * 40)  # checkin_rewards_per_day, days 1..40
    assert off.outcomes["costs_total"] == 0


@pytest.mark.slow
def test_check_ins_wake_the_group_then_wear_off_and_badges_last_longer() -> None:
    """Measured (2026-12-06): the weekly speaking rate over days 7–30 is 0.292 without, 0.715
    with check-ins, 0.816 with badges too; over days 120–150 0.246, 0.229 and 0.444 — the
    points wore off (habituation), the badges less. Asserted: a large early gain, mostly gone
    by day 120, and badges keeping a clearly larger late gain; the rewards' money."""
    arms = {"off": {}, "points": {"enabled": True}, "badges": {"enabled": True, "badges": True}}
    results = run([make_params(days=150, seed=s, checkins=c, engine=Engine(name="vector"))
                   for c in arms.values() for s in SEEDS])
    n = len(SEEDS)
    runs = {a: results[i * n:(i + 1) * n] for i, a in enumerate(arms)}

    def speaking(arm, start, stop):
        return np.array([np.mean([row["weekly_speaking_rate"] for row in r.rows[start:stop]]) for r in runs[arm]])

    early = {a: speaking(a, 7, 30) - speaking("off", 7, 30) for a in ("points", "badges")}
    late = {a: speaking(a, 120, 151) - speaking("off", 120, 151) for a in ("points", "badges")}
    assert early["points"].mean() > 0.2 and np.all(early["points"] > 0)
    assert late["points"].mean() < early["points"].mean() / 3  # habituation
    assert late["badges"].mean() > late["points"].mean() + 0.1  # badges last longer (seed 002 L169)
    assert all(r.outcomes["costs_total"] == pytest.approx(10.0 * 150) for r in runs["points"])
