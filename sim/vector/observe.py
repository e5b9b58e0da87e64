"""What the vector engine measures: the Mesa engine's daily row and outcomes, for R communities.

Rows are recorded as one ``(R, C)`` float array a day and turned into the Mesa engine's
row dicts only when read (:class:`LazyRows`): an ensemble of thousands of runs usually
needs the outcomes alone. Outcomes come from ``sim.outcomes``, as the Mesa engine's do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.outcomes import MEMBER_TABLE
from sim.outcomes import outcomes as run_outcomes
from sim.roles import ROLES
from sim.state import member_row
from sim.vector.state import PERSON, READS
from sim.vocab import CHANNELS, INDICATORS, PHASES, REASONS

HEALTH = ("weekly_speaking_rate", "paid_conversion", "word_of_mouth_share", "disappointed_share", "rounds_7d",
          "weekly_speakers", *INDICATORS, "health_met", "health_applicable")
COLUMNS = ("day", "phase", "members", "muted", "dormant", *[f"members_{r.value}" for r in ROLES],
           "msgs_valuable", "msgs_chat", "msgs_ad", "msgs_content", "ads_posted", "ads_removed", "speakers",
           "daily_active", "weekly_active", "rounds", "rounds_without_owner", "red_packets", "revenue", "fees",
           "new_vips",
           "refused", "turned_away_full", "joins", *[f"joins_{c}" for c in CHANNELS], "leaves",
           *[f"leaves_{r}" for r in REASONS], *HEALTH, "founder_energy", "quality", "mean_satisfaction",
           "founder_hours", "cost", "income")
_INT = {
    c
    for c in COLUMNS
    if c
    not in (
        "revenue",
        "fees",
        "founder_energy",
        "quality",
        "mean_satisfaction",
        "founder_hours",
        "cost",
        "income",
        "weekly_speaking_rate",
        "paid_conversion",
        "word_of_mouth_share",
        "disappointed_share",
        "phase",
    )
}


def record(engine) -> np.ndarray:
    """Today's row of every community, ``(R, len(COLUMNS))`` (Observer.record)."""
    batch, log, life, day = engine.batch, engine.log, engine.life, engine.day
    present = batch.present
    roles = np.stack([(present & (batch.role == k)).sum(axis=1) for k in range(len(ROLES))], axis=1)
    active_today = ((batch.visiting & READS[batch.role]) | (batch.messages_today > 0)) & present
    active_week = present & READS[batch.role] & (batch.last_visit_day >= day - 6)
    person = batch.is_(PERSON)
    sats = np.where(
        person.any(axis=1), (batch.satisfaction * person).sum(axis=1) / np.maximum(person.sum(axis=1), 1), 0.0
    )
    cols = [
        np.full(batch.R, day, like=present),
        life.phase,
        batch.count(),
        (batch.muted & present).sum(axis=1),
        (batch.dormant & present).sum(axis=1),
        *roles.T,
        log.valuable,
        log.chat,
        log.ads_visible,
        log.content,
        log.ads_posted,
        log.ads_removed,
        log.speakers,
        active_today.sum(axis=1),
        active_week.sum(axis=1),
        log.rounds,
        log.rounds_without_owner,
        log.red_packets,
        log.revenue,
        log.fees,
        log.new_vips,
        log.refused,
        log.turned_away_full,
        log.joins.sum(axis=1),
        *log.joins.T,
        log.leaves.sum(axis=1),
        *log.leaves.T,
        *[life.health[h] for h in HEALTH],
        np.where(batch.founder_present, batch.energy, 0.0),
        batch.quality,
        sats,
        log.founder_hours,
        log.cost,
        log.income,
    ]
    row = np.empty((batch.R, len(cols)), like=present)  # on the batch's device: one copy to the host a day
    for k, c in enumerate(cols):  # assignment broadcasts scalars and casts: cheaper than stacking
        row[:, k] = c
    return np.asarray(row)


def _row_dict(values: np.ndarray) -> dict[str, Any]:
    row = {}
    for c, v in zip(COLUMNS, values.tolist()):
        if c == "phase":
            row[c] = PHASES[int(v)]
        elif c in _INT:
            row[c] = int(v)
        else:
            row[c] = v
    return row


class LazyRows(Sequence):
    """A run's daily rows as the Mesa engine's dicts, built on first access."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values  # (days, C)
        self._rows: list[dict[str, Any]] | None = None

    def _all(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = [_row_dict(v) for v in self.values]
        return self._rows

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, i):
        return self._all()[i]

    def column(self, name: str) -> np.ndarray:
        return self.values[:, COLUMNS.index(name)]


def outcomes(
    p, values: np.ndarray, roster: dict[str, np.ndarray], r: int, events, reachable: bool, vips_ever: int
) -> dict[str, Any]:
    """Run outcomes (``sim.outcomes``) of community ``r`` of the batch (``values``: its rows)."""
    mine = roster["r"] == r
    return run_outcomes(
        p,
        lambda name: values[:, COLUMNS.index(name)],
        {k: roster[k][mine] for k in MEMBER_TABLE},
        events,
        reachable,
        vips_ever,
    )


def members(
    roster: dict[str, np.ndarray], role_changes, r: int, labels: dict[int, str] | None = None
) -> list[dict[str, Any]]:
    """members.csv rows of community ``r`` (``sim.state.member_row``); ``labels``: uid ->
    node label of an edge-list start."""
    labels = labels or {}
    mine = np.flatnonzero(roster["r"] == r)
    history: dict[int, list[tuple[int, int]]] = {}
    for rr, uid, day, role in role_changes:
        sel = rr == r
        for u, ro in zip(uid[sel].tolist(), role[sel].tolist()):
            history.setdefault(u, []).append((day, ro))
    rows = []
    for i in mine[np.argsort(roster["uid"][mine], kind="stable")]:
        uid = int(roster["uid"][i])
        hist = [(int(roster["join_day"][i]), int(roster["join_role"][i])), *history.get(uid, [])]
        leave = int(roster["leave_day"][i])
        rows.append(
            member_row(
                uid,
                label=labels.get(uid, ""),
                role=ROLES[int(roster["role"][i])].value,
                history=[(d, ROLES[ro].value) for d, ro in hist],
                join_day=int(roster["join_day"][i]),
                channel=CHANNELS[int(roster["channel"][i])],
                leave_day=None if leave < 0 else leave,
                leave_reason=None if leave < 0 else REASONS[int(roster["reason"][i])],
                fit=float(roster["fit"][i]),
                expertise=float(roster["expertise"][i]),
                messages_total=int(roster["messages_total"][i]),
                satisfaction=float(roster["satisfaction"][i]),
                last_post_day=int(roster["last_post_day"][i]),
            )
        )
    return rows


class LazyMembers(Sequence):
    """A run's members.csv rows, built on first access (ensembles rarely read them)."""

    def __init__(self, roster, role_changes, r: int, labels: dict[int, str] | None = None) -> None:
        self._args = (roster, role_changes, r, labels)
        self._rows: list[dict[str, Any]] | None = None

    def _all(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = members(*self._args)
        return self._rows

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, i):
        return self._all()[i]


__all__ = ["COLUMNS", "LazyMembers", "LazyRows", "members", "outcomes", "record"]
