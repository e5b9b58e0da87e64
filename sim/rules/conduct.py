"""How strict the group's rules are (MODEL.md §4.13; ``Params.conduct``): from "anything goes"
to the no-chat rule.

    talk factor  = 1 − strictness · damping      (damping: talk_damping; noise_deterrence for
                                                  low-fit, off-topic members, if larger)
                 = 1 for the founder, for spammers (they ignore rules; they are deterred at the
                   door instead), and — with the double standard — for KOLs
    spammers arriving × (1 − strictness · spam_deterrence)

- strictness 1 is the no-chat rule of the 禁聊 group (seed 004 L156–157: information only, no
  questions or talk of any kind, off-topic links kicked without warning): spam and off-topic
  talk stay out, and so does most of the talk.
- the humane middle (seed 004 L289: stickers allowed, sticker fights not) is around 0.5.
- the double standard (seed 004 L193: contributors and acquaintances are reminded in private,
  not kicked, for a slip) spares the group's contributors, read as its KOLs.

strictness 0 ("anything goes", the default) multiplies by exactly 1: the model without rules of
conduct. ``c`` is the ``conduct`` parameters: floats, or the vector engine's columns.
"""

from __future__ import annotations

from sim.rules.elementwise import maximum, where


def talk_factor(noisy, kol, exempt, c):
    """The share of a member's talk (posts, replies to ties) the rules leave: ``noisy`` a
    low-fit member's off-topic chat (:func:`sim.rules.posting.is_noisy`), ``exempt`` the
    founder and spammers."""
    damping = where(noisy, maximum(c.talk_damping, c.noise_deterrence), c.talk_damping)
    spared = exempt | (kol & c.double_standard)
    return where(spared, 1.0, 1.0 - c.strictness * damping)


def spam_factor(c):
    """The share of would-be spammers who still come (strict rules deter them)."""
    return 1.0 - c.strictness * c.spam_deterrence
