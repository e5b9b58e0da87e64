"""Run outcomes and phases mean what they say (issue "Runs and sweeps that never mislead").
Each test failed on the code before its fix."""

from __future__ import annotations

import pytest

from analysis.compose import load_params
from sim import Params, simulate
from sim.events import of_kind
from sim.model import CommunityModel
from sim.processes.conversation import DayLog
from sim.roles import Role


def _model_on_day(day: int = 20, **kw) -> CommunityModel:
    model = CommunityModel(Params(days=200, seed=4, **kw))
    while model.day < day:
        model.step()
    return model


def _feed(model: CommunityModel, days: int, ads: int, chat: int, speakers: int = 1) -> None:
    """``days`` days with exactly ``ads`` visible ads and ``chat`` chat messages from the first
    ``speakers`` people, judged by the lifecycle."""
    voices = set(sorted(m.unique_id for m in model.members if m.spec.person)[:speakers])
    for _ in range(days):
        model.day += 1
        model.log = DayLog(chat=chat, ads_posted=ads, speakers=voices)
        model.lifecycle.update(model)


def test_lifespan_of_a_group_alive_at_the_horizon_is_the_horizon() -> None:
    o = simulate(load_params(["scenario=healthy_learning_group", "days=60", "seed=1"])).outcomes
    assert o["censored"] and o["lifespan_days"] == 60


def test_a_near_silent_group_is_not_an_ad_group_it_is_falling_silent() -> None:
    model = _model_on_day()
    _feed(model, 7, ads=1, chat=1)  # 14 messages a week, half of them ads
    assert model.lifecycle.ad_group_day is None and model.phase != "ad_group"
    assert model.lifecycle.silent_day is not None
    assert [e.text for e in of_kind(model.events, "silent")][0].startswith("The group fell nearly silent")
    _feed(model, 7, ads=6, chat=5)  # a group that talks, drowned in ads
    assert model.phase == "ad_group"


def test_dead_with_spammers_left_does_not_say_nobody_left() -> None:
    model = _model_on_day(10)
    others = [m for m in model.members if m is not model.founder]
    others[0].become(Role.spammer)
    for m in others[1:]:
        model.remove_member(m, "bored")
    _feed(model, 1, ads=0, chat=0)  # judged before anyone new could arrive
    death = [e.text for e in of_kind(model.events, "died")]
    assert death and "nobody left" not in death[0]
    assert "the founder" in death[0] and "spammer" in death[0]


def _steady(model: CommunityModel, days: int) -> None:
    """``days`` days of a group whose size has not changed for 40 days (a steady group): its
    awake members, which the trends count (the dormant are headcount only)."""
    n = sum(not m.dormant for m in model.members)
    for _ in range(days):
        model.lifecycle._members = [n] * 40
        _feed(model, 1, ads=0, chat=50, speakers=10)


def test_a_steady_group_is_mature_not_declining() -> None:
    model = _model_on_day(40)
    _steady(model, model.p.phases.phase_hold_days)
    assert model.phase == "mature"


def test_phase_changes_only_after_its_condition_holds_for_the_hold_days() -> None:
    """Hysteresis (issue 12): one steady day does not relabel a growing group; the hold does."""
    model = _model_on_day(40)
    model.lifecycle.phase = "growth"
    hold = model.p.phases.phase_hold_days
    _steady(model, hold - 1)
    assert model.phase == "growth"
    _steady(model, 1)
    assert model.phase == "mature"
    _feed(model, 7, ads=6, chat=5)  # the end is not delayed: drowned in ads is an ad group at once
    assert model.phase == "ad_group"


def test_self_operation_unreachable_without_a_paid_tier_is_said() -> None:
    assert simulate(Params(days=20, seed=1)).outcomes["self_operation_reachable"] is False
    vip = load_params(["strategy/monetisation=vip", "days=20", "seed=1"])
    assert simulate(vip).outcomes["self_operation_reachable"] is True


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kol_exits_and_retention_agree(seed: int) -> None:
    result = simulate(load_params(["scenario=kol_exodus", f"seed={seed}"]))
    o, roster = result.outcomes, result.model.roster
    left_as_kol = [m for m in roster if m.leave_day is not None and m.role is Role.kol]
    assert o["kol_exits"] == len(left_as_kol)
    if o["kol_retention"] is not None and o["kol_retention"] < 1:
        assert o["kol_exits"] >= 1  # someone left, so someone exited


def test_speaking_rate_counts_a_dead_groups_silence() -> None:
    result = simulate(load_params(["scenario=no_rules_open_qr", "seed=0"]))
    o, rows = result.outcomes, result.rows
    assert o["lifespan_days"] < 180
    alive = [r["weekly_speaking_rate"] for r in rows if 1 <= r["day"] <= 180 and r["phase"] not in ("dead", "ad_group")]
    assert o["weekly_speaking_rate"] == pytest.approx(sum(alive) / 180)
    assert o["weekly_speaking_rate"] < sum(alive) / len(alive)  # not the survivors' mean


@pytest.mark.parametrize("scenario", ["typical_group", "red_packet_group"])
def test_the_outcomes_of_a_run_are_the_same_from_either_engines_record(scenario: str) -> None:
    """One function computes the outcomes (sim/outcomes.py): a finished Mesa run copied into
    the vector engine's arrays (sim/vector/resume.py) gives the vector engine's record of the
    same run, and the same outcomes to the last bit."""
    from sim.vector import resume
    from sim.vector.engine import Engine
    from sim.vector.observe import outcomes

    p = load_params([f"scenario={scenario}", "seed=2", "days=90"])
    result = simulate(p)
    engine = Engine([p], [result.model])
    resume.place(engine, [result.model])
    engine.batch.archive_present()
    values = engine.rows[: result.model.day + 1, 0]
    got = outcomes(
        p,
        values,
        engine.batch.roster.table(),
        0,
        engine._events()[0],
        bool(engine.life.reachable[0]),
        int(engine.batch.vips_ever[0]),
    )
    assert got == result.outcomes


# --- Alive means talking (issue 32 item 4; MODEL.md §5; sim/params.py Phases.min_weekly_speakers)


def test_a_mature_group_that_falls_quiet_declines_at_once_and_cannot_self_operate() -> None:
    """The issue's group "fell nearly silent: 12 messages in a week" and stayed ``mature``: on the
    first day fewer than ``min_weekly_speakers`` people spoke in a week it is in decline (no
    fortnight's hold), and the self-operation streak starts again."""
    model = _model_on_day(40)
    _steady(model, model.p.phases.phase_hold_days)
    assert model.phase == "mature"
    need = model.p.phases.min_weekly_speakers
    for _ in range(7):
        _feed(model, 1, ads=0, chat=2, speakers=3)  # 14 messages a week from 3 people
        quiet = model.lifecycle.health["weekly_speakers"] < need
        assert model.phase == ("decline" if quiet else "mature")
    assert model.phase == "decline" and model.lifecycle._met_streak == 0


def _three_people(engine: str, speakers: int | None = None):
    """A group of the founder and 3 people that can never grow (cap 4), run for 200 days."""
    from tests.conftest import make_params
    from sim import run

    phases = {} if speakers is None else {"min_weekly_speakers": speakers}
    p = make_params(
        days=200, seed=1, engine={"name": engine}, seeding={"seed_users": 3}, arrivals={"cap": 4}, phases=phases
    )
    return p, run([p])[0]


def test_a_near_silent_three_person_group_is_not_alive_nor_mature(engine: str) -> None:
    """Both engines: a group that never hears 5 voices in a week is never mature or
    self-operating and never lived as a group (lifespan 0, not alive at 6 months) — though it
    is neither dead nor an ad group, and its headcount is steady."""
    p, r = _three_people(engine)
    assert max(row["weekly_speakers"] for row in r.rows) <= 3 < p.phases.min_weekly_speakers
    assert not {row["phase"] for row in r.rows} & {"mature", "self_operating"}
    o = r.outcomes
    assert o["final_phase"] not in ("dead", "ad_group")
    assert o["lifespan_days"] == 0 and not o["censored"]
    assert o["talking_at_6_months"] is False and o["talking_at_12_months"] is None  # 200 days: no day 365
    assert not o["reached_self_operation"]


def test_with_the_rule_off_the_same_group_lives_on_its_headcount(engine: str) -> None:
    """``min_weekly_speakers = 0`` is the old rule: the steady three are mature and alive to the horizon."""
    p, r = _three_people(engine, speakers=0)
    o = r.outcomes
    assert "mature" in {row["phase"] for row in r.rows}
    assert o["censored"] and o["lifespan_days"] == p.days and o["talking_at_6_months"] is True


@pytest.mark.slow
def test_talking_at_12_months_is_at_most_alive_and_less_where_groups_go_quiet() -> None:
    """Ensembles (vector engine, 30 seeds). The issue's 300-member group switched to application
    review on day 30 (experiment=switch_entry): every run talking on day 365 is alive then (not
    dead, not an ad group). social_chat_group, whose talk thins out into silence while its members
    stay (dormant): "talking at 12 months" is well below "alive at 12 months" — measured 0 of 30
    against 30 of 30 on 2026-12-06 with dormancy and the levers merged (before dormancy the
    switch_entry arm alone showed 26 against 30; now 24 against 26); the test asks for a gap of
    at least 10 % of the runs."""
    from sim import run

    seeds = 30
    for args, gap in ((["experiment=switch_entry", "switch_day=30"], 0.0), (["scenario=social_chat_group"], 0.1)):
        outs = [r.outcomes for r in run([load_params([*args, "engine=vector", f"seed={s}"]) for s in range(seeds)])]
        alive = [o["dead_day"] is None and o["ad_group_day"] is None for o in outs]
        talking = [o["talking_at_12_months"] for o in outs]
        assert all(a for a, t in zip(alive, talking) if t), args
        assert sum(alive) - sum(talking) >= gap * seeds, args
        quiet_but_there = [o for o, a, t in zip(outs, alive, talking) if a and not t]
        assert all(not o["censored"] and o["lifespan_days"] < 365 for o in quiet_but_there), args
