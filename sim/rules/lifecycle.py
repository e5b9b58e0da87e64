"""The group's health indicators and the phase verdict (seed 000, 001; MODEL.md §5-6).

Health indicators (seed 001 L115-127): ① at least ``rounds_per_week`` valuable rounds
(threads of ≥ 5 exchanges) started by someone other than the owner in the last 7 days;
② ≥ 20% of the people (spammers and the founder excluded) spoke in the last 7 days;
③ paid conversion ≥ 10% (≥ 5% upsell with paid entry) — a group that sells nothing fails
it (``phases.require_conversion = false`` drops it); ④ most of the last 30 days' recruited
newcomers came by word of mouth; ⑤ ≥ 40% of the people would be disappointed if the group
dissolved (satisfaction ≥ ``disappointed_satisfaction``).

The verdict, checked in this order (the engines walk it; the tests here are its pieces): a
group with no people, or silent for ``dead_after_silent_days``, is dead; one whose visible
messages of a week are at least ``ad_group_min_weekly`` and at least ``ad_group_share`` ads is
an ad group; then launch; a group that no longer talks (:func:`talking`) is in decline at
once, neither self-operating nor mature; then self-operation (all applicable indicators for
``self_operation_streak`` days), decline when it lost ``decline_drop`` of its members over
``decline_window`` days, and otherwise the trend (:func:`trend_verdict`). ``ph`` is the
``phases`` parameters: floats, or the vector engine's ``(R,)`` arrays.
"""

from __future__ import annotations

from sim.rules.elementwise import maximum, select, where


def share_of(part, whole):
    """``part / whole``; 0 when there is no whole (no people, no recruits)."""
    return where(whole > 0, part / maximum(whole, 1), 0.0)


def indicators(rounds_7d, speaking_rate, conversion, joins_30, word_of_mouth_share, disappointed_share, paid_entry, ph):
    """The five health indicators, held or not (seed 001 L115-127)."""
    conversion_target = where(paid_entry, ph.paid_upsell_target, ph.paid_conversion_target)
    return {
        "ind_rounds": rounds_7d >= ph.rounds_per_week,
        "ind_speaking": speaking_rate >= ph.speaking_rate_target,
        "ind_conversion": conversion >= conversion_target,
        "ind_word_of_mouth": (joins_30 > 0) & (word_of_mouth_share >= ph.word_of_mouth_target),
        "ind_disappointed": disappointed_share >= ph.disappointed_target,
    }


def conversion_applies(ph, monetised):
    """Indicator ③ counts unless ``require_conversion`` is off in a group that sells nothing."""
    return ph.require_conversion | monetised


def indicators_met(held, conversion_counts):
    """How many applicable indicators hold (``held``: :func:`indicators`)."""
    return sum(v for k, v in held.items() if k != "ind_conversion") + (held["ind_conversion"] & conversion_counts)


def launched(day, age_at_start, ph):
    """Past the launch window: the group's age (its age when the run began plus the run's day)
    is at least ``phases.launch_days``. A described group of eight months is launched on day 1."""
    return day + age_at_start >= ph.launch_days


def is_dead(people, silent_days, ph):
    """No people left, or no message for ``dead_after_silent_days``."""
    return (people < 1) | (silent_days >= ph.dead_after_silent_days)


def still_talking(ads, talk, ph):
    """A week's visible messages (ads and talk) reach ``ad_group_min_weekly``."""
    return ads + talk >= ph.ad_group_min_weekly


def talking(speakers_7d, ph):
    """At least ``min_weekly_speakers`` people spoke in the last 7 days (MODEL.md §5: alive means
    talking; sim/params.py ``Phases`` argues the number from the seeds)."""
    return speakers_7d >= ph.min_weekly_speakers


def lives(terminal, speakers_7d, ph):
    """A group lives on a day while it is neither an ad group nor dead (``terminal``) and talks."""
    return where(terminal, False, talking(speakers_7d, ph))


def is_ad_group(ads, talk, ph):
    """A group that still talks whose week is at least ``ad_group_share`` ads (seed 003)."""
    return (ads > 0) & still_talking(ads, talk, ph) & (ads >= ph.ad_group_share * (ads + talk))


def shrinking_fast(members, members_window_ago, ph):
    """Lost ``decline_drop`` of the members over ``decline_window`` days: decline, whatever the indicators."""
    return members < (1.0 - ph.decline_drop) * members_window_ago


def trend_verdict(members, members_before, ph, code):
    """Growth while membership rose by ``growth_factor`` over ``trend_days``, decline while it
    shrank by as much, mature (steady) in between; ``code`` maps a phase to what the engine records."""
    return select([members > ph.growth_factor * members_before, members * ph.growth_factor < members_before],
                  [code["growth"], code["decline"]], code["mature"])
