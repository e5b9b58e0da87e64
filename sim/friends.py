"""Friendships outside the group (MODEL.md §4.10): the latent network word of mouth travels along.

Members have friends outside the group. ``Friends`` holds a latent social network of the
people who could ever hear of the group (``friends.population`` nodes, a Holme–Kim
powerlaw-cluster or a Watts–Strogatz graph drawn from ``model.rng``), which of them are
inside (``IN``), outside (``OUT``) or gone (``GONE``: left the group, or were asked and
declined), and for every node the number of its friends inside.

- **Where the group starts** (``seeding.strategy``): the founder is a node drawn in proportion
  to its degree (a founder has friends); ``friends`` and the non-KOL part of ``kols_first``
  recruit the founder's neighbourhood in breadth-first order (seed 001 L69: the founder's own
  朋友圈), ``kols_first``'s KOLs are the best-connected nodes, ``random`` and ``paid_ads``
  scattered random nodes (strangers).
- **Word of mouth** (seed 001 L31 裂变, L125 indicator ④; seed 004 L186 朋友拉朋友): a satisfied
  member invites an *outside friend* (none left: no invitation), and an outside person with
  ``k`` friends inside hears of the group and knocks on a day with probability
  1 − (1 − ``friends.exposure_rate``)^k (diminishing returns), if the friend who told them
  (one of the ``k``, at random) is satisfied. Both come through the ``word_of_mouth`` channel.
- **Joining**: the newcomer's latent friendships with members inside become group ties.
- **Leaving**: a leaver's friends inside remember it (``Member.friend_left_day``): their leave
  hazard rises by ``churn.friend_left_hazard`` for ``churn.friend_left_days`` (reason ``friend_left``).

Per-day work is O(frontier buckets + today's candidates), not O(population): outside nodes
with inside friends sit in buckets by their count ``k`` (swap-remove lists), updated on each
join and leave in O(degree); a day's exposure draws one binomial per bucket.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import numpy as np

from sim.params import FriendGraph

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel

OUT, IN, GONE = 0, 1, 2


def holme_kim(n: int, m: int, p: float, rnd: random.Random) -> list[list[int]]:
    """Holme & Kim (2002) powerlaw-cluster graph: preferential attachment of ``m`` edges per
    node, each after the first closing a triangle with probability ``p`` (as networkx's
    ``powerlaw_cluster_graph``, 3.4× faster than networkx 3.6 on 2,000 nodes: plain lists and one
    ``random.Random``).

    Only the new node's own friends are ever tested for membership, so no per-node sets are
    kept; a triad step finds its pick by index among the last friend's friends, skipping
    the few that are already the new node's (a scan in C rather than a filtered copy of a
    hub's list). The draws and the graph are those of the straightforward filtered-list loop
    (tests/test_word_of_mouth.py keeps that loop as the reference)."""
    m = max(1, min(m, n - 1))
    adj: list[list[int]] = [[] for _ in range(n)]
    repeated = list(range(m))  # each node once per edge end: degree-proportional picks
    rand = rnd.random
    for source in range(m, n):
        targets: list[int] = []
        while len(targets) < m:  # m distinct degree-weighted targets (networkx's _random_subset)
            t = repeated[int(rand() * len(repeated))]
            if t not in targets:
                targets.append(t)
        target = targets.pop()
        mine = [target]  # the source's friends, in the order made
        adj[target].append(source)
        while len(mine) < m:
            if rand() < p:  # triad formation: befriend a friend of the last friend
                row = adj[target]  # its last entry is the source (the friendship just made)
                skip = sorted(row.index(x) for x in mine if x != target and x in row)
                if len(row) - 1 > len(skip):
                    k = int(rand() * (len(row) - 1 - len(skip)))
                    for pos in skip:  # the k-th of row[:-1] that is not yet the source's friend
                        if pos > k:
                            break
                        k += 1
                    mine.append(row[k])
                    adj[row[k]].append(source)
                    continue
            target = targets.pop()
            while target in mine and targets:
                target = targets.pop()
            if target in mine:
                break
            mine.append(target)
            adj[target].append(source)
        adj[source] = mine
        repeated.extend(mine)
        repeated.extend([source] * len(mine))
    return adj


def watts_strogatz(n: int, k: int, p: float, rnd: random.Random) -> list[list[int]]:
    """Watts & Strogatz (1998): a ring where each node knows its ``k`` nearest, each edge
    rewired to a random node with probability ``p`` (clustered, short paths, no hubs)."""
    k = max(2, min(k - k % 2, n - 1 - (n - 1) % 2))
    nbrs: list[set[int]] = [set() for _ in range(n)]
    for u in range(n):
        for j in range(1, k // 2 + 1):
            v = (u + j) % n
            nbrs[u].add(v)
            nbrs[v].add(u)
    for j in range(1, k // 2 + 1):
        for u in range(n):
            v = (u + j) % n
            if rnd.random() < p and v in nbrs[u]:
                w = int(rnd.random() * n)
                if w == u or w in nbrs[u]:
                    continue
                nbrs[u].discard(v)
                nbrs[v].discard(u)
                nbrs[u].add(w)
                nbrs[w].add(u)
    return [sorted(s) for s in nbrs]


class Friends:
    """The latent network and who of it is inside; see the module docstring."""

    def __init__(self, adj: list[list[int]]) -> None:
        self.adj = [tuple(a) for a in adj]
        n = len(adj)
        self.state = [OUT] * n
        self.inside = [0] * n  # friends inside, per node
        self.member: dict[int, Member] = {}  # node -> member inside
        self.buckets: list[list[int]] = [[]]  # buckets[k]: OUT nodes with k >= 1 friends inside
        self.pos = [-1] * n  # a node's index in its bucket
        self.founder_node = -1
        self._queue: list[int] = []  # breadth-first walk of the founder's neighbourhood
        self._queue_at = 0
        self._seen: set[int] = set()
        self._hubs: list[int] | None = None  # nodes by degree, best connected first
        self._hubs_at = 0

    @property
    def n(self) -> int:
        return len(self.adj)

    def degree(self, node: int) -> int:
        return len(self.adj[node]) if node >= 0 else 0

    def frontier_size(self) -> int:
        return sum(len(b) for b in self.buckets)

    # -- buckets -----------------------------------------------------------------------------
    def _unbucket(self, v: int) -> None:
        b = self.buckets[self.inside[v]]
        i = self.pos[v]
        last = b.pop()
        if last != v:
            b[i] = last
            self.pos[last] = i
        self.pos[v] = -1

    def _bucket(self, v: int) -> None:
        k = self.inside[v]
        while len(self.buckets) <= k:
            self.buckets.append([])
        b = self.buckets[k]
        self.pos[v] = len(b)
        b.append(v)

    # -- joining and leaving -------------------------------------------------------------------
    def join(self, node: int, m: Member) -> list[Member]:
        """``m`` takes ``node`` inside; returns their friends already inside."""
        state, inside = self.state, self.inside
        if state[node] == OUT and inside[node]:
            self._unbucket(node)
        state[node] = IN
        self.member[node] = m
        m.node = node
        friends_inside = []
        for w in self.adj[node]:
            sw = state[w]
            if sw == OUT:
                if inside[w]:
                    self._unbucket(w)
                inside[w] += 1
                self._bucket(w)
            else:
                inside[w] += 1
                if sw == IN:
                    friends_inside.append(self.member[w])
        return friends_inside

    def leave(self, m: Member) -> list[Member]:
        """``m`` leaves for good; returns their friends still inside."""
        node = m.node
        state, inside = self.state, self.inside
        if node < 0 or state[node] != IN:
            return []
        state[node] = GONE
        del self.member[node]
        friends_inside = []
        for w in self.adj[node]:
            sw = state[w]
            if sw == OUT:
                self._unbucket(w)
                inside[w] -= 1
                if inside[w]:
                    self._bucket(w)
            else:
                inside[w] -= 1
                if sw == IN:
                    friends_inside.append(self.member[w])
        return friends_inside

    def decline(self, node: int) -> None:
        """An outside person asked today said no (refused at the threshold): never again."""
        if node >= 0 and self.state[node] == OUT:
            if self.inside[node]:
                self._unbucket(node)
            self.state[node] = GONE

    # -- where candidates come from ---------------------------------------------------------------
    def random_outside(self, rng: np.random.Generator, taken: set[int]) -> int:
        """A scattered outside node (a stranger to the group), or -1 after 20 misses."""
        for _ in range(20):
            v = int(rng.integers(self.n))
            if self.state[v] == OUT and v not in taken:
                return v
        return -1

    def degree_weighted_node(self, rng: np.random.Generator) -> int:
        """A node drawn in proportion to its degree: a random friend of a random node."""
        u = int(rng.integers(self.n))
        a = self.adj[u]
        return a[int(rng.integers(len(a)))] if a else u

    def start_walk(self, node: int) -> None:
        self.founder_node = node
        self._queue, self._queue_at, self._seen = [node], 0, {node}

    def next_friend_of_founder(self, rng: np.random.Generator, taken: set[int]) -> int:
        """The next outside node of the founder's neighbourhood, nearest first (friends, then
        friends of friends, each ring in random order); a random one once it is exhausted."""
        q = self._queue
        while self._queue_at < len(q):
            v = q[self._queue_at]
            self._queue_at += 1
            new = [w for w in self.adj[v] if w not in self._seen]
            self._seen.update(new)
            q.extend(new[i] for i in rng.permutation(len(new)))
            if self.state[v] == OUT and v not in taken:
                return v
        return self.random_outside(rng, taken)

    def next_hub(self, rng: np.random.Generator, taken: set[int]) -> int:
        """The best-connected outside node (KOLs first: seed 001 树关键人)."""
        if self._hubs is None:
            deg = np.array([len(a) for a in self.adj])
            self._hubs = [int(i) for i in np.argsort(-deg, kind="stable")]
        while self._hubs_at < len(self._hubs):
            v = self._hubs[self._hubs_at]
            self._hubs_at += 1
            if self.state[v] == OUT and v not in taken:
                return v
        return self.random_outside(rng, taken)

    def inside_friends(self, node: int) -> list[Member]:
        return [self.member[w] for w in self.adj[node] if self.state[w] == IN]

    def outside_friends(self, node: int, taken: set[int]) -> list[int]:
        return [w for w in self.adj[node] if self.state[w] == OUT and w not in taken]

    def exposed_today(self, rng: np.random.Generator, rate: float) -> list[int]:
        """Outside nodes who hear of the group today: each with k friends inside w.p. 1 − (1 − rate)^k."""
        sizes = [len(b) for b in self.buckets]
        if rate <= 0 or len(sizes) < 2 or not any(sizes):
            return []
        k = np.arange(len(sizes))
        counts = rng.binomial(np.array(sizes), 1.0 - (1.0 - rate) ** k)
        out: list[int] = []
        for kk in np.flatnonzero(counts):
            b = self.buckets[kk]
            out.extend(b[i] for i in rng.choice(len(b), size=int(counts[kk]), replace=False))
        return out


def build(model: CommunityModel, members_at_start: int) -> Friends | None:
    """The latent network of a new group (``friends.enabled``), sized to hold the starting
    members ``friends.min_outside_per_member`` times over."""
    f = model.p.friends
    if not f.enabled:
        return None
    n = max(f.population, f.min_outside_per_member * members_at_start, f.mean_degree + 2)
    rnd = random.Random(int(model.rng.integers(2**63)))
    if f.graph is FriendGraph.small_world:
        adj = watts_strogatz(n, f.mean_degree, f.rewire_prob, rnd)
    else:
        adj = holme_kim(n, max(1, round(f.mean_degree / 2)), f.triad_prob, rnd)
    return Friends(adj)


def place_existing(model: CommunityModel) -> None:
    """A group that starts from an edge list or a description: its people are the founder's
    neighbourhood in the latent network (their group ties stay as given)."""
    fr = model.friends
    if fr is None:
        return
    people = [m for m in model.roster if m.spec.person]
    founder = model.founder if model.founder is not None else (people[0] if people else None)
    if founder is None:
        return
    fr.start_walk(fr.degree_weighted_node(model.rng))
    fr.join(fr.founder_node, founder)
    taken: set[int] = set()
    for m in people:
        if m is founder:
            continue
        v = fr.next_friend_of_founder(model.rng, taken)
        if v >= 0:
            fr.join(v, m)
