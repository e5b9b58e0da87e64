"""The lifecycle (``sim/processes/lifecycle.py``) for R communities: indicators, phase, the end.

The same rules, in the same order, as :class:`sim.processes.lifecycle.Lifecycle`, with the
rolling windows as ring buffers ``(R, 7)`` / ``(R, 30)`` and each ``if`` of ``_classify`` a
mask over the communities not yet decided.
"""

from __future__ import annotations

import numpy as np

from sim.rules import lifecycle as rules
from sim.vector.state import CHANNEL_CODE, PERSON, SPAMMER, VIP
from sim.vocab import INDICATORS, PHASES

PHASE_CODE = {p: i for i, p in enumerate(PHASES)}
_NOT_RECRUITED = [CHANNEL_CODE[c] for c in ("spam", "seed", "edgelist")]


class VectorLifecycle:
    """Rolling windows and the phase of every community of a batch."""

    def __init__(self, R: int, days: int) -> None:
        self.R = R
        self.rounds = np.zeros((R, 7))
        self.ads = np.zeros((R, 7))
        self.talk = np.zeros((R, 7))
        self.wom = np.zeros((R, 30))
        self.recruited = np.zeros((R, 30))
        self.members = np.zeros((R, days + 1))  # awake members on each day (the trends)
        self.silent_days = np.zeros(R, np.int64)
        self.met_streak = np.zeros(R, np.int64)
        self.pending = np.full(R, -1)
        self.pending_days = np.zeros(R, np.int64)
        self.phase = np.full(R, PHASE_CODE["launch"])
        self.self_operation_day = np.full(R, -1)
        self.ad_group_day = np.full(R, -1)
        self.dead_day = np.full(R, -1)
        self.silent_day = np.full(R, -1)
        self.reachable = np.ones(R, bool)
        self.age_at_start = np.zeros(R, np.int64)  # days lived before day 0 (a described group)
        self.health: dict[str, np.ndarray] = {}

    @property
    def ended(self) -> np.ndarray:
        return self.phase == PHASE_CODE["dead"]

    def update(self, engine) -> None:
        table, batch, log, day = engine.table, engine.batch, engine.log, engine.day
        ph = table.phases
        live = engine.running
        person = batch.is_(PERSON)
        people = person.sum(axis=1)
        vips = (person & (batch.role == VIP)).sum(axis=1)
        satisfied = (person & (batch.satisfaction >= ph.disappointed_satisfaction[:, None])).sum(axis=1)
        n = batch.count() - (batch.dormant & batch.present).sum(axis=1)  # awake members: the trends (Lifecycle.update)
        slot = day % 7
        talk = log.valuable + log.chat + log.content
        self.rounds[:, slot] = log.rounds_without_owner
        self.ads[:, slot] = log.ads_visible
        self.talk[:, slot] = talk
        recruited = log.joins.sum(axis=1) - log.joins[:, _NOT_RECRUITED].sum(axis=1)
        self.wom[:, day % 30] = log.joins[:, CHANNEL_CODE["word_of_mouth"]]
        self.recruited[:, day % 30] = recruited
        speakers = (person & (batch.last_spoke_day >= day - 6)).sum(axis=1)
        speaking = rules.share_of(speakers, people)
        conversion = rules.share_of(vips, people)
        joins_30 = self.recruited.sum(axis=1)
        wom_share = rules.share_of(self.wom.sum(axis=1), joins_30)
        disappointed = rules.share_of(satisfied, people)
        rounds_7d = self.rounds.sum(axis=1)
        ind = rules.indicators(rounds_7d, speaking, conversion, joins_30, wom_share, disappointed,
                               table.entry.threshold == "paid", ph)
        conv_applies = rules.conversion_applies(ph, table.monetisation.enabled)
        applicable = len(INDICATORS) - 1 + conv_applies
        self.reachable = ~conv_applies | table.monetisation.enabled
        met = rules.indicators_met(ind, conv_applies)
        self.silent_days = np.where(live, np.where(talk > 0, 0, self.silent_days + 1), self.silent_days)
        candidate = self._classify(engine, people, n, met, applicable, speakers)
        self._settle(candidate, ph.phase_hold_days, day, live)
        self.members[:, day] = n
        self.health = {"weekly_speaking_rate": speaking, "paid_conversion": conversion,
                       "word_of_mouth_share": wom_share, "disappointed_share": disappointed, "rounds_7d": rounds_7d,
                       "weekly_speakers": speakers}
        self.health.update({k: v.astype(np.int64) for k, v in ind.items()})
        self.health["health_met"] = met
        self.health["health_applicable"] = applicable

    def _classify(self, engine, people, n, met, applicable, speakers) -> np.ndarray:
        table, batch, day = engine.table, engine.batch, engine.day
        ph = table.phases
        cand = np.full(self.R, -1, like=self.phase)
        open_ = engine.running.copy()  # not decided yet

        def decide(mask, phase):
            mask = mask & open_
            cand[mask] = PHASE_CODE[phase] if isinstance(phase, str) else phase[mask]
            open_[mask] = False
            return mask

        decide(self.phase == PHASE_CODE["dead"], "dead")
        dies = decide(rules.is_dead(people, self.silent_days, ph), "dead")
        self.dead_day[dies] = day
        empty = dies & (people < 1)
        if empty.any():  # say who is left
            rows = np.flatnonzero(empty)
            batch.event("died", rows, day, founder=batch.founder_present[rows],
                    spammers=(batch.present & (batch.role == SPAMMER)).sum(axis=1)[rows])
        rows = np.flatnonzero(dies & ~empty)
        batch.event("died", rows, day, silent_days=self.silent_days[rows])
        decide(self.phase == PHASE_CODE["ad_group"], "ad_group")
        ads, talk = self.ads.sum(axis=1), self.talk.sum(axis=1)
        talking = rules.still_talking(ads, talk, ph)
        launched = rules.launched(day, self.age_at_start, ph)
        ad = decide(launched & rules.is_ad_group(ads, talk, ph), "ad_group")
        self.ad_group_day[ad] = day
        batch.event("ad_group", np.flatnonzero(ad), day)
        quiet = open_ & launched & ~talking & (self.silent_day < 0)
        self.silent_day[quiet] = day
        batch.event("silent", np.flatnonzero(quiet), day, messages=(ads + talk)[quiet])
        decide(~launched, "launch")
        # Alive means talking (MODEL.md §5): too few speakers, decline at once; no self-operation streak.
        quiet = decide(~rules.talking(speakers, ph), "decline")
        self.met_streak = np.where(quiet, 0, self.met_streak)
        # The indicators alone decide self-operation (lifecycle.Lifecycle._classify): the streak
        # also runs while the group shrinks.
        all_met = met == applicable
        self.met_streak = np.where(open_, np.where(all_met, self.met_streak + 1, 0), self.met_streak)
        first = decide(all_met & (self.self_operation_day < 0) & (self.met_streak >= ph.self_operation_streak),
                       "self_operating")
        self.self_operation_day[first] = day
        batch.event("self_operating", np.flatnonzero(first), day)
        w = ph.decline_window
        past_w = self.members[np.arange(self.R, like=self.phase), np.maximum(day - w, 0)]
        decide((day >= w) & rules.shrinking_fast(n, past_w, ph), "decline")
        decide(all_met & (self.self_operation_day >= 0), "self_operating")
        decide((self.self_operation_day >= 0) & (met >= applicable - 1), "mature")
        t = ph.trend_days
        past = np.where(day >= t, self.members[np.arange(self.R, like=self.phase), np.maximum(day - t, 0)],
                        np.where(day > 0, self.members[:, 0], n))
        decide(np.ones(self.R, bool, like=self.phase), rules.trend_verdict(n, past, ph, PHASE_CODE))
        self._today_first_so = first
        self._today_quiet = quiet
        return cand

    def _settle(self, cand, hold, day, live) -> None:
        """Lifecycle._settle: a new non-terminal phase needs ``hold`` days in a row."""
        terminal = (cand == PHASE_CODE["ad_group"]) | (cand == PHASE_CODE["dead"])
        immediate = live & (
            terminal
            | (self.phase == PHASE_CODE["launch"])
            | (cand == self.phase)
            | self._today_first_so
            | self._today_quiet
        )
        self.phase = np.where(immediate, cand, self.phase)
        self.pending = np.where(immediate, -1, self.pending)
        self.pending_days = np.where(immediate, 0, self.pending_days)
        waiting = live & ~immediate
        same = waiting & (cand == self.pending)
        self.pending_days = np.where(same, self.pending_days + 1, np.where(waiting, 1, self.pending_days))
        self.pending = np.where(waiting, cand, self.pending)
        settled = waiting & (self.pending_days >= hold)
        self.phase = np.where(settled, cand, self.phase)
        self.pending = np.where(settled, -1, self.pending)
        self.pending_days = np.where(settled, 0, self.pending_days)
