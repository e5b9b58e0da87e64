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
from sim.state import RESET_FIELDS, member_name  # noqa: F401  (member_name: re-exported)
from sim.rules.floats import conduct, content, posting
from sim.rules.floats import satisfaction as sat

if TYPE_CHECKING:
    from sim.model import CommunityModel


class Member(mesa.Agent):
    """A person in the group; what they do today depends on ``self.role``."""

    def __init__(self, model: CommunityModel, *, role: Role, fit: float, expertise: float, need: float,
                 willingness_to_pay: float, propensity: float, channel: str,
                 satisfaction: float) -> None:
        super().__init__(model)
        for f in RESET_FIELDS:  # the state every newcomer starts with (sim/state.py)
            if f.attr is not None:
                setattr(self, f.attr, f.join_value(model.day, vector=False))
        self.name = member_name(self.unique_id)
        self.role = role
        self.fit, self.expertise, self.need = fit, expertise, need
        self.willingness_to_pay, self.propensity = willingness_to_pay, propensity
        self.satisfaction = satisfaction
        self.channel = channel
        self.habit = visiting.draw_habit(model)
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
                                    p.conversation, p.roles.kol_incentive) * self.rules_leave()

    def rules_leave(self) -> float:
        """The share of this member's talk the group's rules leave (:func:`sim.rules.conduct.talk_factor`)."""
        p = self.model.p
        founder = self.role is Role.founder
        return conduct.talk_factor(posting.is_noisy(self.fit, founder, p.roles.kol_noise_fit), self.role is Role.kol,
                                   founder or self.role is Role.spammer, p.conduct)

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
            self.model.log_event("founder_back", who=self.name, days=self.burnout_days)
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
            self.model.log_event("founder_burnt_out", who=self.name)
