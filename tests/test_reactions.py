"""Rules that react (issue 34): a timeline change that fires when a condition on the group's
own daily numbers has held for some days, once or each time, with a cool-down.

The rule is sim/rules/reactions.py; the Mesa engine drives it from its one row a day
(sim/processes/timeline.py), the vector engine from every community's row at once
(sim/vector/reactions.py)."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from analysis.compose import load_params
from sim.events import of_kind
from sim.params import Change, Condition, ParamError, validate
from sim.rules.reactions import holds, metric, watch
from tests.conftest import make_params


def _daily_topic(**when) -> Change:
    return Change(set={"cadence.posts_per_week": 14.0}, label="the founder started a daily topic",
                  when=Condition(**{"metric": "weekly_speaking_rate", "op": "<", "value": 0.1, "for_days": 14, **when}))


# -- the rule -------------------------------------------------------------------------------------
def _fire_days(held_days: list[bool], for_days: int, repeat: bool, cooldown: int) -> list[int]:
    streak, fired, last, out = 0, 0, -1, []
    for day, held in enumerate(held_days, start=1):
        fire, streak = watch(held, streak, fired, last, day, for_days, repeat, cooldown)
        if fire:
            fired, last = fired + 1, day
            out.append(day)
    return out


def test_a_condition_must_hold_for_its_days_in_a_row():
    held = [True, True, False, True, True, True, True]
    assert _fire_days(held, for_days=3, repeat=False, cooldown=0) == [6]


def test_once_fires_once_and_repeat_waits_out_its_cooldown():
    always = [True] * 30
    assert _fire_days(always, for_days=5, repeat=False, cooldown=0) == [5]
    # each time: the streak starts again after a firing, and no firing within 10 days of the last
    assert _fire_days(always, for_days=5, repeat=True, cooldown=10) == [5, 16, 27]
    assert _fire_days(always, for_days=2, repeat=True, cooldown=0) == [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24,
                                                                       26, 28, 30]


def test_the_rule_on_arrays_is_the_rule_on_floats():
    """The vector engine's call (one entry per watched change) gives each entry's float answer."""
    rng = np.random.default_rng(0)
    n = 200
    value, threshold = rng.random(n), rng.random(n)
    op = rng.choice(["<", "<=", ">", ">="], n).astype(object)
    streak, fired = rng.integers(0, 20, n), rng.integers(0, 3, n)
    last = rng.integers(-1, 40, n)
    for_days, cooldown, repeat = rng.integers(1, 15, n), rng.integers(0, 20, n), rng.random(n) < 0.5
    held = holds(value, op, threshold)
    fire, new = watch(held, streak, fired, last, 40, for_days, repeat, cooldown)
    for j in range(n):
        h = holds(float(value[j]), str(op[j]), float(threshold[j]))
        f, s = watch(h, int(streak[j]), int(fired[j]), int(last[j]), 40, int(for_days[j]), bool(repeat[j]),
                     int(cooldown[j]))
        assert (h, bool(f), int(s)) == (held[j], fire[j], new[j])


def test_ad_share_is_ads_per_message_of_the_day():
    row = {"msgs_valuable": 6, "msgs_chat": 2, "msgs_ad": 2, "msgs_content": 0}
    assert metric(row, "ad_share") == pytest.approx(0.2)
    assert metric({**row, "msgs_valuable": 0, "msgs_chat": 0, "msgs_ad": 0}, "ad_share") == 0.0


# -- validation before the run ----------------------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    (_daily_topic(metric="speaking"), "timeline[0] (the founder started a daily topic).when.metric = 'speaking': allowed"),
    (_daily_topic(op="=<"), "timeline[0] (the founder started a daily topic).when.op = '=<': allowed <, <=, >, >="),
    (_daily_topic(for_days=-3), "when.for_days = -3 is out of range: allowed [1, 365]"),
    (_daily_topic(for_days=0), "when.for_days = 0 is out of range: allowed [1, 365]"),
    (_daily_topic(value=float("nan")), "when.value = nan: expected a finite number"),
    (Change(set={"ads.policy": "ban"}, when=Condition(), cooldown_days=-1), "timeline[0].cooldown_days = -1 is out of range"),
    (Change(day=30, set={"ads.policy": "ban"}, when=Condition()), "timeline[0].day = 30: a change with `when` fires on its condition"),
    (Change(set={"cadence.per_week": 3}, when=Condition()), "timeline[0]: unknown key cadence.per_week"),
])
def test_a_bad_reactive_change_fails_before_the_run_naming_its_key(change, message):
    p = make_params(timeline=[change])
    with pytest.raises(ParamError) as e:
        validate(p)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_a_playbook_composes_from_configs_and_a_bad_one_names_its_key():
    p = load_params(["scenario=adaptive_operator"])
    assert [(c.when.metric, c.when.op, c.when.value, c.when.for_days) for c in p.timeline] == [
        ("weekly_speaking_rate", "<", 0.1, 14), ("weekly_speaking_rate", "<", 0.05, 14)]
    assert p.timeline[0].set["cadence.posts_per_week"] == 5  # the strategy piece, expanded
    swept = load_params(["scenario=social_chat_group", "timeline=daily_topic_when_quiet", "alarm_level=0.2",
                         "alarm_days=7"])
    assert (swept.timeline[0].when.value, swept.timeline[0].when.for_days) == (0.2, 7)
    with pytest.raises(ParamError, match=r"when.for_days = 0 is out of range"):
        load_params(["timeline=daily_topic_when_quiet", "alarm_days=0"])


# -- both engines ---------------------------------------------------------------------------------
def test_both_engines_fire_on_the_same_days_and_apply_the_change(engine):
    """A deterministic condition (someone is in the group: the founder) fires on days 5, 16, 27
    and 38 on either engine — the rule, not the engine, says when."""
    always = Change(set={"cadence.posts_per_week": 9.0}, label="the founder posts more",
                    when=Condition("members", ">=", 1, 5), repeat=True, cooldown_days=10)
    never = Change(set={"ads.policy": "ban"}, label="never", when=Condition("members", "<", 0, 1))
    res = sim.run(make_params(days=40, seed=2, engine={"name": engine}, timeline=[always, never]))
    reactions = of_kind(res.events, "reaction")
    assert [e.day for e in reactions] == [5, 16, 27, 38]
    assert reactions[0].text == "Members reached 1 for 5 days: the founder posts more"
    assert res.params.cadence.posts_per_week == 9.0
    assert res.params.ads.policy.value != "ban"


def test_a_reaction_changes_the_run_from_its_day_on(engine):
    """Until the day it fires the run is the run without it; from then on it differs."""
    change = Change(set={"cadence.posts_per_week": 28.0}, label="flood", when=Condition("members", ">=", 1, 20))
    base = make_params(days=60, seed=4, engine={"name": engine})
    plain, reacting = sim.run(base), sim.run(make_params(days=60, seed=4, engine={"name": engine}, timeline=[change]))
    assert [e.day for e in of_kind(reacting.events, "reaction")] == [20]
    assert list(plain.rows)[:20] == list(reacting.rows)[:20]
    assert [r["msgs_content"] for r in plain.rows][20:] != [r["msgs_content"] for r in reacting.rows][20:]


def test_a_sweep_report_says_when_a_playbook_reacts():
    """The report's context box (analysis/provenance.timeline_words) tells the condition, not 'day -1'."""
    from analysis.provenance import timeline_words

    cfg = [{"day": -1, "label": "the founder started a daily topic", "set": {},
            "when": {"metric": "weekly_speaking_rate", "op": "<", "value": 0.1, "for_days": 14}}]
    assert timeline_words(cfg) == "when speaking fell below 10 % for two weeks: the founder started a daily topic"


@pytest.mark.parametrize("preset", ["playbooks", "optimise_playbook"])
def test_the_policy_search_presets_name_playbooks_that_compose(preset):
    """Every playbook a preset sweeps is a file of configs/timeline/ that composes and validates
    on the preset's group, and reacts (all but ``none``)."""
    import yaml

    from analysis.compose import CONFIG_DIR

    swept = yaml.safe_load((CONFIG_DIR / "experiment" / f"{preset}.yaml").read_text())["hydra"]["sweeper"]["params"]
    spec = swept["timeline"]
    names = [n.strip() for n in spec[spec.find("(") + 1:spec.rfind(")") if ")" in spec else None].split(",")]
    assert "none" in names and len(names) >= 4
    for name in names:
        p = load_params(["scenario=social_chat_group", f"timeline={name}"])
        assert (name == "none") == (not p.timeline)
        assert all(c.when is not None for c in p.timeline)


@pytest.mark.slow
def test_banning_ads_when_they_flood_the_talk_lowers_their_share():
    """typical_group with ban_ads_when_flooded (ads > 10 % of messages for a week → ban), paired by
    seed with the same groups left alone (40 seeds, vector engine): the ads' share of all messages
    falls (one-sided Wilcoxon signed-rank p < 0.01; measured 9.3 % → 7.2 %, p = 5·10⁻⁴ on
    2026-12-06 with dormancy merged; 20 seeds gave p = 0.03, too few for the smaller effect), and a
    group whose ads never flood it lives exactly the run without the playbook."""
    from scipy import stats

    def runs(playbook: str) -> list:
        return sim.run([load_params(["scenario=typical_group", "engine=vector", f"seed={s}", f"timeline={playbook}"])
                        for s in range(40)])

    alone, reacting = runs("none"), runs("ban_ads_when_flooded")
    share = [[r.outcomes["ads_visible"] / max(r.outcomes["messages_total"], 1) for r in rs] for rs in (alone, reacting)]
    assert stats.wilcoxon(share[0], share[1], alternative="greater").pvalue < 0.01
    quiet = [i for i, r in enumerate(reacting) if not of_kind(r.events, "reaction")]
    assert quiet and all(list(alone[i].rows) == list(reacting[i].rows) for i in quiet)


def test_every_watchable_number_is_in_both_engines_rows():
    from sim.vector.observe import COLUMNS
    from sim.vocab import REACTION_METRICS

    mesa_row = sim.run(make_params(days=3, seed=1)).rows[-1]
    for name in REACTION_METRICS:
        if name != "ad_share":  # derived from the message columns (rules.reactions.metric)
            assert name in COLUMNS and name in mesa_row, name
