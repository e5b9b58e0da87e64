"""Counter-based random numbers for the batched engine.

Why counter-based: a community's run must not depend on which other communities share its
batch, on the batch size, or on how wide the engine pads its arrays. A sequential generator
per batch would hand community k different numbers in a batch of 1 than in a batch of 1000.
Here every number is a pure function of (community key, day, stream id, index tuple),
computed by a hash, so community k alone draws exactly what it draws inside any batch, and
element [r, i] is the same whether the engine asks for 3 or 500 columns.

The hash is splitmix64's finaliser (Stafford's "mix13"), a bijection on 64-bit words with
full avalanche: the per-(key, day, stream) base word is a chain of mixes, and each index
adds a pre-hashed index word before one more mix. Indices are pre-hashed (rather than
added as multiples of one constant, as plain splitmix64 does) so that two (key, day, stream)
sequences can never be shifted copies of each other.

Distributions are plain inverse-CDF functions of the uniforms: a draw is then also a pure
function of its counter, and one uniform per draw keeps the stream layout simple
(no rejection loops whose consumption would depend on the values drawn).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from scipy import special, stats

from sim.vector.backend import TorchArray, as_index, as_tensor, asarray

__all__ = [
    "Streams",
    "beta",
    "binomial",
    "categorical",
    "gamma",
    "keys_from_seeds",
    "normal",
    "pareto",
    "poisson",
]

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15  # splitmix64's increment (odd): spreads small counters
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
# Distinct offsets per role, so key, day, stream and index words never coincide by design.
_KEY_SALT = 0x243F6A8885A308D3
_DAY_SALT = 0x13198A2E03707344
_STREAM_SALT = 0xA4093822299F31D0
_INDEX_SALT = 0x082EFA98EC4E6C89
_SEED_SALT = 0x452821E638D01377
_ONE, _GOLDEN_U, _INDEX_SALT_U = np.uint64(1), np.uint64(_GOLDEN), np.uint64(_INDEX_SALT)

_TWO_M53 = 2.0**-53
# Uniforms lie in [2**-53, 1 - 2**-53]: never 0 (inverse CDFs take log(u)) nor 1, and the
# range is symmetric, so 1 - u is exactly representable and also never 0.
_U_MIN = _TWO_M53


def _mix_(z: np.ndarray, tmp: np.ndarray | None = None) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array (returns it); tmp: scratch of same shape.
    Array integer arithmetic wraps without warnings, so no ``np.errstate`` (a context manager
    per call was a tenth of a single run's time)."""
    if tmp is None:
        tmp = np.empty_like(z)
    np.right_shift(z, _S30, out=tmp)
    np.bitwise_xor(z, tmp, out=z)
    np.multiply(z, _M1, out=z)
    np.right_shift(z, _S27, out=tmp)
    np.bitwise_xor(z, tmp, out=z)
    np.multiply(z, _M2, out=z)
    np.right_shift(z, _S31, out=tmp)
    np.bitwise_xor(z, tmp, out=z)
    return z


def _mix_int(x: int) -> int:
    """The same finaliser on a Python int (for scalar words: no numpy overflow warnings)."""
    x &= _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


@functools.lru_cache(maxsize=4096)
def _word(value: int, salt: int) -> np.uint64:
    """A well-mixed 64-bit word for a scalar counter (day, stream)."""
    return np.uint64(_mix_int((int(value) + 1) * _GOLDEN + salt))


def _index_words(idx: np.ndarray) -> np.ndarray:
    """Pre-hashed words for index values (any int array): mix((i + 1) * golden + salt)."""
    w = np.asarray(idx).astype(np.int64, copy=True).view(np.uint64)
    w += _ONE
    w *= _GOLDEN_U
    w += _INDEX_SALT_U
    return _mix_(w)


@functools.lru_cache(maxsize=64)
def _range_words(n: int) -> np.ndarray:
    """``_index_words(arange(n))``, computed once per width (read-only)."""
    w = _index_words(np.arange(n, dtype=np.int64))
    w.flags.writeable = False
    return w


def _as_keys(keys) -> np.ndarray:
    """(R,) uint64 from uint64/int64 arrays or Python ints (negative ints wrap mod 2**64)."""
    arr = np.asarray(keys)
    if arr.dtype == object or arr.dtype.kind not in "iu":
        arr = np.array([int(k) & _MASK for k in np.ravel(arr)], dtype=np.uint64).reshape(arr.shape)
    elif arr.dtype.kind == "i":
        arr = arr.astype(np.int64).view(np.uint64)
    else:
        arr = arr.astype(np.uint64)
    if arr.ndim != 1:
        raise ValueError(f"keys must be one-dimensional (one per community), got shape {arr.shape}")
    return arr


def _to_uniform(h: np.ndarray) -> np.ndarray:
    """uint64 hashes -> float64 in [2**-53, 1 - 2**-53]: top 53 bits, 0 lifted to 2**-53."""
    np.right_shift(h, np.uint64(11), out=h)
    u = h.view(np.int64).astype(np.float64)  # < 2**53: exact; int64 converts faster than uint64
    u *= _TWO_M53
    np.maximum(u, _U_MIN, out=u)
    return u


def keys_from_seeds(seeds: Sequence[int]) -> np.ndarray:
    """(R,) uint64 community keys from integer seeds (e.g. Params.seed).

    Two mixing rounds, so neighbouring seeds (0 and 1) give unrelated keys. Equal seeds give
    equal keys, hence identical streams: a seed names a run, whatever batch it runs in.
    """
    out = np.empty(len(seeds), dtype=np.uint64)
    for i, s in enumerate(seeds):
        out[i] = _mix_int(_mix_int((int(s) & _MASK) * _GOLDEN + _SEED_SALT) + _GOLDEN)
    return out


class Streams:
    """Counter-based random numbers for a batch of R communities.

    Element [r, i, j, ...] of ``uniform(stream, shape)`` is H(key_r, day, stream, i, j, ...):
    it does not depend on the other rows, on R, nor on the shape beyond its own index, so a
    community draws the same numbers alone or in any batch, at any padding width. Each call
    site in the engine owns a stream id; ``day`` is set by the engine every morning.
    """

    def __init__(self, keys: np.ndarray):
        self.keys = _as_keys(keys)
        self._key_words = _mix_(self.keys ^ np.uint64(_KEY_SALT))  # mix(key ^ salt): the same every day
        self._day_words: tuple[int, np.ndarray] | None = None  # (day, mix(key word + day word))
        self.day = 0

    def __len__(self) -> int:
        return self.keys.shape[0]

    def _base(self, stream: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Per-community word for (key, day, stream): a chain of mixes, (R,) or keys[rows].
        The (key, day) part is computed once a day: every stream of the day starts from it."""
        if self._day_words is None or self._day_words[0] != self.day:
            self._day_words = (self.day, _mix_(self._key_words + _word(self.day, _DAY_SALT)))
        day_words = self._day_words[1]
        h = day_words + _word(stream, _STREAM_SALT) if rows is None else day_words[rows] + _word(stream, _STREAM_SALT)
        return _mix_(h)

    def uniform(self, stream: int, shape: int | tuple[int, ...] = ()) -> np.ndarray:
        """(R, *shape) float64 in (0, 1): element [r, i, j, ...] = H(key_r, day, stream, i, j, ...).

        Prefix-stable by construction: uniform(s, (5,))[:, :3] == uniform(s, (3,)) for the same
        day and stream, so the padding width may vary with the batch. Shapes of different
        rank are different streams (not prefixes of each other).
        """
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        h = self._base(stream)
        for n in shape:
            h = h[..., None] + _range_words(int(n))  # new (R, ..., n) array
            _mix_(h)
        return _to_uniform(h)

    def uniform_at(self, stream: int, rows: np.ndarray, *index: np.ndarray) -> np.ndarray:
        """The same numbers for scattered elements: uniform(stream, shape)[rows, i, j, ...].

        rows are community positions in this batch; rows and the index arrays broadcast
        together, and there must be one index array per dimension of the matching shape.
        Useful when only a few elements of a wide array are ever needed.
        """
        arrays = np.broadcast_arrays(np.asarray(rows, dtype=np.int64), *(np.asarray(i) for i in index))
        h = self._base(stream, arrays[0].ravel()).reshape(arrays[0].shape)
        for idx in arrays[1:]:
            if idx.dtype.kind not in "iu" or np.any(idx < 0):
                raise ValueError("uniform_at: indices must be nonnegative integers")
            h = h + _index_words(idx)
            _mix_(h)
        return _to_uniform(h)

    def uniform_of(self, stream: int, rows: np.ndarray, slots: np.ndarray, width: int,
                   column: int | None = None) -> np.ndarray:
        """``uniform(stream, (width,))[rows, slots]``, or column ``column`` of
        ``uniform(stream, (width, ·))`` there: :meth:`uniform_at` for member slots, with the
        slots' index words read from the per-width cache (fewer array operations: the engine
        draws this way for a few members of every community many times a day)."""
        h = self._base(stream, rows)
        h += _range_words(int(width))[slots]
        _mix_(h)
        if column is not None:
            h += _range_words(column + 1)[column]
            _mix_(h)
        return _to_uniform(h)

    def subset(self, rows: np.ndarray) -> Streams:
        """Streams of some communities (keys[rows]), same day: their numbers are unchanged."""
        s = Streams(self.keys[np.asarray(rows)])
        s.day = self.day
        return s


# --------------------------------------------------------------------------------------
# Distributions: inverse CDFs of uniforms (vectorised, parameters broadcast with u).
# --------------------------------------------------------------------------------------

_POISSON_DIRECT_MAX = 30.0  # lam above this: scipy's incomplete-gamma inverse (pdtrik)
_BINOM_DIRECT_MAX = 30.0  # n * min(p, 1 - p) above this: scipy's binom.ppf
_MAX_TERMS = 100_000  # safety cap on the sequential search (never reached for valid input)


def _sequential_inverse(u, p0, a, b=None) -> np.ndarray:
    """Smallest k with P(X <= k) >= u for each element, summing pmf terms k = 0, 1, 2, ...

    u flat; p0, a, b flat of u's length, or 0-d when shared by every element.
    p0 = P(X = 0). Poisson (b is None): a = lam and P(k) = P(k - 1) * a / k.
    Binomial: a = n (float), b = q / (1 - q), P(k) = P(k - 1) * (a - k + 1) * b / k,
    never beyond k = n.

    The answer is the number of k with P(X <= k) < u. While many elements are still
    searching, that count is accumulated over the whole arrays (cheap streaming passes);
    once fewer than 1/8 remain, only those are carried on (compressed by index arrays:
    numpy's boolean-mask indexing is several times slower on scattered masks), so the cost
    follows the values drawn. From k = 8 on an element also stops once its terms can no
    longer move the sum (u within rounding of 1), so the loop always ends.
    """
    size = u.size
    m = p0 < u
    out = m.astype(np.int64)
    n_act = int(np.count_nonzero(m))
    k = 0

    def advance(k, p, cdf, a, b):
        if b is None:
            p *= a
        else:
            p *= a - (k - 1)
            p *= b
        p *= 1.0 / k
        cdf += p

    def take(x, i):
        return x[i] if x.ndim else x  # parameters may be 0-d (shared by every element)

    # Dense phase: every element, whole-array passes.
    if n_act > size // 8:
        p = np.broadcast_to(p0, u.shape).copy()
        cdf = p.copy()
    else:  # straight to the sparse phase: it takes copies out of p0
        p = cdf = p0 if p0.ndim else np.broadcast_to(p0, u.shape)
    while n_act > size // 8 and k < _MAX_TERMS:
        k += 1
        advance(k, p, cdf, a, b)
        np.less(cdf, u, out=m)
        if b is not None:
            m &= a > k
        if k >= 8:  # while the terms grow p >= cdf / k, so this only stops a vanishing tail
            m &= p > cdf * 1e-17
        out += m
        n_act = int(np.count_nonzero(m))
    # Sparse phase: only the elements still searching (their out is k so far).
    active = np.flatnonzero(m)
    p, cdf, uu, a = p[active], cdf[active], u[active], take(a, active)
    b = None if b is None else take(b, active)
    while active.size and k < _MAX_TERMS:
        k += 1
        advance(k, p, cdf, a, b)
        go = cdf < uu
        if b is not None:
            go &= a > k
        if k >= 8:
            go &= p > cdf * 1e-17
        if not go.all():
            out[active[np.flatnonzero(~go)]] = k
            keep = np.flatnonzero(go)
            active, p, cdf, uu, a = active[keep], p[keep], cdf[keep], uu[keep], take(a, keep)
            if b is not None:
                b = take(b, keep)
    return out


def _flat(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """x broadcast to shape and flattened, or 0-d when it is one value (no full-size copy)."""
    return x.reshape(()) if x.size == 1 else np.broadcast_to(x, shape).ravel()


def poisson(lam, u) -> np.ndarray:
    """Poisson(lam) draws (int64) by inverse CDF of u; lam and u broadcast; lam <= 0 -> 0.

    Exact term-by-term search for lam <= 30 (the engine's usual rates); above that scipy's
    inverse of the regularised incomplete gamma (pdtrik), corrected to the exact integer
    quantile, so large rates (1e4 and more) cost one call, not lam terms. Equal to
    scipy.stats.poisson.ppf(u, lam) except where u lies within rounding (~1e-16) of a CDF
    value, where the summed CDF may round to the other side.
    """
    lam = asarray(lam, dtype=np.float64)
    u = asarray(u, dtype=np.float64)
    shape = np.broadcast_shapes(lam.shape, u.shape)
    # Parameter work on lam's own shape (often smaller than u's), then broadcast. Elements
    # outside the direct range get P(X = 0) = 1, i.e. 0, and the large ones are redone below.
    lam_small = np.where((lam > 0) & (lam <= _POISSON_DIRECT_MAX), lam, 0.0)
    p0 = np.exp(-lam_small)
    uf = np.broadcast_to(u, shape).ravel()
    out = _sequential_inverse(uf, _flat(p0, shape), _flat(lam_small, shape))
    big_lam = lam > _POISSON_DIRECT_MAX
    if big_lam.any():
        big = np.flatnonzero(np.broadcast_to(big_lam, shape))
        lb, ub = np.broadcast_to(lam, shape).ravel()[big], uf[big]
        k = np.ceil(special.pdtrik(ub, lb))
        below = np.maximum(k - 1, 0)
        out[big] = np.where(special.pdtr(below, lb) >= ub, below, k).astype(np.int64)
    return out.reshape(shape)


def binomial(n, p, u) -> np.ndarray:
    """Binomial(n, p) draws (int64) by inverse CDF of u; n <= 0 or p <= 0 -> 0, p >= 1 -> n.

    For p > 1/2 the draw is n - Binomial(n, 1 - p) at 1 - u (same distribution, still
    monotone in u), so the term-by-term search starts from a pmf that cannot underflow.
    Exact search while n * min(p, 1 - p) <= 30; above that scipy's binom.ppf.
    """
    n = asarray(n)
    n = n.astype(np.int64) if n.dtype.kind != "i" else n
    p = asarray(p, dtype=np.float64)
    u = asarray(u, dtype=np.float64)
    shape = np.broadcast_shapes(n.shape, p.shape, u.shape)
    # Parameter work on the parameters' own (broadcast) shape, often smaller than u's.
    live = (n > 0) & (p > 0) & (p < 1)
    flip = live & (p > 0.5)
    q = np.where(flip, 1.0 - p, p)
    small = live & (n * q <= _BINOM_DIRECT_MAX)
    qs = np.where(small, q, 0.0)
    nf = np.where(small, n, 0).astype(np.float64)
    p0 = np.exp(nf * np.log1p(-qs))  # 1 where not searched: those give 0 here

    def full(x):
        return np.broadcast_to(x, shape).ravel()

    uf = full(u)
    any_flip = bool(flip.any())
    uq = np.where(full(flip), 1.0 - uf, uf) if any_flip else uf
    res = _sequential_inverse(uq, _flat(p0, shape), _flat(nf, shape), _flat(qs / (1.0 - qs), shape))
    big_par = live & ~small
    if big_par.any():
        big = np.flatnonzero(full(big_par))
        res[big] = stats.binom.ppf(uq[big], full(n)[big], full(q)[big]).astype(np.int64)
    if any_flip:
        res = np.where(full(flip), full(n) - res, res)
    all_in = (n > 0) & (p >= 1)
    if all_in.any():
        res = np.where(full(all_in), full(n), res)
    return res.reshape(shape)


def normal(u) -> np.ndarray:
    """Standard normal draws: the inverse normal CDF (ndtri) of u."""
    return special.ndtri(u)


def gamma(shape, u) -> np.ndarray:
    """Gamma(shape, scale 1) draws: inverse regularised lower incomplete gamma of u."""
    return special.gammaincinv(shape, u)


def beta(a, b, u) -> np.ndarray:
    """Beta(a, b) draws: inverse regularised incomplete beta of u."""
    return special.betaincinv(a, b, u)


def pareto(alpha, u) -> np.ndarray:
    """Lomax draws in numpy's ``Generator.pareto`` convention: (1 - u)**(-1/alpha) - 1.

    Written as expm1(-log1p(-u) / alpha), which keeps precision for small draws.
    """
    return np.expm1(-np.log1p(-asarray(u, dtype=np.float64)) / alpha)


_CATEGORICAL_COUNT_MAX_K = 32  # up to this many categories: compare against the cumsum
_CATEGORICAL_ONE_PASS_CELLS = 1 << 24  # draws × categories compared in one array, beyond: by category


def categorical(weights, u) -> np.ndarray:
    """Index along the last axis of weights (..., K) drawn in proportion to the weights.

    u (...) broadcasts with weights[..., 0]. Returns the smallest i with cumsum[i] > u * total,
    so zero-weight categories are never drawn; a row whose weights are all zero gives -1.
    Weights must be nonnegative. Few categories, or one draw per weights row: a vectorised
    count over the categories (cost draws x K); many categories and many draws sharing a
    weights row: one binary search (searchsorted) per distinct row. Both give the same index.
    """
    w = asarray(weights, dtype=np.float64)
    u = asarray(u, dtype=np.float64)
    if w.ndim == 0:
        raise ValueError("categorical: weights need a last axis of categories")
    K = w.shape[-1]
    wb = w.shape[:-1]
    S = np.broadcast_shapes(wb, u.shape)
    if K == 0:
        return np.full(S, -1, dtype=np.int64)
    n_draws = int(np.prod(S))
    nd = len(S)
    wpad = (1,) * (nd - len(wb)) + wb
    draw_axes = [a for a in range(nd) if wpad[a] == 1 and S[a] > 1]
    B = n_draws // max(1, int(np.prod([S[a] for a in draw_axes])))  # distinct weights rows used
    # A Python-level searchsorted costs ~ a few thousand vectorised comparisons: worth it
    # only with many categories and many draws per weights row.
    if K <= _CATEGORICAL_COUNT_MAX_K or not draw_axes or B * 4096 >= n_draws * K:
        # Count the cumulative sums <= target, one category at a time: memory stays (S,).
        idx = np.zeros(S, dtype=np.int64)
        if K <= 8:
            # Few categories: running sums of slices beat np.cumsum along a short last axis
            # (same sequential additions, so the same numbers as the cumsum).
            total = w[..., 0].copy()
            for k in range(1, K):
                total += w[..., k]
            t = u * total
            acc = np.zeros(wb, dtype=np.float64)
            for k in range(K):
                acc += w[..., k]
                idx += acc <= t
        else:
            c = np.cumsum(w, axis=-1)
            total = c[..., -1]
            t = u * total
            if n_draws * K <= _CATEGORICAL_ONE_PASS_CELLS:
                idx += np.count_nonzero(c <= t[..., None], axis=-1)  # one pass, not K
            else:
                for k in range(K):
                    idx += c[..., k] <= t
    else:
        # Axes where the draws broadcast over one weights row go last: (rows, draws per row).
        c = np.cumsum(w, axis=-1)
        total = c[..., -1]
        t = u * total
        perm = [a for a in range(nd) if a not in draw_axes] + draw_axes
        tt = np.broadcast_to(t, S).transpose(perm).reshape(B, -1)
        cc = c.reshape(wpad + (K,)).transpose(perm + [nd]).reshape(B, K)
        res = np.empty(tt.shape, dtype=np.int64)
        for b in range(B):
            res[b] = np.searchsorted(cc[b], tt[b], side="right")
        idx = res.reshape([S[a] for a in perm]).transpose(np.argsort(perm))
    idx = np.array(idx, dtype=np.int64)
    tot = np.broadcast_to(total, S)
    over = idx >= K
    if over.any():  # u * total rounded up to total: take the last positive category
        last = K - 1 - np.argmax(np.broadcast_to(w, S + (K,))[over][..., ::-1] > 0, axis=-1)
        idx[over] = last
    idx[~(tot > 0)] = -1
    return idx


def run_starts(lengths) -> np.ndarray:
    """Start of each run in a flat concatenation of runs of these lengths (exclusive cumsum)."""
    n = asarray(lengths, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(n)[:-1])) if n.size else n


def categorical_runs(weights, lengths, u) -> np.ndarray:
    """:func:`categorical` for ragged rows: ``weights`` is the rows one after another (flat), row
    ``d`` has ``lengths[d]`` categories and draws once with ``u[d]``. Returns the index within
    each row, -1 for a row whose weights are all zero. With whole-number weights (message
    counts) the sums are exact, so this gives the index ``categorical`` gives on the same rows
    padded with zero-weight categories; otherwise it may differ by rounding."""
    w = asarray(weights, dtype=np.float64)
    n = asarray(lengths, dtype=np.int64)
    starts = run_starts(n)
    row = np.repeat(np.arange(n.size, like=n), n)
    c = np.cumsum(w)
    before = np.where(starts > 0, c[np.maximum(starts - 1, 0)] if c.size else 0.0, 0.0)
    local = c - before[row]
    total = np.where(n > 0, local[np.maximum(starts + n - 1, 0)] if c.size else 0.0, 0.0)
    t = asarray(u, dtype=np.float64) * total
    idx = np.bincount(row, weights=local <= t[row], minlength=n.size).astype(np.int64)
    over = idx >= n
    if over.any():  # u * total rounded up to total: take the last positive category
        pos = np.arange(row.size, like=row) - starts[row]
        last = np.full(n.size, -1, np.int64, like=n)
        np.maximum.at(last, row[w > 0], pos[w > 0])
        idx[over] = last[over]
    idx[~(total > 0)] = -1
    return idx


# --------------------------------------------------------------------------------------
# The same words on a PyTorch device (sim/vector/backend.py).
# --------------------------------------------------------------------------------------

def _signed(word) -> int:
    """A 64-bit word as the signed int64 of the same bits (PyTorch's integer words)."""
    w = int(word) & _MASK
    return w - (1 << 64) if w >> 63 else w


_M1_S, _M2_S = _signed(_M1), _signed(_M2)
_GOLDEN_S, _INDEX_SALT_S = _signed(_GOLDEN), _signed(_INDEX_SALT)


def _tmix(z):
    """:func:`_mix_` on an int64 tensor: additions and products wrap to the same bits as uint64;
    logical right shifts are arithmetic shifts with the sign bits masked off."""
    z = z ^ ((z >> 30) & ((1 << 34) - 1))
    z = z * _M1_S
    z = z ^ ((z >> 27) & ((1 << 37) - 1))
    z = z * _M2_S
    return z ^ ((z >> 31) & ((1 << 33) - 1))


def _tuniform(h):
    """:func:`_to_uniform` on int64 words (the top 53 bits of the unsigned word)."""
    import torch

    u = ((h >> 11) & ((1 << 53) - 1)).to(torch.float64)
    return torch.clamp_min(u * _TWO_M53, _U_MIN)


class DeviceStreams(Streams):
    """:class:`Streams` computed on a PyTorch device: the same numbers bit for bit (same hash,
    same counters), as :class:`sim.vector.backend.TorchArray`. PyTorch's uint64 lacks shifts
    and additions, so the words are int64 tensors holding the same bits."""

    def __init__(self, keys: np.ndarray, dev) -> None:
        super().__init__(keys)
        self.dev = dev
        self._dkey = as_tensor(self._key_words.view(np.int64), dev)
        self._dday = None
        self._drange: dict[int, object] = {}

    def _tbase(self, stream: int, rows=None):
        if self._dday is None or self._dday[0] != self.day:
            self._dday = (self.day, _tmix(self._dkey + _signed(_word(self.day, _DAY_SALT))))
        words = self._dday[1] if rows is None else self._dday[1][as_index(rows, self.dev)]
        return _tmix(words + _signed(_word(stream, _STREAM_SALT)))

    def _trange(self, n: int):
        if n not in self._drange:
            self._drange[n] = as_tensor(_range_words(n).view(np.int64), self.dev)
        return self._drange[n]

    def uniform(self, stream: int, shape: int | tuple[int, ...] = ()):
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        h = self._tbase(stream)
        for n in shape:
            h = _tmix(h[..., None] + self._trange(int(n)))
        return TorchArray(_tuniform(h))

    def uniform_at(self, stream: int, rows, *index):
        import torch

        arrays = torch.broadcast_tensors(as_tensor(rows, self.dev).to(torch.int64),
                                         *(as_tensor(i, self.dev) for i in index))
        h = self._tbase(stream, arrays[0].reshape(-1)).reshape(arrays[0].shape)
        for idx in arrays[1:]:
            if idx.is_floating_point() or bool((idx < 0).any()):
                raise ValueError("uniform_at: indices must be nonnegative integers")
            h = _tmix(h + _tmix((idx.to(torch.int64) + 1) * _GOLDEN_S + _INDEX_SALT_S))
        return TorchArray(_tuniform(h))

    def uniform_of(self, stream: int, rows, slots, width: int, column: int | None = None):
        h = _tmix(self._tbase(stream, rows) + self._trange(int(width))[as_index(slots, self.dev)])
        if column is not None:
            h = _tmix(h + self._trange(column + 1)[column])
        return TorchArray(_tuniform(h))

    def subset(self, rows) -> DeviceStreams:
        s = DeviceStreams(self.keys[np.asarray(rows)], self.dev)
        s.day = self.day
        return s
