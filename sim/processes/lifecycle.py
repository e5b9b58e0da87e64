"""The group's lifecycle (seed 000, 001): health indicators, phase, turning points, the end.

Health indicators (seed 001 L115-127): ① at least ``rounds_per_week`` valuable rounds
(threads of ≥ 5 exchanges) started by someone other than the owner in the last 7 days;
② ≥ 20% of the people (spammers and the founder excluded) spoke in the last 7 days;
③ paid conversion ≥ 10% (≥ 5% upsell with paid entry) — a group that sells nothing fails
it (MODEL.md §5: "the five health indicators hold"; ``phases.require_conversion = false``
drops it); ④ most of the last 30 days' recruited newcomers came by word of mouth; ⑤ ≥ 40%
of the people would be disappointed if the group dissolved (satisfaction ≥
``disappointed_satisfaction``).

Phase: launch → growth → self_operating (all applicable indicators have held for
``phases.self_operation_streak`` consecutive days — seed 000 L9 "truly" self-operating,
MODEL.md §6 "for a sustained period", not a lucky day; the streak counts the indicators
alone, also while the group shrinks; afterwards every day they all hold) → mature →
decline → ad_group (ads ≥ half of a week's messages in a group that still talks — at least
``ad_group_min_weekly`` messages a week; terminal) or dead (no non-ad message for N days, or no people left;
terminal, and the run stops). A group that lost ``decline_drop`` of its members over
``decline_window`` days is in decline. After self-operation a group missing one indicator
is mature; otherwise a group is in growth while membership rises by ``growth_factor`` a
fortnight, in decline while it shrinks by as much, and mature (steady) in between. A new
phase is only taken once that verdict has held ``phase_hold_days`` days in a row
(hysteresis: no flickering between mature and decline), except the end, the end of the
launch and the first self-operation.
Becoming an ad group, self-operating, falling silent or dead is a turning point
(``model.log_event``).

Indicator ③ can only hold in a group that sells something: with ``require_conversion`` and
no paid tier, self-operation is unreachable, and :attr:`Lifecycle.self_operation_reachable`
says so (reports show it instead of a silent "never").

The classifier only *labels* what the members did; it changes nobody.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from sim.params import EntryThreshold
from sim.roles import Role
from sim.vocab import INDICATORS, PHASES, TERMINAL  # noqa: F401  (the words: sim/vocab.py)

if TYPE_CHECKING:
    from sim.model import CommunityModel

#: Channels that are not recruitment (indicator ④ judges recruited newcomers only).
_NOT_RECRUITED = ("spam", "seed", "edgelist")


class Lifecycle:
    """Today's health indicators and phase, with the rolling windows they need. One per model."""

    def __init__(self) -> None:
        # Windows are the indicators' definitions (seed 001 L115-127: per week, per month): structural.
        self._speakers: deque = deque(maxlen=7)
        self._rounds: deque = deque(maxlen=7)
        self._ads: deque = deque(maxlen=7)
        self._talk: deque = deque(maxlen=7)
        self._joins: deque = deque(maxlen=30)
        self._members: list[int] = []  # members on each day so far, for the trends
        self._silent_days = 0
        self._met_streak = 0  # consecutive days with every applicable indicator met
        self._pending: str | None = None  # a phase the verdict has named, not yet settled
        self._pending_days = 0
        self._today = 0
        self.phase = "launch"
        self.self_operation_day: int | None = None
        self.ad_group_day: int | None = None
        self.dead_day: int | None = None
        self.silent_day: int | None = None  # first day a week's messages fell below ad_group_min_weekly
        self.self_operation_reachable = True
        #: Today's indicator values, for the observer's row.
        self.health: dict[str, float | int] = {}

    @property
    def ended(self) -> bool:
        """The stop condition: a dead group stays dead."""
        return self.phase == "dead"

    def update(self, model: CommunityModel) -> None:
        """Measure today's indicators and classify the phase (after everything else happened)."""
        p, log = model.p, model.log
        ph = p.phases
        members = list(model.members)
        people_ids = set()
        vips = satisfied = 0
        for m in members:
            if m.spec.person:
                people_ids.add(m.unique_id)
                vips += m.role is Role.vip
                satisfied += m.satisfaction >= ph.disappointed_satisfaction
        people = len(people_ids)

        self._speakers.append(log.speakers)
        self._rounds.append(log.rounds_without_owner)
        talk = log.valuable + log.chat + log.content
        self._ads.append(log.ads_visible)
        self._talk.append(talk)
        recruited = sum(v for k, v in log.joins.items() if k not in _NOT_RECRUITED)
        self._joins.append((log.joins["word_of_mouth"], recruited))

        # Indicator ② counts people (seed 001 L121 "users who spoke"): spammers posting ads
        # and the founder are neither in the numerator nor in the denominator.
        speaking_rate = len(set().union(*self._speakers) & people_ids) / people if people else 0.0
        conversion = vips / people if people else 0.0
        joins_30 = sum(r for _, r in self._joins)
        wom_share = sum(o for o, _ in self._joins) / joins_30 if joins_30 else 0.0
        disappointed = satisfied / people if people else 0.0
        target_conv = ph.paid_upsell_target if p.entry.threshold is EntryThreshold.paid else ph.paid_conversion_target
        ind = {
            "ind_rounds": sum(self._rounds) >= ph.rounds_per_week,
            "ind_speaking": speaking_rate >= ph.speaking_rate_target,
            "ind_conversion": conversion >= target_conv,
            "ind_word_of_mouth": joins_30 > 0 and wom_share >= ph.word_of_mouth_target,
            "ind_disappointed": disappointed >= ph.disappointed_target,
        }
        # MODEL.md §5: self-operation needs all five; ``phases.require_conversion = false``
        # judges a group that sells nothing on the other four.
        applicable = [k for k in INDICATORS if k != "ind_conversion" or ph.require_conversion or p.monetisation.enabled]
        self.self_operation_reachable = "ind_conversion" not in applicable or p.monetisation.enabled
        met = sum(int(ind[k]) for k in applicable)

        self._silent_days = 0 if talk else self._silent_days + 1
        self.phase = self._settle(self._classify(model, people, len(members), met, len(applicable)), ph.phase_hold_days)
        self._members.append(len(members))
        self.health = {"weekly_speaking_rate": speaking_rate, "paid_conversion": conversion,
                       "word_of_mouth_share": wom_share, "disappointed_share": disappointed,
                       "rounds_7d": sum(self._rounds)}
        self.health.update({k: int(v) for k, v in ind.items()})
        self.health["health_met"] = met
        self.health["health_applicable"] = len(applicable)

    def _settle(self, candidate: str, hold_days: int) -> str:
        """Hysteresis: the label moves to a new non-terminal phase only once the day's verdict
        has named it ``hold_days`` days in a row, so a report shows bands, not slivers. The end
        (ad group, dead), the end of the launch and the first self-operation (its indicator
        streak is its own hysteresis) take effect at once."""
        immediate = (candidate in TERMINAL or self.phase == "launch" or candidate == self.phase
                     or (candidate == "self_operating" and self.self_operation_day == self._today))
        if immediate:
            self._pending, self._pending_days = None, 0
            return candidate
        if candidate == self._pending:
            self._pending_days += 1
        else:
            self._pending, self._pending_days = candidate, 1
        if self._pending_days >= hold_days:
            self._pending, self._pending_days = None, 0
            return candidate
        return self.phase

    def _classify(self, model: CommunityModel, people: int, n: int, met: int, applicable: int) -> str:
        """Today's verdict on the phase, before hysteresis (:meth:`_settle`)."""
        day, ph = model.day, model.p.phases
        self._today = day
        if self.phase == "dead":
            return "dead"
        if people < 1 or self._silent_days >= ph.dead_after_silent_days:
            self.dead_day = day
            if people < 1:  # say who is left (sim/events.py)
                left = list(model.members)
                model.log_event("died", founder=any(m is model.founder for m in left),
                                spammers=sum(m.role is Role.spammer for m in left))
            else:
                model.log_event("died", silent_days=self._silent_days)
            return "dead"
        if self.phase == "ad_group":
            return "ad_group"
        ads, talk = sum(self._ads), sum(self._talk)
        talking = ads + talk >= ph.ad_group_min_weekly
        if day >= ph.launch_days and ads and talking and ads >= ph.ad_group_share * (ads + talk):
            self.ad_group_day = day
            model.log_event("ad_group")
            return "ad_group"
        if day >= ph.launch_days and not talking and self.silent_day is None:
            self.silent_day = day
            model.log_event("silent", messages=ads + talk)
        if day < ph.launch_days:
            return "launch"
        # The indicators alone decide self-operation (seed 001 L115-127 define it by them): the
        # streak also runs while the group shrinks, e.g. while free riders leave a paying core.
        self._met_streak = self._met_streak + 1 if met == applicable else 0
        if self.self_operation_day is None and self._met_streak >= ph.self_operation_streak:
            self.self_operation_day = day
            model.log_event("self_operating")
            return "self_operating"
        history = self._members
        if len(history) >= ph.decline_window and n < (1.0 - ph.decline_drop) * history[-ph.decline_window]:
            return "decline"  # shrinking fast, whatever the indicators say
        if met == applicable and self.self_operation_day is not None:
            return "self_operating"
        if self.self_operation_day is not None and met >= applicable - 1:
            return "mature"
        past = history[-ph.trend_days] if len(history) >= ph.trend_days else (history[0] if history else n)
        if n > ph.growth_factor * past:
            return "growth"
        return "decline" if n * ph.growth_factor < past else "mature"  # steady size: neither grows nor shrinks

