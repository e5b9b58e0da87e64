"""A member's state, declared once: every field, its type, its value on joining, and how a
resumed run gets it.

The Mesa engine's :class:`sim.agents.Member`, the vector engine's columns
(:class:`sim.vector.state.Batch`), the reset of a reused slot (``sim.vector.day.create``)
and the copy of a Mesa model into a batch (``sim.vector.resume``) are all built from
:data:`MEMBER_FIELDS`. Slots are reused, so a field left out of a reset would silently
inherit the previous member's value: here it cannot be left out (tests/test_state.py checks
each of the four places against the table).

A field's value on joining is a constant, :data:`JOIN_DAY` (the day the member joins), or
:data:`ARRIVAL` (drawn or decided by the arrival: traits, role, channel, id — the arrival
code sets it, and the tests check it does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.roles import ROLES, Role
from sim.vocab import REASONS

#: "Long ago" for day stamps: a member who never visited, was never answered, ...
NEVER = -(10**9)
JOIN_DAY = "join day"  #: on_join: the day the member joins
ARRIVAL = "arrival"  #: on_join: set by the arrival (drawn traits, role, channel, id)

_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
             "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo")
_GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Tao", "Ping", "Hui",
          "Qiang", "Ling", "Bo", "Xin", "Yu", "Hao", "Na", "Jie", "Kai", "Mei")


def member_name(unique_id: int) -> str:
    """A member's display name, made from their id (both engines name members alike)."""
    i = unique_id
    return f"{_SURNAMES[i % len(_SURNAMES)]} {_GIVEN[(i // len(_SURNAMES)) % len(_GIVEN)]}"


@dataclass(frozen=True)
class Field:
    """One piece of a member's state."""

    name: str  #: the vector engine's column (and the Mesa attribute, unless ``mesa`` names another)
    dtype: Any  #: the column's numpy dtype
    on_join: Any  #: value on joining: a constant, JOIN_DAY or ARRIVAL; None: "none yet" (see ``none``)
    resumed: bool  #: copied as is from the Mesa member when a run resumes (else resume derives it)
    doc: str
    mesa: str | None = ""  #: the Mesa member's attribute ("": same as ``name``; None: vector engine only)
    vector: bool = True  #: a column of the vector engine
    none: Any = None  #: the column's code for the Mesa engine's None
    blank: Any = 0  #: the value of a slot nobody has taken yet

    @property
    def attr(self) -> str | None:
        """The Mesa member's attribute (None: the Mesa engine keeps it elsewhere)."""
        return self.name if self.mesa == "" else self.mesa

    def join_value(self, day: int, *, vector: bool) -> Any:
        """The value on joining on ``day`` (not for ARRIVAL fields)."""
        if self.on_join == JOIN_DAY:
            return day
        if self.on_join is None and vector:
            return self.none
        return self.on_join


_F, _I, _B, _I8 = np.float64, np.int64, np.bool_, np.int8
_LURKER = ROLES.index(Role.lurker)
#: Every field of a member's state. Order: identity, traits, day stamps, flags, counters, memory.
MEMBER_FIELDS: tuple[Field, ...] = (
    # -- identity and how they came ---------------------------------------------------------------
    Field("present", _B, True, False, "occupies the slot (Mesa: registered with the model)", mesa=None),
    Field("uid", _I, ARRIVAL, False, "the member's id (Mesa: unique_id)", mesa="unique_id", blank=-1),
    Field("role", _I8, ARRIVAL, False, "role now (sim.roles.ROLES; vector: its index)", blank=_LURKER),
    Field("join_role", _I8, ARRIVAL, False, "role on joining (role history's first entry)", mesa=None, blank=_LURKER),
    Field("channel", _I8, ARRIVAL, False, "how they came (sim.vocab.CHANNELS; vector: its index)"),
    Field("label", object, "", False, "name in a described or edge-list start ('': none; vector: Engine.labels)",
          vector=False),
    # -- traits (sim/processes/arrivals.py) --------------------------------------------------------
    Field("fit", _F, ARRIVAL, True, "interest fit with the group's positioning, 0..1"),
    Field("expertise", _F, ARRIVAL, True, "value of this member's posts, 0..1"),
    Field("need", _F, ARRIVAL, True, "how much the member needs what the group offers, 0..1"),
    Field("willingness", _F, ARRIVAL, True, "willingness to pay, 0..1", mesa="willingness_to_pay"),
    Field("propensity", _F, ARRIVAL, True, "individual multiplier of the role's posting rate"),
    Field("satisfaction", _F, ARRIVAL, True, "how much they like the group, 0..1"),
    Field("habit", _F, ARRIVAL, False, "own daily chance of opening the group (visiting)", vector=False),
    Field("habit_logit", _F, ARRIVAL, False, "logit of ``habit`` (the vector engine's form)", mesa=None),
    # -- day stamps --------------------------------------------------------------------------------
    Field("join_day", _I, JOIN_DAY, True, "day they joined"),
    Field("last_post_day", _I, JOIN_DAY, True, "last day they wrote (silence is counted from joining)"),
    Field("last_spoke_day", _I, NEVER, False, "last day of a real message (Mesa: the lifecycle's speakers window)",
          mesa=None),
    Field("last_visit_day", _I, JOIN_DAY, True, "last day they opened the group"),
    Field("notified_day", _I, NEVER, True, "last day their post got replies"),
    Field("answered_day", _I, NEVER, True, "last day a tie answered them (visiting.talk_chance)"),
    Field("kol_shock_day", _I, NEVER, True, "last day a KOL they knew left"),
    Field("friend_left_day", _I, NEVER, True, "last day a latent friend of theirs left the group"),
    Field("vip_since", _I, None, True, "day they became a VIP (None / -1: not a VIP)", none=-1, blank=-1),
    # -- today's flags -------------------------------------------------------------------------------
    Field("muted", _B, False, True, "muted by the rules (moderation)"),
    Field("dormant", _B, False, True, "asleep: still a member, muted, rarely opens the group (rules/dormancy.py)"),
    Field("visiting", _B, True, True, "opened the group today (a newcomer has, on joining)"),
    Field("talking", _B, True, True, "talks today (visiting.decide_visits; a newcomer says hello)"),
    # -- counters and memory -----------------------------------------------------------------------
    Field("warnings", _I, 0, True, "warnings received (moderation)"),
    Field("tie_weight_ever", _F, 0, True, "interactions with ties so far: lost ones raise the leave hazard"),
    Field("tie_weight_now", _F, 0.0, False, "weight of ties still present (Mesa: the network)", mesa=None),
    Field("endorsement", _F, 0.0, True, "replies received, decaying with a 30-day memory"),
    Field("kol_unhappy_days", _I, 0, True, "a KOL's days of low quality (roles._kol_quits)"),
    Field("messages_today", _I, 0, True, "messages written today"),
    Field("messages_total", _I, 0, True, "messages written so far"),
    Field("staleness", _F, 0.0, True, "days of reading since things were last new (reading.novelty)"),
    Field("kol_by_age", _B, ARRIVAL, False, "was a KOL on a day <= phases.outcome_age_days (Mesa: role history)",
          mesa=None),
    Field("node", _I, -1, False, "node in the latent friendship network; -1: none (vector: LatentNetworks)",
          vector=False),
    # Yesterday's reading, for churn reasons and the VIP decision (Mesa: the Reading itself).
    Field("last_read", object, None, False, "yesterday's reading (reading.Reading); None: did not read", vector=False),
    Field("read_ok", _B, False, False, "read yesterday (Mesa: last_read is not None)", mesa=None),
    Field("read_gain", _F, 0.0, False, "yesterday's reading's gain", mesa=None),
    Field("read_worst", _I8, REASONS.index("bored"), False, "yesterday's worst cost (a leave reason's code)",
          mesa=None, blank=REASONS.index("bored")),
    # -- leaving -------------------------------------------------------------------------------------
    Field("leave_day", _I, None, False, "day they left (None: present; vector: the roster)", vector=False),
    Field("leave_reason", object, None, False, "why they left (sim.vocab.REASONS)", vector=False),
)

#: members.csv: one row per member who ever joined (both engines build it with :func:`member_row`).
MEMBER_COLUMNS = ("id", "name", "label", "final_role", "role_history", "join_day", "channel", "leave_day",
                  "leave_reason", "fit", "expertise", "messages_total", "satisfaction", "last_post_day")


def member_row(uid: int, *, label: str, role: str, history: Sequence[tuple[int, str]], join_day: int, channel: str,
               leave_day: int | None, leave_reason: str | None, fit: float, expertise: float, messages_total: int,
               satisfaction: float, last_post_day: int) -> dict[str, Any]:
    """One member's row of members.csv (:data:`MEMBER_COLUMNS`): ``history`` the (day, role)
    changes from joining on; traits rounded to 4 decimals; "" for what has not happened."""
    return {
        "id": uid, "name": member_name(uid), "label": label, "final_role": role,
        "role_history": ";".join(f"{d}:{r}" for d, r in history), "join_day": join_day, "channel": channel,
        "leave_day": "" if leave_day is None else leave_day, "leave_reason": leave_reason or "",
        "fit": round(fit, 4), "expertise": round(expertise, 4), "messages_total": messages_total,
        "satisfaction": round(satisfaction, 4), "last_post_day": last_post_day,
    }

FIELDS: dict[str, Field] = {f.name: f for f in MEMBER_FIELDS}
#: The vector engine's per-member columns.
VECTOR_FIELDS = tuple(f for f in MEMBER_FIELDS if f.vector)
#: The Mesa member's attributes of this table (``name`` and ``role_history`` are derived).
MESA_FIELDS = tuple(f for f in MEMBER_FIELDS if f.attr is not None)
#: Fields whose value on joining is not set by the arrival: the reset of every joining member.
RESET_FIELDS = tuple(f for f in MEMBER_FIELDS if f.on_join != ARRIVAL)
#: Fields a resumed run copies as they are from the Mesa member.
COPIED_FIELDS = tuple(f for f in VECTOR_FIELDS if f.resumed)
