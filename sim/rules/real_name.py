"""Real-name entry, the name-card rule (MODEL.md §4.13; ``Params.real_name``).

Seed 000 L87: a community needs an entry barrier — paid membership, a real-name review — a
group joined by a bare QR code almost always falls silent. Seed 004 L192: members change their
group name card to company/school–real name. Showing one's real name keeps out who would not
put their name to what they post:

    a spammer shows one with chance 1 − spammer_deterrence
    anyone else with chance 1 − stranger_balk · (1 − fit)   (who barely fits the group balks)

and every candidate's card is checked (``costs.hours_per_name_check``). Off (the default):
everyone passes, nothing is drawn. ``n`` is the ``real_name`` parameters: floats, or the
vector engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import where


def shows_real_name(u, spammer, fit, n):
    """Whether a candidate, from a uniform ``u``, shows their real name (always when off)."""
    chance = where(spammer, 1.0 - n.spammer_deterrence, 1.0 - n.stranger_balk * (1.0 - fit))
    return where(n.required, u < chance, True)
