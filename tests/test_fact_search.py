"""The fact search (analysis/fact_search.py): loss, resume, held-out facts kept apart."""

from __future__ import annotations

import math

import pytest

from analysis import fact_search, facts, r4ds
from analysis.facts import FactResult


#: What the facts whose shortfall reads more than value and interval put in their details.
_DETAILS = {"red_packet": {"share_below_30": 0.5},
            "cadence_optimum": {"interior": True, "optimum_minus_none_low": -0.01, "optimum_minus_max_low": 0.02}}


def _result(key: str, passed: bool, value: float, lo: float = 0.0) -> FactResult:
    return FactResult(key, "", "", "", "", value, (lo, value), passed, 10, details=_DETAILS.get(key, {}))


def test_cadence_shortfall_grows_with_how_far_the_ends_are_from_worse():
    """0 when passed; otherwise each end's interval reach below 0 in units of 0.05, plus 0.25
    for an optimum at an end."""
    near = _result("cadence_optimum", False, 7.0)
    assert fact_search.SHORTFALL["cadence_optimum"](near) == pytest.approx(0.2)
    at_end = FactResult("cadence_optimum", "", "", "", "", 0.0, (0, 0), False, 10, details={
        "interior": False, "optimum_minus_none_low": 0.0, "optimum_minus_max_low": -0.05})
    assert fact_search.SHORTFALL["cadence_optimum"](at_end) == pytest.approx(1.25)
    assert fact_search.SHORTFALL["cadence_optimum"](_result("cadence_optimum", True, 7.0)) == 0.0


def test_loss_counts_failures_and_how_far_they_miss():
    ok = _result("no_rules_end", True, 0.95)
    near = _result("no_rules_end", False, 0.85)
    far = _result("no_rules_end", False, 0.2)
    assert fact_search.loss([ok]) == 0.0
    assert 1.0 < fact_search.loss([near]) < fact_search.loss([far])
    assert fact_search.loss([_result("random_self_operation", False, 0.16)]) == pytest.approx(2.0)


def test_held_out_facts_are_never_searched():
    searched = fact_search.searched_facts()
    assert not set(searched) & set(fact_search.HELD_OUT)
    assert fact_search.R4DS_KEY in searched
    assert (set(searched) - {fact_search.R4DS_KEY}) | set(fact_search.HELD_OUT) | set(fact_search.NOT_SEARCHED) \
        == set(facts.FACTS)
    assert set(fact_search.SHORTFALL) >= set(searched) | set(fact_search.HELD_OUT)


def test_common_overrides_reach_every_run_and_are_undone(monkeypatch):
    seen = []
    monkeypatch.setattr(facts, "run_ensemble", lambda jobs, **kw: seen.extend(jobs) or _Empty())
    monkeypatch.setattr(facts, "ok_runs", lambda table: table)
    with facts.common_overrides(["visiting.habit_mean=0.5"]):
        facts.run_many([["scenario=typical_group", "seed=1"]])
    facts.run_many([["scenario=typical_group", "seed=2"]])
    assert seen == [["visiting.habit_mean=0.5", "scenario=typical_group", "seed=1"],
                    ["scenario=typical_group", "seed=2"]]


class _Empty:
    def to_dict(self, orient):
        return []


def test_search_resumes_from_its_trials_file(tmp_path, monkeypatch):
    """Two trials, then a rerun asking for three measures only the third; trial 0 is the
    defaults; the held-out facts are measured once, for the best trial. (Facts are stubbed
    by a loss that depends on the proposed values: this tests the search's bookkeeping.)"""
    calls = []

    def fake_measure(keys, values, size="search"):
        calls.append((tuple(keys), dict(values)))
        return [_result(k, values["visiting.habit_mean"] < 0.45, 0.9) for k in keys]

    monkeypatch.setattr(fact_search, "measure", fake_measure)
    first = fact_search.search(tmp_path, 2, progress=lambda s: None)
    assert [t["number"] for t in first["trials"]] == [0, 1]
    assert first["trials"][0]["params"] == {d.path: fact_search._default(d.path) for d in fact_search.SPACE}
    calls.clear()
    again = fact_search.search(tmp_path, 3, progress=lambda s: None)
    searched = [c for c in calls if c[0] == tuple(fact_search.searched_facts())]
    assert len(again["trials"]) == 3 and len(searched) == 1
    assert again["trials"][:2] == first["trials"]
    assert set(again["held_out_results"]["facts"]) == set(fact_search.HELD_OUT)
    assert again["held_out_results"]["params"] == again["best"]["params"]
    with pytest.raises(ValueError, match="another search space"):
        monkeypatch.setattr(fact_search, "SPACE", fact_search.SPACE[:2])
        fact_search.search(tmp_path, 4, progress=lambda s: None)


def test_r4ds_distances_are_zero_on_target_and_grow_with_the_miss():
    real = {"weekly_posting_share_of_active": 0.2, "daily_posting_share_of_active": 0.1}
    met = {"weekly_posting_share_of_active": 0.25, "daily_posting_share_of_active": 0.08,
           "daily_active_share": 0.5, "daily_messages_p99_over_median": 4.0}
    assert r4ds.target_distances(met, real) == {k: 0.0 for k in r4ds.TARGETS}
    far = {**met, "weekly_posting_share_of_active": 0.6, "daily_posting_share_of_active": 0.1 / 3,
           "daily_active_share": 0.7, "daily_messages_p99_over_median": 3.0}
    d = r4ds.target_distances(far, real)
    three = math.log(3) / math.log(r4ds.CLOSE_FACTOR) - 1  # ×3 either way
    assert d["weekly_posting_share_of_active"] == pytest.approx(three)
    assert d["daily_posting_share_of_active"] == pytest.approx(three)
    assert d["daily_active_share"] == pytest.approx(0.4)
    assert d["daily_messages_p99_over_median"] == pytest.approx(0.25)
    assert r4ds.target_distances({**met, "daily_active_share": float("nan")}, real)["daily_active_share"] == 1.0


def test_r4ds_term_runs_the_healthy_group_with_the_trials_values(monkeypatch):
    """The R4DS term measures the target scenario with the trial's overrides, and its loss is
    the mean distance (a met target adds nothing)."""
    seen = {}
    real = r4ds.stats(r4ds.real_frame(r4ds.load_r4ds()))

    def fake_frames(scenarios, seeds, days, overrides=(), **kw):
        seen.update(scenarios=list(scenarios), seeds=seeds, days=days, overrides=list(overrides))
        return {s: [r4ds.real_frame(r4ds.load_r4ds())] * seeds for s in scenarios}  # R4DS itself: within ×1.5

    monkeypatch.setattr(r4ds, "model_frames", fake_frames)
    with facts.common_overrides(["visiting.habit_mean=0.3"]):
        res = fact_search.r4ds_targets("search")
    assert seen == {"scenarios": [r4ds.TARGET_SCENARIO], "seeds": facts.SIZES["search"], "days": 677,
                    "overrides": ["visiting.habit_mean=0.3"]}
    expect = r4ds.target_distances(real, real)
    assert res.details["distances"] == expect
    # R4DS meets every target (it is the reference; 5% open Slack daily; p99/median 6.6).
    assert expect == {k: 0.0 for k in r4ds.TARGETS}
    assert res.passed and res.value == 0.0 and fact_search.loss([res]) == 0.0
    missed = fact_search.FactResult(fact_search.R4DS_KEY, "", "", "", "", 0.8, (0.8, 0.8), False, 8)
    assert fact_search.loss([missed]) == pytest.approx(1.8)  # one failing term plus the mean distance


def test_r4ds_term_fails_when_most_groups_fall_silent(monkeypatch):
    """Only groups still posting at the end are compared, and a majority must be: R4DS's
    shares measured on a group that is dying would reward death."""
    real_frame = r4ds.real_frame(r4ds.load_r4ds())
    silent = real_frame.copy()
    silent.loc[silent.index[-60:], "posters"] = 0  # nobody posts in its last two months

    def frames(k_alive):
        n = facts.SIZES["search"]
        return lambda scenarios, **kw: {s: [real_frame] * k_alive + [silent] * (n - k_alive) for s in scenarios}

    n = facts.SIZES["search"]
    monkeypatch.setattr(r4ds, "model_frames", frames(n // 2))
    half = fact_search.r4ds_targets("search")
    assert half.passed and f"{n // 2}/{n}" in half.measured
    monkeypatch.setattr(r4ds, "model_frames", frames(n // 2 - 1))
    most_dead = fact_search.r4ds_targets("search")
    assert not most_dead.passed and most_dead.value == 1.0


def test_a_refinement_searches_only_the_named_parameters_and_facts(tmp_path, monkeypatch):
    """--params/--facts/--size: the other parameters are not proposed (they keep their
    defaults), only the named facts are measured, at the named size; names are checked."""
    calls = []

    def fake_measure(keys, values, size="search"):
        calls.append((tuple(keys), dict(values), size))
        return [_result(k, values["roles.ease_activate"] < 0.01, 0.9) for k in keys]

    monkeypatch.setattr(fact_search, "measure", fake_measure)
    rec = fact_search.search(tmp_path, 3, progress=lambda s: None, params=["roles.ease_activate", "churn.lost_ties_hazard"],
                             keys=["star_vs_mesh", "red_packet"], size="full")
    assert [d["path"] for d in rec["space"]] == ["churn.lost_ties_hazard", "roles.ease_activate"]
    assert rec["size"] == 100
    searched = [c for c in calls if c[0] == ("red_packet", "star_vs_mesh")]
    assert len(searched) == 3 and all(set(c[1]) == {"roles.ease_activate", "churn.lost_ties_hazard"} for c in searched)
    assert all(c[2] == "full" for c in calls)
    with pytest.raises(ValueError, match="another search space, fact list or size"):
        fact_search.search(tmp_path, 4, progress=lambda s: None, params=["roles.ease_activate"],
                           keys=["star_vs_mesh", "red_packet"], size="full")
    with pytest.raises(ValueError, match="params: roles.nope is not one of: visiting.habit_mean"):
        fact_search.search(tmp_path / "x", 1, params=["roles.nope"])
    with pytest.raises(ValueError, match="facts: participation is not one of"):  # held out stays out
        fact_search.search(tmp_path / "y", 1, keys=["participation"])
    with pytest.raises(ValueError, match="size: 'huge'"):
        fact_search.search(tmp_path / "z", 1, size="huge")
