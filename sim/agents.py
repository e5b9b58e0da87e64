"""Members of the group: :class:`Member`, whose role is an attribute, and the :class:`Founder`.

A role change (:meth:`Member.become`) sets ``member.role``: the agent stays registered
with Mesa, so identity, ties and history are kept (MODEL.md §4.6). What a role does is
the table ``sim.roles.ROLE_SPECS``; the founder is the one role with behaviour of its
own (energy, burnout, content quality), hence a subclass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.processes import reading, visiting
from sim.roles import ROLE_SPECS, Role, RoleSpec
from sim.rules.floats import content, posting
from sim.rules.floats import satisfaction as sat

if TYPE_CHECKING:
    from sim.model import CommunityModel

_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
             "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo")
_GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Tao", "Ping", "Hui",
          "Qiang", "Ling", "Bo", "Xin", "Yu", "Hao", "Na", "Jie", "Kai", "Mei")


def member_name(unique_id: int) -> str:
    """A member's display name, made from their id (both engines name members alike)."""
    i = unique_id
    return f"{_SURNAMES[i % len(_SURNAMES)]} {_GIVEN[(i // len(_SURNAMES)) % len(_GIVEN)]}"


class Member(mesa.Agent):
    """A person in the group; what they do today depends on ``self.role``."""

    def __init__(self, model: CommunityModel, *, role: Role, fit: float, expertise: float, need: float,
                 willingness_to_pay: float, propensity: float, channel: str,
                 satisfaction: float) -> None:
        super().__init__(model)
        i = self.unique_id
        self.name = member_name(i)
        self.role = role
        self.fit = fit  # interest fit with the group's positioning, 0..1
        self.expertise = expertise  # value of this member's posts, 0..1
        self.need = need  # how much the member needs what the group offers, 0..1
        self.willingness_to_pay = willingness_to_pay
        self.propensity = propensity  # individual multiplier of the role's posting rate
        self.satisfaction = satisfaction
        self.channel = channel
        self.join_day = model.day
        self.last_post_day = model.day  # silence is counted from joining
        self.muted = False
        self.warnings = 0
        self.ties_ever = 0  # ties formed so far: lost ties raise the leave hazard
        self.tie_weight_ever = 0  # interactions with ties so far: lost ones raise the leave hazard
        self.endorsement = 0.0  # replies received, decaying with a 30-day memory
        self.kol_unhappy_days = 0
        self.kol_shock_day = -10**9  # last day a KOL this member knew left
        self.node = -1  # the member's node in the latent friendship network (sim/friends.py); -1: none
        self.friend_left_day = -10**9  # last day a latent friend of this member left the group
        self.vip_since: int | None = None
        self.messages_today = 0
        self.messages_total = 0
        self.staleness = 0.0  # days of reading since things were last new (reading.novelty)
        self.habit = visiting.draw_habit(model)  # own daily chance of opening the group
        self.visiting = True  # opened the group today (a newcomer has, on joining)
        self.talking = True  # talks today (visiting.decide_visits; a newcomer says hello)
        self.last_visit_day = model.day
        self.notified_day = -10**9  # last day this member's post got replies
        self.answered_day = -10**9  # last day a tie answered this member (visiting.talk_chance)
        self.last_read: reading.Reading | None = None
        self.leave_day: int | None = None
        self.leave_reason: str | None = None
        self.role_history: list[tuple[int, Role]] = [(model.day, role)]

    # -- identity --------------------------------------------------------------------------
    @property
    def role(self) -> Role:
        return self._role

    @role.setter
    def role(self, role: Role) -> None:
        # The role's table row is read several times per member per day (the hot path), so it
        # is looked up once, when the role changes.
        self._role = role
        self.spec: RoleSpec = ROLE_SPECS[role]

    @property
    def present(self) -> bool:
        return self.leave_day is None

    @property
    def days_silent(self) -> int:
        return self.model.day - self.last_post_day

    def become(self, role: Role) -> None:
        """Change role, keeping identity, registration and history.

        The member moves to the back of ``model.agents``' order, as the original
        deregister/register role change did: same seed, same run as before the refactor.
        """
        if self.role is role:
            return
        self.role = role
        self.role_history.append((self.model.day, role))
        self.model.agents.remove(self)
        self.model.agents.add(self)

    def spoke(self, n: int) -> None:
        """Note ``n`` messages this member wrote today (silence and message counts)."""
        self.last_post_day = self.model.day
        self.messages_total += n

    # -- a day in the group ----------------------------------------------------------------
    def posting_rate(self) -> float:
        """Expected messages today (:func:`sim.rules.posting.posting_rate`)."""
        p, model = self.model.p, self.model
        return posting.posting_rate(getattr(p.conversation, self.spec.rate_field), self.propensity, self.satisfaction,
                                    model.day - self.join_day, model.stimulus, visiting.talk_day_share(self, model),
                                    model.heat, self.fit, self.role is Role.kol, self.muted, self.role is Role.spammer,
                                    p.conversation, p.roles.kol_incentive)

    def valuable_share(self) -> float:
        """Chance that a message of this member is valuable (:func:`sim.rules.posting.valuable_share`)."""
        founder = self.role is Role.founder
        return posting.valuable_share(self.expertise, self.fit, founder, self.model.p.founder.expertise)

    def post(self) -> None:
        if not self.talking:  # only talking visitors post (processes/visiting.py)
            self.messages_today = 0
            return
        rng = self.model.rng
        n = int(rng.poisson(self.posting_rate()))
        self.messages_today = n
        if not n:
            return
        self.spoke(n)
        if self.role is Role.spammer:
            self.model.log.add_ads(self, n)
        else:
            valuable = int(rng.binomial(n, self.valuable_share()))
            self.model.log.add_posts(self, valuable=valuable, chat=n - valuable)

    def read(self) -> None:
        """Read today's visible messages and update satisfaction (MODEL.md §4.5)."""
        r = reading.read_day(self, self.model) if self.spec.reads else None
        self.last_read = r
        if r is not None:
            adaptation = self.model.p.reading.adaptation
            self.satisfaction = sat.move_toward(self.satisfaction, r.target_satisfaction, adaptation)
        elif self.spec.reads:
            self.visiting = False  # (visiting off: a muted member who did not look in)
            if self.model.p.visiting.enabled:
                visiting.drift_while_away(self, self.model)

    def __repr__(self) -> str:
        return f"<{self.role.value} {self.unique_id} {self.name}>"


class Founder(Member):
    """群主: produces scheduled content (processes/content.py) and moderates, while energy lasts.

    Energy and burnout are the founder's own state: content and moderation spend it
    (:meth:`tire`), a day's rest restores it (:meth:`rest`), and below
    ``founder.burnout_below`` after a day's work the founder burns out (:meth:`work`).
    """

    def __init__(self, model: CommunityModel, **traits) -> None:
        super().__init__(model, role=Role.founder, **traits)
        self.energy = model.p.founder.energy
        self.burnt_out = False
        self.burnout_days = 0  # days of the current burnout

    @property
    def active(self) -> bool:
        """In the group and not burnt out."""
        return self.present and not self.burnt_out

    def rest(self) -> bool:
        """A night's recovery (fading with enthusiasm, ``founder.fade_days``). Returns True
        when the founder was burnt out this morning: no content today, even on the day of return."""
        f = self.model.p.founder
        self.energy = content.energy_after_rest(self.energy, self.model.day, f)
        if not self.burnt_out:
            return False
        self.burnout_days += 1
        if self.energy >= f.resume_energy:
            self.burnt_out = False
            self.model.log_event(f"Founder {self.name} is back after {self.burnout_days} days of burnout")
            self.burnout_days = 0
        return True

    def tire(self, cost: float) -> None:
        """Spend energy (moderation: the burnout check comes with the next day's work)."""
        self.energy -= cost

    def work(self, cost: float) -> None:
        """A day's content work: spend energy, and burn out when it runs low."""
        self.energy -= cost
        if self.energy < self.model.p.founder.burnout_below:
            self.burnt_out = True
            self.model.log_event(f"Founder {self.name} burnt out: content stops")
