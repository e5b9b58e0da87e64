"""What the model measures (MODEL.md §5): one row per day, and the run's outcomes.

The observer only records: the lifecycle (health indicators, phase, turning points) is a
mechanism of its own, ``sim/processes/lifecycle.py``, whose values the row copies.

Why not Mesa's ``DataCollector``: a row is ~70 columns computed in one pass over the
members and the day's log; ``DataCollector`` wants one reporter per column (70 passes, or
reporters that read a cached row), silently skips a misspelt attribute reporter (Mesa
#3042, docs PITFALLS) and gives back a DataFrame, while the main job, the report and the
classroom page all read plain dicts day by day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.outcomes import outcomes as run_outcomes
from sim.outcomes import was_kol_by
from sim.roles import ROLES
from sim.state import MEMBER_COLUMNS, member_row  # noqa: F401  (MEMBER_COLUMNS: re-exported)
from sim.vocab import CHANNELS, INDICATORS, MESSAGE_TYPES, PHASES, REASONS, TERMINAL  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from sim.model import CommunityModel


def member_rows(model: CommunityModel) -> list[dict[str, Any]]:
    """The Mesa model's roster as members.csv rows (``sim.state.member_row``)."""
    return [member_row(m.unique_id, label=m.label, role=m.role, history=m.role_history,
                       join_day=m.join_day, channel=m.channel, leave_day=m.leave_day, leave_reason=m.leave_reason,
                       fit=m.fit, expertise=m.expertise, messages_total=m.messages_total,
                       satisfaction=m.satisfaction, last_post_day=m.last_post_day) for m in model.roster]


class Observer:
    """Turns each day's log and the lifecycle's verdict into a row. One per model."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def record(self, model: CommunityModel) -> dict[str, Any]:
        log = model.log
        members = list(model.members)
        counts = dict.fromkeys(ROLES, 0)
        muted = dormant = active_today = active_week = 0
        sats = []
        week_start = model.day - 6
        for m in members:
            counts[m.role] += 1
            muted += m.muted
            dormant += m.dormant
            active_today += (m.visiting and m.spec.reads) or m.messages_today > 0
            active_week += m.spec.reads and m.last_visit_day >= week_start
            if m.spec.person:
                sats.append(m.satisfaction)
        life = model.lifecycle
        row: dict[str, Any] = {"day": model.day, "phase": life.phase, "members": len(members), "muted": muted,
                               "dormant": dormant}
        row.update({f"members_{r}": counts[r] for r in ROLES})
        row.update({"msgs_valuable": log.valuable, "msgs_chat": log.chat, "msgs_ad": log.ads_visible,
                    "msgs_content": log.content, "ads_posted": log.ads_posted, "ads_removed": log.ads_removed,
                    "speakers": len(log.speakers), "daily_active": active_today,
                    "weekly_active": active_week, "rounds": log.rounds,
                    "rounds_without_owner": log.rounds_without_owner, "red_packets": log.red_packets,
                    "revenue": log.revenue, "fees": log.fees, "new_vips": log.new_vips, "refused": log.refused,
                    "turned_away_full": log.turned_away_full})
        row["joins"] = sum(log.joins.values())
        row.update({f"joins_{c}": log.joins[c] for c in CHANNELS})
        row["leaves"] = sum(log.leaves.values())
        row.update({f"leaves_{r}": log.leaves[r] for r in REASONS})
        row.update(life.health)
        row["founder_energy"] = model.founder.energy if model.founder is not None and model.founder.present else 0.0
        row["quality"] = model.kol_view.quality
        row["mean_satisfaction"] = sum(sats) / len(sats) if sats else 0.0
        row.update({"founder_hours": log.founder_hours, "cost": log.cost, "income": log.income})
        self.rows.append(row)
        return row


def outcomes(model: CommunityModel) -> dict[str, Any]:
    """Run outcomes (``sim.outcomes``) of the Mesa model's record."""
    rows = model.observer.rows
    cols: dict[str, np.ndarray] = {}

    def column(name: str) -> np.ndarray:
        if name not in cols:
            cols[name] = np.array([PHASES.index(r[name]) if name == "phase" else r[name] for r in rows])
        return cols[name]

    age = min(model.p.phases.outcome_age_days, model.p.days)
    roster = model.roster
    members = {
        "uid": np.array([m.unique_id for m in roster]),
        "join_role": np.array([ROLES.index(m.role_history[0][1]) for m in roster]),
        "role": np.array([ROLES.index(m.role) for m in roster]),
        "channel": np.array([CHANNELS.index(m.channel) for m in roster]),
        "leave_day": np.array([-1 if m.leave_day is None else m.leave_day for m in roster]),
        "messages_total": np.array([m.messages_total for m in roster]),
        "fit": np.array([m.fit for m in roster], dtype=float),
        "kol_by_age": np.array([was_kol_by(m.role_history, age) for m in roster], dtype=bool),
    }
    return run_outcomes(model.p, column, members, model.events, model.lifecycle.self_operation_reachable,
                        model.vips_ever)
