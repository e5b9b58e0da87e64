"""What the model measures (MODEL.md §5): daily rows, health indicators, phase, outcomes.

Health indicators (seed 001): ① at least ``rounds_per_week`` (5, seed 001 L119) valuable
rounds (threads of ≥5 exchanges) started by someone other than the owner in the last 7
days; ② ≥20% of members (people: spammers and the founder excluded) spoke in the last 7 days; ③ paid conversion ≥10%
(≥5% upsell with paid entry) — a group that sells nothing fails it (MODEL.md §5: "the five
health indicators hold"; ``phases.require_conversion = false`` drops it); ④ most
of the last 30 days' newcomers came by word of mouth; ⑤ ≥40% of members would be
disappointed if the group dissolved (satisfaction ≥ ``disappointed_satisfaction``).

Lifecycle phase (seed 000, 001): launch → growth → self_operating (all applicable
indicators have held for ``phases.self_operation_streak`` consecutive days — seed 000 L9
"truly" self-operating, not a lucky day; afterwards every day they all hold) → mature → decline → ad_group (ads ≥ half of a week's messages;
terminal) or dead (no non-ad message for N days, or nobody left; terminal). A group
that lost ``decline_drop`` of its members over ``decline_window`` days is in decline. After
self-operation a group missing one indicator is mature; otherwise a group is in growth
while membership rises by 2% a fortnight, else in decline.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from sim.params import EntryThreshold
from sim.roles import ROLES, Role

if TYPE_CHECKING:
    from sim.model import CommunityModel

CHANNELS = ("seed", "founder", "word_of_mouth", "promotion", "paid_ads", "spam", "edgelist")
REASONS = ("bored", "overloaded", "annoyed_by_ads", "need_gone", "kol_left", "quality_fell",
           "kicked", "purged", "cascade", "moved_on", "burnout")
MESSAGE_TYPES = ("valuable", "chat", "ad", "content")
INDICATORS = ("ind_rounds", "ind_speaking", "ind_conversion", "ind_word_of_mouth", "ind_disappointed")
PHASES = ("launch", "growth", "self_operating", "mature", "decline", "ad_group", "dead")
TERMINAL = ("ad_group", "dead")
#: Days over which growth/stability is judged.
TREND_DAYS = 14
#: Member growth over TREND_DAYS that counts as the growth phase.
GROWTH_FACTOR = 1.02


class Observer:
    """Turns each day's log into a row and tracks the phase. One per model."""

    def __init__(self, model: CommunityModel) -> None:
        self.rows: list[dict[str, Any]] = []
        self._speakers = deque(maxlen=7)
        self._rounds = deque(maxlen=7)
        self._ads = deque(maxlen=7)
        self._talk = deque(maxlen=7)
        self._joins = deque(maxlen=30)
        self._silent_days = 0
        self.phase = "launch"
        self.self_operation_day: int | None = None
        self.ad_group_day: int | None = None
        self.dead_day: int | None = None
        self._met_streak = 0  # consecutive days with every applicable indicator met

    def record(self, model: CommunityModel) -> dict[str, Any]:
        p = model.p
        log = model.log
        members = list(model.members)
        n = len(members)
        counts = dict.fromkeys(ROLES, 0)
        muted = satisfied = active_today = 0
        for m in members:
            counts[m.role] += 1
            muted += m.muted
            if m.spec.person:
                satisfied += m.satisfaction >= p.phases.disappointed_satisfaction
            active_today += m.last_read is not None or m.messages_today > 0
        people = n - counts["spammer"] - counts["founder"]

        self._speakers.append(log.speakers)
        self._rounds.append(log.rounds_without_owner)
        talk = log.valuable + log.chat + log.content
        self._ads.append(log.ads_visible)
        self._talk.append(talk)
        organic = log.joins["word_of_mouth"]
        recruited = sum(v for k, v in log.joins.items() if k not in ("spam", "seed", "edgelist"))
        self._joins.append((organic, recruited))

        # Indicator ② counts people (seed 001 L121 "users who spoke"): spammers posting ads
        # and the founder are neither in the numerator nor in the denominator.
        people_ids = {m.unique_id for m in members if m.spec.person}
        speaking_rate = len(set().union(*self._speakers) & people_ids) / people if people else 0.0
        conversion = counts["vip"] / people if people else 0.0
        joins_30 = sum(r for _, r in self._joins)
        wom_share = sum(o for o, _ in self._joins) / joins_30 if joins_30 else 0.0
        disappointed = satisfied / people if people else 0.0
        ph = p.phases
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

        self._silent_days = 0 if talk else self._silent_days + 1
        self.phase = self._classify(model, people, sum(ind[k] for k in applicable), len(applicable))

        row: dict[str, Any] = {"day": model.day, "phase": self.phase, "members": n, "muted": muted}
        row.update({f"members_{r}": counts[r] for r in ROLES})
        row.update({"msgs_valuable": log.valuable, "msgs_chat": log.chat, "msgs_ad": log.ads_visible,
                    "msgs_content": log.content, "ads_posted": log.ads_posted, "ads_removed": log.ads_removed,
                    "speakers": len(log.speakers), "daily_active": active_today, "rounds": log.rounds,
                    "rounds_without_owner": log.rounds_without_owner, "red_packets": log.red_packets,
                    "revenue": log.revenue, "new_vips": log.new_vips, "refused": log.refused,
                    "turned_away_full": log.turned_away_full})
        row["joins"] = sum(log.joins.values())
        row.update({f"joins_{c}": log.joins[c] for c in CHANNELS})
        row["leaves"] = sum(log.leaves.values())
        row.update({f"leaves_{r}": log.leaves[r] for r in REASONS})
        row.update({"weekly_speaking_rate": speaking_rate, "paid_conversion": conversion,
                    "word_of_mouth_share": wom_share, "disappointed_share": disappointed,
                    "rounds_7d": sum(self._rounds)})
        row.update({k: int(v) for k, v in ind.items()})
        row["health_met"] = sum(int(ind[k]) for k in applicable)
        row["health_applicable"] = len(applicable)
        row["founder_energy"] = model.founder.energy if model.founder is not None and model.founder.present else 0.0
        row["quality"] = model.quality
        sats = [m.satisfaction for m in members if m.spec.person]
        row["mean_satisfaction"] = sum(sats) / len(sats) if sats else 0.0
        self.rows.append(row)
        return row

    def _classify(self, model: CommunityModel, people: int, met: int, applicable: int) -> str:
        day, ph = model.day, model.p.phases
        if self.phase == "dead":
            return "dead"
        if people < 1 or self._silent_days >= ph.dead_after_silent_days:
            self.dead_day = day
            model.log_event(f"The group died on day {day}" + (": nobody left" if people < 1 else ": silence"))
            return "dead"
        if self.phase == "ad_group":
            return "ad_group"
        ads, talk = sum(self._ads), sum(self._talk)
        if day >= ph.launch_days and ads and ads >= ph.ad_group_share * (ads + talk):
            self.ad_group_day = day
            model.log_event(f"The group became an ad group on day {day}")
            return "ad_group"
        if day < ph.launch_days:
            return "launch"
        if len(self.rows) >= ph.decline_window and \
                len(model.members) < (1.0 - ph.decline_drop) * self.rows[-ph.decline_window]["members"]:
            return "decline"  # shrinking fast, whatever the indicators say
        self._met_streak = self._met_streak + 1 if met == applicable else 0
        if met == applicable and (self.self_operation_day is not None
                                  or self._met_streak >= ph.self_operation_streak):
            if self.self_operation_day is None:
                self.self_operation_day = day
                model.log_event(f"The group became self-operating on day {day}")
            return "self_operating"
        if self.self_operation_day is not None and met >= applicable - 1:
            return "mature"
        past = self.rows[-TREND_DAYS]["members"] if len(self.rows) >= TREND_DAYS else self.rows[0]["members"]
        if len(model.members) > GROWTH_FACTOR * past:
            return "growth"
        return "decline"


def outcomes(model: CommunityModel) -> dict[str, Any]:
    """Run outcomes (MODEL.md §5); stable keys, documented in the README."""
    obs = model.observer
    rows = obs.rows
    end_day = min(d for d in (obs.dead_day, obs.ad_group_day) if d is not None) \
        if (obs.dead_day is not None or obs.ad_group_day is not None) else None
    people = [m for m in model.roster if m is not model.founder and m.role_history[0][1] is not Role.spammer]
    recruited = [m for m in people if m.channel not in ("seed", "edgelist")]
    ever_kol = [m for m in model.roster if any(r is Role.kol for _, r in m.role_history)]
    msgs = sorted((m.messages_total for m in model.roster if m.role is not Role.spammer), reverse=True)
    top = max(1, round(0.2 * len(msgs))) if msgs else 0
    alive = [r for r in rows if r["phase"] not in TERMINAL and r["day"] >= model.p.phases.launch_days]
    non_spam = [r["members"] - r["members_spammer"] for r in rows]
    return {
        "scenario": model.p.scenario.name,
        "seed": model.p.seed,
        "days_run": len(rows),
        "lifespan_days": end_day if end_day is not None else len(rows),
        "censored": end_day is None,
        "peak_members": max((r["members"] for r in rows), default=0),
        "peak_daily_active": max((r["daily_active"] for r in rows), default=0),
        "reached_self_operation": obs.self_operation_day is not None,
        "self_operation_day": obs.self_operation_day,
        "self_operating_days": sum(r["phase"] == "self_operating" for r in rows),
        "became_ad_group": obs.ad_group_day is not None,
        "ad_group_day": obs.ad_group_day,
        "dead_day": obs.dead_day,
        "weekly_speaking_rate": sum(r["weekly_speaking_rate"] for r in alive) / len(alive) if alive else 0.0,
        "paid_conversion": model.vips_ever / len(people) if people else 0.0,
        "revenue": sum(r["revenue"] for r in rows),
        "organic_join_share": sum(m.channel == "word_of_mouth" for m in recruited) / len(recruited) if recruited else 0.0,
        "kol_retention": sum(m.present for m in ever_kol) / len(ever_kol) if ever_kol else None,
        "kol_exits": sum(r["leaves_quality_fell"] for r in rows),
        "top20_message_share": sum(msgs[:top]) / sum(msgs) if msgs and sum(msgs) else 0.0,
        "lurker_share": rows[-1]["members_lurker"] / non_spam[-1] if rows and non_spam[-1] else 0.0,
        "mean_fit": sum(m.fit for m in people) / len(people) if people else 0.0,
        "members_ever": len(model.roster),
        "final_members": rows[-1]["members"] if rows else 0,
        "ads_posted": sum(r["ads_posted"] for r in rows),
        "ads_visible": sum(r["msgs_ad"] for r in rows),
        "messages_total": sum(r["msgs_valuable"] + r["msgs_chat"] + r["msgs_ad"] + r["msgs_content"] for r in rows),
        "final_phase": rows[-1]["phase"] if rows else "launch",
    }
