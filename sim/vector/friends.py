"""R latent friendship networks at once (the vector engine's ``sim/friends.py``).

One latent network per community (MODEL.md §4.10), held for the whole batch in arrays so that a
simulated day touches no Python loop over members or communities. Node ``v`` of community ``r``
has the *global id* ``g = r * P + v`` (``P``: the largest population in the batch; nodes
``v >= n_nodes[r]`` are padding, ``GONE`` for ever, with no friends).

Layout (chosen for memory: Holme–Kim hubs reach degree 100+, so a padded ``(R, P, D)`` list
would cost ~1.2 GB for R = 1000; CSR costs what the edges cost):

- ``indptr`` ``(R * P + 1,)`` int64 and ``indices`` ``(nnz,)`` int32: **one CSR over global
  ids**; the friends of ``(r, v)`` are ``indices[indptr[g]:indptr[g + 1]]`` (local node ids of
  community ``r``). Padding nodes have empty rows.
- ``state`` ``(R, P)`` int8 ``OUT`` / ``IN`` / ``GONE``; ``inside`` ``(R, P)`` int32 friends
  inside per node (kept for every state, as ``Friends.inside``).
- ``slot_of`` ``(R, P)`` int32 member slot of an ``IN`` node, else -1; ``node_of`` ``(R, N)``
  int32 node of a member slot, else -1.
- ``bfs_order`` / ``hub_order`` ``(R, P)`` int32 (padded with -1) and their pointers
  ``bfs_at`` / ``hub_at`` ``(R,)``: the founder's recruiting walk and the KOL order.
- ``n_nodes``, ``founder_node`` ``(R,)``; ``enabled`` ``(R,)`` bool.

Measured for the default parameters (population 2000, mean degree 8, Holme–Kim, 500 slots):
116 kB per community (indices 64 kB, indptr 16 kB, the (R, P) arrays 34 kB, node_of 2 kB), so
R = 1000 holds 116 MB; ``build`` peaks at about twice that (each graph is held as numpy
arrays until the batch's CSR is laid out) and takes ~14 ms per community (the Python graph
generators of sim/friends.py).

Semantics against the reference ``sim.friends.Friends`` (same states and counts for the same
sequence of joins, leaves and declines; tests/vector/test_friends.py replays both):

- ``join`` processes a batch **as if sequentially in input order**: joiner ``i`` gets as
  friends inside everyone ``IN`` before the call plus the joiners ``j < i`` of the same call
  (exactly what ``Friends.join`` called in that order returns).
- ``leave`` returns the leavers' friends still inside **after the whole batch** (a friend
  who leaves in the same call is not returned: its ``friend_left_day`` no longer matters).
- ``exposed`` has the distribution of ``Friends.exposed_today`` (each ``OUT`` node with ``k``
  friends inside w.p. 1 − (1 − rate)^k, independently), not its draws.
- The recruiting walk is precomputed at build (it does not depend on who is inside): the
  founder, its friends, their friends, …, each parent's newly found friends in random order,
  exactly the order ``Friends.next_friend_of_founder`` visits (in distribution). Taking from
  it skips nodes no longer ``OUT`` (or ``taken``) for good, as the reference does.
- ``Friends``' ``taken`` (nodes already knocking today) is the optional ``taken`` (R, P) bool
  mask of the candidate pickers. Within one call the picks are drawn independently, so two
  inviters of one community may pick the same outside friend: the caller keeps the first
  (the reference would have given the second another friend).

No randomness of its own at run time: every pick takes caller-supplied uniforms in (0, 1).
Build draws from ``setup_rngs[r]`` in the order ``sim.friends.build`` + ``found_group`` do:
the graph seed, then the founder (``Friends.degree_weighted_node``), then the walk's keys.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from itertools import chain

import numpy as np

from sim.friends import GONE, IN, OUT, Friends, holme_kim, watts_strogatz
from sim.params import FriendGraph, Params
from sim.vector.backend import asarray

__all__ = ["GONE", "IN", "OUT", "LatentNetworks", "population"]

_I = np.int64


def population(p: Params, members_at_start: int) -> int:
    """Nodes of a community's latent network: ``sim.friends.build``'s sizing rule."""
    f = p.friends
    return max(f.population, f.min_outside_per_member * members_at_start, f.mean_degree + 2)


def _graph(p: Params, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One community's latent graph as (degrees, flat neighbour lists), drawn from ``rng``."""
    f = p.friends
    return _graph_of(int(rng.integers(2**63)), n, f.graph.value, f.mean_degree, f.rewire_prob, f.triad_prob)


@functools.lru_cache(maxsize=256)
def _graph_of(seed: int, n: int, kind: str, mean_degree: int, rewire: float, triad: float):
    """The graph is a pure function of its seed and shape: a sweep's arms that share a run seed
    share it, so it is built once per process (pure-Python Holme–Kim is the batch's largest
    setup cost). ~70 kB per cached graph."""
    rnd = random.Random(seed)
    if kind == FriendGraph.small_world.value:
        adj = watts_strogatz(n, mean_degree, rewire, rnd)
    else:
        adj = holme_kim(n, max(1, round(mean_degree / 2)), triad, rnd)
    deg, flat = _flat(adj)
    deg.flags.writeable = flat.flags.writeable = False  # shared between communities
    return deg, flat


def _flat(adj) -> tuple[np.ndarray, np.ndarray]:
    """(degrees, concatenated neighbour lists) of one community's graph."""
    if isinstance(adj, tuple):
        return np.asarray(adj[0], dtype=np.int32), np.asarray(adj[1], dtype=np.int32)
    deg = np.fromiter((len(a) for a in adj), dtype=np.int32, count=len(adj))
    return deg, np.fromiter(chain.from_iterable(adj), dtype=np.int32, count=int(deg.sum()))


def _segments(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray):
    """The CSR rows ``rows`` concatenated: (owner index into ``rows``, neighbour, row lengths)."""
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    owner = np.repeat(np.arange(len(rows), dtype=_I, like=lens), lens)
    pos = np.arange(owner.size, dtype=_I, like=owner) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return owner, indices[pos].astype(_I, copy=False), lens


def _walk(indptr: np.ndarray, indices: np.ndarray, founder: int, keys: np.ndarray) -> np.ndarray:
    """Breadth-first order from ``founder`` with each parent's new friends in ``keys`` order
    (the walk of ``Friends.next_friend_of_founder``; one community, local CSR)."""
    seen = np.zeros(len(indptr) - 1, dtype=bool)
    seen[founder] = True
    parts = [np.array([founder], dtype=_I)]
    frontier = parts[0]
    while frontier.size:
        owner, nb, _ = _segments(indptr, indices, frontier)
        new = ~seen[nb]
        owner, nb = owner[new], nb[new]
        if not nb.size:
            break
        o = np.lexsort((owner, nb))  # each new node's parent: its first neighbour in walk order
        nb, owner = nb[o], owner[o]
        first = np.ones(nb.size, dtype=bool, like=nb)
        first[1:] = nb[1:] != nb[:-1]
        nb, owner = nb[first], owner[first]
        frontier = nb[np.lexsort((keys[nb], owner))]
        seen[frontier] = True
        parts.append(frontier)
    return np.concatenate(parts)


class LatentNetworks:
    """R latent friendship networks (one per community) in one CSR; see the module docstring."""

    def __init__(self, adjs: Sequence[list[list[int]] | tuple[np.ndarray, np.ndarray] | None], n_slots: int,
                 founders: Sequence[int] | None = None,
                 walk_keys: Sequence[np.ndarray | None] | None = None) -> None:
        """From adjacency lists, or ``(degrees, flat neighbour ids)`` pairs (``None``: no
        network for that community). ``founders`` / ``walk_keys`` (uniforms, one per node)
        give the recruiting walk; without them the walk is empty (``next_recruits`` then
        returns -1) and ``founder_node`` is -1."""
        graphs = [_flat(a) if a is not None else None for a in adjs]
        R = len(graphs)
        self.R, self.N = R, int(n_slots)
        self.n_nodes = np.array([g[0].size if g is not None else 0 for g in graphs], dtype=_I)
        self.enabled = np.array([g is not None for g in graphs], dtype=bool)
        P = self.P = max(1, int(self.n_nodes.max(initial=0)))
        deg = np.zeros((R, P), dtype=_I)
        for r, g in enumerate(graphs):
            if g is not None:
                deg[r, :g[0].size] = g[0]
        self.indptr = np.zeros(R * P + 1, dtype=_I)
        np.cumsum(deg.ravel(), out=self.indptr[1:])
        self.indices = np.empty(int(self.indptr[-1]), dtype=np.int32)
        for r, g in enumerate(graphs):
            if g is not None:
                self.indices[self.indptr[r * P]:self.indptr[r * P] + g[1].size] = g[1]
        del graphs
        self.state = np.full((R, P), GONE, dtype=np.int8)
        self.state[np.arange(P)[None, :] < self.n_nodes[:, None]] = OUT
        self.inside = np.zeros((R, P), dtype=np.int32)
        self.slot_of = np.full((R, P), -1, dtype=np.int32)
        self.node_of = np.full((R, self.N), -1, dtype=np.int32)
        self.founder_node = np.full(R, -1, dtype=_I)
        self.bfs_order = np.full((R, P), -1, dtype=np.int32)
        self.hub_order = np.full((R, P), -1, dtype=np.int32)
        self.bfs_at = np.zeros(R, dtype=_I)
        self.hub_at = np.zeros(R, dtype=_I)
        for r in range(R):
            n = int(self.n_nodes[r])
            if not n:
                continue
            d = deg[r, :n]
            self.hub_order[r, :n] = np.argsort(-d, kind="stable")
            if founders is not None and founders[r] >= 0:
                self.founder_node[r] = founders[r]
                ip = self.indptr[r * P:r * P + n + 1] - self.indptr[r * P]
                idx = self.indices[self.indptr[r * P]:self.indptr[r * P + n]]
                order = _walk(ip, idx, int(founders[r]), walk_keys[r])
                self.bfs_order[r, :order.size] = order

    @classmethod
    def build(cls, params_list: Sequence[Params], n_slots: int, setup_rngs: Sequence[np.random.Generator],
              members_at_start: Sequence[int] | None = None,
              given: dict[int, Friends | None] | None = None) -> LatentNetworks | None:
        """The batch's networks as ``sim.friends.build`` draws them (one Python loop over
        communities: setup, not a day). ``members_at_start[r]`` defaults to
        ``seeding.seed_users + 1`` (``found_group``). ``given[r]``: community ``r``'s existing
        network (a group that starts from a state; None: it has none), placed by
        ``sim/vector/resume.py``. ``None`` if no community has a network (the engine then
        uses coin-flip invitations for all)."""
        given = given or {}
        adjs, founders, keys = [], [], []
        for r, p in enumerate(params_list):
            if r in given:
                fr = given[r]
                adjs.append(None if fr is None else [list(a) for a in fr.adj])
                founders.append(-1)  # its walk is placed with the group's state
                keys.append(None)
                continue
            if not p.friends.enabled:
                adjs.append(None)
                founders.append(-1)
                keys.append(None)
                continue
            rng = setup_rngs[r]
            m0 = p.seeding.seed_users + 1 if members_at_start is None else members_at_start[r]
            n = population(p, m0)
            deg, flat = _graph(p, n, rng)
            u = int(rng.integers(n))  # Friends.degree_weighted_node: a random friend of a random node
            start = int(deg[:u].sum())
            founders.append(int(flat[start + int(rng.integers(deg[u]))]) if deg[u] else u)
            keys.append(rng.random(n))
            adjs.append((deg, flat))  # numpy at once: R Python adjacency lists would take ~40x the memory
        if not any(a is not None for a in adjs):
            return None
        return cls(adjs, n_slots, founders, keys)

    # -- inspection ------------------------------------------------------------------------------
    def adjacency(self, r: int) -> list[list[int]]:
        """Community ``r``'s adjacency lists (tests, debugging)."""
        base = r * self.P
        return [self.indices[self.indptr[base + v]:self.indptr[base + v + 1]].tolist()
                for v in range(int(self.n_nodes[r]))]

    def degree(self) -> np.ndarray:
        """(R, P) number of friends per node."""
        return np.diff(self.indptr).reshape(self.R, self.P)

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.indptr, self.indices, self.state, self.inside, self.slot_of,
                                      self.node_of, self.bfs_order, self.hub_order, self.n_nodes,
                                      self.enabled, self.founder_node, self.bfs_at, self.hub_at))

    def frontier(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(r, node, k) of the OUT nodes with k >= 1 friends inside."""
        flat = np.flatnonzero((self.state.ravel() == OUT) & (self.inside.ravel() > 0))
        return flat // self.P, flat % self.P, self.inside.ravel()[flat].astype(_I)

    # -- joining and leaving ---------------------------------------------------------------------
    def grow(self, n_slots: int) -> None:
        """Room for ``n_slots`` member slots (the engine widens its batch as groups grow)."""
        if n_slots > self.N:
            self.node_of = np.pad(self.node_of, ((0, 0), (0, n_slots - self.N)), constant_values=-1)
            self.N = int(n_slots)

    def join(self, r, node, slot) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Members in ``slot`` take ``node`` inside (equal-length arrays; distinct (r, node)
        pairs; ``node < 0``: skipped). Returns ``(r, joiner_slot, friend_slot)``: one entry per
        (joiner, friend inside) pair, as if the joins ran one by one in input order (friends
        inside before the call, and joiners earlier in the call)."""
        r, node, slot = (asarray(x, dtype=_I).ravel() for x in (r, node, slot))
        if not r.size == node.size == slot.size:
            raise ValueError("join: r, node and slot must have equal lengths")
        keep = node >= 0
        r, node, slot = r[keep], node[keep], slot[keep]
        P = self.P
        g = r * P + node
        st = self.state.reshape(-1)
        st[g] = IN
        self.slot_of.reshape(-1)[g] = slot
        self.node_of[r, slot] = node
        owner, nb, _ = _segments(self.indptr, self.indices, g)
        gn = r[owner] * P + nb
        np.add.at(self.inside.reshape(-1), gn, 1)
        friend = st[gn] == IN
        if g.size > 1:  # a friend joining in this call counts if it came earlier in the call
            sorter = np.argsort(g)
            at = np.minimum(np.searchsorted(g[sorter], gn), g.size - 1)
            same = g[sorter][at] == gn
            friend &= ~same | (sorter[at] < owner)
        owner, gn = owner[friend], gn[friend]
        return r[owner], slot[owner], self.slot_of.reshape(-1)[gn].astype(_I)

    def leave(self, r, slot) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Members in ``slot`` leave for good (a slot without an ``IN`` node: nothing). Returns
        ``(r, leaver_slot, friend_slot)`` for each leaver's friends still inside after the
        call (a friend may appear once per friend who left)."""
        r, slot = (asarray(x, dtype=_I).ravel() for x in (r, slot))
        node = self.node_of[r, slot].astype(_I)
        P = self.P
        st = self.state.reshape(-1)
        keep = node >= 0
        keep[keep] = st[r[keep] * P + node[keep]] == IN
        r, slot, node = r[keep], slot[keep], node[keep]
        g = r * P + node
        st[g] = GONE
        self.slot_of.reshape(-1)[g] = -1
        self.node_of[r, slot] = -1
        owner, nb, _ = _segments(self.indptr, self.indices, g)
        gn = r[owner] * P + nb
        np.add.at(self.inside.reshape(-1), gn, -1)
        friend = st[gn] == IN
        owner, gn = owner[friend], gn[friend]
        return r[owner], slot[owner], self.slot_of.reshape(-1)[gn].astype(_I)

    def decline(self, r, node) -> None:
        """Outside people asked and refused: never again (``node < 0`` or not OUT: nothing)."""
        r, node = (asarray(x, dtype=_I).ravel() for x in (r, node))
        keep = node >= 0
        g = r[keep] * self.P + node[keep]
        st = self.state.reshape(-1)
        st[g[st[g] == OUT]] = GONE

    # -- where candidates come from ---------------------------------------------------------------
    def exposed(self, rate, uniform) -> tuple[np.ndarray, np.ndarray]:
        """``(r, node)`` of the OUT nodes who hear of the group today: ``k`` friends inside,
        w.p. 1 − (1 − rate[r])^k; ``rate`` scalar or (R,); ``uniform(r, node)`` gives each
        node's uniform (a counter-based stream: asked only for the OUT nodes with a friend
        inside, the only ones who can hear)."""
        rate = np.minimum(np.broadcast_to(asarray(rate, dtype=np.float64), (self.R,)), 1.0)
        flat = np.flatnonzero((self.inside > 0) & (self.state == OUT) & (rate[:, None] > 0))
        r, node = flat // self.P, flat % self.P
        k = self.inside.reshape(-1)[flat]
        u = asarray(uniform(r, node), dtype=np.float64)
        # 1 - (1 - rate)^k <= k * rate: a cheap superset first, the exact test on it
        near = u < rate[r] * k
        r, node, k, u = r[near], node[near], k[near], u[near]
        hit = u < 1.0 - np.power(1.0 - rate[r], k)
        return r[hit], node[hit]

    def _pick_neighbour(self, r: np.ndarray, g: np.ndarray, u, want, taken) -> np.ndarray:
        """For each (r, global node g): a uniformly chosen neighbour in state ``want`` (and not
        ``taken``), by the uniform ``u``; -1 if none (or g < 0)."""
        out = np.full(g.size, -1, dtype=_I, like=g)
        ok_g = g >= 0
        idx = np.flatnonzero(ok_g)
        if not idx.size:
            return out
        owner, nb, _ = _segments(self.indptr, self.indices, g[idx])
        gn = r[idx][owner] * self.P + nb
        ok = self.state.reshape(-1)[gn] == want
        if taken is not None:
            ok &= ~asarray(taken, dtype=bool).reshape(-1)[gn]
        k = np.bincount(owner[ok], minlength=idx.size)
        target = np.minimum((asarray(u, dtype=np.float64).ravel()[idx] * k).astype(_I), k - 1)
        cs = np.cumsum(ok)
        before = np.concatenate(([0], cs))[np.searchsorted(owner, np.arange(idx.size, like=idx))]
        pick = ok & (cs - 1 - before[owner] == target[owner])
        out[idx[owner[pick]]] = nb[pick]
        return out

    def random_inside_friend(self, r, node, u) -> np.ndarray:
        """For exposed ``(r, node)``: the slot of one of its friends inside, uniformly (the
        teller), -1 if none; ``u`` one uniform per element."""
        r, node = (asarray(x, dtype=_I).ravel() for x in (r, node))
        g = np.where(node >= 0, r * self.P + node, -1)
        nb = self._pick_neighbour(r, g, u, IN, None)
        return np.where(nb >= 0, self.slot_of[r, np.maximum(nb, 0)], -1).astype(_I)

    def random_outside_friend(self, r, slot, u, taken: np.ndarray | None = None) -> np.ndarray:
        """An inviter's outside friend: uniformly among the OUT (not ``taken``) neighbours of
        the node of ``(r, slot)``; -1 if none (or the slot has no node). ``u`` one per element."""
        r, slot = (asarray(x, dtype=_I).ravel() for x in (r, slot))
        node = self.node_of[r, slot].astype(_I)
        g = np.where(node >= 0, r * self.P + node, -1)
        return self._pick_neighbour(r, g, u, OUT, taken)

    def random_outside(self, r, u, taken: np.ndarray | None = None) -> np.ndarray:
        """A scattered OUT node per element (a stranger), as ``Friends.random_outside``: up to
        ``u.shape[1]`` (20) uniform tries over the community's own nodes; -1 after that many
        misses."""
        r = asarray(r, dtype=_I).ravel()
        u = asarray(u, dtype=np.float64).reshape(r.size, -1)
        n = self.n_nodes[r][:, None]
        cand = np.minimum((u * n).astype(_I), np.maximum(n - 1, 0))
        ok = self.state[r[:, None], cand] == OUT
        if taken is not None:
            ok &= ~asarray(taken, dtype=bool)[r[:, None], cand]
        first = np.argmax(ok, axis=1)
        return np.where(ok.any(axis=1), cand[np.arange(r.size, like=r), first], -1)

    def _next(self, order: np.ndarray, at: np.ndarray, r_rows, counts, taken) -> tuple[np.ndarray, np.ndarray]:
        rows = asarray(r_rows, dtype=_I).ravel()
        counts = np.broadcast_to(asarray(counts, dtype=_I), rows.shape).copy()
        keep = counts > 0
        rows, counts = rows[keep], counts[keep]
        if np.unique(rows).size != rows.size:
            raise ValueError("r_rows must be distinct")
        r_out = np.repeat(rows, counts)
        node_out = np.full(r_out.size, -1, dtype=_I, like=r_out)
        if not rows.size:
            return r_out, node_out
        start = np.cumsum(counts) - counts
        todo = np.arange(rows.size, like=rows)
        width = min(self.P, max(64, 4 * int(counts.max())))
        while todo.size:  # a window after the pointer first; the rest of the order for rows it did not serve
            rr, c = rows[todo], counts[todo]
            col = at[rr][:, None] + np.arange(width, like=at)[None, :]
            inside_order = col < self.P
            o = np.where(inside_order, order[rr[:, None], np.minimum(col, self.P - 1)], -1).astype(_I)
            oc = np.maximum(o, 0)
            ok = (o >= 0) & (self.state[rr[:, None], oc] == OUT)
            if taken is not None:
                ok &= ~asarray(taken, dtype=bool)[rr[:, None], oc]
            cs = np.cumsum(ok, axis=1)
            done = cs[:, -1] >= c
            last = at[rr] + width >= self.P  # the window reached the end of the order
            serve = done | last
            sel = ok & (cs <= c[:, None]) & serve[:, None]
            i, j = np.nonzero(sel)
            node_out[start[todo[i]] + cs[i, j] - 1] = o[i, j]
            at[rr[serve]] = np.where(done, at[rr] + np.argmax(cs >= c[:, None], axis=1) + 1, self.P)[serve]
            todo = todo[~serve]
            width = self.P
        return r_out, node_out

    def next_recruits(self, r_rows, counts, taken: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The founder's recruiting: for each (distinct) community in ``r_rows``, its next
        ``counts`` OUT nodes along the walk (friends first, then friends of friends, …), the
        pointer moving past them. Returns ``(r, node)`` with ``counts[i]`` entries per row in
        walk order, -1 where the walk is exhausted (the caller then uses ``random_outside``)."""
        return self._next(self.bfs_order, self.bfs_at, r_rows, counts, taken)

    def next_hubs(self, r_rows, counts, taken: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The same along the hub order (best connected first: ``kols_first``'s KOLs)."""
        return self._next(self.hub_order, self.hub_at, r_rows, counts, taken)
