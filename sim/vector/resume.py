"""Groups that start from a state, on the vector engine: ``start.snapshot`` and ``start.description``.

Both starts are read by the Mesa engine's own code, so there is one reader of each file: a
description founds a :class:`~sim.model.CommunityModel` on day 0 (``sim/start.py``), a
snapshot is unpickled and checked against the new ``Params`` (``sim/snapshot.py``). The
model's state — members and their traits, ties, latent friends, the founder's energy, every
mechanism's memory, the lifecycle's windows, the rows, the turning points and the members
who left — is then copied into the batch's arrays, and the vector engine lives the days
after it. The copy only reads the model, so one unpickled snapshot serves every run of a
sweep that continues it.

A continued run is the Mesa engine's continued run in distribution, not draw for draw: the
vector engine's randomness is its own (``sim/vector/rng.py``), keyed by the run's seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.outcomes import was_kol_by
from sim.params import Params
from sim.roles import ROLES
from sim.state import COPIED_FIELDS, NEVER
from sim.rules.floats import visiting as visiting_rules
from sim.vector.lifecycle import PHASE_CODE
from sim.vector.observe import COLUMNS
from sim.vector.state import REASON_CODE
from sim.vocab import CHANNELS, REASONS

if TYPE_CHECKING:
    from sim.friends import Friends
    from sim.model import CommunityModel

_ROLE = {r: i for i, r in enumerate(ROLES)}


def starting_models(params: Sequence[Params]) -> list[CommunityModel | None]:
    """Per run, the Mesa model of its starting state (None: founded from scratch). A snapshot
    file is unpickled once per call and checked against each run's ``Params``. The Mesa engine
    is loaded only for these: a batch founded from scratch never imports it."""
    if not any(p.start.snapshot or p.start.description for p in params):
        return [None] * len(params)
    from sim.model import CommunityModel
    from sim.snapshot import check_continuation, load

    loaded: dict[str, tuple[CommunityModel, dict]] = {}
    out: list[CommunityModel | None] = []
    for p in params:
        if p.start.snapshot:
            if p.start.snapshot not in loaded:
                loaded[p.start.snapshot] = load(p.start.snapshot)
            model, envelope = loaded[p.start.snapshot]
            check_continuation(p, model, envelope)
            out.append(model)
        elif p.start.description:
            out.append(CommunityModel(p))
        else:
            out.append(None)
    return out


def members_at_start(model: CommunityModel) -> int:
    """Slots the group needs on its first day: its present members and slot 0 (the founder's)."""
    return sum(1 for m in model.agents if m is not model.founder) + 1


def walk_order(friends: Friends, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """The founder's recruiting walk of a Mesa ``Friends`` as the vector engine's precomputed
    order, and its pointer: the walk so far, then its breadth-first continuation (each
    parent's new friends in random order, as ``Friends.next_friend_of_founder`` goes on)."""
    queue, seen, at = list(friends._queue), set(friends._seen), friends._queue_at
    i = at
    while i < len(queue):
        new = [w for w in friends.adj[queue[i]] if w not in seen]
        i += 1
        seen.update(new)
        queue.extend(new[j] for j in rng.permutation(len(new)))
    return np.array(queue, dtype=np.int64), at


def place(engine, models: Sequence[CommunityModel | None]) -> None:
    """Copy each model's state into community ``r`` of the engine (all on one day)."""
    days = {m.day for m in models if m is not None}
    if len(days) != 1 or any(m is None for m in models):
        raise ValueError("resume.place: every community of the batch starts from a model of the same day")
    engine.day = days.pop()
    engine.streams.day = engine.day
    for r, model in enumerate(models):
        _place_one(engine, r, model)
    engine.batch.frozen = engine.table.churn.mode == "cascade"  # a threshold-cascade group keeps the network it has


def _place_one(engine, r: int, model: CommunityModel) -> None:
    batch, day = engine.batch, model.day
    founder = model.founder
    others = sorted((m for m in model.agents if m is not founder), key=lambda m: m.unique_id)
    slot_of = {m.unique_id: i + 1 for i, m in enumerate(others)}  # slot 0 is the founder's for good
    present = others
    if founder is not None and founder.present:
        slot_of[founder.unique_id] = 0
        present = [founder, *others]
    engine.grow(len(others) + 1)
    batch = engine.batch
    speakers_day: dict[int, int] = {}
    window = list(model.lifecycle._speakers)
    for k, spoke in enumerate(window):
        for uid in spoke:
            speakers_day[uid] = day - (len(window) - 1 - k)
    age = engine.table.phases.outcome_age_days[r]
    for m in present:
        s = slot_of[m.unique_id]
        for f in COPIED_FIELDS:  # the fields both engines keep alike (sim/state.py)
            value = getattr(m, f.attr)
            getattr(batch, f.name)[r, s] = f.none if value is None else value
        # The rest, which the Mesa engine keeps in another form:
        batch.present[r, s] = True
        batch.uid[r, s] = m.unique_id
        batch.role[r, s] = _ROLE[m.role]
        batch.join_role[r, s] = _ROLE[m.role_history[0][1]]
        batch.channel[r, s] = CHANNELS.index(m.channel)
        batch.habit_logit[r, s] = visiting_rules.habit_logit(m.habit)  # on a float: the Mesa engine's own value
        batch.last_spoke_day[r, s] = speakers_day.get(m.unique_id, NEVER)
        batch.kol_by_age[r, s] = was_kol_by(m.role_history, age)
        batch.read_ok[r, s] = m.last_read is not None
        batch.read_gain[r, s] = m.last_read.gain if m.last_read is not None else 0.0
        batch.read_worst[r, s] = REASON_CODE[m.last_read.worst_cost()] if m.last_read is not None else REASON_CODE["bored"]
        batch.said[r, s] = model.log.said.get(m.unique_id, 0)
    _place_ties(batch, r, model, slot_of)
    _place_roster(batch, r, model, int(engine.table.phases.outcome_age_days[r]))
    if founder is not None:
        batch.energy[r], batch.burnt_out[r], batch.burnout_days[r] = (
            founder.energy,
            founder.burnt_out,
            founder.burnout_days,
        )
    batch.stimulus[r], batch.heat[r], batch.quality[r] = model.stimulus, model.heat, model.kol_view.quality
    batch.red_sent[r], batch.red_thrill[r] = model.red_packets.sent, model.red_packets.thrill
    batch.vips_ever[r] = model.vips_ever
    batch.next_uid[r] = max(m.unique_id for m in model.roster) + 1
    batch.past_events[r] = list(model.events)
    labels = {m.unique_id: m.label for m in model.roster if m.label}
    if labels:
        engine.labels[r] = labels
    _place_lifecycle(engine.life, r, model)
    _place_rows(engine, r, model)
    if engine.latent is not None and model.friends is not None:
        _place_friends(
            engine.latent, r, model.friends, slot_of, np.random.default_rng([engine.table.params[r].seed, day])
        )


def _place_ties(batch, r: int, model: CommunityModel, slot_of: dict[int, int]) -> None:
    """The group's ties with the interactions they carried; ``known`` ties also in ``B.known``."""
    edges = [
        (slot_of[u], slot_of[v], int(data.get("weight", 1)), bool(data.get("known", False)))
        for u, v, data in model.network.edges(data=True)
        if u in slot_of and v in slot_of
    ]
    if not edges:
        return
    a, b, w, known = (np.array(x) for x in zip(*edges))
    rr = np.full(int(w.sum()), r, np.int64)
    batch.ties.add(rr, np.repeat(a, w), np.repeat(b, w))
    k = np.flatnonzero(known)
    batch.known.add(np.full(k.size, r, np.int64), a[k], b[k])
    now = np.zeros(batch.N)
    np.add.at(now, a, w)
    np.add.at(now, b, w)
    batch.tie_weight_now[r] = now


def _place_roster(batch, r: int, model: CommunityModel, age: int) -> None:
    """Members who left (the roster's history) and every role change."""
    gone = [m for m in model.roster if not m.present]
    if gone:
        batch.roster.add(
            r=np.full(len(gone), r),
            uid=np.array([m.unique_id for m in gone]),
            role=np.array([_ROLE[m.role] for m in gone]),
            join_role=np.array([_ROLE[m.role_history[0][1]] for m in gone]),
            channel=np.array([CHANNELS.index(m.channel) for m in gone]),
            join_day=np.array([m.join_day for m in gone]),
            leave_day=np.array([m.leave_day for m in gone]),
            reason=np.array([REASONS.index(m.leave_reason) for m in gone]),
            fit=np.array([m.fit for m in gone]),
            expertise=np.array([m.expertise for m in gone]),
            messages_total=np.array([m.messages_total for m in gone]),
            satisfaction=np.array([m.satisfaction for m in gone]),
            kol_by_age=np.array([was_kol_by(m.role_history, age) for m in gone]),
            last_post_day=np.array([m.last_post_day for m in gone]),
        )
    for m in model.roster:
        for d, role in m.role_history[1:]:
            batch.roster.role_changes.append((np.array([r]), np.array([m.unique_id]), d, np.array([_ROLE[role]])))


def _place_lifecycle(life, r: int, model: CommunityModel) -> None:
    """The lifecycle's windows as the vector engine's rings (day d in slot d % width)."""
    lc, day = model.lifecycle, model.day
    for ring, window in ((life.rounds, lc._rounds), (life.ads, lc._ads), (life.talk, lc._talk)):
        for k, value in enumerate(window):
            ring[r, (day - (len(window) - 1 - k)) % ring.shape[1]] = value
    for k, (wom, recruited) in enumerate(lc._joins):
        d = day - (len(lc._joins) - 1 - k)
        life.wom[r, d % 30] = wom
        life.recruited[r, d % 30] = recruited
    life.members[r, : len(lc._members)] = lc._members
    life.silent_days[r], life.met_streak[r] = lc._silent_days, lc._met_streak
    life.pending[r] = PHASE_CODE[lc._pending] if lc._pending is not None else -1
    life.pending_days[r] = lc._pending_days
    life.phase[r] = PHASE_CODE[lc.phase]
    for name in ("self_operation_day", "ad_group_day", "dead_day", "silent_day"):
        value = getattr(lc, name)
        getattr(life, name)[r] = -1 if value is None else value
    life.reachable[r] = lc.self_operation_reachable
    life.age_at_start[r] = lc.age_at_start
    for key, value in lc.health.items():  # today's indicators (the row of the day, read again)
        life.health.setdefault(key, np.zeros(life.R))[r] = value


def _place_rows(engine, r: int, model: CommunityModel) -> None:
    if engine.rows.shape[2] == 0:
        engine.rows = np.zeros((engine.horizon + 1, engine.table.R, len(COLUMNS)))
    for d, row in enumerate(model.observer.rows):
        engine.rows[d, r] = [PHASE_CODE[row[c]] if c == "phase" else float(row[c]) for c in COLUMNS]


def _place_friends(latent, r: int, friends: Friends, slot_of: dict[int, int], rng: np.random.Generator) -> None:
    """Who of the latent network is inside, declined or still outside, and the recruiting walks."""
    n = friends.n
    latent.state[r, :n] = friends.state
    latent.inside[r, :n] = friends.inside
    for node, m in friends.member.items():
        s = slot_of[m.unique_id]
        latent.slot_of[r, node] = s
        latent.node_of[r, s] = node
    latent.founder_node[r] = friends.founder_node
    if friends.founder_node >= 0:
        order, at = walk_order(friends, rng)
        latent.bfs_order[r, : order.size] = order
        latent.bfs_at[r] = at
    latent.hub_at[r] = friends._hubs_at
