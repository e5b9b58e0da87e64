"""Dormancy (issue 32): a member whose interest fades stays in the group, asleep.

A WeChat member who loses interest mutes the group and forgets it rather than leaving it
(seed 004 L642 免打扰); a 500-member group can be 90 % asleep (seed 004 L398); Slack never
removes an account (R4DS). So when the leave hazard of :mod:`sim.rules.leaving` fires, a
leaver whose grievance is fading interest stays, dormant, with chance

    stay = bored_stay_share            reason bored (did not read: interest faded)
           1 − need_gone_exit_share    reason need_gone (the need is over; a share exits)
           0                           anything that drives people out: overload, ads, a KOL
                                       or friend who left, conflict, a kick, a purge

Interest also fades without a grievance: a member not asleep falls dormant with the daily
hazard ``fade_hazard · (1 − satisfaction)²`` (:func:`fade_hazard`), drawn after the leave
hazard on the same uniform (``h ≤ u < h + fade``).

A dormant member is muted, writes nothing, opens the group ``visit_factor`` as often as a
muted one, is not tempted to advertise (asleep, they do not follow the ads: roles), and takes
no leave hazard: only the zombie purge (seed 004 L630), a kick or a
lost seat removes them. Each day they wake with

    wake = base_wake + mention_wake · (a reply notified them yesterday)
           + red_packet_wake · (red packets today) + renewal_wake · (today's renewal share)

(seed 004 L122: red packets bring the silent back; seed 003 L20: renewal). Neither draws a
random number of its own: the stay decision reuses the leave draw ``u`` (given that it fell
below the hazard ``h``, ``u < h · stay`` has chance ``stay``), and a dormant member's wake
uses the day's churn draw, which they no longer spend on leaving. With ``enabled = false``
every run is the run it was. ``d`` is the ``dormancy`` parameters: floats, or the vector
engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import minimum, where


def stay_share(bored, need_gone, d):
    """Share of leavers with this grievance who stay, dormant (0 where dormancy is off)."""
    share = where(bored, d.bored_stay_share, where(need_gone, 1.0 - d.need_gone_exit_share, 0.0))
    return share * d.enabled


def falls_dormant(u, hazard, bored, need_gone, d):
    """The leave draw ``u`` (already below ``hazard``) makes this leaver dormant instead."""
    return u < hazard * stay_share(bored, need_gone, d)


def fade_hazard(satisfaction, d):
    """Daily chance that a member (not asleep, not leaving today) falls dormant: interest fades."""
    return d.enabled * d.fade_hazard * (1.0 - satisfaction) ** 2


def visit_factor(dormant, d):
    """Multiplier of a member's visit chance: ``visit_factor`` while dormant, else 1."""
    return where(dormant, d.visit_factor, 1.0)


def wake_chance(notified_yesterday, red_packets_today, renewal_today, d):
    """Today's chance that a dormant member wakes (see the module docstring), at most 1."""
    p = d.base_wake + d.mention_wake * notified_yesterday
    p = p + d.red_packet_wake * (red_packets_today > 0) + d.renewal_wake * renewal_today
    return minimum(1.0, p)
