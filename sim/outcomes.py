"""A run's outcomes (MODEL.md §5), computed once from its record, for either engine.

The record is what a run leaves behind: its daily rows, one entry per member who ever
joined, its turning points, and two facts the rows do not hold (paid conversions so far;
whether self-operation was reachable at all). The Mesa engine (``sim/observe.py``) and the
vector engine (``sim/vector/observe.py``) each put theirs in this form and call
:func:`outcomes`; the keys are stable and documented in the README.

Sums run in numpy's order on both engines, so an outcome is the same number whichever
engine produced the same record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from sim.params import Params
from sim.roles import ROLES, Role
from sim.rules.lifecycle import lives
from sim.vocab import CHANNELS, PHASES, TERMINAL

_FOUNDER, _KOL, _SPAMMER = (ROLES.index(r) for r in (Role.founder, Role.kol, Role.spammer))
#: Members whose channel is recruitment (the base of ``organic_join_share``).
_RECRUITED = [CHANNELS.index(c) for c in ("founder", "word_of_mouth", "promotion", "paid_ads")]
#: The columns of a member table (``members`` below): one entry per member who ever joined.
MEMBER_TABLE = ("uid", "join_role", "role", "channel", "leave_day", "messages_total", "fit", "kol_by_age")
#: Outcomes "talking at an age" (MODEL.md §5, alive means talking): their key and the group's age in days.
TALKING_AT = {"talking_at_6_months": 180, "talking_at_12_months": 365}


def was_kol_by(role_history: Sequence[tuple[int, Any]], age: int) -> bool:
    """Was a KOL on some day <= ``age`` (the base of ``kol_retention``), from a role history."""
    return any(r == Role.kol and d <= age for d, r in role_history)


def outcomes(p: Params, column: Callable[[str], np.ndarray], members: dict[str, np.ndarray], events: Sequence,
             reachable: bool, vips_ever: int) -> dict[str, Any]:
    """Run outcomes from the record: ``column(name)`` a daily row column over the run's days
    (``phase`` as its index in ``PHASES``), ``members`` the :data:`MEMBER_TABLE` columns (roles and
    channels as indices, ``leave_day`` -1 while present, ``kol_by_age`` per :func:`was_kol_by` at
    ``phases.outcome_age_days``), ``events`` the turning points (``sim.events.Event``)."""
    first = {}
    for e in events:
        first.setdefault(e.kind, e.day)
    dead, ad, self_op, silent = (first.get(k) for k in ("died", "ad_group", "self_operating", "silent"))
    days, phase = column("day"), column("phase").astype(int)
    age = min(p.phases.outcome_age_days, p.days)
    in_age = (days >= 1) & (days <= age)
    terminal = np.isin(phase, [PHASES.index(t) for t in TERMINAL])
    # Alive means talking (MODEL.md §5): the group lives on a day while it is not an ad group or
    # dead and enough people spoke that week; its life ends where its last quiet stretch begins.
    living = lives(terminal, column("weekly_speakers"), p.phases)
    lived = np.flatnonzero(living)
    censored = bool(living[-1])
    end_day = None if censored else int(days[lived[-1] + 1] if len(lived) else days[0])
    speaking = np.where(terminal, 0.0, column("weekly_speaking_rate"))[in_age]
    role, channel, leave_day = members["role"], members["channel"], members["leave_day"]
    # Everyone who ever joined as a person (not the founder, not as a spammer), in the order they came.
    people = (members["join_role"] != _FOUNDER) & (members["join_role"] != _SPAMMER)
    fits = members["fit"][people][np.argsort(members["uid"][people], kind="stable")].tolist()
    msgs = np.sort(members["messages_total"][role != _SPAMMER])[::-1]
    top = max(1, round(0.2 * len(msgs))) if len(msgs) else 0  # the top 20% of the 80/20 rule: the metric's definition
    # Outcomes "at an age" are measured on day ``age`` of the group's life (or the horizon, if
    # shorter), so a group that died young counts as having kept nobody and said nothing since:
    # averaging over days alive only would make short-lived groups look chattiest.
    kols = members["kol_by_age"].astype(bool)
    kept = kols & ((leave_day < 0) | (leave_day > age))
    recruited = np.isin(channel, _RECRUITED)
    wom = (channel == CHANNELS.index("word_of_mouth")).sum()
    size = column("members")
    non_spam_last = size[-1] - column("members_spammer")[-1]
    total = msgs.sum()
    n_people = len(fits)
    hours = column("founder_hours")
    alive = (days >= 1) & ((days <= end_day) if end_day is not None else True)

    def talking_at(age: int) -> bool | None:
        """Living on day ``age``; no when the run stopped dead before it, unknown past its horizon."""
        on = np.flatnonzero(days == age)
        return bool(living[on[0]]) if len(on) else (False if phase[-1] == PHASES.index("dead") else None)

    costs, income = float(column("cost").sum()), float(column("income").sum())
    return {
        "scenario": p.scenario.name,
        "seed": p.seed,
        "days_run": len(days),
        "lifespan_days": end_day if end_day is not None else int(days[-1]),
        "censored": censored,
        **{key: talking_at(age) for key, age in TALKING_AT.items()},
        "peak_members": int(size.max()),
        "peak_daily_active": int(column("daily_active").max()),
        "reached_self_operation": self_op is not None,
        "self_operation_day": self_op,
        "self_operating_days": int((phase == PHASES.index("self_operating")).sum()),
        "became_ad_group": ad is not None,
        "ad_group_day": ad,
        "dead_day": dead,
        "weekly_speaking_rate": float(speaking.sum() / age),
        "paid_conversion": vips_ever / n_people if n_people else 0.0,
        "revenue": float(column("revenue").sum()),
        "income_fees": float(column("fees").sum()),
        "income_vip": float(column("revenue").sum() - column("fees").sum()),
        "organic_join_share": float(wom / recruited.sum()) if recruited.sum() else 0.0,
        "kol_retention": float(kept.sum() / kols.sum()) if kols.sum() else None,
        "kol_exits": int(((leave_day >= 0) & (role == _KOL)).sum()),
        "self_operation_reachable": bool(reachable),
        "silent_day": silent,
        "top20_message_share": float(msgs[:top].sum() / total) if total else 0.0,
        "lurker_share": float(column("members_lurker")[-1] / non_spam_last) if non_spam_last else 0.0,
        "mean_fit": sum(fits) / n_people if n_people else 0.0,
        "members_ever": len(role),
        "final_members": int(size[-1]),
        "ads_posted": int(column("ads_posted").sum()),
        "ads_visible": int(column("msgs_ad").sum()),
        "messages_total": int(sum(column(c).sum() for c in ("msgs_valuable", "msgs_chat", "msgs_ad", "msgs_content"))),
        "final_phase": PHASES[int(phase[-1])],
        # The strategy's effort and money (sim/processes/costs.py): founder hours per day are
        # averaged over the days the group was alive (day 1 to its end or the horizon).
        "founder_hours_per_day": float(hours[alive].mean()) if alive.any() else 0.0,
        "founder_hours_total": float(hours.sum()),
        "costs_total": costs,
        "income_total": income,
        "net_revenue": income - costs,
    }
