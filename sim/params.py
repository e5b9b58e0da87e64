"""Typed parameter schema of the community model.

Every parameter is declared once, here, with its allowed range, unit and source
(``seed 00N`` = ``../shared/seeds/00N_*.txt``; "assumption" = our modelling choice,
calibrated against the stylized facts of MODEL.md §6). The Hydra configs in
``configs/`` only *set* these fields; Hydra's ConfigStore registers this schema so
an unknown key or a wrong type fails before a run starts, and :func:`validate`
checks ranges and impossible combinations with a message naming the key.

``sim`` never imports Hydra: a notebook builds ``Params()`` directly.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import math
from dataclasses import dataclass, field
from typing import Any


def P(default: Any, lo: float | None = None, hi: float | None = None, *, unit: str = "", src: str = "assumption"):
    """A parameter with its allowed range [lo, hi], unit and source, kept as field metadata."""
    return field(default=default, metadata={"range": (lo, hi), "unit": unit, "source": src})


class SeedStrategy(str, enum.Enum):
    """Who the founder recruits first (seed 001 "找同类人", seed 004 "种子用户")."""

    kols_first = "kols_first"  # experts first: high expertise and fit, few
    friends = "friends"  # founder's friends: high fit, modest expertise, tied to the founder (star)
    random = "random"  # whoever comes: fit and expertise uniform
    paid_ads = "paid_ads"  # bought traffic: many, low fit


class EntryThreshold(str, enum.Enum):
    """The entry threshold 门槛 (seed 004 L63-64, L309-313, L681-682)."""

    open = "open"  # public QR code: anyone joins
    invite = "invite"  # only members' invitations and the founder's own recruits
    application = "application"  # application reviewed against the group's positioning
    paid = "paid"  # entry fee: filters "99% of ad posters" (seed 004 L682)


class AdPolicy(str, enum.Enum):
    """What the rules say about ads (seed 001 "规则人性", seed 004 L600)."""

    free = "free"  # no ad rule
    quota = "quota"  # ads allowed up to a daily quota ("flash market" window)
    ban = "ban"  # no ads at all


class ChurnMode(str, enum.Enum):
    satisfaction = "satisfaction"  # hazard from satisfaction and lost ties (default)
    cascade = "cascade"  # only the Garcia et al. (2013) threshold rule: leave when b*k < c


class FriendGraph(str, enum.Enum):
    """Shape of the latent friendship network outside the group (MODEL.md §4.10)."""

    powerlaw_cluster = "powerlaw_cluster"  # Holme & Kim (2002): hubs and triangles
    small_world = "small_world"  # Watts & Strogatz (1998): clustered ring, no hubs


class InitialNetwork(str, enum.Enum):
    star = "star"  # everyone knows only the founder (seed 004 L646 "central node")
    mesh = "mesh"  # seed users also know each other
    edgelist = "edgelist"  # read ties from network.edgelist; every node becomes a member


@dataclass
class Scenario:
    """Name and story of the named scenario (MODEL.md §7)."""

    name: str = "default"
    description: str = "A learning group with sensible defaults, left to run for a year."


@dataclass
class Seeding:
    strategy: SeedStrategy = SeedStrategy.friends
    seed_users: int = P(20, 0, 1_000_000, unit="members on day 0", src="seed 004 L47-61: seed users")
    recruits_per_day: float = P(1.5, 0, 200, unit="members/day during launch", src="assumption")
    recruit_days: int = P(30, 0, 3650, unit="days the founder keeps recruiting", src="assumption")
    kol_share: float = P(0.3, 0, 1, unit="share of a kols_first seed cohort who are KOLs", src="assumption (seed 004 L47: the group's own 大咖 come from the seed users)")
    active_share: float = P(0.16, 0, 1, unit="share of the other seed users who start out talking", src="assumption: twice arrivals.active_at_join, hand-picked people")
    initial_satisfaction: float = P(0.7, 0, 1, unit="satisfaction of a seed user on day 0", src="assumption")


@dataclass
class Traits:
    """Who knocks: Beta-distributed traits of a candidate, by where they come from.

    Means are assumptions ordered as the seeds describe the sources: KOLs are experts
    (seed 001 树关键人), friends share the founder's interest, bought traffic does not
    (seed 004 L176). A spammer has no expertise (structural)."""

    concentration: float = P(6.0, 0.1, 1000, unit="Beta concentration (a + b) of traits around their mean", src="assumption")
    kols_fit: float = P(0.8, 0.01, 0.99, unit="mean fit of a recruited KOL", src="assumption (seed 001 树关键人)")
    kols_expertise: float = P(0.8, 0.01, 0.99, unit="mean expertise of a recruited KOL", src="assumption (seed 001 树关键人)")
    friends_fit: float = P(0.75, 0.01, 0.99, unit="mean fit of the founder's friends and of invitees' kind", src="assumption (seed 001 找同类人)")
    friends_expertise: float = P(0.4, 0.01, 0.99, unit="mean expertise of friends and invitees", src="assumption")
    random_fit: float = P(0.5, 0.01, 0.99, unit="mean fit of whoever comes", src="assumption")
    random_expertise: float = P(0.35, 0.01, 0.99, unit="mean expertise of whoever comes (also promoted strangers)", src="assumption")
    paid_ads_fit: float = P(0.3, 0.01, 0.99, unit="mean fit of bought traffic", src="assumption (seed 004 L176)")
    paid_ads_expertise: float = P(0.3, 0.01, 0.99, unit="mean expertise of bought traffic", src="assumption (seed 004 L176)")
    spam_fit: float = P(0.05, 0.01, 0.99, unit="mean fit of a spammer", src="assumption (seed 004 L64)")
    need_mean: float = P(0.7, 0.01, 0.99, unit="mean need of a candidate for what the group offers", src="assumption")
    willingness_mean: float = P(0.4, 0.01, 0.99, unit="mean willingness to pay of a candidate", src="assumption")
    invite_fit_sd: float = P(0.15, 0, 1, unit="s.d. of an invitee's fit around the inviter's (homophily)", src="assumption")


@dataclass
class Entry:
    threshold: EntryThreshold = EntryThreshold.open
    fit_cutoff: float = P(0.0, 0, 1, unit="fit below which a candidate is refused", src="seed 004 L63-64")
    review_noise: float = P(0.1, 0, 1, unit="s.d. of the reviewer's error on fit", src="assumption")
    spammer_pass: float = P(1.0, 0, 1, unit="probability a spammer gets in", src="seed 004 L682 (paid: 1%)")
    promotion_pass: float = P(1.0, 0, 1, unit="probability a promoted stranger gets in", src="assumption")
    fee: float = P(0.0, 0, 10000, unit="currency units per entry", src="seed 004 L682")
    welcome_ritual: bool = True
    welcome_boost: float = P(0.15, 0, 1, unit="satisfaction added on joining", src="seed 004 L315 仪式感")
    judgement_days: int = P(2, 0, 30, unit="days a newcomer takes to judge the group", src="MODEL.md §4.1")


@dataclass
class Arrivals:
    cap: int = P(500, 2, 1_000_000, unit="members", src="seed 004 L297, L400: WeChat cap 500")
    invite_rate: float = P(0.012, 0, 1, unit="invitations/satisfied member/day (to an outside latent friend: sim/friends.py)", src="seed 001 L31 裂变; seed 000 L93")
    invite_satisfaction: float = P(0.6, 0, 1, unit="satisfaction needed to invite", src="assumption")
    promotion_per_day: float = P(0.0, 0, 10000, unit="strangers/day from external promotion", src="seed 004 L176 暴力引流")
    promotion_start_day: int = P(0, 0, 100000, unit="day the promotion campaign starts", src="seed 004 L176")
    promotion_days: int = P(100000, 0, 100000, unit="days the campaign lasts", src="assumption")
    promotion_fit: float = P(0.25, 0, 1, unit="mean fit of promoted strangers", src="seed 004 L176")
    spam_base: float = P(0.05, 0, 100, unit="spammers/day arriving", src="seed 004 L64")
    spam_per_100_members: float = P(0.08, 0, 100, unit="extra spammers/day per 100 members", src="assumption: visibility")
    initial_satisfaction: float = P(0.55, 0, 1, unit="satisfaction of a newcomer", src="assumption")
    active_at_join: float = P(0.08, 0, 1, unit="share of newcomers who start out talking rather than lurking", src="assumption (seed 004 L639: 90% asleep)")


@dataclass
class Founder:
    energy: float = P(1.0, 0, 1, unit="initial energy (1 = fresh)", src="assumption")
    recovery_per_day: float = P(0.06, 0, 1, unit="energy regained per day", src="assumption")
    cost_per_post: float = P(0.04, 0, 1, unit="energy per scheduled post", src="seed 004 L152: the owner produced 90%+ of the content by hand; assumption: the amount")
    cost_per_moderation: float = P(0.01, 0, 1, unit="energy per violation handled", src="assumption")
    burnout_below: float = P(0.1, 0, 1, unit="energy below which the founder stops producing", src="assumption")
    resume_energy: float = P(0.5, 0, 1, unit="energy at which a burnt-out founder resumes", src="assumption")
    session_cost_posts: float = P(3.0, 0, 100, unit="energy of a weekly sharing session, in scheduled posts", src="assumption: an evening's work")
    event_cost_posts: float = P(5.0, 0, 100, unit="energy of an offline event, in scheduled posts", src="assumption")
    quit_after_burnout_days: int = P(0, 0, 3650, unit="days of burnout before the founder leaves (0 = never)", src="assumption")
    leave_day: int = P(-1, -1, 100000, unit="day the founder leaves whatever happens (-1 = never)", src="seed 004 L646: the central point quits (experiments)")
    expertise: float = P(0.8, 0, 1, unit="value of the founder's posts", src="assumption")
    fade_days: int = P(0, 0, 100000, unit="days over which the founder's recovery halves (0 = never)", src="assumption: enthusiasm fades")


@dataclass
class Cadence:
    posts_per_week: float = P(5.0, 0, 140, unit="scheduled content posts/week", src="seed 001, 002: daily tips")
    weekly_session: bool = True
    session_value: float = P(3.0, 0, 50, unit="valuable-post equivalents of a sharing session", src="seed 004 L319")
    monthly_event: bool = False
    event_ties: int = P(10, 0, 1000, unit="new ties formed per offline event", src="seed 004 L648")
    red_packets_per_week: float = P(0.0, 0, 100, unit="red-packet bursts/week", src="seed 004 L115, L227")
    red_packet_thrill: float = P(0.5, 0, 5, unit="satisfaction a first red packet gives a member who came for money (× (1 − fit))", src="assumption")
    red_packet_chat: float = P(0.2, 0, 10, unit="grab-and-thank messages/listening member per burst, before habituation", src="assumption; calibrated (docs/calibration.md)")
    red_packet_habituation: float = P(0.3, 0, 1, unit="habituation per red packet sent (thrill × exp(−h·packets))", src="seed 004 L122: active under a month; calibrated (docs/calibration.md)")
    fatigue_threshold: float = P(2.0, 0, 50, unit="content posts/day tolerated before fatigue", src="seed 001, 002")
    fatigue_cost: float = P(0.06, 0, 1, unit="satisfaction cost per post over tolerance", src="assumption")
    boredom_cost: float = P(0.06, 0, 1, unit="satisfaction cost of a day with nothing of value", src="assumption")


@dataclass
class Conversation:
    lurker_posts_per_day: float = P(0.005, 0, 50, unit="messages/day", src="seed 004 L398, L639: 90% asleep; calibrated (docs/calibration.md)")
    active_posts_per_day: float = P(0.493, 0, 50, unit="messages/day", src="assumption; R4DS data; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    kol_posts_per_day: float = P(1.2, 0, 50, unit="messages/day", src="assumption")
    vip_posts_per_day: float = P(0.4, 0, 50, unit="messages/day", src="assumption")
    spammer_ads_per_day: float = P(1.5, 0, 100, unit="ads/day", src="assumption")
    propensity_shape: float = P(0.3, 0.05, 100, unit="gamma shape of individual posting rates", src="seed 004 L638-640 80/20, 90-9-1 rule; calibrated to top-20% share ~85% (docs/calibration.md)")
    newcomer_posts_per_day: float = P(0.0842, 0, 50, unit="extra messages/day of a newcomer (questions, intro), fading over newcomer_days", src="seed 004 L176: newcomers' questions; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    newcomer_days: float = P(14.0, 0.1, 3650, unit="days over which a newcomer's eagerness fades (1/e)", src="assumption")
    stimulus_gain: float = P(0.8, 0, 10, unit="extra posting per unit of yesterday's activity", src="seed 004 L639")
    replies_per_valuable: float = P(3.03, 0, 100, unit="mean replies to a valuable post", src="assumption; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    mood_floor: float = P(0.3, 0, 10, unit="posting mood at satisfaction 0 (mood = mood_floor + satisfaction)", src="assumption")
    full_reply_pool: float = P(1.13, 1, 10000, unit="talkers in the conversation (talking visitors) at which a valuable post draws its full replies (fewer: proportionally fewer)", src="assumption; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    round_min_exchanges: int = P(5, 2, 100, unit="exchanges that make a valuable round", src="seed 001 indicator 1")
    tie_reply_rate: float = P(0.312, 0, 50, unit="replies/day to one's own ties at saturation (× propensity × mood)", src="seed 004 L646-647: members who know each other keep talking; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    tie_reply_scale: float = P(2.32, 0.01, 1000, unit="messages by one's ties today at which tie replies reach 1 − 1/e of their rate", src="assumption; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")


@dataclass
class Ads:
    policy: AdPolicy = AdPolicy.quota
    quota_per_day: int = P(3, 0, 1000, unit="ads/day allowed under quota", src="seed 001 flash market")
    contagion: float = P(0.02, 0, 1, unit="daily chance a low-fit member starts advertising per unit visible-ad share", src="seed 003: 99% become ad groups")
    temptation_fit: float = P(0.4, 0, 1, unit="fit under which a member can be tempted to advertise", src="assumption")


@dataclass
class Moderation:
    capacity_per_day: float = P(10.0, 0, 10000, unit="violations handled/day at full energy", src="assumption")
    warnings_before_kick: int = P(1, 0, 100, unit="warnings before a kick", src="seed 004 L600: warn once, then kick")
    kol_admins: bool = False
    kol_admin_share: float = P(0.5, 0, 10, unit="capacity of a KOL admin relative to a fresh founder", src="assumption: part-time volunteers")


@dataclass
class Reading:
    attention_budget: float = P(40.0, 1, 10000, unit="messages read/day before overload", src="MODEL.md §3")
    value_scale: float = P(2.5, 0.01, 1000, unit="valuable reads at which value saturates (1-1/e)", src="assumption")
    content_weight: float = P(1.75, 0, 10, unit="value of a content post vs a valuable post", src="assumption; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    social_value: float = P(0.02, 0, 1, unit="value per message read from one's own ties (at low volume)", src="seed 004 L20 ring structure")
    social_scale: float = P(10.0, 0.01, 10000, unit="ties' messages read at which social value saturates (at most social_value × this)", src="assumption")
    overload_cost: float = P(0.05, 0, 10, unit="satisfaction cost per budget of unread messages", src="seed 004 L170: the chat group's message volume exploded; calibrated (docs/calibration.md)")
    ad_cost: float = P(0.04, 0, 1, unit="satisfaction cost per ad read", src="seed 004 L64")
    noise_cost: float = P(0.004, 0, 1, unit="cost per off-topic chat message read (× (1-fit))", src="assumption")
    expectation: float = P(0.278, 0, 1, unit="daily value a member expects", src="assumption; calibrated by the fact search, 2026-12-03; refined by the fact search at 100 seeds per arm, 2026-12-03 (docs/calibration.md#lurkers-at-ease)")
    vip_expectation: float = P(0.4, 0, 1, unit="daily value a paying member expects", src="MODEL.md §4.5")
    adaptation: float = P(0.12, 0, 1, unit="satisfaction EMA weight per day", src="assumption")
    novelty_days: float = P(85.0, 1, 100000, unit="staleness (days of reading without renewal; tenure with renewal.enabled = false) over which what a member reads loses 1/e of its novelty", src="seed 003 L20: value must be renewed; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    novelty_floor: float = P(0.3, 0, 1, unit="share of value that never wears off", src="assumption")
    muted_check_prob: float = P(0.15, 0, 1, unit="chance a muted member opens the group when visiting.enabled = false", src="assumption")


@dataclass
class Renewal:
    """What renews novelty (issue 12 "renewal"; seed 003 L20: without value that keeps
    coming, activity falls). What a member reads wears off with *their reading*: each day
    they open the group their staleness grows by one day, and today's renewal removes a
    share of it — a sharing session or offline event, the founder's tips, newcomers' new
    questions, a hot topic. A group that keeps doing the work keeps living; one that stops
    goes stale (novelty = floor + (1 − floor) · exp(−staleness / reading.novelty_days)).
    ``enabled = false``: staleness is tenure, as before (novelty only wears off)."""

    enabled: bool = True
    per_session: float = P(0.0821, 0, 1, unit="share of a reader's staleness a sharing session or offline event removes", src="seed 004 L319 (sessions); assumption: the amount; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    per_tip: float = P(0.00747, 0, 1, unit="share removed per scheduled content post that day", src="seed 001, 002: daily tips; assumption: the amount; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    per_newcomer: float = P(0.02, 0, 1, unit="share removed per newcomer per 100 members (new people bring new questions)", src="assumption (issue 12: new members bring new questions)")
    per_heat: float = P(0.02, 0, 1, unit="share removed per unit of hot-topic heat (processes/topics.py)", src="assumption")
    max_share: float = P(0.5, 0, 1, unit="most staleness one day can remove", src="assumption: one good day does not make everything new")


@dataclass
class Visiting:
    """Who opens the group on a day (issue 12; MODEL.md §4.5 "opens the group").

    A member opens the group with a daily probability that follows an individual habit and
    engagement: log-odds(visit) = logit(habit) + engagement_gain · (satisfaction − 0.5)
    + recent_post_boost while the member's own post is fresh; a reply received yesterday
    notifies (at least ``notified_prob``); a muted member visits ``muted_factor`` as often.
    Only visitors read, react and feel overload; only a ``talk_share`` of visits are talking
    visits, on which a member posts and replies (their daily rates are spoken on those days);
    an absent member's satisfaction drifts toward neutral. ``enabled = false`` restores
    "everyone reads and may talk every day" (muted members with ``reading.muted_check_prob``)."""

    enabled: bool = True
    habit_mean: float = P(0.577, 0.01, 0.99, unit="mean daily chance that a neutral member (satisfaction 0.5, no fresh post) opens the group", src="R4DS data (data/README.md): 5% of accounts open Slack on a day, 19% of a week's active accounts post; assumption: a WeChat group is opened more often than a Slack workspace; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    habit_concentration: float = P(3.0, 0.1, 1000, unit="Beta concentration (a + b) of individual habits around habit_mean", src="assumption: a few open the group daily, many rarely")
    engagement_gain: float = P(3.15, 0, 50, unit="log-odds of visiting per unit of satisfaction above 0.5", src="assumption: value received brings people back; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    recent_post_boost: float = P(1.5, 0, 20, unit="log-odds added while the member's own last post is at most recent_post_days old", src="assumption: people come back to see the answers")
    recent_post_days: int = P(2, 0, 365, unit="days a member's own post keeps drawing them back", src="assumption")
    notified_prob: float = P(0.8, 0, 1, unit="chance to open the group the day after one's post got replies (a notification)", src="assumption")
    talk_share: float = P(0.169, 0.01, 1, unit="share of a member's visits on which they join the conversation (post, reply, answer ties); on the others they only read", src="R4DS data (data/README.md): 12.5% of a day's active accounts post but 19% of a week's — people read most days and speak on few; calibrated by the fact search, 2026-12-03; refined by the fact search at 100 seeds per arm, 2026-12-03 (docs/calibration.md#lurkers-at-ease)")
    answer_share: float = P(0.0, 0, 1, unit="chance that a visit the day after a tie answered one is a talking one (if not already): one answers a friend", src="assumption: a direct reply from someone one knows asks for an answer (seed 004 L646-647)")
    muted_factor: float = P(0.2, 0, 1, unit="visit probability of a muted member relative to an unmuted one", src="seed 004 L642 免打扰: muted members still look in now and then")
    absence_drift: float = P(0.002, 0, 1, unit="daily pull of an absent member's satisfaction toward neutral (0.5)", src="assumption: feelings about a group one does not open fade")


@dataclass
class Topics:
    """Hot topics and news (issue 12 "bursts"): on some mornings something happens that the
    group cares about. Its heat is heavy-tailed (most topics are small, a few are huge) and
    fades day by day; while it lasts, members open the group more (notifications pile up)
    and those who care (fit) post more: volume spikes from the members' response, not from
    noise added to counts."""

    hot_per_week: float = P(0.643, 0, 7, unit="hot topics or pieces of news per week", src="assumption; R4DS data (data/README.md): daily messages p99/median 6.6; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    heat_scale: float = P(0.6, 0, 100, unit="heat of the smallest hot topic (posting × (1 + heat × fit) that day)", src="assumption")
    heat_alpha: float = P(1.8, 1.01, 100, unit="Pareto tail index of a topic's heat (smaller: rarer, bigger spikes)", src="assumption: attention to news is heavy-tailed")
    heat_cap: float = P(10.0, 0, 1000, unit="largest heat a day can have", src="assumption: a group cannot talk without bound")
    heat_decay: float = P(0.4, 0, 1, unit="share of yesterday's heat left today", src="assumption: news is old after two or three days")
    visit_pull: float = P(1.0, 0, 20, unit="log-odds of opening the group per unit of heat × fit", src="assumption: a busy group's notifications draw people in")


@dataclass
class Roles:
    activate_satisfaction: float = P(0.6, 0, 1, unit="satisfaction at which a lurker may start talking", src="assumption")
    activate_prob: float = P(0.000979, 0, 1, unit="daily chance", src="assumption; calibrated by the fact search, 2026-12-03; refined by the fact search at 100 seeds per arm, 2026-12-03 (docs/calibration.md#lurkers-at-ease)")
    ease_activate: float = P(0.0518, 0, 1, unit="daily chance, added to activate_prob, that a content lurker who knows many of the members starts talking (at most)", src="seed 004 L646: friend groups stay active because everyone knows each other and is at ease (放得开, 不会那么拘谨); refined by the fact search at 100 seeds per arm, 2026-12-03 (docs/calibration.md#lurkers-at-ease)")
    ease_ties: float = P(6.0, 0.01, 1000, unit="ties to present members they know outside the group's talk at which a lurker has half of ease_activate (a Hill curve of order 2)", src="assumption: chosen from 2.71 (the refinement's best, when every tie counted), 6 and 10 at 100 seeds per arm once only known ties count (random self-operation 15.0/12.7/11.0%, healthy 86/87/71%), 2026-12-03 (docs/calibration.md#lurkers-at-ease)")
    deactivate_satisfaction: float = P(0.45, 0, 1, unit="satisfaction below which an active member lurks", src="assumption")
    kol_endorsements: int = P(12, 1, 10000, unit="replies received in 30 days to become KOL", src="assumption")
    kol_min_expertise: float = P(0.6, 0, 1, unit="expertise needed to become KOL", src="seed 001 树关键人")
    kol_quality_floor: float = P(0.285, 0, 1, unit="valuable share of messages below which a KOL is unhappy", src="seed 004 L150, L176; calibrated: a run group sits at 0.35-0.45, a flooded one at 0.1-0.3 (docs/calibration.md); calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    kol_patience_days: int = P(10, 1, 3650, unit="unhappy days before a KOL leaves", src="seed 004 L176")
    kol_incentive: float = P(0.0, 0, 1, unit="privileges for KOLs: raises patience and posting (0..1)", src="seed 004 L61")
    kol_quality_smoothing: float = P(0.2, 0, 1, unit="daily EMA weight of the quality KOLs perceive", src="assumption")
    kol_content_weight: float = P(0.5, 0, 1, unit="weight of scheduled content in the quality KOLs perceive (valuable posts: 1)", src="assumption")
    kol_incentive_patience: float = P(2.0, 0, 100, unit="extra patience per unit kol_incentive (patience × (1 + this × incentive))", src="assumption (seed 004 L61)")
    endorsement_memory_days: float = P(30.0, 1, 3650, unit="days over which replies received fade by 1/e", src="assumption")
    kol_noise_fit: float = P(0.35, 0, 1, unit="fit below which a member's chat is off-topic noise to a KOL", src="seed 004 L150, L176: low-quality members")
    kol_noise_tolerance: float = P(10.5, 0, 100000, unit="noise messages/day (low-fit members' chat, their beginner questions included) a KOL tolerates", src="seed 004 L176; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    kol_noise_cost: float = P(0.0362, 0, 1, unit="perceived quality lost per noise message/day beyond the tolerance", src="seed 004 L176: 被无聊的问题缠绕; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    kol_exit_shock: float = P(0.15, 0, 1, unit="satisfaction lost by each tie when a KOL leaves", src="seed 004 L176")


@dataclass
class Monetisation:
    enabled: bool = False
    price: float = P(99.0, 0, 100000, unit="currency units per VIP period", src="seed 000")
    period_days: int = P(30, 1, 3650, unit="VIP renewal period", src="assumption")
    conversion_bar: float = P(0.2, 0, 1, unit="score trust*need*ability*urgency*value*convenience to convert (urgency = need)", src="seed 000 L135")
    daily_conversion_prob: float = P(0.02, 0, 1, unit="daily chance to act once over the bar", src="assumption")
    convenience: float = P(0.8, 0, 1, unit="ease of paying (1 = one tap)", src="seed 000")
    trust_days: float = P(30.0, 1, 3650, unit="tenure at which trust is full (trust = satisfaction × min(1, tenure/this))", src="seed 000 L135: trust comes first; assumption: a month")
    renewal_satisfaction: float = P(0.5, 0, 1, unit="satisfaction a VIP needs to renew", src="assumption")
    vip_value_bonus: float = P(0.3, 0, 5, unit="extra value a VIP gets from paid content", src="assumption")


@dataclass
class Churn:
    mode: ChurnMode = ChurnMode.satisfaction
    base_hazard: float = P(0.001, 0, 1, unit="daily leave probability of a content member", src="assumption")
    dissatisfied_hazard: float = P(0.0322, 0, 1, unit="extra daily leave probability at satisfaction 0", src="assumption; calibrated by the fact search, 2026-12-03; refined by the fact search at 100 seeds per arm, 2026-12-03 (docs/calibration.md#lurkers-at-ease)")
    lost_ties_hazard: float = P(0.0161, 0, 1, unit="extra hazard when all one's interactions were with ties now gone (× lost share of tie weight)", src="Garcia et al. 2013; seed 004 L646; calibrated by the fact search, 2026-12-03 (docs/calibration.md#talking-visits)")
    mute_below: float = P(0.35, 0, 1, unit="satisfaction below which a member mutes", src="seed 004 L642")
    unmute_above: float = P(0.6, 0, 1, unit="satisfaction above which a member unmutes", src="assumption")
    zombie_purge: bool = False
    zombie_days: int = P(45, 1, 3650, unit="silent days that make a zombie", src="seed 004 L296: 1-2 months")
    purge_every_days: int = P(30, 1, 3650, unit="days between purges", src="seed 004 L630: screen out lurkers every month")
    cascade_benefit: float = P(1.0, 0, 1000, unit="b: benefit per active neighbour", src="Garcia et al. 2013")
    cascade_cost: float = P(2.0, 0, 1000, unit="c: cost of staying", src="Garcia et al. 2013")
    spammer_leave_prob: float = P(0.01, 0, 1, unit="daily chance an unkicked spammer moves on", src="assumption")
    spammer_min_audience: int = P(5, 0, 1_000_000, unit="members below which every spammer moves on", src="assumption")
    unmuted_factor: float = P(0.3, 0, 1, unit="dissatisfied hazard of a still-listening member relative to a muted one", src="assumption: muting comes first (seed 004 L642)")
    newcomer_dislike_hazard: float = P(0.4, 0, 1, unit="extra daily leave probability of a newcomer who dislikes the group", src="seed 004 L620: newcomers judge within 1-2 days; assumption")
    newcomer_dislike_below: float = P(0.45, 0, 1, unit="satisfaction below which a newcomer dislikes the group", src="assumption")
    need_gone_below: float = P(0.25, 0, 1, unit="need below which a leaver's reason is need_gone", src="assumption")
    need_gone_hazard: float = P(0.03, 0, 1, unit="extra daily leave probability of a member with no need left (× (1 − need / need_gone_below))", src="seed 004 L227: an exam group's life ends with the exam; assumption: the rate — a member who no longer needs the group leaves whether or not they still open it")
    kol_shock_memory_days: int = P(21, 0, 3650, unit="days after a tied KOL's exit during which leaving is blamed on it", src="assumption")
    friend_left_hazard: float = P(0.003, 0, 1, unit="extra daily leave probability after a latent friend left the group", src="assumption: friends leave together; calibrated: 0.01 broke the healthy fact (MODEL.md §6)")
    friend_left_days: int = P(14, 0, 3650, unit="days the friend_left hazard lasts after a friend's exit", src="assumption")


@dataclass
class Dormancy:
    """Members who fade stay, asleep (issue 32; :mod:`sim.rules.dormancy` has the formulas).

    When the leave hazard fires on a member whose interest faded (reason ``bored``) they stay
    dormant with ``bored_stay_share``; a member whose need is gone exits with
    ``need_gone_exit_share`` and otherwise sleeps. Overload, ads, a KOL or friend who left, a
    kick or a purge still drive people out. A dormant member is muted, silent, rarely opens
    the group, and wakes on a mention, a red packet or renewal; the zombie purge removes them.
    ``enabled = false`` restores "whoever goes, leaves"."""

    enabled: bool = True
    bored_stay_share: float = P(0.9, 0, 1, unit="share of members whose interest faded (leave reason bored) who stay, dormant, instead of leaving", src="seed 004 L642: a member who loses interest mutes the group (免打扰) and forgets it; L398: 90% of a 500-member group asleep; R4DS: Slack never removes an account")
    fade_hazard: float = P(0.03, 0, 1, unit="daily chance of falling dormant at satisfaction 0 (× (1 − satisfaction)²)", src="seed 004 L398: 90% of a 500-member group asleep; assumption, set so that grown groups are mostly asleep (analysis/facts.py silent_majority)")
    need_gone_exit_share: float = P(0.5, 0, 1, unit="share of members whose need is gone who actually leave (the others stay, dormant)", src="seed 004 L227 (the purpose ends); assumption: half of them bother to exit")
    visit_factor: float = P(0.1, 0, 1, unit="visit chance of a dormant member relative to a muted one", src="seed 004 L642: muted and forgotten, rarely or never opened")
    base_wake: float = P(0.002, 0, 1, unit="daily chance that a dormant member wakes by themselves", src="assumption: about once in 18 months")
    mention_wake: float = P(0.3, 0, 1, unit="extra chance to wake the day after a reply notified them (an @-mention)", src="assumption: an @ gets through a muted group (seed 004 L642)")
    red_packet_wake: float = P(0.05, 0, 1, unit="extra daily chance to wake on a day with red packets", src="seed 004 L122: red packets wake the silent")
    renewal_wake: float = P(0.05, 0, 1, unit="extra daily chance to wake per unit of today's renewal share (news, sessions, events)", src="seed 003 L20: value renewed brings people back")


@dataclass
class Needs:
    drift_sd: float = P(0.01, 0, 1, unit="daily s.d. of a member's need", src="seed 004 L227")
    shift_day: int = P(-1, -1, 100000, unit="day the group's purpose expires (-1 = never)", src="seed 004 L227: 考研群")
    shift_share: float = P(0.7, 0, 1, unit="share of members whose need collapses", src="assumption (seed 004 L227 gives no share)")
    shift_size: float = P(0.7, 0, 1, unit="need lost by those members", src="assumption")


@dataclass
class Network:
    initial: InitialNetwork = InitialNetwork.star
    mesh_degree: int = P(4, 0, 1000, unit="ties per seed user in a mesh", src="assumption")
    edgelist: str = ""


@dataclass
class Friends:
    """Friendships outside the group (MODEL.md §4.10; sim/friends.py): the latent network
    word of mouth travels along (seed 001 L31 裂变, L69 the founder's 朋友圈; seed 004 L186 朋友拉朋友)."""

    enabled: bool = True  # false: no latent network, invitations are coin flips (the model before issue 12)
    graph: FriendGraph = FriendGraph.powerlaw_cluster
    population: int = P(2000, 10, 10_000_000, unit="people who could ever hear of the group (latent network nodes)", src="assumption: the interest circle around one founder")
    min_outside_per_member: int = P(4, 1, 1000, unit="latent nodes per member the group starts with (population grows to fit)", src="assumption")
    mean_degree: int = P(8, 2, 1000, unit="mean number of latent friends per person", src="assumption: close friends who share the interest")
    triad_prob: float = P(0.5, 0, 1, unit="Holme-Kim chance that a new friendship closes a triangle (clustering)", src="Holme & Kim 2002; assumption")
    rewire_prob: float = P(0.1, 0, 1, unit="Watts-Strogatz chance that a ring friendship is rewired", src="Watts & Strogatz 1998")
    exposure_rate: float = P(0.0005, 0, 1, unit="daily chance per friend inside that an outsider hears of the group and knocks (1 - (1 - r)^k)", src="assumption (seed 001 L125: old members bring new ones unprompted)")


@dataclass
class Phases:
    """The lifecycle's thresholds (sim/rules/lifecycle.py), read by both engines.

    **Alive means talking** (MODEL.md §5, issue 32): a group lives while it is not an ad group
    and at least ``min_weekly_speakers`` distinct people (the founder and spammers excluded, as
    in indicator ②) spoke in the last 7 days; below it the group is neither ``mature`` nor
    ``self_operating``, whatever its headcount, and its lifespan ends. The default, 5, is argued
    from the seeds: seed 001 L73 starts a retention group, "the kindling" (火种), from 5-10
    like-minded people drawn from an event group — the fewest the seeds treat as a group that
    can live; seed 004 L452 says every community holds cliques of 3-5 people who talk among
    themselves, so three or four voices a week are a clique's private chat, not the group's;
    seed 001 L119 (indicator ①) asks for 5 rounds of talk a week without the owner, which fewer
    than a handful of people cannot carry. The group of issue 32 — 300 members admitted by
    review, "12 messages in a week" from the 3 who stayed — is not alive. 0 switches the rule
    off (a group then lives until it dies or turns into an ad group, as before 2026-12-06).
    """

    launch_days: int = P(14, 0, 3650, unit="days", src="seed 000 lifecycle")
    dead_after_silent_days: int = P(14, 1, 3650, unit="days without non-ad messages", src="MODEL.md §5")
    ad_group_share: float = P(0.5, 0, 1, unit="ad share of weekly messages that makes an ad group", src="seed 003")
    ad_group_min_weekly: int = P(20, 0, 100000, unit="messages (ads + talk) in 7 days below which a group is "
                                 "falling silent, not an ad group", src="assumption: an ad group is one where ads "
                                 "drown talk that still happens; 2 ads beside 2 chats in a week is silence")
    min_weekly_speakers: int = P(5, 0, 500, unit="distinct people (not the founder, not spammers) who spoke in the "
                                 "last 7 days, below which a group no longer lives (0: off)", src="seed 001 L73 "
                                 "(5-10 people are a group's kindling), seed 004 L452 (cliques of 3-5); see the "
                                 "class docstring")
    self_operation_streak: int = P(90, 1, 3650, unit="consecutive days all indicators must hold to count as self-operating", src="seed 000 L9 'truly' self-operating, MODEL.md §6 'for a sustained period': a quarter, the validation's sustained period (analysis/facts.py SUSTAINED_DAYS); four weeks until 2026-12-03 (docs/calibration.md#a-sustained-period)")
    require_conversion: bool = True  # MODEL.md §5: self-operation = all five indicators, ③ included
    rounds_per_week: int = P(5, 1, 1000, unit="valuable rounds without the owner in 7 days", src="seed 001 L119 indicator 1 (5 rounds; docs/seeds.md §9.1)")
    phase_hold_days: int = P(14, 1, 3650, unit="days a new phase's condition must hold before the label changes "
                             "(hysteresis; the end and the first self-operation are immediate)", src="assumption: "
                             "a fortnight, the trend window (issue 12: phases must not flicker)")
    decline_drop: float = P(0.1, 0, 1, unit="share of members lost over decline_window that means decline", src="assumption")
    decline_window: int = P(30, 1, 3650, unit="days", src="assumption")
    trend_days: int = P(14, 1, 3650, unit="days over which growth is judged", src="assumption: a fortnight")
    growth_factor: float = P(1.02, 1, 10, unit="members now / members trend_days ago that counts as growth "
                             "(its inverse as shrinking; between the two a group is steady: mature)", src="assumption")
    outcome_age_days: int = P(180, 1, 36500, unit="group age (days) at which KOL retention and the speaking rate "
                              "are measured", src="assumption: six months, the strategist's planning horizon")
    speaking_rate_target: float = P(0.2, 0, 1, unit="weekly speakers/members", src="seed 001 L121 indicator 2")
    paid_conversion_target: float = P(0.10, 0, 1, unit="VIPs/members with free entry", src="seed 001 L123 indicator 3")
    paid_upsell_target: float = P(0.05, 0, 1, unit="VIPs/members with paid entry", src="seed 001 L123 indicator 3")
    word_of_mouth_target: float = P(0.5, 0, 1, unit="share of 30-day joins by invitation", src="assumption: 'most' (seed 001 L125 indicator 4 gives no number)")
    disappointed_target: float = P(0.4, 0, 1, unit="share who'd be disappointed by dissolution", src="seed 001 L127 indicator 5")
    disappointed_satisfaction: float = P(0.6, 0, 1, unit="satisfaction that counts as 'would be disappointed'", src="assumption")


@dataclass
class Costs:
    """What a strategy costs and earns (accounting only: no rate here changes what members do).

    Founder hours are the owner's working time (seed 004 L152: the owner wrote 90 % of the
    content by hand); money is in yuan, the currency of ``entry.fee`` and ``monetisation.price``.
    ``sim/processes/costs.py`` turns the day's counts into hours, costs and income."""

    hours_per_post: float = P(0.5, 0, 24, unit="founder hours per scheduled content post (a tip)", src="assumption: finding, writing and checking a tip takes half an hour")
    hours_per_session: float = P(2.0, 0, 24, unit="founder hours per weekly sharing session", src="assumption: an evening's session with preparation (seed 004 L319)")
    hours_per_event: float = P(6.0, 0, 24, unit="founder hours per monthly offline event", src="assumption: organising and attending a meet-up (seed 004 L648)")
    hours_per_violation: float = P(0.05, 0, 24, unit="founder hours per ad handled by the founder (warn or kick)", src="assumption: three minutes to spot, remove and warn (seed 004 L600)")
    hours_per_welcome: float = P(0.05, 0, 24, unit="founder hours per newcomer the founder greets", src="assumption: three minutes of welcome ritual (seed 004 L315)")
    hours_per_review: float = P(0.1, 0, 24, unit="founder hours per application reviewed (entry.threshold = application)", src="assumption: six minutes to read a questionnaire or proof (seed 004 L209-210)")
    moderation_team_per_day: float = P(100.0, 0, 100000, unit="yuan/day for a moderation team (moderation.kol_admins)", src="assumption: a part-time paid moderator, ~3,000 yuan a month")
    kol_privilege_per_day: float = P(5.0, 0, 100000, unit="yuan per KOL per day at roles.kol_incentive = 1 (scales with the incentive)", src="assumption: gifts, free courses and titles worth ~150 yuan a month (seed 004 L61)")
    cost_per_promoted_member: float = P(5.0, 0, 100000, unit="yuan per member who joins through promotion (arrivals.promotion_per_day)", src="assumption: the price of a bought lead in other groups (seed 004 L176 暴力引流)")
    cost_per_paid_ads_member: float = P(10.0, 0, 100000, unit="yuan per member bought by paid_ads seeding (seed users and recruits)", src="assumption: a paid-ad acquisition cost")
    ad_slot_price: float = P(10.0, 0, 100000, unit="yuan per ad allowed under the quota (a paid flash-market slot)", src="seed 001 L99 快闪集市, L107 income sources; assumption: the price")
    hours_per_private_chat: float = P(0.25, 0, 24, unit="founder hours per private chat with a lurker (outreach.lurker_chats_per_day)", src="assumption: a quarter of an hour one to one (seed 004 L643 小窗私聊)")
    hours_per_endorsement: float = P(0.1, 0, 24, unit="founder hours per expert endorsed in the daily chat (outreach.endorsements_per_day)", src="assumption: reading their article and reposting it with an introduction (seed 004 L283)")
    hours_per_answer: float = P(0.05, 0, 24, unit="founder hours per unanswered post the admin answers (outreach.answers_per_day)", src="assumption: three minutes; seed 004 L273: half an hour online a day")
    hours_per_core_member: float = P(0.02, 0, 24, unit="founder hours a day per core member looked after (outreach.core_care)", src="assumption: a few minutes a week each, a like, a private word (seed 004 L640)")
    checkin_hours_per_day: float = P(0.25, 0, 24, unit="founder hours a day running check-ins (checkins.enabled): counting, the ranking", src="assumption: a quarter hour a day (seed 004 L622-624)")
    checkin_rewards_per_day: float = P(10.0, 0, 100000, unit="yuan a day of check-in rewards (checkins.enabled): gifts, courses, books", src="seed 004 L624, L627: a course, small gifts for the month's top three; assumption: ~300 yuan a month")
    hours_per_name_check: float = P(0.02, 0, 24, unit="founder hours per candidate whose real name is checked (real_name.required)", src="assumption: a minute to check a name card (seed 004 L192)")
    kol_meetup_subsidy: float = P(100.0, 0, 100000, unit="yuan per offline meet-up a KOL organises (meetups.kol_per_month): venue, drinks", src="assumption")
    question_packet_yuan: float = P(10.0, 0, 100000, unit="yuan per red packet that carries a question (outreach.question_packets_per_day)", src="seed 004 L280; assumption: the amount")


@dataclass
class Conduct:
    """How strict the group's rules are (sim/rules/conduct.py; MODEL.md §4.13): from "anything
    goes" (0, the default: nothing changes) through the humane middle (seed 004 L289) to the
    no-chat rule (1; seed 004 L156–157). Strict rules deter spam and off-topic talk and also
    dampen talk; the double standard spares contributors (seed 004 L193)."""

    strictness: float = P(0.0, 0, 1, unit="0 = anything goes, about 0.5 = the humane middle, 1 = the no-chat rule", src="seed 004 L156-157 (禁聊群: no talk of any kind, kicked without warning); L289 (stickers yes, sticker fights no)")
    talk_damping: float = P(0.7, 0, 1, unit="share of members' talk (posts, replies to ties) the strictest rule silences", src="seed 004 L156-157: 禁止提问等任何形式对话; assumption: the share")
    noise_deterrence: float = P(0.9, 0, 1, unit="share of low-fit members' off-topic talk the strictest rule silences (if above talk_damping)", src="seed 004 L157: 禁止任何无关链接, 直接踢出; assumption: the share")
    spam_deterrence: float = P(0.8, 0, 1, unit="share of would-be spammers the strictest rule keeps away", src="seed 004 L157: violators kicked without warning; assumption: the share")
    double_standard: bool = False  # seed 004 L193: contributors (KOLs) are spared the rules' damping


@dataclass
class Checkins:
    """Check-in streaks, points, rewards and badges (sim/rules/checkins.py; MODEL.md §4.13):
    a daily task posted in the group, rewarded, whose pull fades as members get used to it
    (seed 004 L622–628; seed 002 L169). Off by default; its hours and money are in ``Costs``."""

    enabled: bool = False
    start_day: int = P(0, 0, 100000, unit="day the check-in programme starts", src="assumption")
    visit_pull: float = P(1.0, 0, 20, unit="log-odds of opening the group a fresh programme adds", src="seed 004 L622-624: 签到打卡, 比较能见效; assumption: the amount")
    checkin_share: float = P(0.3, 0, 1, unit="chance a visiting member posts a check-in (one chat message) while the programme is fresh", src="seed 004 L622-624; assumption: the share")
    habituation_days: float = P(30.0, 1, 3650, unit="days over which the programme's pull fades by 1/e (points and rewards)", src="seed 004 L623: a week or a month of check-ins; assumption")
    badges: bool = False  # seed 002 L169: levels and badges, a spiritual reward whose effect lasts longer
    badge_persistence: float = P(3.0, 1, 100, unit="times longer the pull lasts with levels and badges", src="seed 002 L169: 激励效果也更加持久; assumption: the factor")


@dataclass
class RealName:
    """Real-name entry, the name-card rule (sim/rules/real_name.py; MODEL.md §4.13): candidates
    show their real name to get in (seed 000 L87; seed 004 L192). Off by default; the founder's
    checking is in ``Costs``."""

    required: bool = False
    spammer_deterrence: float = P(0.9, 0, 1, unit="share of spammers who will not show a real name", src="seed 000 L87: 实名审核 as an entry barrier; assumption: the share (seed 004 L682: a fee filters 99%)")
    stranger_balk: float = P(0.5, 0, 1, unit="chance a candidate of fit 0 will not show a real name (× (1 − fit))", src="seed 000 L87: the barrier trades volume for fit; assumption: the amount")


@dataclass
class Meetups:
    """Offline meet-ups organised by KOLs as well as the founder (sim/rules/meetups.py; MODEL.md
    §4.13; seed 004 L648). Off at 0; the subsidy is in ``Costs``."""

    kol_per_month: float = P(0.0, 0, 30, unit="offline meet-ups each KOL organises a month (0 = off)", src="seed 004 L648: 线下活动 make members acquainted; assumption: KOLs organise them too, the rate")


@dataclass
class Cast:
    """A seed cast with the roles a group needs, not only KOLs (sim/rules/cast.py; MODEL.md
    §4.13; seed 004 L49–53): talkers and connectors among the seed users. Off at 0."""

    talkers: int = P(0, 0, 1_000_000, unit="seed users (after the KOLs) cast as talkers who raise topics", src="seed 004 L52: 话痨型人物 who start topics")
    talker_propensity: float = P(3.0, 1, 100, unit="times a talker's drawn posting propensity", src="seed 004 L52; assumption: the factor")
    connectors: int = P(0, 0, 1_000_000, unit="seed users (after the talkers) cast as connectors who know every other seed user", src="seed 004 L52: 擅于插科打诨链接各方关系的万金油")


@dataclass
class Outreach:
    """The admin's one-to-one work (sim/rules/outreach.py; MODEL.md §4.13): private chats with
    long-silent lurkers (seed 004 L641–643), endorsing experts in the daily chat (seed 004
    L283–284), answering posts nobody answered (seed 004 L272–278) or putting them in a red
    packet (L280), looking after the core 20 % (seed 004 L638–640). All off by default; their hours are in ``Costs``."""

    lurker_chats_per_day: int = P(0, 0, 100, unit="private chats/day with long-silent lurkers (0 = off)", src="seed 004 L641-643: 潜水用户小窗私聊; assumption: a few a day")
    silent_days: int = P(30, 1, 3650, unit="days without a message that make a lurker worth a private chat", src="seed 004 L642-643: 长期潜水, muted and forgotten; assumption: a month")
    wake_prob: float = P(0.3, 0, 1, unit="chance a private chat brings the lurker back (unmuted, talking)", src="seed 004 L643: 引导他们回归社群; assumption: the rate")
    leave_prob: float = P(0.05, 0, 1, unit="chance a private chat reminds a member they no longer need the group: they leave (need_gone)", src="seed 004 L642: they forgot the group was there; assumption: the rate")
    woken_satisfaction: float = P(0.65, 0, 1, unit="satisfaction (at least) of a lurker the chat brought back", src="assumption: above churn.unmute_above, someone cared to ask")
    endorsements_per_day: int = P(0, 0, 100, unit="experts the admin endorses in the daily chat per day (0 = off)", src="seed 004 L283-284: 给这些kol背书, 群内造神")
    endorsement_weight: float = P(3.0, 0, 1000, unit="replies one endorsement counts as toward roles.kol_endorsements", src="assumption: a repost with an introduction is worth a few replies")
    answers_per_day: int = P(0, 0, 100, unit="posts nobody answered that the admin answers per day (0 = off)", src="seed 004 L272-278: 没人搭理, 可适当回复下; L273: 每天在线30分钟")
    answer_boost: float = P(0.1, 0, 1, unit="satisfaction a member gains when the admin answers their unanswered post", src="seed 004 L275: people stay quiet for fear nobody responds; assumption: the amount")
    question_packets_per_day: int = P(0, 0, 100, unit="unanswered posts a day the admin puts in a red packet's title (0 = off)", src="seed 004 L280: 把问题写在红包标题上")
    answers_per_packet: int = P(3, 0, 100, unit="grabbers who answer a red packet's question", src="seed 004 L280: 效果也很好; assumption: the number")
    core_care: bool = False  # seed 004 L638-640: look after the 20 % who carry the group
    core_share: float = P(0.2, 0, 1, unit="share of the people, those who wrote most, the founder looks after (core_care)", src="seed 004 L638-640: 百分之20 (二八理论)")
    core_boost: float = P(0.02, 0, 1, unit="satisfaction a core member gains a day from the founder's care (belonging)", src="seed 004 L640: 让他们对社群产生归属感; assumption: the amount")


@dataclass
class Start:
    """Where the group starts: founded from scratch (both empty), a saved snapshot, or a description."""

    snapshot: str = ""  # path of a snapshot.pkl written by the main job: continue that group
    description: str = ""  # path of a YAML describing a group (members by role, tenure, ties)


ENGINE_NAMES = ("mesa", "vector")
ENGINE_DEVICES = ("cpu", "cuda", "torch-cpu")


@dataclass
class Engine:
    """Which engine runs the model: a run setting, not a model parameter (the model's results
    do not depend on it; CommunityModel ignores it). ``mesa`` = the agent-based reference
    (sim/model.py); ``vector`` = the batched array engine (sim/vector/), many groups at once,
    on ``device`` cpu (numpy), cuda (PyTorch on a GPU: ``pip install -e ".[gpu]"``) or
    torch-cpu (the PyTorch back-end on the CPU: slower than numpy, for checking the GPU code
    path without a GPU). Chosen with ``engine=mesa|vector`` (configs/engine/) and
    ``engine.device=cpu|cuda|torch-cpu``, and honoured by ``sim.run``; the ensemble runner
    sets its own on every run (analysis/ensemble.py)."""

    name: str = "mesa"  # one of ENGINE_NAMES
    device: str = "cpu"  # one of ENGINE_DEVICES (the vector engine only)


@dataclass
class Condition:
    """What a reactive change waits for: the group's own daily ``metric`` (a number of the daily
    row, ``sim.vocab.REACTION_METRICS``) compared by ``op`` (<, <=, >, >=) with ``value`` has
    held on each of the last ``for_days`` days (seed 002 L115: measure participation after every
    activity; change rhythm and format when it trends down). Rule: sim/rules/reactions.py."""

    metric: str = "weekly_speaking_rate"
    op: str = "<"
    value: float = 0.0
    for_days: int = 1  # days in a row, >= 1


@dataclass
class Change:
    """One strategy change of a timeline: on the morning of ``day`` the dotted ``section.field``
    keys of ``set`` take their values (``day = -1``: never, the "no switch" arm of a sweep).
    ``label`` names the change in the story (e.g. the strategy piece it came from, or what the
    operator did: "the founder started a daily topic").

    A *reactive* change has a condition ``when`` instead of a day: it fires on the morning after
    its condition has held for ``when.for_days`` days — once, or each time it holds again
    (``repeat``), never within ``cooldown_days`` of its last firing (seed 004: V1 → V2 → V3 as
    members' needs change; responding when core members leave)."""

    day: int = -1
    set: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    when: Condition | None = None
    repeat: bool = False  # fire each time the condition holds again (False: once)
    cooldown_days: int = 0  # days after a firing when it cannot fire again


@dataclass
class Params:
    """Everything a run depends on. Same Params + same seed => identical run."""

    seed: int = P(0, 0, 2**32 - 1, unit="RNG seed")
    days: int = P(365, 1, 36500, unit="days (ticks)", src="MODEL.md §2")
    scenario: Scenario = field(default_factory=Scenario)
    seeding: Seeding = field(default_factory=Seeding)
    entry: Entry = field(default_factory=Entry)
    traits: Traits = field(default_factory=Traits)
    arrivals: Arrivals = field(default_factory=Arrivals)
    founder: Founder = field(default_factory=Founder)
    cadence: Cadence = field(default_factory=Cadence)
    conversation: Conversation = field(default_factory=Conversation)
    ads: Ads = field(default_factory=Ads)
    moderation: Moderation = field(default_factory=Moderation)
    reading: Reading = field(default_factory=Reading)
    visiting: Visiting = field(default_factory=Visiting)
    renewal: Renewal = field(default_factory=Renewal)
    topics: Topics = field(default_factory=Topics)
    roles: Roles = field(default_factory=Roles)
    monetisation: Monetisation = field(default_factory=Monetisation)
    churn: Churn = field(default_factory=Churn)
    dormancy: Dormancy = field(default_factory=Dormancy)
    needs: Needs = field(default_factory=Needs)
    network: Network = field(default_factory=Network)
    friends: Friends = field(default_factory=Friends)
    phases: Phases = field(default_factory=Phases)
    costs: Costs = field(default_factory=Costs)
    outreach: Outreach = field(default_factory=Outreach)
    conduct: Conduct = field(default_factory=Conduct)
    checkins: Checkins = field(default_factory=Checkins)
    real_name: RealName = field(default_factory=RealName)
    meetups: Meetups = field(default_factory=Meetups)
    cast: Cast = field(default_factory=Cast)
    start: Start = field(default_factory=Start)
    engine: Engine = field(default_factory=Engine)
    #: Strategy changes during the run, applied in day order (sim/processes/timeline.py).
    timeline: list[Change] = field(default_factory=list)


#: Fields of Params that are not parameters with a range (checked separately): the timeline,
#: and the engine (a run setting: not in the parameter table, nor in a snapshot's keys).
_NOT_SCALAR = ("timeline", "engine")
#: Sections a timeline cannot change: where the group started is history; the engine runs the whole run.
_FIXED_SECTIONS = ("start", "engine")


_ENUMS = (SeedStrategy, EntryThreshold, AdPolicy, ChurnMode, InitialNetwork, FriendGraph)


class ParamError(ValueError):
    """A parameter is out of range, of the wrong type, or contradicts another."""


def _walk(obj: Any, prefix: str = ""):
    for f in dataclasses.fields(obj):
        if f.name in _NOT_SCALAR:
            continue
        value = getattr(obj, f.name)
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            yield from _walk(value, key + ".")
        else:
            yield key, f, value


def _type_ok(value: Any, annotation: Any) -> bool:
    annotation = annotation if isinstance(annotation, str) else annotation.__name__
    if annotation.startswith("Optional[") or annotation.endswith(" | None"):
        if value is None:
            return True
        annotation = annotation.removeprefix("Optional[").removesuffix("]").removesuffix(" | None")
    expected = {"int": int, "float": (int, float), "bool": bool, "str": str}.get(annotation)
    if expected is None:  # an enum: compare by class name
        return type(value).__name__ == annotation
    if isinstance(value, bool) and annotation != "bool":
        return False
    return isinstance(value, expected)


def validate(p: Params) -> Params:
    """Check types, ranges and combinations, and every change of the timeline; raise
    ParamError naming the key and range."""
    _check_values(p)
    _check_engine(p)
    _check_timeline(p)
    return p


def _check_engine(p: Params) -> None:
    e = p.engine
    if not isinstance(e, Engine):
        raise ParamError(f"engine = {e!r}: expected an Engine section (engine.name, engine.device)")
    if e.name not in ENGINE_NAMES:
        raise ParamError(f"engine.name = {e.name!r}: allowed {', '.join(ENGINE_NAMES)}")
    if e.device not in ENGINE_DEVICES:
        raise ParamError(f"engine.device = {e.device!r}: allowed {', '.join(ENGINE_DEVICES)}")
    if e.device != "cpu" and e.name != "vector":
        raise ParamError(f"engine.device = {e.device!r} needs engine.name = vector (the mesa engine runs on the cpu)")


def _check_values(p: Params) -> None:
    for key, f, value in _walk(p):
        if not _type_ok(value, f.type):
            raise ParamError(f"{key} = {value!r}: expected {f.type}")
        lo, hi = f.metadata.get("range", (None, None))
        if isinstance(value, float) and not math.isfinite(value):
            raise ParamError(f"{key} = {value}: must be a finite number")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            unit = f.metadata.get("unit", "")
            raise ParamError(f"{key} = {value!r} is out of range: allowed [{lo}, {hi}] ({unit})")
    _check_combinations(p)


def _fields_of(section: Any) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(section)}


def _coerce(key: str, f: dataclasses.Field, value: Any) -> Any:
    """``value`` as the type of field ``f`` (a config gives enums as strings)."""
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    if kind in ("int", "float", "bool", "str"):
        if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value  # _check_values names a wrong type with the key
    enum_type = next(t for t in _ENUMS if t.__name__ == kind)
    try:
        return enum_type(value.value if isinstance(value, enum.Enum) else value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum_type)
        raise ParamError(f"{key} = {value!r}: allowed {allowed}") from None


def apply_change(p: Params, values: dict[str, Any]) -> Params:
    """A copy of ``p`` with dotted ``section.field`` keys set to ``values``, range-checked.

    Raises ParamError naming an unknown key (with the allowed ones) or a bad value (with its
    range). The copy keeps ``p``'s timeline; ``p`` itself is not changed."""
    sections = {f.name for f in dataclasses.fields(p) if dataclasses.is_dataclass(getattr(p, f.name))}
    changeable = sorted(sections - set(_FIXED_SECTIONS))
    new = copy.deepcopy(p)
    for key, value in values.items():
        section, _, name = str(key).partition(".")
        if section not in changeable or not name:
            raise ParamError(f"unknown key {key}: a change sets section.field keys of {', '.join(changeable)}")
        fields = _fields_of(getattr(new, section))
        if name not in fields:
            raise ParamError(f"unknown key {key}: allowed keys are {', '.join(f'{section}.{n}' for n in fields)}")
        setattr(getattr(new, section), name, _coerce(key, fields[name], value))
    _check_values(new)
    return new


def _check_timeline(p: Params) -> None:
    """Every change: a day inside the horizon (or -1, never), known keys, allowed values;
    each change is checked on top of the ones before it (a quota needs its policy)."""
    current = p
    for i, ch in sorted(enumerate(p.timeline), key=lambda t: (t[1].day, t[0])):
        where = f"timeline[{i}]" + (f" ({ch.label})" if ch.label else "")
        if ch.when is not None:
            _check_reaction(p, ch, where)
            continue
        if not isinstance(ch.day, int) or isinstance(ch.day, bool) or not (ch.day == -1 or 1 <= ch.day <= p.days):
            raise ParamError(f"{where}.day = {ch.day!r} is out of range: allowed [1, {p.days}] (the day of the "
                             f"change, within days = {p.days}) or -1 (never)")
        if ch.day == -1:
            continue
        try:
            current = apply_change(current, ch.set)
        except ParamError as e:
            raise ParamError(f"{where}, day {ch.day}: {e}") from None


def _check_reaction(p: Params, ch: Change, where: str) -> None:
    """A reactive change: a known metric and comparison, whole days within the horizon, and a
    change that is valid on the run's own parameters (it may fire on any day)."""
    from sim.rules.reactions import OPERATORS
    from sim.vocab import REACTION_METRICS

    w = ch.when
    if ch.day != -1:
        raise ParamError(f"{where}.day = {ch.day!r}: a change with `when` fires on its condition; leave day out")
    if w.metric not in REACTION_METRICS:
        raise ParamError(f"{where}.when.metric = {w.metric!r}: allowed {', '.join(REACTION_METRICS)}")
    if w.op not in OPERATORS:
        raise ParamError(f"{where}.when.op = {w.op!r}: allowed {', '.join(OPERATORS)}")
    if isinstance(w.value, bool) or not isinstance(w.value, (int, float)) or not math.isfinite(w.value):
        raise ParamError(f"{where}.when.value = {w.value!r}: expected a finite number")
    for key, value, lo in (("when.for_days", w.for_days, 1), ("cooldown_days", ch.cooldown_days, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= p.days:
            raise ParamError(f"{where}.{key} = {value!r} is out of range: allowed [{lo}, {p.days}] (days, "
                             f"within days = {p.days})")
    if not isinstance(ch.repeat, bool):
        raise ParamError(f"{where}.repeat = {ch.repeat!r}: expected true (each time) or false (once)")
    try:
        apply_change(p, ch.set)
    except ParamError as e:
        raise ParamError(f"{where}: {e}") from None


def _check_combinations(p: Params) -> None:
    if p.entry.threshold is EntryThreshold.paid and p.entry.fee <= 0:
        raise ParamError("entry.threshold = paid needs entry.fee > 0 (allowed (0, 10000])")
    if p.entry.threshold is not EntryThreshold.paid and p.entry.fee > 0:
        raise ParamError(f"entry.fee = {p.entry.fee} is only meaningful with entry.threshold = paid")
    if p.ads.policy is AdPolicy.quota and p.ads.quota_per_day < 1:
        raise ParamError("ads.policy = quota needs ads.quota_per_day >= 1 (use ads.policy = ban for zero ads)")
    if p.seeding.seed_users + 1 > p.arrivals.cap and p.network.initial is not InitialNetwork.edgelist:
        raise ParamError(
            f"seeding.seed_users = {p.seeding.seed_users} does not fit under arrivals.cap = {p.arrivals.cap} "
            "(the founder takes one seat)"
        )
    if p.churn.unmute_above < p.churn.mute_below:
        raise ParamError("churn.unmute_above must be >= churn.mute_below")
    if p.network.initial is InitialNetwork.edgelist and not p.network.edgelist:
        raise ParamError("network.initial = edgelist needs network.edgelist = <path to a 'u v' file>")
    if p.network.edgelist and p.network.initial is not InitialNetwork.edgelist:
        raise ParamError("network.edgelist is set: also set network.initial = edgelist")
    if p.start.snapshot and p.start.description:
        raise ParamError("start.snapshot and start.description are both set: a group starts from one of them")
    if p.start.description and p.network.initial is InitialNetwork.edgelist:
        raise ParamError("start.description is set: give the ties in the description (edges:), not network.edgelist")
    if p.roles.deactivate_satisfaction > p.roles.activate_satisfaction:
        raise ParamError("roles.deactivate_satisfaction must be <= roles.activate_satisfaction")


def describe() -> list[dict[str, Any]]:
    """One row per parameter (key, default, range, unit, source): the docs table."""
    return [
        {"key": key, "default": getattr(v, "value", v), "range": f.metadata.get("range"),
         "unit": f.metadata.get("unit", ""), "source": f.metadata.get("source", "")}
        for key, f, v in _walk(Params())
    ]
