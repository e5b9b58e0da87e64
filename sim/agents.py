"""Members of the group and the six roles of the design card.

A :class:`Member` is one person; the role classes below say what that person does
on their turn. A role change (:meth:`Member.become`) swaps the class of the same
object, so identity, ties and history are kept (MODEL.md §4.6) while Mesa's
``agents_by_type`` stays correct.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

import mesa

from sim.processes import reading

if TYPE_CHECKING:
    from sim.model import CommunityModel

_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
             "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo")
_GIVEN = ("Wei", "Fang", "Min", "Jing", "Lei", "Yan", "Jun", "Tao", "Ping", "Hui",
          "Qiang", "Ling", "Bo", "Xin", "Yu", "Hao", "Na", "Jie", "Kai", "Mei")


class Member(mesa.Agent):
    """A person in the group. Subclasses are roles; see :meth:`become`."""

    role: ClassVar[str] = "member"
    #: Field of ``Params.conversation`` with this role's base posting rate (messages/day).
    rate_field: ClassVar[str] = "active_posts_per_day"

    def __init__(self, model: CommunityModel, *, fit: float, expertise: float, need: float,
                 willingness_to_pay: float, propensity: float, channel: str,
                 satisfaction: float) -> None:
        super().__init__(model)
        i = self.unique_id
        self.name = f"{_SURNAMES[i % len(_SURNAMES)]} {_GIVEN[(i // len(_SURNAMES)) % len(_GIVEN)]}"
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
        self.endorsement = 0.0  # replies received, decaying with a 30-day memory
        self.kol_unhappy_days = 0
        self.kol_shock_day = -10**9  # last day a KOL this member knew left
        self.vip_since: int | None = None
        self.messages_today = 0
        self.messages_total = 0
        self.last_read: reading.Reading | None = None
        self.leave_day: int | None = None
        self.leave_reason: str | None = None
        self.role_history: list[tuple[int, str]] = [(model.day, self.role)]

    # -- identity --------------------------------------------------------------------------
    @property
    def present(self) -> bool:
        return self.leave_day is None

    @property
    def days_silent(self) -> int:
        return self.model.day - self.last_post_day

    def become(self, role_cls: type[Member]) -> None:
        """Change role, keeping identity and history (re-registered under the new type)."""
        if type(self) is role_cls:
            return
        uid = self.unique_id
        self.model.deregister_agent(self)
        self.__class__ = role_cls
        self.model.register_agent(self)
        self.unique_id = uid  # Mesa >= 3.4 renumbers on registration; identity must survive
        self.role_history.append((self.model.day, role_cls.role))

    # -- a day in the group ----------------------------------------------------------------
    def posting_rate(self) -> float:
        """Expected messages today: role rate × propensity × mood × newcomer eagerness × stimulus."""
        if self.muted:
            return 0.0
        p = self.model.p.conversation
        mood = 0.3 + self.satisfaction
        eager = p.newcomer_posts_per_day * math.exp(-(self.model.day - self.join_day) / p.newcomer_days)
        # Eagerness scales with the person's propensity too: a shy newcomer stays silent
        # (most members never post: seed 004 L398 "90% asleep", the 90-9-1 rule).
        base = (getattr(p, self.rate_field) + eager) * self.propensity
        return base * mood * (1.0 + p.stimulus_gain * self.model.stimulus)

    def valuable_share(self) -> float:
        """Chance that a message of this member is valuable (on-topic expertise)."""
        return self.expertise * self.fit

    def post(self) -> None:
        rng = self.model.rng
        n = int(rng.poisson(self.posting_rate()))
        self.messages_today = n
        if n:
            valuable = int(rng.binomial(n, self.valuable_share()))
            self.model.log.add_posts(self, valuable=valuable, chat=n - valuable)

    def read(self) -> None:
        """Read today's visible messages and update satisfaction (MODEL.md §4.5)."""
        r = reading.read_day(self, self.model)
        self.last_read = r
        if r is not None:
            self.satisfaction += self.model.p.reading.adaptation * (r.target_satisfaction - self.satisfaction)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.unique_id} {self.name}>"


class Founder(Member):
    """群主: produces scheduled content (processes/content.py) and moderates; chats a little."""

    role = "founder"
    rate_field = "active_posts_per_day"

    def valuable_share(self) -> float:
        return self.model.p.founder.expertise

    def read(self) -> None:  # the founder's state is energy, not satisfaction
        self.last_read = None


class KOL(Member):
    """Key opinion leader: posts often and well; leaves when quality falls (seed 004 L176)."""

    role = "kol"
    rate_field = "kol_posts_per_day"

    def posting_rate(self) -> float:
        return super().posting_rate() * (1.0 + self.model.p.roles.kol_incentive)


class ActiveMember(Member):
    role = "active"
    rate_field = "active_posts_per_day"


class Lurker(Member):
    """潜水: reads, rarely speaks (seed 004 L639: "90% asleep")."""

    role = "lurker"
    rate_field = "lurker_posts_per_day"


class PayingVIP(Member):
    """Paying member: expects more (reading.vip_expectation) and gets paid content."""

    role = "vip"
    rate_field = "vip_posts_per_day"


class Spammer(Member):
    """广告党: posts ads; neither reads nor cares about the group (seed 004 L64)."""

    role = "spammer"
    rate_field = "spammer_ads_per_day"

    def posting_rate(self) -> float:
        return self.model.p.conversation.spammer_ads_per_day * self.propensity

    def post(self) -> None:
        n = int(self.model.rng.poisson(self.posting_rate()))
        self.messages_today = n
        if n:
            self.model.log.add_ads(self, n)

    def read(self) -> None:
        self.last_read = None


ROLES: dict[str, type[Member]] = {cls.role: cls for cls in (Founder, KOL, ActiveMember, Lurker, Spammer, PayingVIP)}
