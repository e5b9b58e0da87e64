"""A member's state is declared once (sim/state.py): the Mesa member, the vector engine's
columns, the reset of a reused slot and the copy of a resumed run all follow the table, so
a field added in one place and forgotten in another fails here (issue 29)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import Params
from sim.model import CommunityModel
from sim.state import ARRIVAL, MEMBER_FIELDS, MESA_FIELDS, VECTOR_FIELDS
from sim.vector import day as vector_day
from sim.vector import resume
from sim.vector.engine import Engine

#: What the Mesa member holds outside the table: Mesa's own (model, unique_id, pos), the role's
#: cached table row, and what is derived from the id or kept as history.
MESA_OWN = {"model", "unique_id", "pos", "_role", "spec", "name", "role_history"}
#: The founder's own state (the vector engine keeps it per community: Batch.energy, ...).
FOUNDER_OWN = {"energy", "burnt_out", "burnout_days"}
#: Per-slot scratch of the vector day that is not a member's state (what ties read today).
VECTOR_SCRATCH = {"said", "said_yesterday"}


@pytest.fixture(scope="module")
def model() -> CommunityModel:
    m = CommunityModel(Params(days=40, seed=3))
    while m.day < 40 and m.running:
        m.step()
    return m


def test_the_mesa_member_holds_exactly_the_declared_fields(model) -> None:
    declared = {f.attr for f in MESA_FIELDS}
    for m in model.roster:
        own = MESA_OWN | (FOUNDER_OWN if m is model.founder else set())
        attrs = set(vars(m))
        assert attrs - declared - own == set(), "a member attribute missing from sim/state.py"
        assert [a for a in declared if not hasattr(m, a)] == [], "a declared field the Mesa member lacks"


def test_the_vector_batch_has_a_column_per_declared_field_and_no_other() -> None:
    engine = Engine([Params(days=5, seed=1)])
    per_member = {
        k
        for k, v in vars(engine.batch).items()
        if isinstance(v, np.ndarray) and v.shape == (engine.batch.R, engine.batch.N)
    }
    assert per_member - VECTOR_SCRATCH == {f.name for f in VECTOR_FIELDS}
    for f in VECTOR_FIELDS:
        assert getattr(engine.batch, f.name).dtype == np.dtype(f.dtype), f.name


def _filled(engine: Engine, fill: bool) -> None:
    """Every member column of ``engine`` set to one of two different values (True/1 or False/-7)."""
    for f in VECTOR_FIELDS:
        getattr(engine.batch, f.name)[...] = (1 if fill else -7) if np.dtype(f.dtype).kind != "b" else fill


def _after_create(fill: bool) -> dict[str, np.ndarray]:
    engine = Engine([Params(days=5, seed=1)] * 2)
    _filled(engine, fill)
    engine.day = 3
    r, s = np.array([0, 1, 1]), np.array([2, 4, 5])
    tr = {k: np.full(3, 0.5) for k in ("fit", "expertise", "need", "willingness", "propensity", "habit")}
    vector_day.create(engine, r, s, np.array([2, 2, 3]), np.array([2, 2, 1]), tr, 0.6)
    return {f.name: getattr(engine.batch, f.name)[r, s].copy() for f in VECTOR_FIELDS}


def test_a_reused_slot_is_reset_in_every_field() -> None:
    """Whatever the slot's previous occupant left there, a newcomer's state is the same: the
    reset covers every column (a field left out would keep the previous member's value)."""
    a, b = _after_create(True), _after_create(False)
    kept = [name for name in a if not np.array_equal(a[name], b[name])]
    assert kept == [], f"create() does not set {kept}"


def test_the_reset_gives_the_declared_values_on_joining() -> None:
    a = _after_create(True)
    for f in VECTOR_FIELDS:
        if f.on_join != ARRIVAL:
            assert (a[f.name] == f.join_value(3, vector=True)).all(), f.name


def test_a_resumed_run_copies_every_field(model) -> None:
    """Placing a Mesa model in a batch sets every column of every present member, whatever
    the columns held before (the two fills must give the same batch)."""
    placed = {}
    for fill in (True, False):
        engine = Engine([Params(days=60, seed=3)], [model])
        engine.grow(resume.members_at_start(model))
        _filled(engine, fill)
        resume.place(engine, [model])
        placed[fill] = engine.batch
    present = placed[False].present[0]  # (all slots start present in the other)
    got = {fill: {f.name: getattr(batch, f.name)[0][present] for f in VECTOR_FIELDS} for fill, batch in placed.items()}
    differ = [k for k in got[True] if not np.array_equal(got[True][k], got[False][k])]
    assert differ == [], f"resume.place does not set {differ}"
    by_uid = {m.unique_id: m for m in model.agents}
    uids = got[True]["uid"]
    for f in MEMBER_FIELDS:
        if f.vector and f.resumed:
            want = [getattr(by_uid[u], f.attr) for u in uids.tolist()]
            want = [f.none if v is None else v for v in want]
            assert np.allclose(got[True][f.name], np.array(want, dtype=float)), f.name
