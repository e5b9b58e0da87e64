"""The classroom page's Python side, without a browser: factory, levers, frames, chart specs."""

from __future__ import annotations

import json

import pytest

from analysis.compose import load_params, scenario_catalog
from dashboards.components import lesson as app
from dashboards.components.charts import health_spec, members_spec, messages_spec
from dashboards.components.frame import take_frame
from dashboards.components.lesson import ClassroomModel, Lesson, overrides_for, setup_for
from dashboards.components.network import StableLayout, network_spec
from sim.roles import ROLES

SPECS = (network_spec, members_spec, messages_spec, health_spec)
SCENARIOS = list(scenario_catalog())


def _frame(model, layout=None):
    return take_frame(model, layout or StableLayout(), {}, 1)


def _renders(model) -> None:
    """Every chart's spec is plain JSON, with one value per day in every series."""
    frame = _frame(model)
    for spec_of in SPECS:
        spec = json.loads(json.dumps(spec_of(frame)))
        for series in spec.get("series", []) + spec.get("lines", []):
            assert len(series["y"]) == len(spec["x"]) == model.day + 1, spec_of.__name__
        for strip in spec.get("strips", []):
            assert len(strip["met"]) == model.day + 1, spec_of.__name__


def test_catalog_has_the_named_scenarios_with_descriptions():
    assert len(SCENARIOS) >= 9
    assert all(scenario_catalog()[s] for s in SCENARIOS)
    assert app.DEFAULT_SCENARIO in SCENARIOS


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_untouched_page_runs_the_main_jobs_scenario(scenario):
    """Same factory as the main job: with the levers where the scenario put them, same Params."""
    model = ClassroomModel(**setup_for(scenario))
    assert model.overrides == [f"scenario={scenario}"]
    assert model.p == load_params([f"scenario={scenario}"])
    _renders(model)


def test_levers_reach_the_model():
    m = ClassroomModel(scenario="typical_group", entry_threshold="paid", ad_policy="ban", seed_strategy="kols_first",
                       posts_per_week=1, moderation=0, seed=7)
    p = m.p
    assert (p.entry.threshold.value, p.ads.policy.value, p.seeding.strategy.value) == ("paid", "ban", "kols_first")
    assert p.entry.fee > 0  # the whole strategy piece, not just the enum (paid needs a fee)
    assert (p.cadence.posts_per_week, p.moderation.capacity_per_day, p.seed) == (1, 0, 7)


@pytest.mark.parametrize("lever, option", [(k, o) for k, lv in app.ENUM_LEVERS.items() for o in lv.options])
def test_every_choice_of_a_choice_lever_composes(lever, option):
    p = ClassroomModel(scenario="typical_group", **{lever: option}).p
    assert {"entry_threshold": p.entry.threshold, "ad_policy": p.ads.policy,
            "seed_strategy": p.seeding.strategy}[lever].value == option


def test_a_lever_replaces_an_extra_override_of_the_same_key(monkeypatch):
    monkeypatch.setattr(app, "EXTRA_OVERRIDES", ["ads.quota_per_day=9", "days=30"])
    app.scenario_defaults.cache_clear()
    try:
        base = "scenario=typical_group"
        assert overrides_for("typical_group", ad_quota=9) == [base, "ads.quota_per_day=9", "days=30"]
        assert overrides_for("typical_group", ad_quota=2) == [base, "ads.quota_per_day=2", "days=30"]
    finally:
        app.scenario_defaults.cache_clear()


def test_figures_survive_a_group_that_dies_out():
    """Every role reaches zero in a dead group (Mesa #2658): the page must still draw it."""
    model = ClassroomModel(scenario="brute_force_promotion")
    while model.running:
        model.step()
    present = {str(m.role) for m in model.members}
    assert set(ROLES) - present, "some role must have died out, or this test checks nothing"
    _renders(model)
    for member in list(model.members):  # and with nobody at all
        model.remove_member(member, "kicked")
    assert len(model.members) == 0
    _renders(model)


def test_layout_is_stable_across_steps():
    model, layout = ClassroomModel(scenario="typical_group"), StableLayout()
    for _ in range(20):
        model.step()
    _frame(model, layout)
    before = dict(layout.pos)
    for _ in range(20):
        model.step()
    _frame(model, layout)
    after = layout.pos
    assert len(after) > len(before)  # newcomers got places ...
    assert all(after[uid] == xy for uid, xy in before.items())  # ... and nobody moved
