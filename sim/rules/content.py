"""The founder's content cadence and energy (MODEL.md §4.2; seed 001, 002: rhythm beats volume), red packets.

Scheduled items (tips, red-packet bursts) fall on days evenly: ``per_week`` items a week, a
deterministic rhythm. A red packet thrills less with each one sent (habituation, seed 004
L122), and the chat it draws fades with the thrill. The founder's energy recovers each night,
less as enthusiasm fades (halving every ``fade_days``). ``c`` is the ``cadence`` parameters,
``f`` the ``founder`` ones: floats, or the vector engine's ``(R,)`` arrays.
"""

from __future__ import annotations

from sim.rules.elementwise import exp, floor, maximum, minimum, where


def on_rhythm(day, per_week):
    """How many of ``per_week`` evenly spaced items fall on ``day`` (a float array on arrays)."""
    rate = per_week / 7.0
    return floor((day + 1) * rate + 1e-9) - floor(day * rate + 1e-9)


def energy_after_rest(energy, day, f):
    """The founder's energy after a night's recovery, at most 1."""
    fade = where(f.fade_days > 0, 0.5 ** (day / maximum(f.fade_days, 1)), 1.0)
    return minimum(1.0, energy + f.recovery_per_day * fade)


def red_packet_thrill(sent, c):
    """Today's thrill of a red packet after ``sent`` packets: ``red_packet_thrill`` · exp(−habituation · sent)."""
    return c.red_packet_thrill * exp(-c.red_packet_habituation * sent)


def red_packet_response(bursts, thrill, c):
    """Messages a listening member posts on average about today's ``bursts``: ``red_packet_chat``
    per burst, scaled by how thrilling packets still are."""
    response = c.red_packet_chat * bursts * thrill / maximum(c.red_packet_thrill, 1e-300)
    return where(c.red_packet_thrill > 0, response, 0.0)
