"""The one list of strategy levers and run outcomes: key, label, unit, range, direction.

Sweep reports, the validation's sensitivity screening, the classroom page's sliders and
the Optuna preset read levers and outcomes from here, so a label or a range is changed once.
Outcome definitions are those of ``sim/observe.py``'s ``outcomes``; each carries the
sentence a report prints next to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.outcomes import TALKING_AT


@dataclass(frozen=True)
class Lever:
    """A strategy setting a strategist controls."""

    name: str  # short keyword (classroom page, tables)
    key: str  # config key (``ads.quota_per_day``) or config group (``strategy/ad_policy``)
    label: str
    unit: str = ""
    low: float | None = None  # the range a strategist would try (sensitivity, sliders)
    high: float | None = None
    integer: bool = False
    options: tuple[str, ...] = ()  # a choice lever: the strategy piece's options, in natural order
    step: float = 1.0  # slider step on the classroom page
    option_labels: tuple[str, ...] = ()  # how a report names each option (default: the option, '_' as ' ')
    named_values: tuple[tuple[float, str], ...] = ()  # numbers with a meaning of their own: (-1, "never")
    value_format: str = ""  # a number in words, e.g. "day {}" (default: the number and the unit)

    def value_label(self, value) -> str:
        """The option or value as a reader sees it: 'no rule', '14 posts/week', 'never', 'day 30'."""
        for number, name in self.named_values:
            if _as_number(value) == number:
                return name
        if self.value_format and _as_number(value) is not None:
            return self.value_format.format(f"{_as_number(value):g}")
        if self.is_choice and str(value) in self.options and self.option_labels:
            return self.option_labels[self.options.index(str(value))]
        if self.is_choice:
            return str(value).replace("_", " ")
        text = f"{float(value):g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
        return f"{text} {self.unit}" if self.unit and not self.unit.startswith("0..") else text

    def sort_key(self, value) -> tuple:
        """Natural order: a choice by its place in ``options``, a number by size."""
        if self.is_choice:
            v = str(value)
            return (self.options.index(v), "") if v in self.options else (len(self.options), v)
        try:
            return (float(value), "")
        except (TypeError, ValueError):
            return (math.inf, str(value))

    @property
    def is_choice(self) -> bool:
        return bool(self.options)


def _as_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Outcome:
    """A run outcome (``metrics.json`` key)."""

    key: str
    label: str
    unit: str = ""
    higher_is_better: bool = True
    is_rate: bool = False  # yes/no per run: shown as a share with a Wilson interval
    definition: str = ""


# Options in their natural order (cheapest/loosest first), not alphabetical.
LEVERS: tuple[Lever, ...] = (
    Lever("seed_strategy", "strategy/seeding", "Seed users", options=("random", "paid_ads", "friends", "kols_first")),
    Lever("entry_threshold", "strategy/entry", "Entry threshold", options=("open", "invite", "application", "paid")),
    Lever("ad_policy", "strategy/ad_policy", "Ad policy", options=("free", "quota", "ban"),
          option_labels=("no rule", "daily quota", "ban")),
    Lever("cadence", "strategy/cadence", "Content cadence",
          options=("none", "weekly", "daily", "daily_with_events", "several_daily", "red_packets")),
    Lever("moderation_style", "strategy/moderation", "Moderation", options=("none", "founder", "team")),
    Lever("monetisation", "strategy/monetisation", "Paid tier", options=("none", "vip")),
    Lever("kol_incentives", "strategy/kol_incentives", "KOL incentives", options=("none", "privileges")),
    Lever("zombie_purge", "strategy/zombie_purge", "Zombie purge", options=("off", "monthly")),
    Lever("outreach", "strategy/outreach", "The admin's outreach",
          options=("none", "private_chats", "endorse_experts", "answer_unanswered", "question_packets", "core_care",
                   "admin_care"),
          option_labels=("none", "private chats with lurkers", "endorsing experts", "answering what nobody answered",
                         "red packets that carry a question", "looking after the core 20 %", "all of them")),
    Lever("conduct", "strategy/conduct", "Rules of conduct",
          options=("anything_goes", "humane", "humane_double_standard", "no_chat"),
          option_labels=("anything goes", "humane middle", "humane, contributors spared", "no chat")),
    Lever("checkins", "strategy/checkins", "Check-ins", options=("none", "points", "badges"),
          option_labels=("none", "check-ins with points and rewards", "check-ins with badges")),
    Lever("name_card", "strategy/name_card", "Real-name entry", options=("off", "real_name"),
          option_labels=("no names asked", "real names (name cards)")),
    Lever("meetups", "strategy/meetups", "KOLs' offline meet-ups", options=("none", "kol_meetups"),
          option_labels=("none", "meet-ups organised by KOLs")),
    Lever("cast", "strategy/cast", "Seed cast", options=("none", "talkers_and_connectors"),
          option_labels=("as the seeding brings them", "talkers and connectors cast")),
    Lever("seed_users", "seeding.seed_users", "Seed users on day 0", "members", 5, 60, integer=True),
    Lever("fit_cutoff", "entry.fit_cutoff", "Entry review: minimum fit", "0..1", 0.0, 0.7),
    Lever("spammer_pass", "entry.spammer_pass", "Share of spammers the threshold lets through", "0..1", 0.0, 1.0),
    Lever("ad_quota", "ads.quota_per_day", "Ad quota", "ads/day", 1, 10, integer=True),
    Lever("posts_per_week", "cadence.posts_per_week", "Scheduled content", "posts/week", 0, 28),
    Lever("moderation", "moderation.capacity_per_day", "Moderation capacity", "violations handled/day", 0, 20),
    Lever("kol_incentive", "roles.kol_incentive", "KOL incentive", "0..1", 0.0, 1.0, step=0.05),
    Lever("promotion", "arrivals.promotion_per_day", "Bought promotion", "members/day", 0, 10),
    Lever("zombie_days", "churn.zombie_days", "Purge after silent", "days", 20, 120, integer=True),
    Lever("lurker_chats", "outreach.lurker_chats_per_day", "Private chats with long-silent lurkers", "chats/day",
          0, 10, integer=True),
    Lever("endorsements", "outreach.endorsements_per_day", "Experts endorsed in the daily chat", "endorsements/day",
          0, 5, integer=True),
    Lever("answers", "outreach.answers_per_day", "Unanswered posts the admin answers", "answers/day", 0, 10,
          integer=True),
    Lever("question_packets", "outreach.question_packets_per_day", "Red packets that carry a question",
          "packets/day", 0, 5, integer=True),
    Lever("strictness", "conduct.strictness", "Strictness of the rules of conduct", "0..1", 0.0, 1.0, step=0.05),
    Lever("kol_meetups", "meetups.kol_per_month", "Offline meet-ups per KOL", "meet-ups/month", 0, 4, step=0.5),
)
LEVER_BY_NAME = {lv.name: lv for lv in LEVERS}
LEVER_BY_KEY = {lv.key: lv for lv in LEVERS}

#: Strategies that are more than one setting (configs/experiment/arms/<name>/), swept as
#: ``+experiment/arms/<name>=<arm>``; options loosest first.
ARMS: tuple[Lever, ...] = (
    Lever("ad_arm", "experiment/arms/ad_policy", "Ad policy", options=("free", "quota_10", "quota_3", "quota_1", "ban"),
          option_labels=("no rule", "quota of 10 ads a day", "quota of 3 ads a day", "quota of 1 ad a day", "ban")),
)


#: Run settings a sweep varies that say *when* (analysis/compose.py RunConfig).
TIMING: tuple[Lever, ...] = (
    Lever("switch_day", "switch_day", "Switch", "day", -1, 36500, integer=True,
          named_values=((-1, "never"), (0, "today")), value_format="on day {}"),
)


def lever(key: str) -> Lever | None:
    """The lever (or arm, or timing) a swept override key sets; None for an unregistered key."""
    key = key.lstrip("+")
    return LEVER_BY_KEY.get(key) or next((a for a in (*ARMS, *TIMING) if a.key == key), None)

#: The numeric levers of the Morris screening (analysis/sensitivity.py), in this order.
SCREENED_LEVERS = ("seed_users", "fit_cutoff", "spammer_pass", "ad_quota", "posts_per_week", "moderation",
                   "kol_incentive", "promotion", "zombie_days")

PEAK = ("the largest value on any day of the run's rows, day 0 included: for a described group or a continued "
        "snapshot that is the starting state (and a snapshot's earlier days); the run report also gives the peak "
        "after the start")

# The outcomes a strategist reads first, in display order.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome("lifespan_days", "Lifespan", "days", definition="days until the group stopped living for good: it "
            "lives while it is neither an ad group nor dead and at least phases.min_weekly_speakers people spoke in "
            "the last 7 days (alive means talking); groups alive at the horizon are censored (ranked by "
            "Kaplan–Meier, not by the plain mean)"),
    *(Outcome(key, f"Talking at {age // 30} months", "share of groups", is_rate=True,
              definition=f"on day {age} the group lived: neither an ad group nor dead, and at least "
                         "phases.min_weekly_speakers people had spoken in the last 7 days; empty when the run "
                         "ended earlier without dying")
      for key, age in TALKING_AT.items()),
    Outcome("revenue", "Income from fees and VIP", "yuan", definition="entry fees and VIP payments over the run, "
            "in the currency of entry.fee and monetisation.price (yuan in the seed articles)"),
    Outcome("income_fees", "Income from entry fees", "yuan", definition="entry fees paid by newcomers over the run "
            "(entry.fee per admitted member)"),
    Outcome("income_vip", "Income from VIP payments", "yuan", definition="VIP purchases and renewals over the run "
            "(monetisation.price each)"),
    Outcome("peak_members", "Peak members", "members", definition=PEAK),
    Outcome("weekly_speaking_rate", "Weekly speaking rate", "share of members",
            definition="mean over the group's first 180 days (phases.outcome_age_days) of the share of people who "
                       "spoke in the last 7 days; days after it died or became an ad group count as 0"),
    Outcome("paid_conversion", "Paid conversion", "share of people", definition="VIPs ever / people ever joined"),
    Outcome("reached_self_operation", "Reached self-operation", is_rate=True,
            definition="all applicable health indicators held for the streak the phase rule requires"),
    Outcome("became_ad_group", "Became an ad group", higher_is_better=False, is_rate=True,
            definition="ads were at least half of a week's messages while the group still talked "
                       "(≥ phases.ad_group_min_weekly messages a week); a near-silent group is dying of silence"),
    Outcome("kol_retention", "KOLs kept at day 180", "share of KOLs",
            definition="of the members who were KOLs by day 180 (phases.outcome_age_days), the share still in the "
                       "group on day 180; empty when the group had no KOL"),
    Outcome("mean_fit", "Mean member fit", "0..1"),
    Outcome("ads_visible", "Ads seen by members", "ads", higher_is_better=False),
    Outcome("organic_join_share", "Share of organic joins", "share of recruits"),
    Outcome("top20_message_share", "Messages by the top 20 %", "share of messages", higher_is_better=False),
    Outcome("self_operating_days", "Days self-operating", "days"),
    Outcome("kol_exits", "KOL exits", "KOLs", higher_is_better=False,
            definition="members who left the group (for any reason) while they were KOLs"),
    Outcome("founder_hours_per_day", "Founder hours per day", "hours/day", higher_is_better=False,
            definition="the founder's working hours (content, sessions, events, removing ads, welcomes, reviewing "
                       "applications; rates in Params.costs) averaged over the days the group was alive"),
    Outcome("founder_hours_total", "Founder hours in total", "hours", higher_is_better=False,
            definition="the founder's working hours summed over the run"),
    Outcome("costs_total", "Costs", "yuan", higher_is_better=False,
            definition="moderation team, KOL privileges and bought members (promotion, paid-ads seeding) "
                       "over the run, at the rates of Params.costs"),
    Outcome("income_ad_slots", "Income from ad slots", "yuan",
            definition="ads allowed under a quota sold as flash-market slots (seed 001 L99) at costs.ad_slot_price "
                       "each: an assumed price (analysis/money.py)"),
    Outcome("income_total", "Income (all sources)", "yuan",
            definition="fees and VIP + ad slots over the run"),
    Outcome("net_revenue", "Net (income − costs)", "yuan",
            definition="income from all sources − costs over the run"),
)

#: What a single run's report shows, in order (outcomes of one run, not of an ensemble).
RUN_SUMMARY: tuple[Outcome, ...] = (
    Outcome("final_phase", "Final phase"),
    OUTCOMES[0],
    Outcome("censored", "Still alive (talking) at the horizon", "yes/no"),
    next(o for o in OUTCOMES if o.key == "peak_members"),
    Outcome("peak_daily_active", "Peak daily active", "members", definition=PEAK),
    Outcome("self_operation_day", "Self-operating from", "day"),
    Outcome("ad_group_day", "Ad group from", "day", higher_is_better=False),
    *(o for o in OUTCOMES if o.key in ("weekly_speaking_rate", "top20_message_share", "organic_join_share",
                                       "kol_retention", "paid_conversion", "revenue", "mean_fit")),
)
OUTCOME_BY_KEY = {o.key: o for o in OUTCOMES}


def outcome(key: str) -> Outcome:
    """The registered outcome, or a plain one named after an unregistered key."""
    return OUTCOME_BY_KEY.get(key, Outcome(key, key))
