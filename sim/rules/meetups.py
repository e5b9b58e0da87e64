"""Offline meet-ups organised by KOLs as well as the founder (MODEL.md §4.13; ``Params.meetups``).

Seed 004 L648: offline activities let members get to know each other, and a group whose
members know each other keeps talking when its central point leaves (L646). The founder's
monthly event is ``cadence.monthly_event``; here each KOL organises ``kol_per_month`` meet-ups a
month, so a group holds one on a day with chance

    1 − (1 − kol_per_month / 30) ^ KOLs

(at most one a day). A meet-up ties random attendees as the founder's event does, renews what
members read like one, and costs ``costs.kol_meetup_subsidy`` — not the founder's hours. Off
at 0 (the default). ``m`` is the ``meetups`` parameters: floats, or the vector engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import minimum


def meetup_chance(kols, m):
    """Chance that one of the group's ``kols`` KOLs holds a meet-up today."""
    return 1.0 - (1.0 - minimum(1.0, m.kol_per_month / 30.0)) ** kols
