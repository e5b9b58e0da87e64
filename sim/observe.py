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

from sim.processes.lifecycle import INDICATORS, PHASES, TERMINAL  # noqa: F401  (re-exported)
from sim.roles import ROLES, Role

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel

CHANNELS = ("seed", "founder", "word_of_mouth", "promotion", "paid_ads", "spam", "edgelist")
REASONS = ("bored", "overloaded", "annoyed_by_ads", "need_gone", "kol_left", "quality_fell",
           "kicked", "purged", "cascade", "moved_on", "burnout", "friend_left")
MESSAGE_TYPES = ("valuable", "chat", "ad", "content")
#: members.csv: one row per member who ever joined (both engines build exactly these keys).
MEMBER_COLUMNS = ("id", "name", "label", "final_role", "role_history", "join_day", "channel", "leave_day",
                  "leave_reason", "fit", "expertise", "messages_total", "satisfaction", "last_post_day")


def member_rows(model: CommunityModel) -> list[dict[str, Any]]:
    """The Mesa model's roster as MEMBER_COLUMNS rows (the vector engine builds its own)."""
    return [{
        "id": m.unique_id, "name": m.name, "label": getattr(m, "label", ""), "final_role": m.role,
        "role_history": ";".join(f"{d}:{r}" for d, r in m.role_history), "join_day": m.join_day,
        "channel": m.channel, "leave_day": "" if m.leave_day is None else m.leave_day,
        "leave_reason": m.leave_reason or "", "fit": round(m.fit, 4), "expertise": round(m.expertise, 4),
        "messages_total": m.messages_total, "satisfaction": round(m.satisfaction, 4),
        "last_post_day": m.last_post_day,
    } for m in model.roster]


class Observer:
    """Turns each day's log and the lifecycle's verdict into a row. One per model."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def record(self, model: CommunityModel) -> dict[str, Any]:
        log = model.log
        members = list(model.members)
        counts = dict.fromkeys(ROLES, 0)
        muted = active_today = active_week = 0
        sats = []
        week_start = model.day - 6
        for m in members:
            counts[m.role] += 1
            muted += m.muted
            active_today += (m.visiting and m.spec.reads) or m.messages_today > 0
            active_week += m.spec.reads and m.last_visit_day >= week_start
            if m.spec.person:
                sats.append(m.satisfaction)
        life = model.lifecycle
        row: dict[str, Any] = {"day": model.day, "phase": life.phase, "members": len(members), "muted": muted}
        row.update({f"members_{r}": counts[r] for r in ROLES})
        row.update({"msgs_valuable": log.valuable, "msgs_chat": log.chat, "msgs_ad": log.ads_visible,
                    "msgs_content": log.content, "ads_posted": log.ads_posted, "ads_removed": log.ads_removed,
                    "speakers": len(log.speakers), "daily_active": active_today,
                    "weekly_active": active_week, "rounds": log.rounds,
                    "rounds_without_owner": log.rounds_without_owner, "red_packets": log.red_packets,
                    "revenue": log.revenue, "new_vips": log.new_vips, "refused": log.refused,
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


def people_ever(model: CommunityModel) -> list[Member]:
    """Everyone who ever joined as a person (not the founder, not as a spammer): the base of
    ``paid_conversion`` and ``mean_fit``."""
    return [m for m in model.roster if m is not model.founder and m.role_history[0][1] is not Role.spammer]


def was_kol_by(m: Member, age: int) -> bool:
    """Was a KOL on some day <= ``age`` (the base of ``kol_retention``)."""
    return any(r is Role.kol and d <= age for d, r in m.role_history)


def outcomes(model: CommunityModel) -> dict[str, Any]:
    """Run outcomes (MODEL.md §5); stable keys, documented in the README."""
    obs = model.lifecycle
    rows = model.observer.rows
    end_day = min(d for d in (obs.dead_day, obs.ad_group_day) if d is not None) \
        if (obs.dead_day is not None or obs.ad_group_day is not None) else None
    people = people_ever(model)
    recruited = [m for m in people if m.channel not in ("seed", "edgelist")]
    msgs = sorted((m.messages_total for m in model.roster if m.role is not Role.spammer), reverse=True)
    top = max(1, round(0.2 * len(msgs))) if msgs else 0  # the top 20% of the 80/20 rule: the metric's definition
    # Outcomes "at an age" are measured on day ``age`` of the group's life (or the horizon, if
    # shorter), so a group that died young counts as having kept nobody and said nothing since:
    # averaging over days alive only would make short-lived groups look chattiest.
    age = min(model.p.phases.outcome_age_days, model.p.days)
    speaking = [r["weekly_speaking_rate"] if r["phase"] not in TERMINAL else 0.0 for r in rows if 1 <= r["day"] <= age]
    kols = {m for m in model.roster if was_kol_by(m, age)}
    kols_kept = [m for m in kols if m.leave_day is None or m.leave_day > age]
    non_spam = [r["members"] - r["members_spammer"] for r in rows]
    return {
        "scenario": model.p.scenario.name,
        "seed": model.p.seed,
        "days_run": len(rows),
        "lifespan_days": end_day if end_day is not None else rows[-1]["day"],
        "censored": end_day is None,
        "peak_members": max((r["members"] for r in rows), default=0),
        "peak_daily_active": max((r["daily_active"] for r in rows), default=0),
        "reached_self_operation": obs.self_operation_day is not None,
        "self_operation_day": obs.self_operation_day,
        "self_operating_days": sum(r["phase"] == "self_operating" for r in rows),
        "became_ad_group": obs.ad_group_day is not None,
        "ad_group_day": obs.ad_group_day,
        "dead_day": obs.dead_day,
        "weekly_speaking_rate": sum(speaking) / age,
        "paid_conversion": model.vips_ever / len(people) if people else 0.0,
        "revenue": sum(r["revenue"] for r in rows),
        "organic_join_share": sum(m.channel == "word_of_mouth" for m in recruited) / len(recruited) if recruited else 0.0,
        "kol_retention": len(kols_kept) / len(kols) if kols else None,
        "kol_exits": sum(m.leave_day is not None and m.role is Role.kol for m in model.roster),
        "self_operation_reachable": obs.self_operation_reachable,
        "silent_day": obs.silent_day,
        "top20_message_share": sum(msgs[:top]) / sum(msgs) if msgs and sum(msgs) else 0.0,
        "lurker_share": rows[-1]["members_lurker"] / non_spam[-1] if rows and non_spam[-1] else 0.0,
        "mean_fit": sum(m.fit for m in people) / len(people) if people else 0.0,
        "members_ever": len(model.roster),
        "final_members": rows[-1]["members"] if rows else 0,
        "ads_posted": sum(r["ads_posted"] for r in rows),
        "ads_visible": sum(r["msgs_ad"] for r in rows),
        "messages_total": sum(r["msgs_valuable"] + r["msgs_chat"] + r["msgs_ad"] + r["msgs_content"] for r in rows),
        "final_phase": rows[-1]["phase"] if rows else "launch",
        **_money_and_time(rows, end_day),
    }


def _money_and_time(rows: list[dict[str, Any]], end_day: int | None) -> dict[str, float]:
    """The strategy's effort and money (sim/processes/costs.py): founder hours per day are
    averaged over the days the group was alive (day 1 to its end or the horizon)."""
    alive = [r["founder_hours"] for r in rows if 1 <= r["day"] and (end_day is None or r["day"] <= end_day)]
    costs = sum(r["cost"] for r in rows)
    income = sum(r["income"] for r in rows)
    return {
        "founder_hours_per_day": sum(alive) / len(alive) if alive else 0.0,
        "founder_hours_total": sum(r["founder_hours"] for r in rows),
        "costs_total": costs,
        "income_total": income,
        "net_revenue": income - costs,
    }
