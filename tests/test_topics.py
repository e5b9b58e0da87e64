"""Hot topics (sim/processes/topics.py): bursts of talk come from members answering news.

Each test would fail with ``topics.hot_per_week = 0``."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from analysis.compose import load_params
from sim import CommunityModel, simulate
from sim.roles import Role
from tests.conftest import make_params


def test_heat_arrives_heavy_tailed_fades_and_is_capped():
    model = CommunityModel(make_params(days=400, seed=2, topics={"hot_per_week": 3.5}))
    heats = []
    while model.running:
        model.step()
        heats.append(model.heat)
    t = model.p.topics
    assert max(heats) <= t.heat_cap
    hot = [h for h in heats if h > 0]
    assert len(hot) > 150  # ~half the mornings bring a topic, and heat lingers
    assert any(b == a * t.heat_decay for a, b in zip(heats, heats[1:]) if a > 0)  # a quiet day fades
    assert np.percentile(hot, 95) > 3 * np.median(hot)  # a few topics are far bigger than most
    quiet = CommunityModel(make_params(days=60, seed=2, topics={"hot_per_week": 0.0}))
    while quiet.running:
        quiet.step()
        assert quiet.heat == 0.0


def test_who_cares_posts_and_visits_more_on_a_hot_day():
    from sim.processes import visiting

    model = CommunityModel(make_params(days=60, seed=2))
    for _ in range(10):
        model.step()
    m = max((x for x in model.members if x.role is not Role.founder and x.spec.reads), key=lambda x: x.fit)
    m.muted = False
    model.heat = 0.0
    rate, visit = m.posting_rate(), visiting.visit_probability(m, model)
    model.heat = 3.0
    assert m.posting_rate() == rate * (1 + 3.0 * m.fit)
    assert visiting.visit_probability(m, model) > visit


def _burstiness(*over: str) -> float:
    """Median over seeds of a run's p99 / median daily messages (days with messages), in the
    healthy group: a steady group, so the measure sees bursts, not a decline. (In the
    typical group, which declines within the window, per-seed values ran from 4 to 19 either
    way at the 2026-12-03 defaults, and the falling median day decided the ratio.)"""
    out = []
    for seed in range(6):
        p = load_params(["scenario=healthy_learning_group", "days=240", f"seed={seed}", *over])
        rows = list(simulate(p).rows)[30:]
        msgs = [r["msgs_valuable"] + r["msgs_chat"] + r["msgs_content"] for r in rows]
        msgs = [x for x in msgs if x > 0]
        out.append(np.percentile(msgs, 99) / statistics.median(msgs))
    return statistics.median(out)


@pytest.fixture(scope="module")
def burstiness() -> tuple[float, float]:
    return _burstiness(), _burstiness("topics.hot_per_week=0")


def test_hot_topics_make_daily_volume_spikier(burstiness):
    with_topics, without = burstiness
    assert with_topics > without


def test_hot_topics_raise_spikiness_by_a_third(burstiness):
    """p99/median of daily messages with topics vs without: 8.5 vs 5.4 (×1.59) at the
    2026-12-03 defaults (lurkers at ease among people they know)."""
    with_topics, without = burstiness
    assert with_topics > 1.3 * without
