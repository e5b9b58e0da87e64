"""The classroom page's Python side, without a browser: setups, levers, runs, frames, chart specs."""

from __future__ import annotations

import json

import pytest

from analysis.compose import load_params, scenario_catalog
from dashboards.components import lesson as setups
from dashboards.components.charts import health_spec, members_spec, messages_spec
from dashboards.components.frame import take_frame
from dashboards.components.lesson import ClassroomModel, Lesson, overrides_for, setup_for
from dashboards.components.network import StableLayout, network_spec
from sim.roles import ROLES

SPECS = (network_spec, members_spec, messages_spec, health_spec)
SCENARIOS = list(scenario_catalog())


def _frame(model, layout=None):
    return take_frame(model, layout or StableLayout(), {})


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
    assert setups.DEFAULT_SCENARIO in SCENARIOS


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


@pytest.mark.parametrize("lever, option", [(k, o) for k, lv in setups.ENUM_LEVERS.items() for o in lv.options])
def test_every_choice_of_a_choice_lever_composes(lever, option):
    p = ClassroomModel(scenario="typical_group", **{lever: option}).p
    assert {"entry_threshold": p.entry.threshold, "ad_policy": p.ads.policy,
            "seed_strategy": p.seeding.strategy}[lever].value == option


def test_a_lever_replaces_an_extra_override_of_the_same_key(monkeypatch):
    monkeypatch.setattr(setups, "EXTRA_OVERRIDES", ["ads.quota_per_day=9", "days=30"])
    setups.scenario_defaults.cache_clear()
    try:
        base = "scenario=typical_group"
        assert overrides_for("typical_group", ad_quota=9) == [base, "ads.quota_per_day=9", "days=30"]
        assert overrides_for("typical_group", ad_quota=2) == [base, "ads.quota_per_day=2", "days=30"]
    finally:
        setups.scenario_defaults.cache_clear()


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


@pytest.fixture
def short_runs(monkeypatch):
    """Every page model runs 30 days (a server's ``python -m dashboards days=30``)."""
    monkeypatch.setattr(setups, "EXTRA_OVERRIDES", ["days=30"])
    setups.scenario_defaults.cache_clear()
    yield
    setups.scenario_defaults.cache_clear()


def test_reset_rebuilds_the_setup_it_was_given_not_the_default():
    lesson = Lesson(setup_for("typical_group"))
    lesson.advance()
    frame = lesson.start(setup_for("paid_community"))
    assert (frame.scenario, frame.day, frame.monetised) == ("paid_community", 0, True)
    assert lesson.model.p == load_params(["scenario=paid_community"])
    moved = {**setup_for("paid_community"), "moderation": 3}
    assert lesson.start(moved).levers["moderation"] == 3 and lesson.model.p.moderation.capacity_per_day == 3


def test_play_stops_exactly_on_the_horizon_and_a_replaced_run_cannot_be_stepped(short_runs):
    lesson = Lesson(setup_for("typical_group"))
    old = lesson.generation
    frames = iter(lambda: lesson.advance(old), None)
    assert [f.day for f in frames] == list(range(1, 31))
    assert lesson.frame.day == 30 and not lesson.frame.running and lesson.advance() is None
    lesson.start(setup_for("typical_group"))
    assert lesson.advance(old) is None and lesson.frame.day == 0  # the old loop's generation


def test_frames_stay_whole_while_another_thread_steps(short_runs):
    """The play thread appends rows while the page draws: every frame must be one moment."""
    import threading

    lesson = Lesson(setup_for("brute_force_promotion"))
    worker = threading.Thread(target=lambda: [None for _ in iter(lesson.advance, None)])
    worker.start()
    seen = []
    while worker.is_alive() or not seen:
        frame = lesson.frame
        assert len(frame.rows) == frame.day + 1 and frame.rows[-1]["day"] == frame.day
        assert len(frame.dots) == frame.rows[-1]["members"]
        _ = [spec(frame) for spec in SPECS]
        seen.append(frame.day)
    worker.join()
    assert lesson.frame.day == 30


def test_an_intervention_goes_through_the_models_timeline_from_tomorrow():
    lesson = Lesson(setup_for("typical_group"))
    for _ in range(3):
        lesson.advance()
    assert lesson.model.p.ads.policy.value == "quota"
    said = lesson.intervene("ad_policy", "ban", "the teacher banned ads")
    assert "day 4" in said and lesson.model.p.ads.policy.value == "quota"  # not today
    lesson.advance()
    assert lesson.model.p.ads.policy.value == "ban"
    assert (4, "Strategy change: the teacher banned ads") in lesson.model.events
    assert lesson.intervene("ad_policy", "ban", "again").startswith("Already in force")


def test_turning_points_fold_routine_promotions_and_list_phase_changes():
    from dashboards.components.story import turning_points

    lesson = Lesson(setup_for("healthy_learning_group"))  # a year with many promotions (9 on seed 0)
    for _ in iter(lesson.advance, None):
        pass
    points = turning_points(lesson.frame)
    promoted = sum(1 for _, text in lesson.frame.events if text.endswith("became a KOL"))
    assert promoted >= 3, "this run must promote several KOLs, or the fold checks nothing"
    assert sum(tp.kind == "kol_promoted" for tp in points) == 1
    assert f"{promoted} members became KOLs" in next(tp.text for tp in points if tp.kind == "kol_promoted")
    phases = [r["phase"] for r in lesson.frame.rows]
    changes = sum(a != b for a, b in zip(phases, phases[1:]))
    assert sum(tp.kind == "phase" for tp in points) == changes >= 2
    assert any(tp.kind == "phase" and "Failing:" in tp.text for tp in points)  # the decline is explained


def test_no_chinese_on_the_page_and_a_csv_of_the_days(short_runs):
    from dashboards.app import rows_csv
    from dashboards.components.info import scenario_story

    for name, description in scenario_catalog().items():
        story = scenario_story(name, description)
        assert story and not any("\u2e80" <= ch <= "\u9fff" for ch in story), name
    assert "暴力" not in scenario_story("new_one", "Posts ads everywhere — 暴力引流 (seed 004 L176).")
    lesson = Lesson(setup_for("typical_group"))
    for _ in range(5):
        lesson.advance()
    lines = rows_csv(lesson.frame).splitlines()
    assert lines[0].startswith("day,phase,members") and len(lines) == 7
