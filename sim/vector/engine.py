"""The vector engine's run: found R groups, live their days in MODEL.md §4 order, report.

``simulate_batch(params_list)`` is the array twin of ``sim.simulate``: one ``Result`` per
``Params``, with the same daily rows, outcomes and members as the Mesa engine, computed for
all communities of the batch at once. Groups that start from a state (a snapshot, a
description) are read by the Mesa engine's code and copied in (``sim/vector/resume.py``).
Randomness is counter-based and keyed by each run's seed (``sim/vector/rng.py``), so a run's
result does not depend on its batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.events import Event, describe_change, describe_reaction
from sim.network import edgelist_founder, read_edgelist
from sim.params import ChurnMode, InitialNetwork, ParamError, Params, apply_change, validate
from sim.state import member_name
from sim.rules import cast
from sim.rules.posting import talk_stimulus
from sim.vector import backend, resume
from sim.vector import day as daily
from sim.vector import rng
from sim.vector.friends import LatentNetworks
from sim.vector.lifecycle import VectorLifecycle
from sim.vector.observe import LazyMembers, LazyRows, outcomes, record
from sim.vector.params import ParamTable
from sim.vector.reactions import Watches
from sim.vector.state import ACTIVE, CHANNEL_CODE, FOUNDER, KOL, LURKER, Batch
from sim.vector.streams import Stream
from sim.vocab import CHANNELS, REASONS

if TYPE_CHECKING:
    from sim.model import CommunityModel


class Engine:
    """The batch being simulated: parameters, state, streams, the latent networks, the day's log."""

    def __init__(self, params: Sequence[Params], models: Sequence[CommunityModel | None] | None = None,
                 dev=None) -> None:
        """``models``: per run, the Mesa model of a group that starts from a state (all of
        one day: ``resume.starting_models``), or None for all to be founded from scratch.
        ``dev``: a torch.device to live the days on (``sim/vector/backend.py``), None for numpy."""
        self.dev = dev
        for p in params:
            validate(p)
        self.models = list(models) if models is not None and any(m is not None for m in models) else None
        self.table = ParamTable(params)
        R = self.table.R
        # Edge-list starts (arrivals._found_from_edgelist): every node is a member on day 0.
        self.graphs = {r: read_edgelist(p.network.edgelist) for r, p in enumerate(params)
                       if p.network.initial is InitialNetwork.edgelist}
        self.labels: dict[int, dict[int, str]] = {}  # community -> member uid -> node label
        at_start = [resume.members_at_start(self.models[r]) if self.models else
                    self.graphs[r].number_of_nodes() if r in self.graphs else p.seeding.seed_users + 1
                    for r, p in enumerate(params)]
        self.cap = max(int(self.table.arrivals.cap.max()), *at_start) + 1  # slot 0 is the founder's for good
        self.N = min(self.cap, 64)
        self.batch = Batch(R, self.N, self.cap)
        self.streams = rng.Streams(rng.keys_from_seeds([p.seed for p in params]))
        self.day = 0
        self.running = np.ones(R, bool)
        self.horizon = int(self.table.days.max())
        self.life = VectorLifecycle(R, self.horizon)
        self.rows = np.zeros((self.horizon + 1, R, 0))
        self.log = self._new_log()
        setup = [np.random.default_rng(p.seed) for p in params]
        # A group from a state keeps the latent network it has (or has none), whatever friends.enabled says.
        given = {r: m.friends for r, m in enumerate(self.models or [])}
        for r, fr in given.items():
            self.table.friends.enabled[r] = fr is not None
        self.latent = LatentNetworks.build(params, self.N, setup, at_start, given)
        self.changes = {}
        for r, p in enumerate(params):
            for ch in p.timeline:
                if ch.day >= 0:
                    self.changes.setdefault(ch.day, []).append((r, ch))
        self.watches = Watches(params)  # reactive changes (Change.when)

    def grow(self, needed: int) -> None:
        """Widen the batch to hold ``needed`` slots (doubling, up to the largest cap + 1)."""
        if needed <= self.N:
            return
        n = min(self.cap, max(needed, 2 * self.N))
        self.batch.grow(n)
        if self.latent is not None:
            self.latent.grow(n)
        log = self.log
        for name in ("valuable_by", "ads_by", "spoke"):
            setattr(log, name, np.pad(getattr(log, name), ((0, 0), (0, n - self.N))))
        self.N = n

    def _new_log(self) -> daily.DayLog:
        return daily.DayLog(self.table.R, self.N, len(CHANNELS), len(REASONS), like=self.running)

    # -- day 0 ---------------------------------------------------------------------------------
    def found(self) -> None:
        """arrivals.found_group: the founder in slot 0, the seed users, their wiring."""
        table, batch, streams, R = self.table, self.batch, self.streams, self.table.R
        rows = np.arange(R)
        u = streams.uniform_at(
            Stream.seed_users, rows[:, None], np.zeros((R, 1), np.int64), np.arange(daily.TRAIT_UNIFORMS)[None, :]
        )
        tr = daily.traits(self, rows, np.full(R, daily.SOURCE_CODE["friends"]), np.ones(R), u)
        tr.update(
            fit=np.ones(R),
            need=np.ones(R),
            willingness=np.zeros(R),
            propensity=np.ones(R),
            expertise=table.founder.expertise.astype(np.float64),
        )
        edge = np.isin(rows, list(self.graphs))
        daily.create(
            self,
            rows,
            np.zeros(R, np.int64),
            FOUNDER,
            np.where(edge, CHANNEL_CODE["edgelist"], CHANNEL_CODE["seed"]),
            tr,
            1.0,
        )
        batch.energy = table.founder.energy.astype(np.float64)
        latent = self.latent
        if latent is not None:
            on = np.flatnonzero(latent.founder_node >= 0)
            latent.join(on, latent.founder_node[on], np.zeros(on.size, np.int64))
        self._found_from_edgelists()
        n_seeds = np.where(edge, 0, table.seeding.seed_users)
        kols_first = table.seeding.strategy == "kols_first"
        n_kols = np.where(kols_first, np.round(n_seeds * table.seeding.kol_share), 0).astype(np.int64)
        r = np.repeat(rows, n_seeds)
        i = daily.ranks(r, R)
        if not r.size:
            return
        self.grow(int(n_seeds.max()) + 1)
        u = streams.uniform_at(
            Stream.seed_users, r[:, None], (i + 1)[:, None], np.arange(daily.TRAIT_UNIFORMS)[None, :]
        )
        kol = i < n_kols[r]
        source = np.where(kol, daily.SOURCE_CODE["kols"], daily.recruit_source(table)[r])
        tr = daily.traits(self, r, source, np.full(r.size, np.nan), u)
        talker = cast.is_talker(i, n_kols[r], daily.Columns(table.cast, r))  # the seed cast (seed 004 L49-53)
        tr["propensity"] = cast.cast_propensity(tr["propensity"], talker, daily.Columns(table.cast, r))
        role = np.where(kol, KOL, np.where((u[:, 9] < table.seeding.active_share[r]) | talker, ACTIVE, LURKER))
        slots = i + 1
        daily.create(
            self, r, slots, role, np.full(r.size, CHANNEL_CODE["seed"]), tr, table.seeding.initial_satisfaction[r]
        )
        if latent is not None:
            node = np.full(r.size, -1)
            hub_rows = np.flatnonzero(n_kols > 0)
            _, hubs = latent.next_hubs(hub_rows, n_kols[hub_rows])
            node[kol] = hubs
            friendly = ~kol & (source == daily.SOURCE_CODE["friends"])
            fr_rows = np.flatnonzero(np.bincount(r[friendly], minlength=R))
            _, near = latent.next_recruits(fr_rows, np.bincount(r[friendly], minlength=R)[fr_rows])
            node[friendly] = near
            lost = node < 0
            if lost.any():
                node[lost] = latent.random_outside(
                    r[lost],
                    streams.uniform_at(Stream.seed_node, r[lost][:, None], i[lost][:, None], np.arange(20)[None, :]),
                )
            placed = node >= 0
            latent.join(r[placed], node[placed], slots[placed])
        # Star: every seed user knows the founder; mesh: also mesh_degree others (network.wire_seed_users).
        batch.tie(r, np.zeros(r.size, np.int64), slots, known=True)
        mesh = (table.network.initial == "mesh") & (n_seeds > 1)
        if mesh.any():
            s_max = int(n_seeds.max())
            k = np.minimum(table.network.mesh_degree, n_seeds - 1)
            sel = mesh[r] & (k[r] > 0)
            rm, im = r[sel], i[sel]
            key = streams.uniform_at(Stream.mesh, rm[:, None], im[:, None], np.arange(s_max - 1)[None, :])
            key[np.arange(s_max - 1)[None, :] >= (n_seeds[rm] - 1)[:, None]] = 2.0  # not a seed user
            pick = np.argsort(key, axis=1)
            j = np.arange(s_max - 1)[None, :] < k[rm][:, None]
            a, b = np.nonzero(j)
            other = pick[a, b]
            other = other + (other >= im[a])
            batch.tie(rm[a], im[a] + 1, other + 1, known=True)
        connector = cast.is_connector(i, n_kols[r], daily.Columns(table.cast, r))
        if connector.any():  # a connector knows every other seed user (network.tie for each)
            rc, ic = r[connector], i[connector]
            others = np.repeat(np.arange(rc.size), n_seeds[rc])
            j = daily.ranks(others, rc.size)
            keep = j != ic[others]
            batch.tie(rc[others][keep], ic[others][keep] + 1, j[keep] + 1, known=True)

    def _found_from_edgelists(self) -> None:
        """arrivals._found_from_edgelist: the best-connected node founds the group (slot 0),
        every other node joins, in label order, as an active member or a lurker; the edges
        are the group's ties; with latent friends, the members are the founder's neighbourhood
        there (friends.place_existing)."""
        if not self.graphs:
            return
        table, batch, streams = self.table, self.batch, self.streams
        parts = []
        for r in sorted(self.graphs):
            g = self.graphs[r]
            founder = edgelist_founder(g)
            order = [founder, *(n for n in sorted(g.nodes, key=str) if n != founder)]
            slot = {n: i for i, n in enumerate(order)}
            edges = np.array([(slot[u], slot[v]) for u, v in g.edges], np.int64).reshape(-1, 2)
            parts.append((r, order, edges))
        self.grow(max(len(order) for _, order, _ in parts))
        r = np.concatenate([np.full(len(order) - 1, rr) for rr, order, _ in parts]).astype(np.int64)
        slots = np.concatenate([np.arange(1, len(order)) for _, order, _ in parts]).astype(np.int64)
        u = streams.uniform_at(Stream.seed_users, r[:, None], slots[:, None], np.arange(daily.TRAIT_UNIFORMS)[None, :])
        tr = daily.traits(self, r, np.full(r.size, daily.SOURCE_CODE["friends"]), np.full(r.size, np.nan), u)
        role = np.where(u[:, 9] < table.arrivals.active_at_join[r], ACTIVE, LURKER)
        daily.create(
            self, r, slots, role, np.full(r.size, CHANNEL_CODE["edgelist"]), tr, table.seeding.initial_satisfaction[r]
        )
        for rr, order, edges in parts:
            self.labels[rr] = {int(batch.uid[rr, i]): str(n) for i, n in enumerate(order)}
            batch.tie(np.full(len(edges), rr), edges[:, 0], edges[:, 1], known=True)
        latent = self.latent
        if latent is not None:
            counts = np.bincount(r, minlength=table.R)
            on = np.flatnonzero(counts * latent.enabled > 0)
            got_r, node = latent.next_recruits(on, counts[on])
            placed = node >= 0
            # next_recruits answers per community in row order, as many as asked: the slots in order.
            want = np.isin(r, on)
            latent.join(got_r[placed], node[placed], slots[want][placed])

    # -- a day ------------------------------------------------------------------------------------
    def step(self) -> None:
        """CommunityModel.step for every community still running."""
        self.day += 1
        self.streams.day = self.day
        self.batch.said_yesterday = self.batch.said
        self.batch.said = np.zeros_like(self.batch.said)
        self.log = self._new_log()
        self._apply_changes()
        daily.morning(self)
        daily.decide_visits(self)
        daily.admit_newcomers(self)
        daily.publish_scheduled(self)
        daily.kol_meetups(self)
        daily.post(self)
        daily.check_in(self)
        daily.run_threads(self)
        self.log.speakers = self.log.spoke.sum(axis=1).astype(np.float64)
        daily.enforce_rules(self)
        daily.read(self)
        daily.reach_out(self)
        daily.update_roles(self)
        daily.let_members_leave(self)
        daily.drift_needs(self)
        daily.account(self)
        self.life.update(self)
        self._record()
        self.batch.stimulus = talk_stimulus(self.log.valuable, self.log.chat, self.batch.count())
        self.running &= ~self.life.ended & (self.day < self.table.days)

    def _apply_changes(self) -> None:
        for r, ch in self.changes.get(self.day, []):
            if self.running[r]:
                self.table.set_row(r, apply_change(self.table.params[r], ch.set))
                self.batch.event("strategy_change", np.array([r]), self.day, what=describe_change(ch))
        if self.watches:  # after the day's fixed changes, as the Mesa engine (processes/timeline.py)
            for r, ch, value in self.watches.due(self.rows[self.day - 1], self.day, self.running):
                self.table.set_row(r, apply_change(self.table.params[r], ch.set))
                self.batch.event(
                    "reaction", np.array([r]), self.day, what=describe_reaction(ch), value=np.array([value])
                )

    def _record(self) -> None:
        row = record(self)
        if self.rows.shape[2] == 0:
            self.rows = np.zeros((self.horizon + 1, self.table.R, row.shape[1]))
        self.rows[self.day] = row

    def run(self) -> list:
        from sim import Result

        if self.models:  # the group as it is today: its state, rows and history so far
            resume.place(self, self.models)
            self.models = None
        else:
            self.found()
            # Threshold-cascade groups keep their day-0 network (network.tie): Garcia et al. (2013).
            self.batch.frozen = self.table.churn.mode == ChurnMode.cascade.value
            daily.account(self)
            self.life.update(self)
            self._record()
            self.running &= ~self.life.ended  # as CommunityModel: a group dead on day 0 lives no day 1
        if self.dev is not None:  # founded on the host; the days are lived on the device
            self._move(backend.to_device)
        while self.running.any():
            self.step()
        if self.dev is not None:
            self._move(backend.to_host)
        self.batch.archive_present()
        roster = self.batch.roster.table()
        last = np.where(self.life.dead_day >= 0, np.minimum(self.life.dead_day, self.table.days), self.table.days)
        results = []
        events = self._events()
        for r, p in enumerate(self.table.params):
            values = self.rows[: last[r] + 1, r]
            out = outcomes(p, values, roster, r, events[r], bool(self.life.reachable[r]), int(self.batch.vips_ever[r]))
            results.append(
                Result(
                    model=None,
                    rows=LazyRows(values),
                    outcomes=out,
                    events=events[r],
                    params=p,
                    members=LazyMembers(roster, self.batch.roster.role_changes, r, self.labels.get(r)),
                )
            )
        return results

    def _move(self, move) -> None:
        """State, parameters, latent networks, lifecycle and streams to the device (or back)."""
        to_dev = move is backend.to_device
        for part in (self.batch, self.table, self.latent, self.life, self.log):
            if part is not None:
                move(part, self.dev) if to_dev else move(part)
        self.running = (
            backend.TorchArray(backend.as_tensor(self.running, self.dev)) if to_dev else np.asarray(self.running)
        )
        self.streams = rng.DeviceStreams(self.streams.keys, self.dev) if to_dev else rng.Streams(self.streams.keys)
        self.streams.day = self.day

    def _events(self) -> list[list[Event]]:
        """Each community's turning points, by day (one pass over the batch's event records),
        after those of the model it resumed."""
        out: list[list[Event]] = [list(self.batch.past_events.get(r, ())) for r in range(self.table.R)]
        for kind, rows, day, who, what, numbers in self.batch.events:
            names = [""] * rows.size if who is None else [member_name(u) for u in who.tolist()]
            values = {k: v.tolist() for k, v in numbers.items()}
            for i, r in enumerate(rows.tolist()):
                out[r].append(Event(day, kind, names[i], what, {k: v[i] for k, v in values.items()}))
        for events in out:
            events.sort(key=lambda e: e[0])
        return out


def simulate_batch(params: Sequence[Params], device: str = "cpu") -> list:
    """Run every ``Params`` of the list as one batch; one ``sim.Result`` each (``model`` None,
    ``members`` the members.csv rows)."""
    if device not in backend.DEVICES:
        raise ParamError(f"engine.device = {device!r}: allowed {', '.join(backend.DEVICES)}")
    if not params:
        return []
    if device != "cpu":
        dev = backend.torch_device(device)
        with backend.deterministic_kernels(dev):
            return _simulate(params, dev)
    return _simulate(params, None)


def _simulate(params: Sequence[Params], dev) -> list:
    models = resume.starting_models(params)
    by_day: dict[int, list[int]] = {}  # one engine per starting day: a batch lives its days together
    for i, m in enumerate(models):
        by_day.setdefault(-1 if m is None else m.day, []).append(i)
    results: list = [None] * len(params)
    for rows in by_day.values():
        engine = Engine([params[i] for i in rows], [models[i] for i in rows], dev)
        for i in rows:
            models[i] = None  # the engine holds the Mesa models only until it has copied them
        for i, res in zip(rows, engine.run()):
            results[i] = res
    return results
