"""Invariants over random configurations (hypothesis): whatever the strategy and the engine, the
books balance."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import run
from sim.params import AdPolicy, ChurnMode, EntryThreshold, InitialNetwork, SeedStrategy
from sim.processes.lifecycle import PHASES, TERMINAL
from sim.roles import ROLES
from tests.conftest import make_params

configs = st.fixed_dictionaries({
    "seed": st.integers(0, 2**32 - 1),
    "days": st.integers(1, 60),
    "seeding": st.fixed_dictionaries({"strategy": st.sampled_from(SeedStrategy),
                                      "seed_users": st.integers(0, 60),
                                      "recruits_per_day": st.floats(0, 10)}),
    "entry": st.sampled_from([{"threshold": EntryThreshold.open},
                              {"threshold": EntryThreshold.invite, "promotion_pass": 0.0},
                              {"threshold": EntryThreshold.application, "fit_cutoff": 0.5},
                              {"threshold": EntryThreshold.paid, "fee": 20.0, "fit_cutoff": 0.4}]),
    "arrivals": st.fixed_dictionaries({"cap": st.integers(61, 500), "promotion_per_day": st.floats(0, 30),
                                       "spam_base": st.floats(0, 3), "invite_rate": st.floats(0, 0.1)}),
    "ads": st.fixed_dictionaries({"policy": st.sampled_from(AdPolicy), "quota_per_day": st.integers(1, 10)}),
    "moderation": st.fixed_dictionaries({"capacity_per_day": st.floats(0, 30), "kol_admins": st.booleans()}),
    "cadence": st.fixed_dictionaries({"posts_per_week": st.floats(0, 40), "monthly_event": st.booleans(),
                                      "red_packets_per_week": st.floats(0, 14)}),
    "monetisation": st.fixed_dictionaries({"enabled": st.booleans()}),
    "churn": st.fixed_dictionaries({"mode": st.sampled_from(ChurnMode), "zombie_purge": st.booleans(),
                                    "zombie_days": st.integers(1, 60), "purge_every_days": st.integers(1, 30)}),
    "network": st.fixed_dictionaries({"initial": st.sampled_from([InitialNetwork.star, InitialNetwork.mesh])}),
    "needs": st.fixed_dictionaries({"shift_day": st.integers(-1, 60)}),
})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs)
def test_books_balance(engine, cfg):
    r = run(make_params(engine={"name": engine}, **cfg))
    members = r.member_rows()
    rows = r.rows
    cap = cfg["arrivals"]["cap"]
    joined = left = 0
    terminal_seen = None
    voices = r.params.phases.min_weekly_speakers
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float):
                assert math.isfinite(value), f"{key} is {value} on day {row['day']}"
        assert sum(row[f"members_{role}"] for role in ROLES) == row["members"]
        joined += row["joins"]
        left += row["leaves"]
        assert joined - left == row["members"], f"members != joins - leaves on day {row['day']}"
        assert row["members"] <= cap
        assert 0.0 <= row["weekly_speaking_rate"] <= 1.0
        assert row["phase"] in PHASES
        if row["weekly_speakers"] < voices:  # alive means talking: never mature or self-operating below it
            assert row["phase"] not in ("mature", "self_operating"), f"near-silent yet {row['phase']} on day {row['day']}"
        if terminal_seen == "dead":
            assert row["phase"] == "dead"
        if row["phase"] in TERMINAL:
            terminal_seen = row["phase"] if terminal_seen != "dead" else "dead"
        if terminal_seen == "ad_group":
            assert row["phase"] in TERMINAL
    assert joined == len(members)
    assert left == sum(m["leave_day"] != "" for m in members)
    assert len(rows) == r.outcomes["days_run"] <= cfg["days"] + 1
    o = r.outcomes
    assert 0 <= o["top20_message_share"] <= 1 and 0 <= o["organic_join_share"] <= 1
    assert o["lifespan_days"] <= o["days_run"]
    living = [x["phase"] not in TERMINAL and x["weekly_speakers"] >= voices for x in rows]
    ends = [i for i in range(len(rows)) if not any(living[i:])]  # the rows of the last quiet stretch
    assert o["censored"] == living[-1]
    assert o["lifespan_days"] == (rows[-1]["day"] if living[-1] else rows[ends[0]]["day"])
    if not cfg["monetisation"]["enabled"]:  # then revenue is entry fees only
        fee = cfg["entry"].get("fee", 0.0)
        paying = sum(m["channel"] in ("founder", "word_of_mouth", "promotion", "paid_ads") for m in members)
        assert math.isclose(o["revenue"], fee * paying)
