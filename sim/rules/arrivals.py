"""Arrivals (MODEL.md §4.1): who knocks, with which traits, and who gets in.

A newcomer's traits are Beta draws around the mean of the channel they came by; an invited
friend's fit is near the inviter's (friends share interests, seed 001 L31 裂变). Spammers
come with the group's visibility (seed 003: ad groups). An application review or a paid
entry judges fit, with error; a welcome ritual (seed 004 L315 仪式感) gives a newcomer an
early lift. The engines draw the random numbers; ``a`` is the ``arrivals`` parameters, ``e``
the ``entry`` ones: floats, or the vector engine's arrays.
"""

from __future__ import annotations

from sim.rules.elementwise import maximum, minimum


def beta_shape(mean, concentration):
    """The (a, b) of a Beta draw with this mean and concentration (a Beta needs 0 < mean < 1)."""
    mean = minimum(maximum(mean, 0.01), 0.99)
    return mean * concentration, (1 - mean) * concentration


def invited_fit(inviter_fit, noise):
    """An invited friend's fit: the inviter's, give or take ``noise`` (``traits.invite_fit_sd``)."""
    return minimum(1.0, maximum(0.0, inviter_fit + noise))


def spam_arrival_rate(members, a):
    """Spammers knocking a day: a base rate and more per 100 members (a bigger group is a target)."""
    return a.spam_base + a.spam_per_100_members * members / 100.0


def passes_review(fit, noise, e):
    """An application review (or a paid entry's self-selection) lets in who seems to fit."""
    return fit + noise >= e.fit_cutoff


def welcomed_satisfaction(satisfaction, e):
    """A newcomer's satisfaction after the welcome ritual."""
    return minimum(1.0, satisfaction + e.welcome_boost)
