"""Posting and talk (MODEL.md §4.3): how much a member writes and answers today.

    posting rate = (role rate + newcomer eagerness) · propensity · (mood_floor + satisfaction)
                   · (1 + stimulus_gain · stimulus) / talk-day share · (1 + heat · fit)
                   · (1 + kol_incentive for a KOL)
    eagerness    = newcomer_posts_per_day · exp(−days in the group / newcomer_days)

Eagerness scales with the person's propensity too: a shy newcomer stays silent (most members
never post: seed 004 L398 "90% asleep", the 90-9-1 rule). Talk begets talk (``stimulus``:
yesterday's messages per member). A muted member writes nothing; a spammer writes
``spammer_ads_per_day`` · propensity ads, whatever their mood (seed 004 L64). Privileges
make a KOL post more (seed 004 L61). A message is valuable with the author's expertise ·
fit (the founder's content: ``founder.expertise``). Valuable posts draw thread replies, fewer
in a small group; members answer their ties in proportion to what the ties said, saturating
(seed 004 L646-647). ``p`` is the ``conversation`` parameters: floats, or the vector engine's
columns.
"""

from __future__ import annotations

from sim.rules.elementwise import exp, logical_not, maximum, minimum, where


def talk_stimulus(valuable, chat, members):
    """Yesterday's messages per member, at most 1: talk begets talk."""
    return minimum(1.0, (valuable + chat) / maximum(1, members))


def posting_rate(role_rate, propensity, satisfaction, days_in_group, stimulus, talk_day_share, heat, fit,
                 kol, muted, spammer, p, kol_incentive):
    """Expected messages (a spammer's: ads) of a talking member today; see the module docstring."""
    eager = p.newcomer_posts_per_day * exp(-days_in_group / p.newcomer_days)
    rate = (role_rate + eager) * propensity * (p.mood_floor + satisfaction)
    rate = rate * (1.0 + p.stimulus_gain * stimulus)
    rate = rate / talk_day_share  # posted on the days the member visits and talks
    rate = rate * (1.0 + heat * fit)  # a hot topic: who cares, talks (processes/topics.py)
    rate = where(kol, rate * (1.0 + kol_incentive), rate)
    rate = where(muted, 0.0, rate)
    return where(spammer, p.spammer_ads_per_day * propensity, rate)


def valuable_share(expertise, fit, founder, founder_expertise):
    """Chance that a message is valuable: on-topic expertise (the founder's content: its own)."""
    return where(founder, founder_expertise, expertise * fit)


def is_noisy(fit, founder, kol_noise_fit):
    """Chat by this member is noise to a KOL: fit below ``roles.kol_noise_fit`` — off-topic
    talk, and the beginner questions of low-fit newcomers, who talk most in their first weeks
    (seed 004 L176: 小白 questions; L150: low-quality members). The founder's talk never is."""
    return (fit < kol_noise_fit) & logical_not(founder)


def thread_reply_rate(pool_size, p):
    """Expected replies to a valuable post: fewer in a small group (a thread needs people
    around to answer), ``replies_per_valuable`` from ``full_reply_pool`` talkers up."""
    return p.replies_per_valuable * minimum(1.0, pool_size / p.full_reply_pool)


def tie_reply_rate(heard, propensity, satisfaction, talk_day_share, p):
    """Expected replies of a talker whose ties wrote ``heard`` messages since yesterday
    morning: saturating in what they heard."""
    return (p.tie_reply_rate / talk_day_share * propensity * (p.mood_floor + satisfaction)
            * (1.0 - exp(-heard / p.tie_reply_scale)))
