"""Ties among the members of R communities (``sim/network.py``) as one sorted edge table.

Ties are sparse: a 10,000-member group holds ~20,000 tie ends, most of them the founder's star
(measured on the benchmark's open group), while a dense ``(R, N, N)`` matrix grows with the
square of the slots (60 GB for one 100,000-member group). So every tie is stored twice, once
from each end, under the key ``(r·M + a)·M + b`` in one sorted ``int64`` array, with the number
of interactions it carried in ``w``. A member's ties are then one contiguous run, found by two
binary searches, in the order of the other end's slot. ``M`` is the largest slot count the
batch can reach, fixed when the batch starts, so widening the batch re-keys nothing.

Every operation works on the whole batch at once (flat arrays with a member index), and gives
exactly the numbers of the dense matrix it replaced: sums of whole message counts are exact in
any order, and a member's ties come in slot order as a matrix row does.
"""

from __future__ import annotations

import numpy as np

from sim.vector.backend import asarray
from sim.vector.rng import run_starts


class Ties:
    """The ties of a batch: ``keys`` (sorted, both directions) and ``w`` (interactions)."""

    def __init__(self, R: int, M: int) -> None:
        if R * M * M >= 2**63:
            raise ValueError(f"ties: {R} communities of {M} slots overflow the int64 tie keys")
        self.R, self.M = R, M
        self._keys = np.zeros(0, np.int64)
        self._w = np.zeros(0, np.int64)
        self._pending: list[np.ndarray] = []  # keys added since the last read
        self._ends = np.zeros(R * M, np.int64)  # tie ends per member (index r·M + a), kept with the table

    @property
    def keys(self) -> np.ndarray:
        """Sorted keys of every tie end."""
        self._merge()
        return self._keys

    @property
    def w(self) -> np.ndarray:
        """Interactions carried by each tie end (aligned with ``keys``)."""
        self._merge()
        return self._w

    def __len__(self) -> int:
        """Tie ends stored (twice the number of ties)."""
        return int(self.keys.size)

    def _key(self, r: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (r.astype(np.int64) * self.M + a) * self.M + b

    # -- writing ------------------------------------------------------------------------------------
    def add(self, r: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        """One interaction on each tie a–b of community r (a ≠ b): repeated pairs add up, new
        pairs become ties. Kept aside until the next read, so a day's several rounds of new
        ties cost one merge into the table rather than one each."""
        self._pending += [self._key(r, a, b), self._key(r, b, a)]

    def _merge(self) -> None:
        if not self._pending:
            return
        k, n = np.unique(np.concatenate(self._pending), return_counts=True)
        self._pending = []
        keys, w = self._keys, self._w
        pos = np.searchsorted(keys, k)
        old = pos < keys.size
        old[old] = keys[pos[old]] == k[old]
        w[pos[old]] += n[old]  # keys are unique, so no index repeats
        new = ~old
        np.add.at(self._ends, k[new] // self.M, 1)
        self._keys = np.insert(keys, pos[new], k[new])
        self._w = np.insert(w, pos[new], n[new])

    def drop(self, r: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Remove every tie of the members (r, s), from both ends. Returns the other ends
        (community, slot) and the interactions each tie carried, read before removing any."""
        i, j, w, pos = self.of(r, s)
        back = np.searchsorted(self._keys, self._key(r[i], j, s[i]))  # the same ties, seen from j
        keep = np.ones(self._keys.size, bool, like=self._keys)
        keep[pos] = False
        keep[back] = False
        np.add.at(self._ends, self._keys[back] // self.M, -1)
        self._ends[self._key(r, s, 0) // self.M] = 0
        self._keys, self._w = self._keys[keep], self._w[keep]
        return r[i], j, w

    # -- reading ------------------------------------------------------------------------------------
    def of(self, r: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The ties of members (r, s): for each tie, the index ``i`` of its member in (r, s), the
        other end's slot ``j``, its interactions ``w`` and its position in the table. Grouped by
        ``i`` in the order given, and by ``j`` ascending within a member."""
        keys, w = self.keys, self.w
        base = self._key(asarray(r), asarray(s), 0)
        lo = np.searchsorted(keys, base)
        n = np.searchsorted(keys, base + self.M) - lo
        i = np.repeat(np.arange(n.size, like=n), n)
        pos = np.repeat(lo - run_starts(n), n) + np.arange(i.size, like=i)
        return i, keys[pos] - base[i], w[pos], pos

    def times(self, x: np.ndarray) -> np.ndarray:
        """Per member, the sum of ``x`` (R, N) over their ties: (R, N) float64. ``x`` is what
        members said (nonzero for the day's speakers only) and ties are symmetric, so the sum is
        spread from the speakers' ties: O(the speakers' ties)."""
        R, N = x.shape
        r, t = np.nonzero(x)
        i, j, _, _ = self.of(r, t)
        flat = np.bincount(r[i] * N + j, weights=x[r, t][i].astype(np.float64), minlength=R * N)
        return flat.reshape(R, N)

    def degree(self, rows: np.ndarray, n: int) -> np.ndarray:
        """Ties per member of the communities ``rows``, slots ``0..n-1``: (len(rows), n).
        A leaver's ties are dropped with them (:meth:`drop`), so every tie joins two present
        members and a member's degree is the count of its tie ends, kept as the table changes."""
        self._merge()
        return self._ends.reshape(self.R, self.M)[asarray(rows), :n].copy()
