"""The six roles of the design card: one enum, one table of what each role does, one colour map.

A member's role is an attribute (:class:`Role`), like the infection state in Mesa's
virus_on_network example, so a role change keeps the same agent registered with Mesa
(identity, ties and history stay). What differs between roles is data — the table
:data:`ROLE_SPECS` — except for the founder, whose energy and burnout are behaviour
(``sim.agents.Founder``).

Report, classroom page and README draw roles with :data:`ROLE_COLORS`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a member does in the group (a ``str``: ``Role.kol == "kol"``)."""

    founder = "founder"  # 群主: content, moderation, greetings; has energy
    kol = "kol"  # KOL / 意见领袖 / 大咖: posts often and well; leaves when quality falls
    active = "active"  # 活跃成员: posts and replies
    lurker = "lurker"  # 潜水: reads, rarely posts, never replies
    spammer = "spammer"  # 广告党: posts ads, reads nothing
    vip = "vip"  # 付费会员: pays each period, expects more, gets paid content


@dataclass(frozen=True)
class RoleSpec:
    """What a role does, as data (the per-role parameter table)."""

    rate_field: str  #: field of ``Params.conversation`` with the role's base rate (messages or ads/day)
    label: str  #: name shown to a viewer
    color: str  #: colour in the report, the classroom page and the README figure
    person: bool  #: counted among the group's people by the health indicators (not founder, not spammers)
    talker: bool  #: answers in threads (lurkers read threads but do not answer: seed 004 L639)
    reads: bool  #: opens the group and turns what they read into satisfaction
    plural: str = ""  #: the label for a count of them (legends: "20 lurkers"); "" means the label


ROLE_SPECS: dict[Role, RoleSpec] = {
    Role.founder: RoleSpec("active_posts_per_day", "founder", "#6a3d9a",
                          person=False, talker=False, reads=False, plural="founder"),
    Role.kol: RoleSpec("kol_posts_per_day", "KOL", "#e6ab02",
                          person=True, talker=True, reads=True, plural="KOLs"),
    Role.active: RoleSpec("active_posts_per_day", "active", "#1b9e77",
                          person=True, talker=True, reads=True, plural="active members"),
    Role.lurker: RoleSpec("lurker_posts_per_day", "lurker", "#a6cee3",
                          person=True, talker=False, reads=True, plural="lurkers"),
    Role.spammer: RoleSpec("spammer_ads_per_day", "spammer", "#d95f02",
                          person=False, talker=False, reads=False, plural="spammers"),
    Role.vip: RoleSpec("vip_posts_per_day", "VIP", "#e7298a",
                          person=True, talker=True, reads=True, plural="VIPs"),
}

#: The roles in display order (the ``members_<role>`` columns of the daily row).
ROLES: tuple[Role, ...] = tuple(Role)
#: Role → colour, for every picture of the group.
ROLE_COLORS: dict[str, str] = {r.value: s.color for r, s in ROLE_SPECS.items()}
#: Role → label a viewer reads.
ROLE_LABELS: dict[str, str] = {r.value: s.label for r, s in ROLE_SPECS.items()}
#: Role → label for a count of them (report legends).
ROLE_PLURALS: dict[str, str] = {r.value: s.plural or s.label for r, s in ROLE_SPECS.items()}
