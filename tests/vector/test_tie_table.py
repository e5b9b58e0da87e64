"""The vector engine's tie table (sim/vector/ties.py) against a dense matrix of the same ties.

Random interactions, departures and reads in a batch of communities: after every step the
table must hold exactly the dense matrix's ties and weights, in both directions, and every
read (a member's ties, the sums over ties, the degree among present members) must equal the
dense computation it replaced.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.vector.ties import Ties

R, N, M = 3, 40, 50


def _dense(t: Ties) -> np.ndarray:
    W = np.zeros((R, M, M), np.int64)
    k = t.keys
    W[k // (M * M), (k // M) % M, k % M] = t.w
    return W


def _random_ties(seed: int, steps: int = 30):
    g = np.random.default_rng(seed)
    t, W = Ties(R, M), np.zeros((R, M, M), np.int64)
    for _ in range(steps):
        m = int(g.integers(1, 60))
        r, a, b = g.integers(0, R, m), g.integers(0, N, m), g.integers(0, N, m)
        keep = a != b
        r, a, b = r[keep], a[keep], b[keep]
        t.add(r, a, b)
        np.add.at(W, (r, a, b), 1)
        np.add.at(W, (r, b, a), 1)
        if g.random() < 0.5:  # some members leave
            who = np.unique(g.integers(0, R * N, int(g.integers(1, 5))))
            lr, ls = who // N, who % N
            nr, j, w = t.drop(lr, ls)
            # What drop reports is each removed tie seen from its other end, read before removal.
            expect = sorted((rr, jj, W[rr, ss, jj]) for rr, ss in zip(lr, ls) for jj in np.flatnonzero(W[rr, ss]))
            assert sorted(zip(nr, j, w)) == expect
            W[lr, ls, :] = 0
            W[lr, :, ls] = 0
        np.testing.assert_array_equal(_dense(t), W)
    return t, W, g


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_table_holds_the_dense_matrix_after_adds_and_drops(seed):
    t, W, _ = _random_ties(seed)
    assert len(t) == np.count_nonzero(W)
    assert (np.diff(t.keys) > 0).all()  # sorted and unique: each tie end once
    np.testing.assert_array_equal(W, W.transpose(0, 2, 1))


def test_reads_equal_the_dense_computation():
    t, W, g = _random_ties(5)
    # A member's ties, in slot order, with their interactions.
    r, s = np.array([0, 2, 1, 0]), np.array([3, 7, 0, 3])
    i, j, w, _ = t.of(r, s)
    for k in range(r.size):
        np.testing.assert_array_equal(j[i == k], np.flatnonzero(W[r[k], s[k]]))
        np.testing.assert_array_equal(w[i == k], W[r[k], s[k]][W[r[k], s[k]] > 0])
    # Sums over ties of whole message counts, exactly.
    x = np.zeros((R, N))
    x[:, ::3] = g.integers(0, 9, (R, (N + 2) // 3))
    dense = np.einsum("rab,rb->ra", (W[:, :N, :N] > 0).astype(float), x)
    np.testing.assert_array_equal(t.times(x), dense)
    # Degree (kept through every add and drop above), for some communities.
    rows = np.array([2, 0])
    dense_k = (W[rows][:, :N, :N] > 0).sum(axis=2)
    np.testing.assert_array_equal(t.degree(rows, N), dense_k)


def test_keys_that_would_overflow_are_refused():
    with pytest.raises(ValueError, match="overflow"):
        Ties(10**6, 10**7)
