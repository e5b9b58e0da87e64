"""The batch's state: R communities × N member slots as arrays (the vector engine's ``model``).

Where the Mesa engine has one ``Member`` object per person, the vector engine has one column
per field of a member's state (``sim.state.MEMBER_FIELDS``), shape ``(R, N)``: row ``r`` is
community ``r``, column ``i`` a *slot* a member occupies while present and a newcomer reuses
once they left (``present``). The role is an
integer code (:data:`FOUNDER` … :data:`VIP`, the order of ``sim.roles.ROLES``); what a role
does is the boolean tables :data:`PERSON`, :data:`TALKER`, :data:`READS` (``sim.roles.ROLE_SPECS``).
The founder always sits in slot 0.

Ties among members are one sorted edge table for the whole batch (:class:`sim.vector.ties.Ties`):
they are sparse, so memory grows with the ties, not with the square of the slots.

Per-member history the outputs need (``members.csv``, top-20 % share, KOL retention) is
written to :class:`Roster` when a member leaves and at the end: the arrays hold only who is
present.
"""

from __future__ import annotations

import numpy as np

from sim.roles import ROLE_SPECS, ROLES
from sim.state import VECTOR_FIELDS
from sim.vector.backend import ARRAYS, Lookup, asarray
from sim.vector.ties import Ties
from sim.vocab import CHANNEL, LEAVE_REASON

FOUNDER, KOL, ACTIVE, LURKER, SPAMMER, VIP = range(6)
assert [r.value for r in ROLES] == ["founder", "kol", "active", "lurker", "spammer", "vip"]
PERSON = Lookup([ROLE_SPECS[r].person for r in ROLES])
TALKER = Lookup([ROLE_SPECS[r].talker for r in ROLES])
READS = Lookup([ROLE_SPECS[r].reads for r in ROLES])
RATE_FIELDS = [ROLE_SPECS[r].rate_field for r in ROLES]

CHANNEL_CODE = CHANNEL.codes
REASON_CODE = LEAVE_REASON.codes


def scatter_add(target: np.ndarray, index: tuple[np.ndarray, ...], values=1) -> None:
    """``target[index] += values`` with repeated indices adding up (``np.add.at``), through one
    flat index and values of the target's own dtype: numpy's fast path for ``ufunc.at``
    (a Python ``1`` added into the uint16 tie counts took the casting path, ~85× slower)."""
    if not index[0].size:
        return
    values = asarray(values)
    if values.dtype != target.dtype and (np.can_cast(values.dtype, target.dtype, "same_kind")
                                         or (values.dtype.kind in "biu" and target.dtype.kind in "iu")):
        values = values.astype(target.dtype)
    np.add.at(target.reshape(-1), np.ravel_multi_index(index, target.shape), values)


class Roster:
    """Everyone who left, and at the end everyone present: flat arrays, one entry per member."""

    FIELDS = ("r", "uid", "role", "join_role", "channel", "join_day", "leave_day", "reason", "fit", "expertise",
              "messages_total", "satisfaction", "kol_by_age", "last_post_day")

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {f: [] for f in self.FIELDS}
        self.role_changes: list[tuple[np.ndarray, np.ndarray, int, np.ndarray]] = []  # (r, uid, day, role)

    def add(self, **cols: np.ndarray) -> None:
        for f in self.FIELDS:
            self.parts[f].append(np.asarray(cols[f]))

    def table(self) -> dict[str, np.ndarray]:
        return {f: np.concatenate(v) if v else np.zeros(0) for f, v in self.parts.items()}


class Batch:
    """Arrays of a batch of communities; see the module docstring."""

    def __init__(self, R: int, N: int, M: int) -> None:
        """R communities, N slots each for now, at most M slots ever (the largest cap + 1)."""
        self.R, self.N = R, N
        for f in VECTOR_FIELDS:  # one column per field of a member's state (sim/state.py)
            setattr(self, f.name, np.full((R, N), f.blank, dtype=f.dtype))
        self.ties = Ties(R, M)
        self.known = Ties(R, M)  # the ties whose two ends know each other (network.tie known=True)
        # The founder (slot 0) and the community.
        self.energy = np.zeros(R)
        self.burnt_out = np.zeros(R, bool)
        self.burnout_days = np.zeros(R, np.int64)
        self.stimulus = np.zeros(R)
        self.heat = np.zeros(R)
        self.quality = np.full(R, 0.5)  # the talk's quality as KOLs perceive it (roles.QualityView)
        self.red_sent = np.zeros(R, np.int64)
        self.red_thrill = np.zeros(R)
        self.vips_ever = np.zeros(R, np.int64)
        self.next_uid = np.ones(R, np.int64)
        self.said = np.zeros((R, N))  # messages (not ads) written today per slot: what ties read
        self.said_yesterday = np.zeros((R, N))
        self.roster = Roster()
        self.events: list[tuple] = []  # (kind, rows, day, who, what, numbers): Batch.event
        self.past_events: dict[int, list] = {}  # community -> turning points of the model it resumed
        self.frozen = np.zeros(R, bool)  # ties fixed after day 0 (threshold-cascade mode)

    # -- who --------------------------------------------------------------------------------
    def is_(self, table: np.ndarray) -> np.ndarray:
        """Present members whose role has the property ``table`` (PERSON, TALKER, READS)."""
        return self.present & table[self.role]

    @property
    def founder_present(self) -> np.ndarray:
        return self.present[:, 0] & (self.role[:, 0] == FOUNDER)

    @property
    def founder_active(self) -> np.ndarray:
        return self.founder_present & ~self.burnt_out

    def count(self) -> np.ndarray:
        return self.present.sum(axis=1)

    def event(self, kind: str, rows: np.ndarray, day: int, who: np.ndarray | None = None, what: str = "",
              **numbers: np.ndarray) -> None:
        """A turning point (``sim.events.Event``) in each community of ``rows``: ``who`` the member
        ids it is about, ``numbers`` one value per row (made into events at the end of the run)."""
        rows = np.asarray(rows)
        if rows.size:
            self.events.append((kind, rows, day, None if who is None else np.asarray(who), what,
                                {k: np.asarray(v) for k, v in numbers.items()}))

    def grow(self, n: int) -> None:
        """Room for ``n`` slots per community: every per-member array is widened (new slots are
        empty). The batch starts small and grows with its largest group, so a batch of small
        groups never pays for the cap's worth of slots."""
        if n <= self.N:
            return
        old = self.N
        for name, value in list(vars(self).items()):
            if isinstance(value, ARRAYS) and value.ndim >= 2 and value.shape[1] == old:
                widths = [(0, 0)] + [(0, n - old) if k == old else (0, 0) for k in value.shape[1:]]
                setattr(self, name, np.pad(value, widths))
        self.N = n

    # -- ties (sim/network.py) ------------------------------------------------------------------
    def ties_times(self, x: np.ndarray) -> np.ndarray:
        """Per member, the sum of ``x`` over their present ties: (R, N) float64."""
        return self.ties.times(x)

    def tie(self, r: np.ndarray, a: np.ndarray, b: np.ndarray, known: bool = False) -> None:
        """Strengthen (or create) ties a–b, one interaction each (repeated pairs add up);
        ``known``: the two know each other outside the group's talk (network.tie)."""
        keep = (a != b) & ~self.frozen[r]
        r, a, b = r[keep], a[keep], b[keep]
        if not r.size:
            return
        self.ties.add(r, a, b)
        if known:
            self.known.add(r, a, b)
        ends = (np.concatenate([r, r]), np.concatenate([a, b]))
        scatter_add(self.tie_weight_ever, ends, 1.0)
        scatter_add(self.tie_weight_now, ends, 1.0)

    # -- leaving (CommunityModel.remove_member) -----------------------------------------------------
    def remove(self, r: np.ndarray, s: np.ndarray, reason: np.ndarray, day: int, log, friends) -> None:
        """Members (r, s) leave for good with ``reason`` codes: their ties go, their latent
        friends inside remember it, their history goes to the roster."""
        if not r.size:
            return
        scatter_add(log.leaves, (r, reason), 1)
        self._archive(r, s, np.full(r.size, day, like=r), reason)
        # Neighbours lose the weight they had with the leaver (the lost-ties hazard).
        nr, j, w = self.ties.drop(r, s)
        self.known.drop(r, s)
        scatter_add(self.tie_weight_now, (nr, j), -w.astype(np.float64))
        if friends is not None:
            fr, _, fs = friends.leave(r, s)
            self.friend_left_day[fr, fs] = day
        self.present[r, s] = False
        self.said[r, s] = 0.0  # the next occupant of the slot has said nothing yet
        self.said_yesterday[r, s] = 0.0
        self.muted[r, s] = False
        self.visiting[r, s] = False
        self.talking[r, s] = False

    def _archive(self, r, s, leave_day, reason) -> None:
        self.roster.add(
            r=r,
            uid=self.uid[r, s],
            role=self.role[r, s],
            join_role=self.join_role[r, s],
            channel=self.channel[r, s],
            join_day=self.join_day[r, s],
            leave_day=leave_day,
            reason=reason,
            fit=self.fit[r, s],
            expertise=self.expertise[r, s],
            messages_total=self.messages_total[r, s],
            satisfaction=self.satisfaction[r, s],
            kol_by_age=self.kol_by_age[r, s],
            last_post_day=self.last_post_day[r, s],
        )

    def archive_present(self) -> None:
        """At the end: everyone still present joins the roster (leave day -1, no reason)."""
        r, s = np.nonzero(self.present)
        self._archive(r, s, np.full(r.size, -1, like=r), np.full(r.size, -1, like=r))

    def set_role(self, r: np.ndarray, s: np.ndarray, role: int, day: int) -> None:
        if r.size:
            self.role[r, s] = role
            self.roster.role_changes.append((r, self.uid[r, s], day, np.full(r.size, role, like=r)))
