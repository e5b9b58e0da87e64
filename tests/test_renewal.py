"""Renewal (reading.renewal_today / reading.novelty): what is new keeps a group alive.

Each test would fail with ``renewal.enabled = false`` (novelty wears off with tenure only)."""

from __future__ import annotations

import statistics

from sim import CommunityModel
from sim.processes import reading
from sim.roles import Role
from tests.conftest import make_params


def _run(days: int, **over) -> CommunityModel:
    model = CommunityModel(make_params(days=days + 5, seed=1, **over))
    for _ in range(days):
        model.step()
    return model


def test_staleness_grows_only_with_reading_and_renewal_takes_a_share_back():
    model = _run(30)
    m = next(x for x in model.members if x.role is not Role.founder and x.spec.reads)
    m.staleness = 100.0
    reading.novelty(m, model, 0.0)
    assert m.staleness == 101.0
    fresh = reading.novelty(m, model, 0.5)
    assert m.staleness == 101.0 * 0.5 + 1.0
    assert fresh > reading.novelty(m, model, 0.0)  # less stale, more novel


def test_sessions_tips_newcomers_and_hot_topics_renew():
    model = _run(20)
    log = model.log
    log.sessions = log.offline_events = log.tips = 0
    log.joins.clear()
    model.heat = 0.0
    assert reading.renewal_today(model) == 0.0
    log.sessions = 1
    with_session = reading.renewal_today(model)
    assert with_session == model.p.renewal.per_session
    log.joins["word_of_mouth"] = 3
    model.heat = 2.0
    assert reading.renewal_today(model) > with_session
    log.sessions = 1000
    assert reading.renewal_today(model) == model.p.renewal.max_share


def test_a_group_that_stops_the_work_goes_stale():
    """Same group, same seed: with tips and sessions its readers stay fresher than without."""
    def staleness(**cadence) -> float:
        model = _run(150, cadence=cadence, founder={"cost_per_post": 0.0})
        return statistics.mean(m.staleness for m in model.members if m.spec.reads)

    busy = staleness(posts_per_week=7.0, weekly_session=True, monthly_event=True)
    idle = staleness(posts_per_week=0.0, weekly_session=False, monthly_event=False)
    assert busy < 0.8 * idle


def test_renewal_off_means_novelty_follows_tenure():
    model = _run(40, renewal={"enabled": False})
    m = next(x for x in model.members if x.role is not Role.founder and x.spec.reads)
    r = model.p.reading
    tenure = model.day - m.join_day
    expected = r.novelty_floor + (1 - r.novelty_floor) * 2.718281828459045 ** (-tenure / r.novelty_days)
    assert abs(reading.novelty(m, model, 0.5) - expected) < 1e-9
