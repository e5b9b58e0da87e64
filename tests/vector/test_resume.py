"""Groups that start from a state on the vector engine (sim/vector/resume.py): a snapshot of
a Mesa run continued, a described group founded. Fast checks of the copy; the ensembles that
compare the continued futures with the Mesa engine's are in test_equivalence.py."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.files import write_atomic
from sim import Params, ParamError, simulate
from sim.processes.lifecycle import PHASES
from sim.snapshot import dumps
from sim.vector import simulate_batch
from sim.vector.engine import Engine
from sim.vector.observe import COLUMNS, record

DAY = 60  # the snapshot's day
#: Row columns that are the state of the group on the day (not counts of what happened that day).
STATE_COLUMNS = ("members", "muted", "members_founder", "members_kol", "members_active", "members_lurker",
                 "members_spammer", "members_vip", "daily_active", "weekly_active", "phase", "founder_energy",
                 "quality", "mean_satisfaction")

DESCRIPTION = """\
founder: {tenure_days: 120, energy: 0.7}
members:
  - {role: kol, count: 3, tenure_days: 100}
  - {role: active, count: 20, tenure_days: [20, 100], satisfaction: 0.7}
  - {role: lurker, count: 60, tenure_days: [5, 100]}
  - {role: spammer, count: 4, tenure_days: [1, 10]}
  - {name: Ada, role: kol, tenure_days: 120, fit: 0.9, expertise: 0.9}
"""


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """A typical group on day DAY (the Mesa engine), with members who left and role changes."""
    result = simulate(Params(seed=11, days=DAY))
    path = tmp_path_factory.mktemp("snap") / "snapshot.pkl"
    write_atomic(path, dumps(result.model))
    return path, result


def _continued(path, seed: int, days: int = DAY + 30) -> Params:
    p = Params(seed=seed, days=days)
    p.start.snapshot = str(path)
    return p


def test_the_copy_is_the_group_on_its_day(snapshot):
    """Everything a day's row reads from the group's state — members by role, muted, who
    visited this day and this week, satisfaction, energy, quality, phase — comes out of the
    arrays as the Mesa model has it."""
    path, mesa = snapshot
    from sim.vector import resume

    params = [_continued(path, 0)]
    engine = Engine(params, resume.starting_models(params))
    resume.place(engine, engine.models)
    row = dict(zip(COLUMNS, record(engine)[0]))
    for key in STATE_COLUMNS:
        want = mesa.rows[-1][key]
        want = PHASES.index(want) if key == "phase" else want
        assert row[key] == pytest.approx(want), key
    batch, model = engine.batch, mesa.model
    present = batch.present[0]
    degree = batch.ties.degree(np.array([0]), batch.N)[0]
    for m in model.agents:
        s = int(np.flatnonzero(present & (batch.uid[0] == m.unique_id))[0])
        assert degree[s] == model.network.degree(m.unique_id)
        weight = sum(d["weight"] for d in model.network[m.unique_id].values())
        assert batch.tie_weight_now[0, s] == weight and batch.tie_weight_ever[0, s] == m.tie_weight_ever
    if model.friends is not None:
        n = model.friends.n
        assert (engine.latent.inside[0, :n] == np.array(model.friends.inside)).all()
        assert (engine.latent.state[0, :n] == np.array(model.friends.state)).all()


def test_a_continued_run_keeps_its_history_and_goes_on(snapshot):
    path, mesa = snapshot
    run = simulate_batch([_continued(path, 3)])[0]
    assert len(run.rows) == DAY + 31 and run.rows[-1]["day"] == DAY + 30
    assert list(run.rows)[: DAY + 1] == list(mesa.rows), "the days before the snapshot are the Mesa run's"
    assert run.events[: len(mesa.events)] == mesa.events
    before = {m["id"]: m for m in mesa.member_rows()}
    after = {m["id"]: m for m in run.members}
    gone = [i for i, m in before.items() if m["leave_day"] != ""]
    assert gone and all(after[i]["leave_day"] == before[i]["leave_day"] for i in gone)
    assert all(after[i]["role_history"].startswith(before[i]["role_history"]) for i in before)
    newcomers = [m for i, m in after.items() if i not in before]
    assert newcomers and min(m["id"] for m in newcomers) > max(before) and all(m["join_day"] > DAY for m in newcomers)
    assert sum(r["msgs_valuable"] + r["msgs_chat"] for r in list(run.rows)[DAY + 1:]) > 0


def test_continued_runs_are_reproducible_and_independent_of_their_batch(snapshot):
    path, _ = snapshot
    alone = simulate_batch([_continued(path, 5)])[0]
    again = simulate_batch([_continued(path, 5)])[0]
    mixed = simulate_batch([Params(seed=1, days=30), _continued(path, 4), _continued(path, 5)])
    assert list(alone.rows) == list(again.rows) == list(mixed[2].rows)
    assert list(mixed[0].rows) == list(simulate_batch([Params(seed=1, days=30)])[0].rows)
    assert list(mixed[1].rows)[DAY + 1:] != list(alone.rows)[DAY + 1:], "another seed, another future"


def test_a_described_group_starts_as_the_mesa_engine_founds_it(tmp_path):
    path = tmp_path / "group.yaml"
    path.write_text(DESCRIPTION)
    p = Params(seed=2, days=20)
    p.start.description = str(path)
    mesa = simulate(p)
    run = simulate_batch([p])[0]
    assert run.rows[0] == mesa.rows[0]
    assert len(run.rows) == 21
    labels = {m["label"] for m in run.members}
    assert {"founder", "Ada", "kol1", "lurker60"} <= labels
    assert run.rows[0]["members"] == 1 + 3 + 20 + 60 + 4 + 1


@pytest.mark.parametrize("key, value", [("snapshot", "no_such.pkl"), ("description", "no_such.yaml")])
def test_a_missing_start_file_fails_naming_the_key(key, value):
    p = Params(seed=0, days=20)
    setattr(p.start, key, value)
    with pytest.raises(ParamError, match=f"start.{key} = {value}"):
        simulate_batch([p])


def test_a_snapshot_that_cannot_be_continued_is_refused_by_the_vector_engine_too(snapshot):
    path, _ = snapshot
    with pytest.raises(ParamError, match=f"days = {DAY} must be later"):
        simulate_batch([_continued(path, 0, days=DAY)])
