"""Dormancy (issue 32 item 1; sim/rules/dormancy.py): who fades stays asleep, on both engines.

Each run-level test would fail with ``dormancy.enabled = false``: no one is ever dormant then."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim import run
from sim.params import Dormancy
from sim.rules import dormancy
from sim.rules.floats import dormancy as dormancy_floats
from tests.conftest import make_params


def _d(**over) -> SimpleNamespace:
    return SimpleNamespace(**{**vars(Dormancy()), **over})


def test_only_faded_interest_stays_and_a_share_of_the_need_gone_exits():
    d = _d(bored_stay_share=0.9, need_gone_exit_share=0.25)
    assert dormancy_floats.stay_share(True, False, d) == 0.9
    assert dormancy_floats.stay_share(False, True, d) == 0.75
    assert dormancy_floats.stay_share(False, False, d) == 0.0  # overload, ads, a friend or KOL gone: they leave
    assert dormancy_floats.stay_share(True, False, _d(enabled=False)) == 0.0
    # The leave draw u < h decides both: u < h · stay sleeps, the rest leave.
    assert dormancy_floats.falls_dormant(0.05, 0.1, True, False, d)
    assert not dormancy_floats.falls_dormant(0.095, 0.1, True, False, d)


def test_the_rules_give_the_same_values_on_floats_and_arrays():
    d = _d()
    sat = np.array([0.0, 0.3, 0.9])
    assert np.array_equal(dormancy.fade_hazard(sat, d), [dormancy_floats.fade_hazard(float(x), d) for x in sat])
    notified, packets, renewal = np.array([True, False]), np.array([2, 0]), np.array([0.5, 0.0])
    assert np.array_equal(dormancy.wake_chance(notified, packets, renewal, d),
                          [dormancy_floats.wake_chance(bool(a), int(b), float(c), d)
                           for a, b, c in zip(notified, packets, renewal)])


def test_a_mention_a_red_packet_and_renewal_wake_more_and_the_chance_is_a_probability():
    d = _d()
    quiet = dormancy_floats.wake_chance(False, 0, 0.0, d)
    assert quiet == d.base_wake
    assert dormancy_floats.wake_chance(True, 0, 0.0, d) > quiet
    assert dormancy_floats.wake_chance(False, 3, 0.0, d) > quiet
    assert dormancy_floats.wake_chance(False, 0, 0.5, d) > quiet
    assert dormancy_floats.wake_chance(True, 3, 100.0, d) == 1.0
    assert dormancy_floats.visit_factor(True, d) == d.visit_factor and dormancy_floats.visit_factor(False, d) == 1.0


def _rows(engine: str, **dormancy_over):
    p = make_params(days=200, seed=3, engine={"name": engine}, dormancy=dormancy_over)
    return run(p).rows


@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_members_fall_asleep_and_stay_members_unless_purged(engine):
    on = _rows(engine)
    off = _rows(engine, enabled=False)
    assert max(r["dormant"] for r in off) == 0
    last = on[len(on) - 1]
    assert last["dormant"] > 0.3 * last["members"]  # a silent majority stays in the group
    assert all(r["dormant"] <= r["muted"] for r in on)  # the dormant are muted
    # Leaving for fading interest turns into sleeping: fewer 'bored' leavers than without dormancy.
    assert sum(r["leaves_bored"] for r in on) < sum(r["leaves_bored"] for r in off)


@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_the_zombie_purge_removes_the_dormant(engine):
    p = make_params(days=200, seed=3, engine={"name": engine}, churn={"zombie_purge": True})
    rows = run(p).rows
    purge_days = [r for r in rows if r["day"] > 0 and r["day"] % p.churn.purge_every_days == 0]
    before = {r["day"]: r["dormant"] for r in rows}
    assert any(r["leaves_purged"] > 0 for r in purge_days)
    # On a purge day the sleepers who have been silent long enough go: dormancy drops.
    assert any(r["dormant"] < before[r["day"] - 1] for r in purge_days if before[r["day"] - 1] > 0)
