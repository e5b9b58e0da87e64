"""The batched latent networks (sim/vector/friends.py) against the reference sim/friends.py."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from scipy import stats

from sim.friends import GONE, IN, OUT, Friends, holme_kim, watts_strogatz
from sim.params import FriendGraph, Params
from sim.vector.friends import LatentNetworks, population


def _params(population_: int = 100, graph=FriendGraph.powerlaw_cluster, mean_degree: int = 6,
            enabled: bool = True, seed_users: int = 5) -> Params:
    p = Params()
    p.friends = dataclasses.replace(p.friends, population=population_, graph=graph, mean_degree=mean_degree,
                                    enabled=enabled)
    p.seeding = dataclasses.replace(p.seeding, seed_users=seed_users)
    return p


def _build(params, seeds, n_slots=40):
    return LatentNetworks.build(params, n_slots, [np.random.default_rng(s) for s in seeds])


class _M:
    """A stand-in for sim.agents.Member: what Friends reads and writes."""

    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.node = -1


def _assert_same(net: LatentNetworks, refs: list[Friends], members: list[dict]) -> None:
    for r, ref in enumerate(refs):
        n = ref.n
        assert net.state[r, :n].tolist() == ref.state
        assert net.inside[r, :n].tolist() == ref.inside
        slot_of = [-1] * n
        for node, m in ref.member.items():
            slot_of[node] = m.slot
        assert net.slot_of[r, :n].tolist() == slot_of
        node_of = [-1] * net.N
        for slot, m in members[r].items():
            node_of[slot] = m.node
        assert net.node_of[r].tolist() == node_of
        assert (net.state[r, n:] == GONE).all() and (net.inside[r, n:] == 0).all()
        fr_r, fr_node, fr_k = net.frontier()
        mine = {(int(v), int(k)) for rr, v, k in zip(fr_r, fr_node, fr_k) if rr == r}
        theirs = {(v, k) for k, b in enumerate(ref.buckets) for v in b}
        assert mine == theirs


def test_replay_matches_reference_friends():
    """Random rounds of batched joins (friends of members among them), leaves and declines
    leave state, inside counts, slot maps and the frontier exactly as Friends does, and join
    / leave return exactly the reference's friends."""
    params = [_params(80), _params(120, FriendGraph.small_world), _params(100)]
    net = _build(params, [1, 2, 3])
    refs = [Friends(net.adjacency(r)) for r in range(3)]
    members: list[dict[int, _M]] = [{} for _ in range(3)]
    rng = np.random.default_rng(7)
    pairs = same_call_pairs = 0
    for _round in range(25):
        # joins: a few OUT nodes per community, some of them friends of each other / of members
        jr, jn, js = [], [], []
        for r, ref in enumerate(refs):
            free = [s for s in range(net.N) if s not in members[r]]
            out = [v for v in range(ref.n) if ref.state[v] == OUT]
            picks = list(rng.choice(out, size=min(4, len(out)), replace=False))
            for v in list(picks):  # a friend of a pick joins in the same call
                cand = [w for w in ref.adj[v] if ref.state[w] == OUT and w not in picks]
                if cand and rng.random() < 0.7:
                    picks.append(cand[0])
            for v, s in zip(picks, free):
                jr.append(r)
                jn.append(int(v))
                js.append(s)
        jr.append(0)
        jn.append(-1)  # skipped
        js.append(39)
        perm = rng.permutation(len(jr))  # communities interleaved
        jr, jn, js = (np.array(x)[perm] for x in (jr, jn, js))
        got = net.join(jr, jn, js)
        want = []
        for r, v, s in zip(jr, jn, js):
            if v < 0:
                continue
            m = _M(int(s))
            members[r][int(s)] = m
            m.batch = _round
            for f in refs[r].join(int(v), m):
                want.append((int(r), int(s), f.slot))
                same_call_pairs += getattr(f, "batch", -1) == _round
        assert sorted(zip(*(a.tolist() for a in got))) == sorted(want)
        pairs += len(want)
        # leaves: a few present slots, plus an empty one (nothing happens)
        lr, ls = [], []
        for r in range(3):
            present = sorted(members[r])
            for s in rng.choice(present, size=min(3, len(present)), replace=False):
                lr.append(r)
                ls.append(int(s))
        empty = [s for s in range(net.N) if s not in members[1]]
        if empty:
            lr.append(1)
            ls.append(empty[0])
        got = net.leave(np.array(lr), np.array(ls))
        want = []
        for r, s in zip(lr, ls):
            m = members[r].pop(s, None)
            if m is not None:
                want += [(r, s, f) for f in (x.slot for x in refs[r].leave(m))]
        want = [w for w in want if w[2] in members[w[0]]]  # friends still inside after the batch
        assert sorted(zip(*(a.tolist() for a in got))) == sorted(want)
        # declines: OUT nodes, an IN node and -1 (no effect)
        dr, dn = [], []
        for r, ref in enumerate(refs):
            out = [v for v in range(ref.n) if ref.state[v] == OUT]
            dr += [r, r]
            dn += [int(rng.choice(out)) if out else -1, next(iter(ref.member), -1)]
        dr.append(2)
        dn.append(-1)
        net.decline(np.array(dr), np.array(dn))
        for r, v in zip(dr, dn):
            refs[r].decline(v)
        _assert_same(net, refs, members)
    assert pairs > 50 and same_call_pairs > 5  # the sequence exercised both kinds of friend pairs


def test_build_uses_reference_graph_and_sizing():
    """Each community's graph is sim.friends.holme_kim / watts_strogatz from the same seed draw,
    sized by the reference rule, with the founder drawn as Friends.degree_weighted_node."""
    params = [_params(60, seed_users=30), _params(90, FriendGraph.small_world)]
    net = _build(params, [11, 12])
    for r, (p, s) in enumerate(zip(params, [11, 12])):
        n = population(p, p.seeding.seed_users + 1)
        assert net.n_nodes[r] == n
        rng = np.random.default_rng(s)
        rnd = random.Random(int(rng.integers(2**63)))
        if p.friends.graph is FriendGraph.small_world:
            adj = watts_strogatz(n, p.friends.mean_degree, p.friends.rewire_prob, rnd)
        else:
            adj = holme_kim(n, round(p.friends.mean_degree / 2), p.friends.triad_prob, rnd)
        assert net.adjacency(r) == adj
        assert net.founder_node[r] == Friends(adj).degree_weighted_node(rng)
        deg = np.array([len(a) for a in adj])
        assert net.hub_order[r, :n].tolist() == np.argsort(-deg, kind="stable").tolist()
    assert net.n_nodes[0] == 4 * 31  # min_outside_per_member * members at start beats population


def _columns(u: np.ndarray):
    """A node's uniform read from an (R, P) array (what the engine's counter stream gives)."""
    return lambda r, node: u[r, node]


def test_exposed_frequency_by_k():
    """OUT nodes with k friends inside are exposed w.p. 1 - (1 - rate)^k (within 5 s.d. per k,
    per community rate); k = 0, IN and GONE nodes never."""
    net = _build([_params(150), _params(150)], [5, 6])
    rng = np.random.default_rng(0)
    for r in range(2):
        nodes = rng.choice(150, size=30, replace=False)
        net.join(np.full(30, r), nodes, np.arange(30))
        net.decline(np.full(10, r), rng.choice(150, size=10, replace=False))
    rate = np.array([0.3, 0.1])
    hits = np.zeros((2, net.P))
    days = 400
    for _ in range(days):
        er, en = net.exposed(rate, _columns(rng.random((2, net.P))))
        np.add.at(hits, (er, en), 1)
    out = net.state == OUT
    assert hits[~out].sum() == 0 and hits[out & (net.inside == 0)].sum() == 0
    checked = 0
    for r in range(2):
        for k in range(1, net.inside.max() + 1):
            sel = out[r] & (net.inside[r] == k)
            trials = sel.sum() * days
            if trials < 200:
                continue
            p = 1 - (1 - rate[r]) ** k
            assert abs(hits[r, sel].sum() / trials - p) < 5 * np.sqrt(p * (1 - p) / trials), (r, k)
            checked += 1
    assert checked >= 3
    assert net.exposed(0.0, _columns(rng.random((2, net.P))))[0].size == 0


def _node_with_mixed_neighbours(net: LatentNetworks, r: int, min_deg: int = 8) -> int:
    deg = net.degree()[r]
    return int(np.flatnonzero(deg >= min_deg)[0])


def test_random_outside_friend_uniform_over_out_neighbours():
    """Only OUT (not taken) neighbours of the slot's node, uniformly (chi-square); -1 when none."""
    net = _build([_params(200)], [21])
    v = _node_with_mixed_neighbours(net, 0)
    nbrs = net.adjacency(0)[v]
    net.join([0, 0], [v, nbrs[0]], [0, 1])  # one neighbour inside
    net.decline([0], [nbrs[1]])  # one gone
    taken = np.zeros((1, net.P), dtype=bool)
    taken[0, nbrs[2]] = True
    allowed = nbrs[3:]
    k = 40_000
    got = net.random_outside_friend(np.zeros(k, int), np.zeros(k, int), np.random.default_rng(1).random(k), taken)
    assert set(got.tolist()) == set(allowed)
    counts = np.array([(got == w).sum() for w in allowed])
    assert stats.chisquare(counts).pvalue > 1e-3
    # without taken the taken neighbour is a candidate again
    got = net.random_outside_friend(np.zeros(2000, int), np.zeros(2000, int), np.random.default_rng(2).random(2000))
    assert nbrs[2] in got
    # every neighbour of v gone or inside: none; an empty slot: none
    net.decline(np.zeros(len(nbrs), int), nbrs)
    assert (net.random_outside_friend([0, 0], [0, 5], [0.5, 0.5]) == -1).all()


def test_random_inside_friend_uniform_over_inside_neighbours():
    net = _build([_params(200)], [22])
    v = _node_with_mixed_neighbours(net, 0)
    nbrs = net.adjacency(0)[v]
    inside = nbrs[:4]
    net.join(np.zeros(4, int), inside, np.arange(1, 5))
    k = 20_000
    got = net.random_inside_friend(np.zeros(k, int), np.full(k, v), np.random.default_rng(3).random(k))
    assert set(got.tolist()) == {1, 2, 3, 4}
    assert stats.chisquare(np.bincount(got, minlength=5)[1:]).pvalue > 1e-3
    lonely = int(np.flatnonzero(net.inside[0] == 0)[0])
    assert net.random_inside_friend([0, 0], [lonely, -1], [0.5, 0.5]).tolist() == [-1, -1]


def test_random_outside_only_out_nodes():
    net = _build([_params(100), _params(100, enabled=False)], [31, 32], n_slots=60)
    rng = np.random.default_rng(4)
    net.join(np.zeros(50, int), np.arange(50), np.arange(50))
    got = net.random_outside(np.zeros(500, int), rng.random((500, 20)))
    assert (got >= 50).all() and (net.state[0, got] == OUT).all()
    u_inside = rng.random((3, 20)) * 0.49  # every try lands on an inside node: -1
    assert (net.random_outside([0, 0, 0], u_inside) == -1).all()
    assert (net.random_outside([1, 1], rng.random((2, 20))) == -1).all()  # no network


def test_walk_is_the_reference_walk():
    """With sorted adjacency (Watts-Strogatz) and keys = node ids, the precomputed walk is the
    order in which Friends.next_friend_of_founder visits nodes under an identity permutation."""

    class Identity:
        def permutation(self, n):
            return np.arange(n)

    adj = watts_strogatz(150, 6, 0.3, random.Random(9))
    founder = 17
    net = LatentNetworks([adj], 10, [founder], [np.arange(150) / 150])
    ref = Friends(adj)
    ref.start_walk(founder)
    walk = []
    while ref._queue_at < len(ref._queue) or not walk:
        walk.append(ref.next_friend_of_founder(Identity(), set()))
    walk = [v for v in walk if v >= 0]
    assert net.bfs_order[0, :len(walk)].tolist() == walk
    assert (net.bfs_order[0, len(walk):] == -1).all()


def test_next_recruits_follow_the_walk():
    """First recruits are the founder's friends, then friends of friends; a node never comes
    twice; nodes no longer OUT are skipped; -1 once the walk is exhausted."""
    net = _build([_params(120), _params(120)], [42, 43])  # founders with 7 and 4 friends
    f = net.founder_node
    net.join([0, 1], f, [0, 0])
    ring1 = [set(net.adjacency(r)[f[r]]) for r in range(2)]
    gone = sorted(ring1[0])[:2]
    net.decline([0, 0], gone)
    r, nodes = net.next_recruits([0, 1], [len(ring1[0]) - 2, 3])
    assert r.tolist() == [0] * (len(ring1[0]) - 2) + [1] * 3
    assert set(nodes[r == 0].tolist()) == ring1[0] - set(gone)
    assert set(nodes[r == 1].tolist()) <= ring1[1]
    seen = set(nodes[r == 0].tolist())
    net.join(np.zeros(3, int), nodes[r == 0][:3], [1, 2, 3])
    dist = {f[0]: 0}
    frontier = [f[0]]
    adj = net.adjacency(0)
    while frontier:
        nxt = [w for v in frontier for w in adj[v] if w not in dist]
        for w in nxt:
            dist[w] = dist[frontier[0]] + 1
        frontier = list(dict.fromkeys(nxt))
    rest = []
    for _ in range(30):  # 120 nodes, 7 a call: exhausted well before
        r2, n2 = net.next_recruits([0], [7])
        rest += n2.tolist()
        if (n2 < 0).any():
            break
    else:
        pytest.fail("the walk never ran out")
    got = [v for v in rest if v >= 0]
    assert not seen & set(got) and len(got) == len(set(got))
    assert all(net.state[0, v] == OUT for v in got)
    assert [dist[v] for v in got] == sorted(dist[v] for v in got)  # nearest first
    assert set(got) | seen | set(gone) | {f[0]} == set(dist)  # the whole component, once
    assert net.next_recruits([0], [2])[1].tolist() == [-1, -1]
    # hubs: best connected first, skipping the inside ones
    _, hubs = net.next_hubs([1], [5])
    deg = net.degree()[1]
    assert f[1] not in hubs
    assert list(deg[hubs]) == sorted(deg[hubs], reverse=True)
    assert deg[hubs[0]] >= np.sort(deg[net.state[1] == OUT])[-1]


def test_batch_independence():
    """Community 1 built and run inside a batch of 3 has the same arrays as alone."""
    params = [_params(150), _params(90, FriendGraph.small_world), _params(60, enabled=False)]
    batch = _build(params, [51, 52, 53])
    alone = _build(params[1:2], [52])
    for net, r in ((batch, 1), (alone, 0)):
        net.join([r], [net.founder_node[r]], [0])
        net.next_recruits([r], [4])
    n = alone.n_nodes[0]
    assert batch.adjacency(1) == alone.adjacency(0)
    for name in ("state", "inside", "slot_of", "bfs_order", "hub_order"):
        a, b = getattr(batch, name)[1], getattr(alone, name)[0]
        assert (a[:n] == b[:n]).all(), name
        assert (a[n:] == (GONE if name == "state" else 0 if name == "inside" else -1)).all(), name
    assert (batch.node_of[1] == alone.node_of[0]).all()
    u = np.random.default_rng(0).random((300, 20))  # strangers come from the community's own nodes
    assert (batch.random_outside(np.ones(300, int), u) == alone.random_outside(np.zeros(300, int), u)).all()
    assert batch.founder_node[1] == alone.founder_node[0] and batch.bfs_at[1] == alone.bfs_at[0]
    # the disabled community: no network at all
    assert (batch.state[2] == GONE).all() and batch.founder_node[2] == -1
    assert batch.next_recruits([2], [3])[1].tolist() == [-1, -1, -1]
    assert LatentNetworks.build(params[2:], 10, [np.random.default_rng(0)]) is None


def test_memory_per_community_default_params():
    """Default parameters (population 2000, mean degree 8): well under 200 kB per community."""
    net = LatentNetworks.build([Params(), Params()], 500, [np.random.default_rng(s) for s in (1, 2)])
    assert net.P == 2000
    assert net.nbytes() / 2 < 200_000


@pytest.mark.parametrize("graph", list(FriendGraph))
def test_in_nodes_are_never_recruited_or_exposed(graph):
    net = _build([_params(80, graph)], [61])
    net.join([0], [net.founder_node[0]], [0])
    _, nodes = net.next_recruits([0], [30])
    assert f"{net.founder_node[0]}" not in map(str, nodes) and (nodes >= 0).all()
    net.join(np.zeros(30, int), nodes, np.arange(1, 31))
    assert (net.state[0, net.exposed(1.0, _columns(np.full((1, net.P), 0.5)))[1]] == OUT).all()
    assert net.state[0, net.node_of[0][net.node_of[0] >= 0]].tolist() == [IN] * int((net.node_of[0] >= 0).sum())


def test_walk_shuffles_each_parents_new_friends():
    """The founder's first recruit is uniform over its friends (the walk is shuffled by the
    build's keys, not adjacency order); the founder itself comes first."""
    adj = holme_kim(60, 3, 0.5, random.Random(3))
    founder = max(range(60), key=lambda v: len(adj[v]))
    rng = np.random.default_rng(8)
    firsts = []
    for _ in range(600):
        net = LatentNetworks([adj], 4, [founder], [rng.random(60)])
        assert net.bfs_order[0, 0] == founder
        firsts.append(int(net.bfs_order[0, 1]))
    counts = np.array([firsts.count(w) for w in adj[founder]])
    assert counts.sum() == 600
    assert stats.chisquare(counts).pvalue > 1e-3


def test_build_shuffles_the_walk():
    """Built walks visit the founder's friends in random order, not by node id."""
    ascending = 0
    for seed in range(10):
        net = _build([_params(60)], [seed])
        f = net.founder_node[0]
        ring1 = net.bfs_order[0, 1:1 + net.degree()[0][f]]
        assert set(ring1.tolist()) == set(net.adjacency(0)[f])
        ascending += ring1.tolist() == sorted(ring1.tolist())
    assert ascending <= 5


def test_next_recruits_equals_a_plain_walk():
    """The vectorised pointer walk (window first, then the rest) gives what a plain loop over
    each community's order gives, pointers included, with skipped, taken and exhausted rows."""
    net = _build([_params(300) for _ in range(6)], range(70, 76), n_slots=10)
    rng = np.random.default_rng(5)
    for r in range(6):  # most of some walks declined: the first window serves nobody there
        share = [0.1, 0.5, 0.95, 0.0, 0.99, 0.7][r]
        gone = np.flatnonzero(rng.random(300) < share)
        net.decline(np.full(gone.size, r), gone)
    taken = rng.random((6, net.P)) < 0.1
    plain_at = net.bfs_at.copy()
    for _ in range(8):
        rows = rng.permutation(6)[:4]
        counts = rng.integers(0, 40, size=4)
        r_got, n_got = net.next_recruits(rows, counts, taken)
        want_r, want_n = [], []
        for r, c in zip(rows, counts):
            found = []
            while len(found) < c and plain_at[r] < net.P:
                v = net.bfs_order[r, plain_at[r]]
                plain_at[r] += 1
                if v >= 0 and net.state[r, v] == OUT and not taken[r, v]:
                    found.append(int(v))
            if len(found) < c:
                plain_at[r] = net.P
            want_r += [int(r)] * int(c)
            want_n += found + [-1] * int(c - len(found))
        assert r_got.tolist() == want_r and n_got.tolist() == want_n
        assert (net.bfs_at == plain_at).all()
    assert (plain_at == net.P).sum() >= 2  # some walks ran out
