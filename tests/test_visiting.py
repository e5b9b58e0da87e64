"""Visiting (sim/processes/visiting.py): members open the group on some days, not every day.

Each test would fail with ``visiting.enabled = false`` (everyone around every day) or with
the named parameter set to 0."""

from __future__ import annotations

import statistics

import pytest

from sim import CommunityModel, simulate
from sim.processes import visiting
from sim.roles import Role
from tests.conftest import make_params


def _model(**over) -> CommunityModel:
    model = CommunityModel(make_params(days=60, seed=3, **over))
    for _ in range(20):
        model.step()
    return model


def _person(model: CommunityModel):
    return next(m for m in model.members if m.role is not Role.founder and m.spec.reads)


def test_visit_probability_follows_satisfaction_posts_notifications_and_muting():
    model = _model()
    m = _person(model)
    m.muted, m.notified_day, m.last_post_day = False, -10**9, model.day - 30
    m.habit = 0.3  # an occasional visitor, so a notification has room to raise the chance
    m.satisfaction = 0.2
    low = visiting.visit_probability(m, model)
    m.satisfaction = 0.9
    high = visiting.visit_probability(m, model)
    assert high > low
    m.last_post_day = model.day - 1  # own post is fresh: comes back for the answers
    fresh = visiting.visit_probability(m, model)
    assert fresh > high
    m.satisfaction, m.last_post_day = 0.2, model.day - 30
    m.notified_day = model.day - 1  # yesterday's post got replies
    assert visiting.visit_probability(m, model) >= model.p.visiting.notified_prob > low
    m.notified_day, m.muted = -10**9, True
    assert visiting.visit_probability(m, model) == low * model.p.visiting.muted_factor
    assert visiting.visit_probability(model.founder, model) == 1.0


def test_habits_differ_between_members_and_are_off_when_visiting_is():
    habits = [m.habit for m in _model().roster]
    assert statistics.pstdev(habits) > 0.05
    assert abs(statistics.mean(habits) - make_params().visiting.habit_mean) < 0.15
    assert {m.habit for m in _model(visiting={"enabled": False}).roster} == {1.0}


def test_absent_members_neither_post_nor_read_and_their_feelings_drift():
    model = _model()
    absent = present = 0
    for _ in range(15):
        before = {m.unique_id: m.satisfaction for m in model.members}
        model.step()
        for m in model.members:
            if not m.spec.reads or m.unique_id not in before:
                continue
            if m.visiting:
                present += 1
                assert m.last_read is not None
            else:
                absent += 1
                assert m.messages_today == 0 and m.last_read is None
                drift = model.p.visiting.absence_drift * (visiting.NEUTRAL - before[m.unique_id])
                assert abs(m.satisfaction - (before[m.unique_id] + drift)) < 1e-12
    assert absent > 50 and present > 50


def _unmuted_visit_share(**over) -> float:
    """Share of people unmuted when the day began who opened the group, over 60 days of a run
    (a dormant member who wakes in the evening was muted when the day's visits were decided)."""
    model = CommunityModel(make_params(days=90, seed=5, **over))
    visits = seen = 0
    for _ in range(60):
        unmuted = {m.unique_id for m in model.members if m.spec.reads and not m.muted}
        model.step()
        people = [m for m in model.members if m.unique_id in unmuted]
        visits += sum(m.visiting for m in people)
        seen += len(people)
    return visits / seen


def test_unmuted_members_do_not_all_open_the_group_every_day():
    assert _unmuted_visit_share(visiting={"enabled": False}) == 1.0
    assert _unmuted_visit_share() < 0.85


def test_daily_and_weekly_active_count_visitors():
    on = simulate(make_params(days=90, seed=5))
    for r in on.rows[1:]:
        assert r["speakers"] <= r["daily_active"] + r["members_spammer"] <= r["members"]
        assert r["daily_active"] <= r["weekly_active"] + 1 + r["members_spammer"]  # + the founder
        assert r["weekly_active"] <= r["members"]
    assert sum(r["weekly_active"] > r["daily_active"] for r in on.rows[10:]) > 40


def test_only_a_share_of_visits_are_talking_ones_and_only_they_speak():
    """visiting.talk_share: a talking visit is drawn per visit (newcomers on their first day,
    the founder and spammers always talk); a member who visits without talking writes nothing."""
    model = CommunityModel(make_params(days=90, seed=5, visiting={"talk_share": 0.3}))
    visits = talks = 0
    for _ in range(60):
        old = {m.unique_id for m in model.members}
        model.step()
        for m in model.members:
            assert not m.talking or m.visiting
            if not m.talking and m.role is not Role.spammer:
                assert m.messages_today == 0
            if m.unique_id in old and m.role not in (Role.founder, Role.spammer):
                visits += m.visiting
                talks += m.talking
    assert visits > 500
    assert abs(talks / visits - 0.3) < 0.05  # binomial sd ~0.02 at 500 visits
    assert model.founder.talking


def test_a_members_rates_are_spoken_on_their_talking_days():
    """Half the talking days, twice the rate on each: a member's expected volume is kept."""
    full, half = _model(visiting={"talk_share": 1.0}), _model(visiting={"talk_share": 0.5})
    m_full, m_half = _person(full), _person(half)
    assert visiting.talk_day_share(m_half, half) == 0.5 * visiting.talk_day_share(m_full, full)
    assert visiting.talk_day_share(full.founder, full) == 1.0


def _posters_among_visitors(engine: str, talk_share: float) -> float:
    from analysis.ensemble import run_ensemble

    def measure(result):
        rows = [r for r in result.rows if 30 <= r["day"] <= 150]
        return {"speakers": sum(r["speakers"] for r in rows), "active": sum(r["daily_active"] for r in rows)}

    t = run_ensemble([["scenario=healthy_learning_group", "days=150", f"visiting.talk_share={talk_share}"]],
                     seeds=range(4), engine=engine, workers=1, measure=measure)
    return float(t["speakers"].sum() / t["active"].sum())


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_talking_visits_make_few_of_a_days_visitors_post(engine):
    """R4DS: 12.5% of a day's active accounts post. With every visit a talking one, a third or
    more of a healthy group's visitors post; with a third of them talking, under half as many
    do (4 seeds, days 30-150; measured ~0.34 and ~0.13 at the 2026-12-03 defaults)."""
    every = _posters_among_visitors(engine, 1.0)
    third = _posters_among_visitors(engine, 0.3)
    assert every > 0.25
    assert third < 0.5 * every


def test_a_ties_answer_draws_one_into_talking_the_next_day():
    """visiting.answer_share: the day after a tie answered a member (conversation.tie_replies
    stamps answered_day), that share of their non-talking visits become talking ones."""
    model = _model(visiting={"talk_share": 0.2, "answer_share": 0.5})
    m = _person(model)
    m.answered_day = model.day - 1
    assert visiting.talk_chance(m, model) == pytest.approx(0.6)
    m.answered_day = model.day - 2
    assert visiting.talk_chance(m, model) == 0.2
    off = _model(visiting={"talk_share": 0.2})
    x = _person(off)
    x.answered_day = off.day - 1
    assert visiting.talk_chance(x, off) == 0.2


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_answering_ties_keeps_more_visitors_talking(engine):
    """With a friend's answer pulling one into talking, more of a day's visitors post."""
    from analysis.ensemble import run_ensemble

    def share(answer: float) -> float:
        def measure(result):
            rows = [r for r in result.rows if 30 <= r["day"] <= 120]
            return {"speakers": sum(r["speakers"] for r in rows), "active": sum(r["daily_active"] for r in rows)}
        t = run_ensemble([["scenario=healthy_learning_group", "days=120", "visiting.talk_share=0.2",
                           f"visiting.answer_share={answer}"]], seeds=range(4), engine=engine, workers=1, measure=measure)
        return float(t["speakers"].sum() / t["active"].sum())

    assert share(1.0) > 1.2 * share(0.0)
