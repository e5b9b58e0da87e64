"""Starting from a group's current state: snapshots continue a run exactly; a described
group starts with the members, tenure and ties its owner described."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle

import pytest

from sim import CommunityModel, simulate, snapshot
from sim.params import AdPolicy, ParamError, Start
from sim.roles import Role
from sim.start import DescriptionError
from sim.vector import simulate_batch
from tests.conftest import make_params

BUSY = {"arrivals": {"promotion_per_day": 2.0}}  # newcomers every day: new agent ids after the snapshot


def _snapshot_at(params, day: int, path):
    taken = []
    simulate(params, on_day=lambda m: taken.append(snapshot.dumps(m)) if m.day == day else None)
    path.write_bytes(taken[0])
    return path


def _with_header(path, to, **changes):
    """A copy of snapshot ``path`` whose header line has ``changes``."""
    magic, header, payload = path.read_bytes().split(b"\n", 2)
    to.write_bytes(b"\n".join([magic, json.dumps({**json.loads(header), **changes}).encode(), payload]))
    return to


def _members(result):
    return [(m.unique_id, m.role, m.join_day, m.leave_day, m.leave_reason, m.satisfaction) for m in result.model.roster]


@pytest.mark.parametrize("seed", [4, 7])
def test_continuing_a_snapshot_is_the_uninterrupted_run(tmp_path, seed):
    params = make_params(seed=seed, days=140, **BUSY)
    whole = simulate(params)
    path = _snapshot_at(params, 50, tmp_path / "snapshot.pkl")
    cont = simulate(dataclasses.replace(params, start=Start(snapshot=str(path))))
    assert cont.rows[51:] == whole.rows[51:] and len(cont.rows) == len(whole.rows)
    assert cont.rows == whole.rows  # the first 50 days come with the snapshot
    assert cont.events == whole.events and cont.outcomes == whole.outcomes
    assert _members(cont) == _members(whole)


def test_a_snapshot_continues_under_another_strategy_and_seed(tmp_path):
    params = make_params(seed=2, days=120, **BUSY)
    path = _snapshot_at(params, 40, tmp_path / "snapshot.pkl")
    same = simulate(dataclasses.replace(params, start=Start(snapshot=str(path))))
    other_seed = simulate(dataclasses.replace(params, seed=3, start=Start(snapshot=str(path))))
    assert other_seed.rows[:41] == same.rows[:41] and other_seed.rows[41:] != same.rows[41:]
    banned = make_params(seed=2, days=120, ads={"policy": AdPolicy.ban}, start=Start(snapshot=str(path)), **BUSY)
    continued = simulate(banned)
    assert continued.model.p.ads.policy is AdPolicy.ban  # the strategy comes from the new config
    assert continued.rows[:41] == same.rows[:41] and continued.rows[41:] != same.rows[41:]


def test_a_snapshot_that_cannot_be_continued_is_refused(tmp_path):
    params = make_params(seed=1, days=80)
    path = _snapshot_at(params, 60, tmp_path / "snapshot.pkl")
    with pytest.raises(ParamError, match=r"snapshot is of day 60; days = 50 must be later"):
        simulate(dataclasses.replace(params, days=50, start=Start(snapshot=str(path))))
    old = _with_header(path, tmp_path / "old.pkl", version=1)
    with pytest.raises(ParamError, match="format version 1, this model reads version"):
        simulate(dataclasses.replace(params, start=Start(snapshot=str(old))))
    header = json.loads(path.read_bytes().split(b"\n")[1])
    other = _with_header(path, tmp_path / "other.pkl", param_keys=[*header["param_keys"], "ads.removed_key"])
    with pytest.raises(ParamError, match="made with other parameters .*ads.removed_key"):
        simulate(dataclasses.replace(params, start=Start(snapshot=str(other))))
    junk = tmp_path / "junk.pkl"
    junk.write_text("not a pickle")
    with pytest.raises(ParamError, match="not a snapshot"):
        simulate(dataclasses.replace(params, start=Start(snapshot=str(junk))))
    with pytest.raises(ParamError, match="continue a saved group with sim.simulate"):
        CommunityModel(dataclasses.replace(params, start=Start(snapshot=str(path))))


class _Touch:
    """A pickle that runs ``touch <path>`` when a plain ``pickle.loads`` opens it."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.system, (f"touch {self.path}",)


class _Escape:
    """A pickle that reaches a function's globals through ``getattr`` (the way out of a naive allow-list)."""

    def __reduce__(self):
        return getattr, (CommunityModel, "__init__")


def test_a_crafted_snapshot_is_refused_and_nothing_of_it_runs(tmp_path):
    params = make_params(seed=1, days=30)
    good = _snapshot_at(params, 10, tmp_path / "snapshot.pkl")
    touched = tmp_path / "PWNED"
    pickle.loads(pickle.dumps(_Touch(touched)))  # the crafted pickle does run code when opened plainly
    assert touched.exists()
    touched.unlink()
    magic, header, _ = good.read_bytes().split(b"\n", 2)
    crafted = {
        "bare pickle (an old snapshot's format)": pickle.dumps(_Touch(touched)),
        "with a snapshot's header": b"\n".join([magic, header, pickle.dumps(_Touch(touched))]),
        "inside a group's state": b"\n".join([magic, header, pickle.dumps({"model": _Touch(touched)})]),
        "getattr to a function": b"\n".join([magic, header, pickle.dumps(_Escape())]),
    }
    for name, data in crafted.items():
        path = tmp_path / "crafted.pkl"
        path.write_bytes(data)
        for engine in (simulate, lambda p: simulate_batch([p])):
            with pytest.raises(ParamError, match=r"start.snapshot = .*crafted.pkl: .*(not a snapshot|format version 1)"):
                engine(make_params(seed=1, days=30, start=Start(snapshot=str(path))))
            assert not touched.exists(), f"{name}: the crafted file ran code"
    with pytest.raises(ParamError, match=r"format version 1 .*does not open .*rerun the earlier run"):
        snapshot.load(_old_format(good, tmp_path / "v1.pkl"))


def _old_format(path, to):
    """A snapshot as version 1 wrote it: a bare pickle of an envelope."""
    model, header = snapshot.load(path)
    to.write_bytes(pickle.dumps({**header, "version": 1, "model": model}))
    return to


DESCRIPTION = """
founder: {tenure_days: 300, energy: 0.4}
members:
  - {role: kol, count: 2, tenure_days: 200}
  - {role: active, count: 5, tenure_days: [10, 100], satisfaction: 0.7}
  - {role: lurker, count: 10, tenure_days: 50}
  - {role: spammer, count: 3, tenure_days: 2}
  - {name: Ada, role: vip, tenure_days: 120}
edges: ties.txt
"""


def test_a_described_group_starts_as_described(tmp_path):
    (tmp_path / "group.yaml").write_text(DESCRIPTION)
    (tmp_path / "ties.txt").write_text("founder kol1\nkol1 kol2\nAda kol1\nactive3 lurker10\n")
    model = CommunityModel(make_params(days=30, start=Start(description=str(tmp_path / "group.yaml"))))
    row = model.observer.rows[0]
    assert (row["members_founder"], row["members_kol"], row["members_active"], row["members_lurker"],
            row["members_spammer"], row["members_vip"]) == (1, 2, 5, 10, 3, 1)
    by_label = {m.label: m for m in model.roster}
    assert by_label["founder"] is model.founder and model.founder.energy == 0.4 and model.founder.join_day == -300
    assert by_label["kol2"].join_day == -200 and by_label["lurker1"].join_day == -50
    assert all(-100 <= by_label[f"active{i}"].join_day <= -10 for i in range(1, 6))
    assert by_label["active1"].satisfaction == 0.7 and by_label["Ada"].role is Role.vip
    g = model.network
    assert g.number_of_edges() == 4 and g.has_edge(by_label["active3"].unique_id, by_label["lurker10"].unique_id)
    simulate(make_params(days=30, start=Start(description=str(tmp_path / "group.yaml"))))  # and it runs


def test_a_described_group_without_ties_knows_its_founder(tmp_path):
    (tmp_path / "g.yaml").write_text("members:\n  - {role: lurker, count: 4}\n  - {role: spammer, count: 1}\n")
    model = CommunityModel(make_params(days=10, start=Start(description=str(tmp_path / "g.yaml"))))
    assert model.network.degree(model.founder.unique_id) == 4  # spammers know nobody


@pytest.mark.parametrize(("text", "message"), [
    ("members:\n  - {role: wizard, count: 2}\n", "members[0]: role = 'wizard': allowed kol, active, lurker, spammer, vip"),
    ("members:\n  - {role: lurker, count: 600}\n", "members[0]: 601 members with the founder do not fit under arrivals.cap = 500"),
    ("members:\n  - {role: lurker, count: 2, tenure_days: -5}\n", "tenure_days = -5 is out of range"),
    ("members:\n  - {role: lurker, cuont: 2}\n", "members[0]: expected a mapping with keys among"),
    ("members: []\n", "non-empty 'members:' list"),
])
def test_a_bad_description_names_file_and_entry(tmp_path, text, message):
    path = tmp_path / "g.yaml"
    path.write_text(text)
    with pytest.raises(DescriptionError) as err:
        CommunityModel(make_params(days=10, start=Start(description=str(path))))
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_main_jobs_snapshot_continues_as_the_uninterrupted_run(tmp_path):
    """End to end: experiments/run.py writes the snapshot (its config is a RunConfig, stored as
    plain Params) and ``start.snapshot=`` continues it, row for row."""
    from tests.test_cli_errors import run_main

    whole, cont = tmp_path / "whole", tmp_path / "cont"
    proc = run_main("days=60", "snapshot_day=30", "report=false", f"hydra.run.dir={whole}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run_main("days=60", f"start.snapshot={whole / 'snapshot.pkl'}", "report=false", f"hydra.run.dir={cont}",
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (cont / "timeseries.csv").read_text() == (whole / "timeseries.csv").read_text()
