"""The vector engine's own contract: same outputs' shape as the Mesa engine, reproducible,
independent of the batch, clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from sim import Params, ParamError, simulate
from sim.observe import MEMBER_COLUMNS
from sim.vector import simulate_batch

DAYS = 40


def _params(seed: int, **over) -> Params:
    p = Params(seed=seed, days=DAYS)
    for key, value in over.items():
        section, _, name = key.partition("__")
        setattr(getattr(p, section), name, value)
    return p


def test_rows_and_outcomes_have_the_mesa_columns():
    mesa = simulate(_params(1))
    vec = simulate_batch([_params(1)])[0]
    assert list(vec.rows[0]) == list(mesa.rows[0])
    assert set(vec.outcomes) == set(mesa.outcomes)
    assert len(vec.rows) == DAYS + 1 and vec.rows[-1]["day"] == DAYS
    assert {m["id"] for m in vec.members} and list(vec.members[0]) == list(mesa.member_rows()[0]) == list(
        MEMBER_COLUMNS
    )
    assert vec.outcomes["members_ever"] == len(vec.members)


def test_same_seed_same_run_and_seeds_differ():
    a, b = simulate_batch([_params(3), _params(3)])
    c = simulate_batch([_params(4)])[0]
    assert list(a.rows) == list(b.rows)
    assert list(a.rows) != list(c.rows)


def test_a_community_does_not_depend_on_its_batch():
    """Community k alone = community k in a batch of other seeds and other parameter sets."""
    alone = simulate_batch([_params(7)])[0]
    batch = simulate_batch(
        [
            _params(1),
            _params(2, ads__policy=__import__("sim.params").params.AdPolicy.free),
            _params(7),
            _params(9, arrivals__promotion_per_day=5.0),
        ]
    )
    assert list(batch[2].rows) == list(alone.rows)
    assert batch[2].outcomes == alone.outcomes
    assert [m["messages_total"] for m in batch[2].members] == [m["messages_total"] for m in alone.members]


def test_mixed_horizons_stop_each_run_at_its_own_end():
    short, long_ = simulate_batch([Params(seed=1, days=10), Params(seed=1, days=30)])
    assert len(short.rows) == 11 and len(long_.rows) == 31
    assert list(short.rows) == list(long_.rows)[:11]


def test_out_of_range_values_fail_before_running():
    with pytest.raises(ParamError, match="ads.quota_per_day"):
        simulate_batch([_params(0, ads__quota_per_day=-1)])


def test_population_grows_and_talks():
    """Not a calibration: a default group gains members and messages in its first weeks."""
    runs = simulate_batch([_params(s) for s in range(4)])
    members = np.array([[r["members"] for r in run.rows] for run in runs])
    assert (members[:, -1] > members[:, 0]).all()
    assert all(run.outcomes["messages_total"] > 100 for run in runs)


def test_the_facts_trace_reads_either_engine():
    """analysis.facts.trace measures a vector result from its members rows as it measures a
    Mesa result from its model: same keys, one message count per person who joined."""
    from analysis.facts import trace

    p = _params(2)
    p.founder.leave_day = 20
    vec, mesa = trace(simulate_batch([p])[0]), trace(simulate(p))
    assert set(vec) == set(mesa)
    assert vec["founder_leave_day"] == mesa["founder_leave_day"] == 20
    run = simulate_batch([p])[0]
    people = [m for m in run.members if not m["role_history"].startswith(("0:founder", f"{m['join_day']}:spammer"))]
    assert len(vec["messages_by_member"]) == len(people) > 0
    assert vec["messages_by_member"] == sorted(vec["messages_by_member"], reverse=True)


def test_edgelist_cascade_survivors_are_the_k_core(tmp_path):
    """network.initial=edgelist + churn.mode=cascade on arrays: the group's network is frozen
    after day 0 and the survivors are exactly the ⌈c/b⌉-core (Garcia et al. 2013), with the
    members labelled by their nodes. Graphs of several shapes, in one batch."""
    import math

    from analysis.compose import load_params
    from analysis.facts import kcore_graphs, kcore_job, kcore_survivors, trace, Run

    graphs = kcore_graphs(6)
    jobs = [kcore_job(g, b, c, s, tmp_path) for g, b, c, s in graphs]
    results = simulate_batch([load_params(ov) for ov, _ in jobs])
    cores = 0
    for (g, b, c, _), (_, expected), res in zip(graphs, jobs, results):
        t = trace(res)
        got = kcore_survivors(Run((), res.outcomes, t["rows"], t))
        assert got == expected, (g.number_of_nodes(), math.ceil(c / b))
        assert res.outcomes["members_ever"] == g.number_of_nodes()
        assert {m["label"] for m in res.members} == {f"n{u}" for u in g.nodes}
        founder = next(m for m in res.members if m["role_history"].endswith(":founder"))
        assert founder["label"] == f"n{max(g.nodes, key=lambda n: (g.degree[n], f'n{n}'))}"
        cores += bool(expected) and len(expected) < g.number_of_nodes()
    assert cores >= 1 and any(not e for _, e in jobs)  # a partial core and an empty one were checked


def test_a_group_of_tens_of_thousands_fits_in_memory():
    """Ties are an edge table, so memory grows with ties, not slots²: a group that starts with
    30,000 members (dense tie matrices of its slots would take 5.4 GB; the dense layout stopped
    with a MemoryError) runs, and its tie table holds a few ends per member."""
    from sim.vector.engine import Engine

    p = _params(7, arrivals__cap=40_000, seeding__seed_users=29_999)
    p.days = 3
    engine = Engine([p])
    res = engine.run()[0]
    members = res.rows[-1]["members"]
    assert members > 29_000
    assert 0 < len(engine.batch.ties) < 20 * members
