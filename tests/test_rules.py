"""The rules (sim/rules/): one formula, the same value for a member (floats) and for many (arrays).

The Mesa engine calls a rule per member with floats, the vector engine on arrays with its
parameters as columns. Each rule here is evaluated both ways on the same random inputs and
the results are compared element by element: exactly, except where ``exp`` or ``log`` enter
(the C library's on a float, numpy's on an array: the last bits may differ, see
sim/rules/elementwise.py). Then a few properties of the model that a wrong sign or a wrong
term would break."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from sim.params import Params
from sim.rules import floats
from sim.rules import (arrivals, content, costs, elementwise, leaving, lifecycle, moderation, needs, posting, roles,
                       satisfaction, topics, visiting)

K = 400  # elements per array
P = Params()


def section(name: str, **over) -> SimpleNamespace:
    """A parameter section as floats (what a Mesa process passes), with overrides."""
    values = {f.name: getattr(getattr(P, name), f.name) for f in dataclasses.fields(getattr(P, name))}
    values.update(over)
    return SimpleNamespace(**values)


def columns(params: SimpleNamespace, rng: np.random.Generator, vary: tuple[str, ...] = ()) -> SimpleNamespace:
    """The same section as arrays of K (the vector engine's columns); ``vary`` names fields drawn
    per element within ±50% of their value, so parameters differ between elements too."""
    out = {}
    for key, value in vars(params).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out[key] = np.full(K, value)
        elif key in vary:
            out[key] = value * rng.uniform(0.5, 1.5, K)
        else:
            out[key] = np.full(K, value)
    return SimpleNamespace(**out)


def element(x, i):
    """Element i of an argument as a Mesa process has it: a Python float, int or bool."""
    if isinstance(x, SimpleNamespace):
        return SimpleNamespace(**{k: element(v, i) for k, v in vars(x).items()})
    if isinstance(x, np.ndarray):
        return x[i].item()
    return x


def check_same(rule, *args, exact: bool = True, pick=lambda out: out):
    """``rule`` on arrays (the vector engine's) equals its float form (``sim.rules.floats``,
    the Mesa engine's) on each element's Python numbers; ``pick``: the part of the result compared."""
    on_arrays = np.asarray(pick(rule(*args)))
    one = getattr(getattr(floats, rule.__module__.rsplit(".", 1)[1]), rule.__name__)
    on_floats = [pick(one(*(element(a, i) for a in args))) for i in range(K)]
    assert all(type(v) in (float, int, bool) for v in on_floats), "a rule on floats must give Python numbers"
    on_floats = np.array(on_floats)
    assert on_arrays.shape == (K,)
    if exact or on_arrays.dtype.kind not in "f":
        np.testing.assert_array_equal(on_arrays, on_floats)
    else:
        np.testing.assert_allclose(on_arrays, on_floats, rtol=1e-12, atol=1e-15)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(29)


def u(rng, low=0.0, high=1.0):
    return rng.uniform(low, high, K)


def flag(rng, p=0.5):
    return rng.random(K) < p


def days(rng, high=60):
    return rng.integers(0, high, K)


# -- the same value on a float and on an array ---------------------------------------------------
def test_leaving_rules_agree(rng):
    c = columns(section("churn", lost_ties_hazard=0.01, friend_left_hazard=0.02), rng,
                vary=("base_hazard", "dissatisfied_hazard", "need_gone_below", "mute_below"))
    check_same(leaving.muted_after, flag(rng), u(rng), c)
    check_same(leaving.lost_tie_share, rng.integers(0, 20, K).astype(float), rng.integers(0, 20, K).astype(float))
    check_same(leaving.leave_hazard, u(rng), flag(rng), u(rng), u(rng), days(rng), days(rng, 20), c, 14)
    why = {name: i for i, name in enumerate(leaving.GRIEVANCES + leaving.COSTS)}
    check_same(leaving.leave_reason, u(rng), days(rng), days(rng), flag(rng, 0.8), rng.integers(4, 7, K), c, why)
    check_same(leaving.worst_cost, u(rng, 0, 0.2), u(rng, 0, 0.2), u(rng, 0, 0.2), u(rng, 0, 0.2), u(rng, 0, 0.2), why)


def test_visiting_rules_agree(rng):
    v = columns(section("visiting"), rng, vary=("engagement_gain", "talk_share", "habit_mean"))
    check_same(visiting.habit_logit, u(rng), exact=False)
    check_same(visiting.visit_probability, rng.normal(0, 2, K), u(rng), 0.5, u(rng, 0, 3), u(rng), days(rng, 6),
               flag(rng), flag(rng), v, exact=False)
    check_same(visiting.talk_chance, flag(rng), v)
    check_same(visiting.talk_day_share, flag(rng, 0.1), v)


def test_posting_rules_agree(rng):
    p = columns(section("conversation"), rng, vary=("newcomer_posts_per_day", "mood_floor", "tie_reply_scale"))
    check_same(posting.talk_stimulus, days(rng, 50), days(rng, 50), days(rng, 100))
    check_same(posting.posting_rate, u(rng, 0, 2), u(rng, 0, 3), u(rng), days(rng), u(rng), u(rng, 0.05, 1),
               u(rng, 0, 2), u(rng), flag(rng, 0.1), flag(rng, 0.2), flag(rng, 0.1), p, u(rng), exact=False)
    check_same(posting.valuable_share, u(rng), u(rng), flag(rng, 0.1), u(rng))
    check_same(posting.is_noisy, u(rng), flag(rng, 0.1), 0.4)
    check_same(posting.thread_reply_rate, days(rng, 30), p)
    check_same(posting.tie_reply_rate, u(rng, 0, 30), u(rng, 0, 3), u(rng), u(rng, 0.05, 1), p, exact=False)


def test_satisfaction_rules_agree(rng):
    r = columns(section("reading"), rng, vary=("attention_budget", "value_scale", "novelty_days"))
    c, n = columns(section("cadence"), rng), columns(section("renewal"), rng, vary=("per_tip",))
    check_same(satisfaction.move_toward, u(rng), u(rng), u(rng, 0, 0.5))
    check_same(satisfaction.attention_share, days(rng, 100).astype(float), r)
    check_same(satisfaction.saturation, u(rng, 0, 20), r, exact=False)
    check_same(satisfaction.overload, days(rng, 100).astype(float), r)
    check_same(satisfaction.fatigue, days(rng, 5), c)
    check_same(satisfaction.boredom, u(rng, 0, 20), c, exact=False)
    check_same(satisfaction.renewal_share, days(rng, 2), days(rng, 2), days(rng, 3), days(rng, 10), days(rng, 200),
               u(rng), n)
    check_same(satisfaction.staleness_after_reading, u(rng, 0, 100), u(rng))
    check_same(satisfaction.novelty, u(rng, 0, 100), r, exact=False)
    check_same(satisfaction.reading_gain, u(rng), u(rng), u(rng), u(rng), u(rng, 0, 20) * flag(rng), flag(rng, 0.2),
               u(rng, 0, 0.1), r, 0.3, exact=False)
    check_same(satisfaction.noise, u(rng, 0, 20), u(rng), r)
    check_same(satisfaction.expectation, flag(rng), r)
    check_same(satisfaction.target_satisfaction, rng.normal(0, 0.5, K), u(rng, 0, 0.3))


def test_roles_rules_agree(rng):
    r = columns(section("roles", ease_activate=0.05), rng, vary=("ease_ties", "kol_quality_floor"))
    mon = columns(section("monetisation"), rng, vary=("trust_days",))
    check_same(roles.endorsement_kept, columns(section("roles"), rng, vary=("endorsement_memory_days",)), exact=False)
    check_same(roles.activate_chance, days(rng, 20).astype(float), r)
    check_same(roles.rises_to_kol, u(rng, 0, 20), u(rng), r)
    check_same(roles.kol_unhappy_days, days(rng, 12), u(rng), r)
    check_same(roles.kol_patience, columns(section("roles"), rng, vary=("kol_incentive", "kol_patience_days")))
    check_same(roles.vip_score, u(rng), days(rng, 90), u(rng), u(rng), u(rng, -0.2, 1), mon, u(rng, 0.05, 0.5))
    check_same(roles.ad_share, days(rng, 20), days(rng, 20))
    check_same(roles.advertise_chance, u(rng), u(rng), u(rng))


def test_lifecycle_rules_agree(rng):
    ph = columns(section("phases"), rng, vary=("growth_factor", "decline_drop", "ad_group_share"))
    check_same(lifecycle.share_of, days(rng, 10), days(rng, 10))
    inputs = [days(rng, 5), u(rng), u(rng, 0, 0.2), days(rng, 3), u(rng), u(rng), flag(rng), ph]
    for key in ("ind_rounds", "ind_speaking", "ind_conversion", "ind_word_of_mouth", "ind_disappointed"):
        check_same(lifecycle.indicators, *inputs, pick=lambda held, key=key: held[key])
    applies = flag(rng)
    met = lifecycle.indicators_met(lifecycle.indicators(*inputs), applies)
    for i in range(K):
        one = [element(x, i) for x in inputs]
        assert floats.lifecycle.indicators_met(floats.lifecycle.indicators(*one), bool(applies[i])) == met[i]
    check_same(lifecycle.conversion_applies, ph, flag(rng))
    check_same(lifecycle.is_dead, days(rng, 3), days(rng, 40), ph)
    check_same(lifecycle.is_ad_group, days(rng, 40), days(rng, 40), ph)
    check_same(lifecycle.shrinking_fast, days(rng, 100), days(rng, 100), ph)
    codes = {"growth": 1, "mature": 3, "decline": 4}
    check_same(lifecycle.trend_verdict, days(rng, 100), days(rng, 100), ph, codes)


def test_content_needs_and_costs_rules_agree(rng):
    c = columns(section("cadence", red_packet_thrill=0.2), rng, vary=("red_packet_habituation", "red_packet_chat"))
    check_same(content.on_rhythm, days(rng, 400), rng.choice([0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0], K))
    check_same(content.red_packet_thrill, days(rng, 30), c, exact=False)
    check_same(content.red_packet_response, days(rng, 3), u(rng, 0, 0.2), c)
    n = columns(section("needs", shift_day=30), rng, vary=("shift_size",))
    check_same(needs.need_after_drift, u(rng), rng.normal(0, 0.05, K), flag(rng), n)
    check_same(needs.purpose_has_expired, days(rng, 60), n)
    check_same(needs.newcomer_need, u(rng), flag(rng), n)
    k = columns(section("costs"), rng, vary=("hours_per_post", "cost_per_paid_ads_member"))
    check_same(costs.founder_hours, days(rng, 3), days(rng, 2), days(rng, 2), u(rng, 0, 5), days(rng, 5),
               days(rng, 9), k)
    check_same(costs.cost_of_day, days(rng, 20), rng.integers(-1, 20, K), flag(rng), days(rng, 5), u(rng), k)
    check_same(costs.income, u(rng, 0, 500), days(rng, 4), k)


def test_arrivals_moderation_and_topics_rules_agree(rng):
    a, e = columns(section("arrivals"), rng, vary=("spam_base",)), columns(section("entry", fit_cutoff=0.4), rng)
    for i in (0, 1):
        check_same(arrivals.beta_shape, u(rng, -0.1, 1.1), u(rng, 1, 20), pick=lambda shape, i=i: shape[i])
    check_same(arrivals.invited_fit, u(rng), rng.normal(0, 0.3, K))
    check_same(arrivals.spam_arrival_rate, days(rng, 500), a)
    check_same(arrivals.passes_review, u(rng), rng.normal(0, 0.1, K), e)
    check_same(arrivals.welcomed_satisfaction, u(rng), e)
    m = columns(section("moderation", kol_admins=True), rng, vary=("capacity_per_day",))
    m.kol_admins = flag(rng)
    for i in (0, 1):
        check_same(moderation.capacities, u(rng, -0.2, 1), flag(rng), days(rng, 5), m, pick=lambda caps, i=i: caps[i])
    check_same(moderation.handled, days(rng, 10), u(rng, 0, 8), u(rng))
    check_same(moderation.founder_share, days(rng, 10), u(rng, 0, 4), u(rng, 0, 8) * flag(rng, 0.8))
    t = columns(section("topics"), rng, vary=("heat_decay", "heat_cap"))
    check_same(topics.heat_today, u(rng, 0, 5), flag(rng, 0.2), u(rng, 0, 10), t)
    check_same(topics.capped_heat, u(rng, 0, 10), t)
    check_same(topics.is_big_topic, u(rng, 0, 10), t)


def test_moderation_handles_its_capacity_on_average():
    """Stochastic rounding: 2.3 a day handles 2 or 3, 2.3 on average; never more than the violations."""
    u_ = np.random.default_rng(1).random(20000)
    done = moderation.handled(np.full(u_.size, 10), 2.3, u_)
    assert set(np.unique(done)) == {2.0, 3.0} and done.mean() == pytest.approx(2.3, abs=0.02)
    assert moderation.handled(1, 2.3, 0.0) == 1


def test_on_rhythm_spreads_a_week_evenly():
    """Whatever the rate, a year of days holds the year's items, none more than a day's share apart."""
    for per_week in (1.0, 2.0, 3.0, 5.0, 7.0, 10.0):
        items = content.on_rhythm(np.arange(364), per_week)
        assert items.sum() == pytest.approx(per_week * 52)
        assert items.max() - items.min() <= 1


def test_float_rules_are_the_same_code_with_math_and_the_builtins():
    """``sim.rules.floats`` runs each rule's own code (one formula), with the float functions;
    a rule calling another calls its float form; and the float functions give Python numbers,
    with the builtins' sign of a zero."""
    assert floats.leaving.leave_hazard.__code__ is leaving.leave_hazard.__code__
    assert floats.leaving.leave_hazard.__globals__["need_gone"] is floats.leaving.need_gone
    assert floats.satisfaction.NEUTRAL == satisfaction.NEUTRAL
    f = elementwise.FLOAT_FUNCTIONS
    assert set(f) == {"exp", "log", "floor", "maximum", "minimum", "where", "logical_not", "select"}
    for value in (f["exp"](0.3), f["log"](2.0), f["where"](True, 1.0, 2.0), f["maximum"](0.0, 0.5),
                  f["minimum"](1.0, 1.5), f["select"]([False, True], [1, 2], 3), f["floor"](2.5)):
        assert type(value) in (float, int)
    assert f["logical_not"](True) is False  # not ~True == -2
    assert str(f["maximum"](0.0, -0.0)) == "0.0" and str(floats.arrivals.invited_fit(0.0, -0.0)) == "0.0"


# -- properties a wrong sign or term would break -----------------------------------------------------
def test_leave_hazard_falls_with_satisfaction_and_rises_with_lost_ties():
    c = section("churn", lost_ties_hazard=0.01)
    s = np.linspace(0.0, 1.0, 21)
    h = leaving.leave_hazard(s, False, 0.0, 1.0, 100, 100, c, 14)
    assert np.all(np.diff(h) < 0)
    assert h[-1] == pytest.approx(c.base_hazard)
    lost = leaving.leave_hazard(0.5, False, np.linspace(0, 1, 5), 1.0, 100, 100, c, 14)
    assert np.all(np.diff(lost) > 0)
    assert leaving.leave_hazard(0.5, True, 0.0, 1.0, 100, 100, c, 14) > leaving.leave_hazard(0.5, False, 0.0, 1.0,
                                                                                              100, 100, c, 14)


def test_more_ads_make_ads_the_grievance_and_tempt_more_members():
    code = {name: name for name in leaving.COSTS}
    reasons = [leaving.worst_cost(0.05, 0.0, ads, 0.03, 0.0, code) for ads in (0.0, 0.04, 0.06)]
    assert reasons == ["overloaded", "overloaded", "annoyed_by_ads"]
    chance = roles.advertise_chance(roles.ad_share(50, np.arange(0, 60, 10)), 0.1, 0.2)
    assert chance[0] == 0.0 and np.all(np.diff(chance) > 0)


def test_visits_and_posts_follow_satisfaction_heat_and_muting():
    v = section("visiting")
    s = np.linspace(0.0, 1.0, 11)
    p = visiting.visit_probability(0.0, s, 1.0, 0.0, 0.5, 30, False, False, v)
    assert np.all(np.diff(p) > 0) and np.all((p > 0) & (p < 1))
    assert visiting.visit_probability(0.0, 0.5, 1.0, 0.0, 0.5, 30, False, True, v) < p[5]
    c = section("conversation")
    heat = np.linspace(0, 3, 7)
    rate = posting.posting_rate(0.2, 1.0, 0.5, 100, 0.0, 0.25, heat, 0.8, False, False, False, c, 0.0)
    assert np.all(np.diff(rate) > 0)
    assert posting.posting_rate(0.2, 1.0, 0.5, 100, 0.0, 0.25, 1.0, 0.8, False, True, False, c, 0.0) == 0.0


def test_known_ties_ease_activation_up_to_its_ceiling():
    r = section("roles", ease_activate=0.05)
    chance = roles.activate_chance(np.arange(0, 50, 5).astype(float), r)
    assert chance[0] == r.activate_prob and np.all(np.diff(chance) > 0)
    assert chance[-1] < r.activate_prob + r.ease_activate
    assert roles.activate_chance(r.ease_ties, r) == pytest.approx(r.activate_prob + r.ease_activate / 2)


def test_novelty_wears_off_to_its_floor_and_the_trend_names_the_phase():
    r = section("reading")
    nov = satisfaction.novelty(np.linspace(0, 1000, 11), r)
    assert nov[0] == 1.0 and np.all(np.diff(nov) < 0) and nov[-1] >= r.novelty_floor
    ph = section("phases")
    names = {k: k for k in ("growth", "mature", "decline")}
    assert lifecycle.trend_verdict(100, 50, ph, names) == "growth"
    assert lifecycle.trend_verdict(50, 100, ph, names) == "decline"
    assert lifecycle.trend_verdict(100, 100, ph, names) == "mature"
