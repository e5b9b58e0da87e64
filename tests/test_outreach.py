"""The outreach levers (sim/rules/outreach.py; issue 34): private chats with long-silent lurkers
(seed 004 L641–643), endorsing experts in the daily chat (seed 004 L283–284), answering posts
nobody answered (seed 004 L272–278).

The ensembles run the vector engine (12 groups × 150 days per arm, one batch: a few seconds);
each compares the lever on with the lever off on the same seeds, so a lever that did nothing
would fail."""

from __future__ import annotations

import numpy as np
import pytest

from sim import run
from sim.params import Costs, Engine, Outreach, Params
from sim.rules import costs, outreach
from tests.conftest import make_params

SEEDS, DAYS, SETTLED = range(12), 150, 60  # measured from day SETTLED on: past the launch


def _ensemble(seeds=SEEDS, **arms: dict) -> dict[str, list]:
    """The runs of each arm (its ``outreach`` settings), all in one vector batch."""
    params = [make_params(days=DAYS, seed=s, outreach=o, engine=Engine(name="vector")) for o in arms.values() for s in seeds]
    results = run(params)
    n = len(seeds)
    return {name: results[i * n:(i + 1) * n] for i, name in enumerate(arms)}


def _mean(runs, column, start=SETTLED) -> np.ndarray:
    """Per run, the mean of a daily column from day ``start`` on."""
    return np.array([np.mean([row[column] for row in r.rows[start:]]) for r in runs])


def test_the_levers_are_off_by_default() -> None:
    o = Params().outreach
    assert o.lurker_chats_per_day == 0 and o.endorsements_per_day == 0
    assert o.answers_per_day == 0
    assert all(outreach.reached_today(40, n, True) == 0
               for n in (o.lurker_chats_per_day, o.endorsements_per_day, o.answers_per_day))


def test_a_chat_wakes_leaves_or_does_nothing_in_the_stated_shares() -> None:
    o = Outreach(wake_prob=0.3, leave_prob=0.05)
    u = (np.arange(100_000) + 0.5) / 100_000
    outcome = outreach.chat_outcome(u, o)
    assert np.mean(outcome == outreach.WOKE) == pytest.approx(0.3, abs=1e-4)
    assert np.mean(outcome == outreach.LEFT) == pytest.approx(0.05, abs=1e-4)
    assert outreach.chat_outcome(0.9, o) == outreach.NOTHING  # the Mesa engine's float form agrees
    assert outreach.reached_today(np.array([1, 10]), np.array([3, 3]), np.array([True, True])).tolist() == [1, 3]
    assert outreach.reached_today(10, 3, False) == 0  # a burnt-out founder writes to nobody


def test_outreach_hours_are_founder_hours_and_nothing_while_off() -> None:
    c = Costs()
    base = costs.founder_hours(5, 1, 0, 2.0, 3, 0, c)
    assert costs.founder_hours(5, 1, 0, 2.0, 3, 0, c, 0, 0) == base  # bit for bit: off adds nothing
    assert costs.founder_hours(5, 1, 0, 2.0, 3, 0, c, 4, 2) == pytest.approx(
        base + 4 * c.hours_per_private_chat + 2 * c.hours_per_endorsement)


def test_the_mesa_engine_runs_the_levers_too() -> None:
    """Same rule, other engine: chats cost hours and remind some that they no longer need the
    group; endorsements make KOLs."""
    off = run(make_params(days=120, seed=1))
    on = run(make_params(days=120, seed=1, outreach={"lurker_chats_per_day": 5, "endorsements_per_day": 2,
                                                      "answers_per_day": 3}))
    hours = lambda r: sum(row["founder_hours"] for row in r.rows)  # noqa: E731
    assert hours(on) > hours(off) + 0.25 * 5 * 30  # at least a month of full days of chats
    assert sum(row["leaves_need_gone"] for row in on.rows) > sum(row["leaves_need_gone"] for row in off.rows)
    assert max(row["members_kol"] for row in on.rows) > max(row["members_kol"] for row in off.rows)


@pytest.mark.slow
def test_private_chats_with_lurkers_make_more_members_speak() -> None:
    """Seed 004 L641–643: one-to-one chats bring long-time lurkers back into the talk. Measured:
    off, 0.229 of members speak in a week and 0.68 are lurkers; with 3 chats a day 0.380 and
    0.41 (12 groups, days 60–150, 2026-12-06). Asserted: at least +0.05 speaking in every
    ensemble mean, fewer lurkers, a few leave when reminded, and the founder's hours."""
    runs = _ensemble(off={}, chats={"lurker_chats_per_day": 3})
    speak_off, speak_on = _mean(runs["off"], "weekly_speaking_rate"), _mean(runs["chats"], "weekly_speaking_rate")
    assert speak_on.mean() > speak_off.mean() + 0.05
    assert np.mean(speak_on > speak_off) >= 0.75  # in most groups, not on average only
    lurkers = {arm: np.mean([np.mean([row["members_lurker"] / max(1, row["members"]) for row in r.rows[SETTLED:]])
                             for r in rs]) for arm, rs in runs.items()}
    assert lurkers["chats"] < lurkers["off"] - 0.1
    # The chats wake the dormant too (sim/rules/dormancy.py): typical_group, 12 seeds, days 100-200,
    # 2026-12-06: 59 dormant members a day off, 30 with 3 chats a day.
    dormant = {arm: np.mean([np.mean([row["dormant"] for row in r.rows[SETTLED:]]) for r in rs])
               for arm, rs in runs.items()}
    assert dormant["chats"] < 0.8 * dormant["off"]
    left = {arm: np.mean([sum(row["leaves_need_gone"] for row in r.rows) for r in rs]) for arm, rs in runs.items()}
    assert left["chats"] > left["off"] + 3  # the reminded who no longer need the group (leave_prob 0.05)
    hours = {arm: np.mean([r.outcomes["founder_hours_total"] for r in rs]) for arm, rs in runs.items()}
    assert hours["chats"] > hours["off"] + 0.25 * 3 * 60  # at least 60 days of 3 chats at a quarter hour


@pytest.mark.slow
def test_endorsing_experts_makes_them_the_groups_kols() -> None:
    """Seed 004 L283–284: the admin's endorsement in daily chat makes experts the group's stars.
    Measured: off, 1.9 KOLs on a mean day after the first month; with 2 endorsements a day 4.1
    (12 groups, 2026-12-06). Asserted: at least one KOL more on average, more in most groups."""
    runs = _ensemble(off={}, endorse={"endorsements_per_day": 2})
    kol_off, kol_on = _mean(runs["off"], "members_kol", 30), _mean(runs["endorse"], "members_kol", 30)
    assert kol_on.mean() > kol_off.mean() + 1.0
    assert np.mean(kol_on > kol_off) >= 0.6
    hours = {arm: np.mean([r.outcomes["founder_hours_total"] for r in rs]) for arm, rs in runs.items()}
    assert hours["endorse"] > hours["off"]


@pytest.mark.slow
def test_answering_what_nobody_answered_keeps_people_talking() -> None:
    """Seed 004 L272–278: people stay quiet for fear nobody responds; the admin answering them
    keeps them. A small lever (a default group leaves only a few posts a day unanswered), so
    24 groups, paired by seed. Measured (days 60–150, 2026-12-06): +9.7 ± 3.0 valuable and
    +14.6 ± 5.3 chat messages a day, +8.5 ± 3.0 members. Asserted: more talk by over two
    standard errors of the paired difference, more members, and the hours."""
    runs = _ensemble(range(24), off={}, answers={"answers_per_day": 5})
    talk = {arm: _mean(rs, "msgs_valuable") + _mean(rs, "msgs_chat") for arm, rs in runs.items()}
    gain = talk["answers"] - talk["off"]
    assert gain.mean() > 2 * gain.std() / np.sqrt(gain.size)
    assert _mean(runs["answers"], "members").mean() > _mean(runs["off"], "members").mean()
    hours = {arm: np.mean([r.outcomes["founder_hours_total"] for r in rs]) for arm, rs in runs.items()}
    assert hours["answers"] > hours["off"]


@pytest.mark.slow
def test_looking_after_the_core_keeps_the_whole_group_talking() -> None:
    """Seed 004 L638–640: the 20 % who keep talking carry the group; looked after, they keep it
    up and draw the others in. Measured (12 groups, days 30–150, 2026-12-06): valuable messages
    a day 37.9 → 54.3, chat 64.1 → 93.2, active members 22.1 → 25.8, weekly speaking rate 0.228 →
    0.250. Asserted: more talk by over two standard errors of the paired difference, more
    active members, and the founder's hours."""
    runs = _ensemble(off={}, core={"core_care": True})
    talk = {arm: _mean(rs, "msgs_valuable", 30) + _mean(rs, "msgs_chat", 30) for arm, rs in runs.items()}
    gain = talk["core"] - talk["off"]
    assert gain.mean() > 2 * gain.std() / np.sqrt(gain.size)
    assert _mean(runs["core"], "members_active", 30).mean() > _mean(runs["off"], "members_active", 30).mean() + 1
    hours = {arm: np.mean([r.outcomes["founder_hours_total"] for r in rs]) for arm, rs in runs.items()}
    assert hours["core"] > hours["off"] + 20


@pytest.mark.slow
def test_a_red_packet_that_carries_a_question_gets_it_answered() -> None:
    """Seed 004 L280: a question in a red packet's title gets answers (paying is the quickest
    way to good information). Measured (24 groups, days 60–150, 2026-12-06), 3 packets a day:
    +33.4 ± 8.2 messages a day, +13.5 ± 3.5 members, ~2,460 yuan a run. Asserted: more talk by
    over two standard errors of the paired difference, more members, and the money."""
    runs = _ensemble(range(24), off={}, packets={"question_packets_per_day": 3})
    talk = {arm: _mean(rs, "msgs_valuable") + _mean(rs, "msgs_chat") for arm, rs in runs.items()}
    gain = talk["packets"] - talk["off"]
    assert gain.mean() > 2 * gain.std() / np.sqrt(gain.size)
    assert _mean(runs["packets"], "members").mean() > _mean(runs["off"], "members").mean()
    assert min(r.outcomes["costs_total"] for r in runs["packets"]) > 0 == max(r.outcomes["costs_total"] for r in runs["off"])
