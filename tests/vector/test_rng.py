"""Counter-based streams of the vector engine (sim/vector/rng.py).

What is checked: a community's numbers are a pure function of (key, day, stream, index),
independent of the batch and of the padding width; the uniforms look uniform and unrelated
across streams, days, keys and neighbouring indices; each distribution matches scipy's.

All inputs are fixed seeds, so every statistical check is deterministic; the thresholds are
set so that a correct generator passes with a wide margin (stated at each check) and a
wrong transform or a shared/shifted stream fails.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from sim.vector import rng
from sim.vector.rng import Streams

P_MIN = 1e-3  # goodness-of-fit p-values must exceed this (a correct draw fails 0.1 % of the time)


def _streams(n: int = 20, day: int = 0) -> Streams:
    s = Streams(rng.keys_from_seeds(range(n)))
    s.day = day
    return s


def _draws(stream: int, n_rows: int = 20, width: int = 1000) -> np.ndarray:
    """2e4 uniforms (20 communities x 1000) from one stream, flattened."""
    return _streams(n_rows).uniform(stream, (width,)).ravel()


# ---------------------------------------------------------------------------------------
# The counter contract
# ---------------------------------------------------------------------------------------


def test_same_counter_same_numbers_and_different_stream_or_day_differ():
    a = _streams(day=3).uniform(7, (4, 50))
    b = _streams(day=3).uniform(7, (4, 50))
    assert a.shape == (20, 4, 50)
    np.testing.assert_array_equal(a, b)
    # A different stream or day shares (essentially) no element: 53-bit values coincide
    # with probability ~4000 / 2**53.
    assert np.mean(a == _streams(day=3).uniform(8, (4, 50))) == 0
    assert np.mean(a == _streams(day=4).uniform(7, (4, 50))) == 0
    # Rank matters: (N,) and (N, 1) are different streams, not reshapes of each other.
    assert np.mean(_streams().uniform(7, (50,)) == _streams().uniform(7, (50, 1))[..., 0]) == 0


def test_day_attribute_is_the_counter():
    s = _streams()
    assert s.day == 0
    first = s.uniform(1, (10,))
    s.day = 5
    fifth = s.uniform(1, (10,))
    assert np.mean(first == fifth) == 0
    np.testing.assert_array_equal(fifth, _streams(day=5).uniform(1, (10,)))


def test_community_draws_the_same_alone_or_in_any_batch():
    big = Streams(rng.keys_from_seeds(range(1000)))
    big.day = 12
    wide = big.uniform(4, (9, 6))
    for k in (0, 1, 517, 999):
        alone = Streams(rng.keys_from_seeds([k]))
        alone.day = 12
        np.testing.assert_array_equal(alone.uniform(4, (9, 6))[0], wide[k])
    # Shuffled batch: rows follow their keys.
    perm = np.random.default_rng(0).permutation(1000)
    shuffled = Streams(big.keys[perm])
    shuffled.day = 12
    np.testing.assert_array_equal(shuffled.uniform(4, (9, 6)), wide[perm])


def test_padding_width_does_not_change_the_numbers():
    s = _streams(day=2)
    np.testing.assert_array_equal(s.uniform(3, (5,))[:, :3], s.uniform(3, (3,)))
    np.testing.assert_array_equal(s.uniform(3, (500,))[:, :37], s.uniform(3, (37,)))
    np.testing.assert_array_equal(s.uniform(3, (4, 6))[:, :2, :3], s.uniform(3, (2, 3)))
    assert s.uniform(3).shape == (20,)
    assert s.uniform(3, 5).shape == (20, 5)


def test_uniform_at_matches_uniform():
    s = _streams(day=9)
    full1 = s.uniform(2, (40,))
    full2 = s.uniform(2, (7, 40))
    g = np.random.default_rng(1)
    rows = g.integers(0, 20, 300)
    i = g.integers(0, 7, 300)
    j = g.integers(0, 40, 300)
    np.testing.assert_array_equal(s.uniform_at(2, rows, j), full1[rows, j])
    np.testing.assert_array_equal(s.uniform_at(2, rows, i, j), full2[rows, i, j])
    # Broadcasting: every row against the same columns.
    np.testing.assert_array_equal(s.uniform_at(2, np.arange(20)[:, None], np.arange(40)[None, :]), full1)
    np.testing.assert_array_equal(s.uniform_at(2, np.array([3, 5])), s.uniform(2)[[3, 5]])


def test_uniform_of_member_slots_matches_uniform():
    """The engine's per-member draws (Streams.uniform_of) are elements of the whole-array draws,
    at any padding width the batch has."""
    s = _streams(day=4)
    g = np.random.default_rng(2)
    rows, slots, col = g.integers(0, 20, 500), g.integers(0, 40, 500), g.integers(0, 3, 500)
    for width in (40, 64):
        np.testing.assert_array_equal(s.uniform_of(5, rows, slots, width), s.uniform(5, (40,))[rows, slots])
        full = s.uniform(5, (40, 3))
        for c in range(3):
            np.testing.assert_array_equal(s.uniform_of(5, rows[col == c], slots[col == c], width, c),
                                          full[rows[col == c], slots[col == c], c])
    assert not np.array_equal(s.uniform_of(5, rows, slots, 40), s.uniform_of(6, rows, slots, 40))


def test_subset_keeps_keys_and_day():
    s = _streams(day=6)
    rows = np.array([14, 2, 2, 7])
    sub = s.subset(rows)
    assert sub.day == 6
    np.testing.assert_array_equal(sub.uniform(5, (11,)), s.uniform(5, (11,))[rows])


def test_keys_accept_int64_and_equal_seeds_give_equal_streams():
    keys = rng.keys_from_seeds([3, 3, 4])
    assert keys.dtype == np.uint64 and keys[0] == keys[1] != keys[2]
    u = Streams(keys).uniform(0, (8,))
    np.testing.assert_array_equal(u[0], u[1])
    # The same 64-bit words given as int64 (negative where the top bit is set).
    np.testing.assert_array_equal(Streams(keys.view(np.int64)).uniform(0, (8,)), u)
    top = Streams(np.array([2**64 - 1], np.uint64)).uniform(0, (8,))
    np.testing.assert_array_equal(Streams([-1]).uniform(0, (8,)), top)
    with pytest.raises(ValueError):
        Streams(np.zeros((2, 2), np.uint64))


def test_neighbouring_seeds_give_unrelated_keys():
    keys = rng.keys_from_seeds(range(2001))
    assert len(np.unique(keys)) == 2001
    flips = np.array([(int(a) ^ int(b)).bit_count() for a, b in itertools.pairwise(keys)])
    # Unrelated 64-bit words differ in 32 bits on average (sd 4 per pair, 0.09 over 2000 pairs).
    assert abs(flips.mean() - 32) < 0.5
    assert flips.min() > 8


# ---------------------------------------------------------------------------------------
# Uniforms
# ---------------------------------------------------------------------------------------


def test_uniforms_are_open_interval_and_never_zero():
    u = Streams(rng.keys_from_seeds(range(100))).uniform(0, (1000,))
    assert u.dtype == np.float64
    assert u.min() > 0 and u.max() < 1
    # The extreme hash words map inside (0, 1), so log(u) and log(1 - u) stay finite.
    ends = rng._to_uniform(np.array([0, 2**64 - 1], dtype=np.uint64))
    assert ends[0] > 0 and ends[1] < 1
    assert np.isfinite(np.log(ends)).all() and np.isfinite(np.log1p(-ends)).all()


def test_uniforms_pass_ks():
    u = Streams(rng.keys_from_seeds(range(100))).uniform(0, (1000,)).ravel()  # 1e5
    assert stats.kstest(u, "uniform").pvalue > P_MIN
    # 53 bits of resolution: far more distinct values than a 32-bit generator would give.
    assert len(np.unique(u)) == u.size


def test_no_correlation_between_streams_days_keys_or_neighbours():
    # Under independence corr ~ N(0, 1/sqrt(n)): sd 0.0032 for n = 1e5, so 0.02 is ~6 sd.
    s = Streams(rng.keys_from_seeds(range(100)))
    a = s.uniform(10, (1000,))
    next_day = Streams(s.keys)
    next_day.day = 1
    cases = {
        "next stream": s.uniform(11, (1000,)),
        "next day": next_day.uniform(10, (1000,)),
        "next key": np.roll(a, 1, axis=0),
        "next index": np.roll(a, 1, axis=1),
    }
    for name, b in cases.items():
        corr = np.corrcoef(a.ravel(), b.ravel())[0, 1]
        assert abs(corr) < 0.02, (name, corr)
    # Also no dependence in the low bits' structure: the fraction below 1/2 in the paired
    # stream, given a < 1/2, stays at 1/2 (sd 0.0022 over 5e4 pairs; bound 0.01).
    b = cases["next stream"]
    assert abs(np.mean(b[a < 0.5] < 0.5) - 0.5) < 0.01


# ---------------------------------------------------------------------------------------
# Continuous distributions: KS against scipy over 2e4 draws
# ---------------------------------------------------------------------------------------


def test_normal():
    x = rng.normal(_draws(20))
    assert stats.kstest(x, "norm").pvalue > P_MIN


@pytest.mark.parametrize("shape", [0.3, 1.0, 5.0])
def test_gamma(shape):
    x = rng.gamma(shape, _draws(21))
    assert stats.kstest(x, stats.gamma(shape).cdf).pvalue > P_MIN
    # And the wrong shape is rejected at this sample size (the test can fail).
    assert stats.kstest(x, stats.gamma(shape * 1.15).cdf).pvalue < P_MIN


@pytest.mark.parametrize(("a", "b"), [(0.5, 0.5), (2.0, 5.0)])
def test_beta(a, b):
    x = rng.beta(a, b, _draws(22))
    assert stats.kstest(x, stats.beta(a, b).cdf).pvalue > P_MIN


@pytest.mark.parametrize("alpha", [1.5, 3.0])
def test_pareto_is_numpys_lomax(alpha):
    u = _draws(23)
    x = rng.pareto(alpha, u)
    assert stats.kstest(x, stats.lomax(alpha).cdf).pvalue > P_MIN
    np.testing.assert_allclose(x, (1 - u) ** (-1 / alpha) - 1, rtol=1e-9, atol=1e-15)


def test_continuous_broadcast_over_parameter_arrays():
    u = _streams().uniform(24, (1000,))  # (20, 1000)
    shapes = np.linspace(0.5, 10, 20)[:, None]  # one shape per community
    x = rng.gamma(shapes, u)
    assert x.shape == (20, 1000)
    # Row means track the shapes (sd of a mean of 1000 is sqrt(shape / 1000) < 0.1).
    np.testing.assert_allclose(x.mean(axis=1), shapes[:, 0], atol=0.5)


# ---------------------------------------------------------------------------------------
# Discrete distributions: exact inverse CDF (equal to scipy's ppf), chi-square, moments
# ---------------------------------------------------------------------------------------


def _chisquare_p(x: np.ndarray, dist) -> float:
    """Chi-square goodness of fit, support grouped so that every bin expects >= 20 draws."""
    n = x.size
    lo, hi = int(dist.ppf(1e-12)), int(dist.ppf(1 - 1e-12)) + 1
    ks = np.arange(lo, hi + 1)
    pmf = dist.pmf(ks)
    pmf[0] = dist.cdf(lo)  # lower tail folded into the first bin
    pmf[-1] = dist.sf(hi - 1)  # upper tail into the last
    edges, acc = [lo], 0.0
    for k, pk in zip(ks, pmf):
        acc += pk
        if acc * n >= 20:
            edges.append(k + 1)
            acc = 0.0
    edges[-1] = hi + 1  # the remainder joins the last bin
    if len(edges) < 3:
        return 1.0  # (almost) degenerate: nothing to test
    exp = np.diff(dist.cdf(np.array(edges) - 1))
    exp[0] += dist.cdf(lo - 1)
    exp[-1] += dist.sf(hi)
    obs = np.histogram(np.clip(x, lo, hi), bins=edges)[0]
    return stats.chisquare(obs, exp / exp.sum() * n).pvalue


@pytest.mark.parametrize("lam", [0.0, 0.01, 0.5, 3.0, 29.9, 40.0, 5000.0])
def test_poisson(lam):
    u = _draws(30)
    x = rng.poisson(lam, u)
    assert x.dtype == np.int64 and x.shape == u.shape
    if lam == 0:
        assert not x.any()
        return
    # The exact inverse CDF: the very same integer scipy's ppf gives for every u.
    np.testing.assert_array_equal(x, stats.poisson.ppf(u, lam).astype(np.int64))
    assert _chisquare_p(x, stats.poisson(lam)) > P_MIN
    # Mean within 5 standard errors, variance within 10 % (its sd is ~1 % here).
    assert abs(x.mean() - lam) < 5 * np.sqrt(lam / x.size)
    assert abs(x.var() / lam - 1) < 0.1


def test_poisson_mixed_rates_and_extreme_uniforms():
    s = _streams()
    u = s.uniform(31, (1000,))
    lam = np.where(np.arange(1000) % 3 == 0, 0.0, np.where(np.arange(1000) % 3 == 1, 2.5, 800.0))
    x = rng.poisson(lam, u)  # lam broadcasts over communities
    expected = stats.poisson.ppf(u, np.where(lam == 0, 1, lam)).astype(np.int64) * (lam > 0)
    np.testing.assert_array_equal(x, expected)
    # Both ends of the uniform range: finite, exact, and the loop ends.
    ends = rng._to_uniform(np.array([0, 2**64 - 1], dtype=np.uint64))
    for lam_1 in (1e-12, 0.01, 3.0, 29.0, 31.0, 1e4):
        y = rng.poisson(lam_1, ends)
        assert y[0] == 0 or lam_1 > 1
        assert 0 <= y[1] <= stats.poisson.ppf(1 - 1e-17, lam_1) + 2
    assert not rng.poisson(-1.0, np.array([0.5])).any()


@pytest.mark.parametrize("lam", [40.0, 5000.0])
def test_poisson_large_rates_exact_at_cdf_values(lam):
    # u exactly at F(k): the quantile is k. The raw ceil(pdtrik) is off by one for ~1/3 of
    # these; the implementation's one-step correction makes every one exact.
    k = np.arange(int(stats.poisson.ppf(1e-6, lam)), int(stats.poisson.ppf(1 - 1e-6, lam)))
    np.testing.assert_array_equal(rng.poisson(lam, stats.poisson.cdf(k, lam)), k)


@pytest.mark.parametrize("n", [0, 1, 7, 200])
@pytest.mark.parametrize("p", [0.05, 0.3, 0.9])
def test_binomial(n, p):
    u = _draws(40)
    x = rng.binomial(n, p, u)
    assert x.dtype == np.int64 and x.shape == u.shape
    if n == 0:
        assert not x.any()
        return
    # Inverse CDF: equal to scipy's ppf except where p > 1/2 (drawn as n - Bin(n, 1 - p) at
    # 1 - u, the same distribution but another map of u), where it is checked by fit.
    if p <= 0.5:
        np.testing.assert_array_equal(x, stats.binom.ppf(u, n, p).astype(np.int64))
    else:
        np.testing.assert_array_equal(x, n - stats.binom.ppf(1 - u, n, 1 - p).astype(np.int64))
    assert _chisquare_p(x, stats.binom(n, p)) > P_MIN
    sd = np.sqrt(n * p * (1 - p))
    assert abs(x.mean() - n * p) < 5 * sd / np.sqrt(x.size)
    assert x.min() >= 0 and x.max() <= n


def test_binomial_edges_and_broadcast():
    u = _streams().uniform(41, (500,))
    assert not rng.binomial(5, 0.0, u).any()
    assert (rng.binomial(5, 1.0, u) == 5).all()
    n = np.arange(20)[:, None]  # per community
    x = rng.binomial(n, 0.5, u)
    assert x.shape == (20, 500) and (x <= n).all()
    np.testing.assert_allclose(x.mean(axis=1), n[:, 0] / 2, atol=0.4)  # sd of mean <= 0.1
    # Both ends of the uniform range stay within 0..n (the top one is where rounding in the
    # summed CDF could otherwise push the search past n).
    lo, hi = rng._to_uniform(np.array([0, 2**64 - 1], dtype=np.uint64))
    for n_1 in (1, 3, 7, 40, 59, 200):
        for p_1 in (1e-9, 0.05, 0.3, 0.49, 0.5, 0.7, 0.999):  # (59, 0.49): summed CDF(n) < hi
            # Two layouts: most elements still searching (whole-array passes) and few (the
            # compressed search); both must stop at n.
            for u_1 in (np.array([lo, hi]), np.r_[np.full(15, lo), hi]):
                y = rng.binomial(n_1, p_1, u_1)
                assert 0 <= y[0] <= y[-1] <= n_1, (n_1, p_1, y)
    # Monotone in u: an inverse CDF (here across the p > 1/2 reflection too).
    uu = np.linspace(0.001, 0.999, 999)
    for p in (0.2, 0.8):
        assert (np.diff(rng.binomial(30, p, uu)) >= 0).all()


# ---------------------------------------------------------------------------------------
# Categorical
# ---------------------------------------------------------------------------------------


def test_categorical_frequencies_match_weights():
    w = np.array([1.0, 0.0, 3.0, 6.0])
    u = _draws(50)
    x = rng.categorical(w, u)
    assert x.dtype == np.int64 and x.shape == u.shape
    freq = np.bincount(x, minlength=4) / x.size
    target = w / w.sum()
    # Within 4 standard errors sqrt(p (1 - p) / n) (n = 2e4: at most 0.0035).
    assert (np.abs(freq - target) <= 4 * np.sqrt(target * (1 - target) / x.size) + 1e-12).all()
    assert freq[1] == 0  # a zero weight is never drawn
    # Trailing zero-weight categories change nothing, across the algorithms' size switches
    # (K = 4 and 8: running sums; K = 9 and 40: cumsum; (20, 1, 40) x 1000 draws: searchsorted).
    for pad in (4, 5, 36):
        wp = np.r_[w, np.zeros(pad)]
        np.testing.assert_array_equal(rng.categorical(wp, u), x)
    w40 = np.broadcast_to(np.r_[w, np.zeros(36)], (20, 1, 40))
    np.testing.assert_array_equal(rng.categorical(w40, u.reshape(20, 1000)), x.reshape(20, 1000))


def test_categorical_zero_rows_and_rounding_at_the_top():
    w = np.array([[0.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.1] * 2 + [0.0]])
    assert rng.categorical(w, np.array([0.4, 0.4, 0.4])).tolist() == [-1, 1, 0]  # 0.4 * 0.2 < 0.1
    # u at its largest: the draw is the last category with positive weight, never past it.
    top = rng._to_uniform(np.array([2**64 - 1], dtype=np.uint64))[0]
    g = np.random.default_rng(2)
    ww = g.random((2000, 6)) * (g.random((2000, 6)) < 0.6)
    x = rng.categorical(ww, np.full(2000, top))
    has = ww.sum(axis=1) > 0
    assert (x[~has] == -1).all()
    assert (ww[has, x[has]] > 0).all()
    # u = 1 lies outside the streams' range, yet still gives the last positive category.
    assert rng.categorical(np.array([1.0, 2.0, 0.0, 0.0]), np.array(1.0)) == 1


def test_categorical_ties_go_to_the_next_category_on_both_paths():
    # Equal weights and u = j / K: u * total == cumsum[j - 1] exactly, and the draw is j
    # (the smallest i with cumsum[i] > u * total), whichever algorithm runs.
    K = 64
    u = np.arange(1, K) / K
    expected = np.arange(1, K)
    u4 = np.broadcast_to(np.tile(u, 4), (2, 4 * (K - 1)))
    many = rng.categorical(np.ones((2, 1, K)), u4)  # 4 x 63 draws per row: searchsorted
    few = rng.categorical(np.ones((K - 1, K)), u)  # one draw per row: counting
    np.testing.assert_array_equal(many, np.broadcast_to(np.tile(expected, 4), (2, 4 * (K - 1))))
    np.testing.assert_array_equal(few, expected)


def test_categorical_search_path_equals_counting_and_broadcasts():
    g = np.random.default_rng(3)
    w = g.random((20, 1, 100)) * (g.random((20, 1, 100)) < 0.5)  # many categories
    w[4] = 0.0
    u = _streams().uniform(51, (300,))  # (20, 300): 300 draws per weights row
    x = rng.categorical(w, u)  # many draws per row: the searchsorted path
    assert x.shape == (20, 300)
    c = np.cumsum(w, axis=-1)
    ref = (c <= (u * c[..., -1])[..., None]).sum(axis=-1)  # smallest i with c[i] > u * total
    ref[4] = -1
    np.testing.assert_array_equal(x, ref)
    # One draw per row (counting path) agrees with the same rule.
    x1 = rng.categorical(w[:, 0, :], u[:, 0])
    np.testing.assert_array_equal(x1, ref[:, 0])
    # Draw axes before the weights' axes: weights (100,) shared, u (20, 300).
    xs = rng.categorical(w[0, 0], u)
    np.testing.assert_array_equal(xs, (c[0, 0] <= u[..., None] * c[0, 0, -1]).sum(axis=-1))


def test_categorical_runs_equals_categorical_on_padded_rows():
    """Ragged rows (a member's ties) give the index ``categorical`` gives on the same rows padded
    with zeros, for whole-number weights (message counts), including empty and all-zero rows
    and u at the top of its range."""
    g = np.random.default_rng(4)
    n = g.integers(0, 12, 400)
    n[:3] = [0, 5, 1]
    w = g.integers(0, 4, n.sum()).astype(float)
    u = _streams().uniform(52, (20,)).ravel()[:400]
    u[7] = rng._to_uniform(np.array([2**64 - 1], dtype=np.uint64))[0]
    padded = np.zeros((n.size, max(n.max(), 1)))
    starts = np.concatenate(([0], np.cumsum(n)[:-1]))
    for d in range(n.size):
        padded[d, : n[d]] = w[starts[d]: starts[d] + n[d]]
    np.testing.assert_array_equal(rng.categorical_runs(w, n, u), rng.categorical(padded, u))
    assert rng.categorical_runs(w, n, u)[0] == -1  # an empty row
    assert rng.categorical_runs(np.zeros(0), np.zeros(0, np.int64), np.zeros(0)).size == 0
    # u * total exactly on a cumulative sum goes to the next category, as in categorical.
    K = 8
    np.testing.assert_array_equal(rng.categorical_runs(np.ones(K * (K - 1)), np.full(K - 1, K), np.arange(1, K) / K),
                                  np.arange(1, K))
