"""The group's lifecycle (seed 000, 001): health indicators, phase, turning points, the end.

Health indicators (seed 001 L115-127) and the pieces of the phase verdict are the rules of
:mod:`sim.rules.lifecycle`; this class keeps the windows they read, walks the verdict in its
order, holds it (hysteresis) and tells the turning points.

Phase: launch → growth → self_operating (all applicable indicators have held for
``phases.self_operation_streak`` consecutive days — seed 000 L9 "truly" self-operating,
MODEL.md §6 "for a sustained period", not a lucky day; the streak counts the indicators
alone, also while the group shrinks; afterwards every day they all hold) → mature →
decline → ad_group (ads ≥ half of a week's messages in a group that still talks — at least
``ad_group_min_weekly`` messages a week; terminal) or dead (no non-ad message for N days, or no people left;
terminal, and the run stops). A group that lost ``decline_drop`` of its members over
``decline_window`` days is in decline; so, at once, is a group where fewer than
``min_weekly_speakers`` people spoke in a week (alive means talking, MODEL.md §5: a
near-silent group is never mature or self-operating, whatever its headcount). After self-operation a group missing one indicator
is mature; otherwise a group is in growth while membership rises by ``growth_factor`` a
fortnight, in decline while it shrinks by as much, and mature (steady) in between. Membership
here counts the awake: a dormant member (sim/rules/dormancy.py) is still in the group but
no longer part of its growth or decline. A new
phase is only taken once that verdict has held ``phase_hold_days`` days in a row
(hysteresis: no flickering between mature and decline), except the end, the end of the
launch, the first self-operation and falling quiet.
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
from sim.rules.floats import lifecycle as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel

_PHASE_NAMES = {phase: phase for phase in PHASES}
#: Channels that are not recruitment (indicator ④ judges recruited newcomers only).
_NOT_RECRUITED = ("spam", "seed", "edgelist")


class Lifecycle:
    """Today's health indicators and phase, with the rolling windows they need. One per model."""

    #: Days the group had lived before the run's day 0 (a described group: sim/start.py).
    age_at_start: int = 0

    def __init__(self) -> None:
        # Windows are the indicators' definitions (seed 001 L115-127: per week, per month): structural.
        self._speakers: deque = deque(maxlen=7)
        self._rounds: deque = deque(maxlen=7)
        self._ads: deque = deque(maxlen=7)
        self._talk: deque = deque(maxlen=7)
        self._joins: deque = deque(maxlen=30)
        self._members: list[int] = []  # awake members on each day so far, for the trends
        self._silent_days = 0
        self._met_streak = 0  # consecutive days with every applicable indicator met
        self._quiet = False  # today's verdict: too few speakers to live (decline at once)
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
        speakers = len(set().union(*self._speakers) & people_ids)
        speaking_rate = rules.share_of(speakers, people)
        conversion = rules.share_of(vips, people)
        joins_30 = sum(r for _, r in self._joins)
        wom_share = rules.share_of(sum(o for o, _ in self._joins), joins_30)
        disappointed = rules.share_of(satisfied, people)
        ind = rules.indicators(sum(self._rounds), speaking_rate, conversion, joins_30, wom_share, disappointed,
                               p.entry.threshold is EntryThreshold.paid, ph)
        # MODEL.md §5: self-operation needs all five; ``phases.require_conversion = false``
        # judges a group that sells nothing on the other four.
        conversion_counts = rules.conversion_applies(ph, p.monetisation.enabled)
        applicable = len(INDICATORS) - 1 + conversion_counts
        self.self_operation_reachable = not conversion_counts or p.monetisation.enabled
        met = int(rules.indicators_met(ind, conversion_counts))  # numpy scalars may hold; the row wants an int

        self._silent_days = 0 if talk else self._silent_days + 1
        # Growth and decline are of the awake members: the dormant are headcount, not the group's life.
        awake = len(members) - sum(m.dormant for m in members)
        self.phase = self._settle(self._classify(model, people, awake, met, applicable, speakers), ph.phase_hold_days)
        self._members.append(awake)
        self.health = {"weekly_speaking_rate": speaking_rate, "paid_conversion": conversion,
                       "word_of_mouth_share": wom_share, "disappointed_share": disappointed,
                       "rounds_7d": sum(self._rounds), "weekly_speakers": speakers}
        self.health.update({k: int(v) for k, v in ind.items()})
        self.health["health_met"] = met
        self.health["health_applicable"] = applicable

    def _settle(self, candidate: str, hold_days: int) -> str:
        """Hysteresis: the label moves to a new non-terminal phase only once the day's verdict
        has named it ``hold_days`` days in a row, so a report shows bands, not slivers. The end
        (ad group, dead), the end of the launch and the first self-operation (its indicator
        streak is its own hysteresis) take effect at once."""
        immediate = (candidate in TERMINAL or self.phase == "launch" or candidate == self.phase or self._quiet
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

    def _classify(self, model: CommunityModel, people: int, n: int, met: int, applicable: int, speakers: int) -> str:
        """Today's verdict on the phase, before hysteresis (:meth:`_settle`)."""
        day, ph = model.day, model.p.phases
        self._today = day
        self._quiet = False
        if self.phase == "dead":
            return "dead"
        if rules.is_dead(people, self._silent_days, ph):
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
        talking = rules.still_talking(ads, talk, ph)
        launched = rules.launched(day, self.age_at_start, ph)
        if launched and rules.is_ad_group(ads, talk, ph):
            self.ad_group_day = day
            model.log_event("ad_group")
            return "ad_group"
        if launched and not talking and self.silent_day is None:
            self.silent_day = day
            model.log_event("silent", messages=ads + talk)
        if not launched:
            return "launch"
        if not rules.talking(speakers, ph):  # alive means talking (MODEL.md §5): no mature, no self-operation
            self._met_streak, self._quiet = 0, True
            return "decline"
        # The indicators alone decide self-operation (seed 001 L115-127 define it by them): the
        # streak also runs while the group shrinks, e.g. while free riders leave a paying core.
        self._met_streak = self._met_streak + 1 if met == applicable else 0
        if self.self_operation_day is None and self._met_streak >= ph.self_operation_streak:
            self.self_operation_day = day
            model.log_event("self_operating")
            return "self_operating"
        history = self._members
        if len(history) >= ph.decline_window and rules.shrinking_fast(n, history[-ph.decline_window], ph):
            return "decline"  # shrinking fast, whatever the indicators say
        if met == applicable and self.self_operation_day is not None:
            return "self_operating"
        if self.self_operation_day is not None and met >= applicable - 1:
            return "mature"
        past = history[-ph.trend_days] if len(history) >= ph.trend_days else (history[0] if history else n)
        return rules.trend_verdict(n, past, ph, _PHASE_NAMES)

