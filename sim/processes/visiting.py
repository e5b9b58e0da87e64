"""Visiting (issue 12): who opens the group today.

A real member does not read every day: R4DS's Slack had 5% of its accounts active on a
day and a fifth of a week's active accounts posting (data/README.md). Each morning every
person decides whether to open the group, with the chance of
:func:`sim.rules.visiting.visit_probability` (the formula is there).

Not every visit is a talking one: on a share ``visiting.talk_share`` of their visits a member
joins the conversation (posts, answers threads and ties: ``m.talking``); on the others they
scroll and read. The day after someone they know answered them, more of their visits are
talking ones (``answer_share``): a conversation between friends goes on. A member's daily
rates are spoken on their talking days, so the volume a member writes is the same and only
its spread over days changes: R4DS's members read most days and spoke on few (12.5% of a
day's active accounts posted, 19% of a week's).

``habit`` is the member's own (Beta around ``visiting.habit_mean``), so a few people open
the group daily and many rarely. Value received raises satisfaction, which brings the
member back; staying away means no value, so engagement can fade into a habit of absence.
Only visitors read and feel overload, only talking visitors post and reply (agents.py,
conversation.py, reading.py);
an absent member's satisfaction drifts toward neutral (:func:`drift_while_away`).

The founder opens the group every day (it is their group); spammers come to post ads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.roles import Role
from sim.rules.floats import checkins as checkin_rules
from sim.rules.floats import dormancy as dormancy_rules
from sim.rules.floats import satisfaction as sat
from sim.rules.floats import visiting as visiting_rules
from sim.rules.satisfaction import NEUTRAL

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel

_ALWAYS_TALK = (Role.founder, Role.spammer)  # their visits are their work: content, ads


def draw_habit(model: CommunityModel) -> float:
    """A new member's daily habit of opening the group (1.0 when visiting is off)."""
    v = model.p.visiting
    if not v.enabled:
        return 1.0
    k = v.habit_concentration
    return float(model.rng.beta(v.habit_mean * k, (1.0 - v.habit_mean) * k))


def talk_day_share(m: Member, model: CommunityModel) -> float:
    """:func:`sim.rules.visiting.talk_day_share` of ``m``: on a talking day the average member
    posts rate / (``habit_mean`` · ``talk_share``)."""
    return visiting_rules.talk_day_share(m.role is Role.founder, model.p.visiting)


def visit_probability(m: Member, model: CommunityModel, programme_pull: float = 0.0) -> float:
    """Today's chance that ``m`` opens the group (:func:`sim.rules.visiting.visit_probability`);
    ``programme_pull``: today's pull of a check-in programme (:func:`sim.rules.checkins.visit_pull`)."""
    if m.role is Role.founder:
        return 1.0
    p = visiting_rules.visit_probability(visiting_rules.habit_logit(m.habit), m.satisfaction,
                                         model.p.topics.visit_pull, model.heat, m.fit, model.day - m.last_post_day,
                                         m.notified_day == model.day - 1, m.muted, model.p.visiting, programme_pull)
    return p * dormancy_rules.visit_factor(m.dormant, model.p.dormancy)  # asleep: rarely opened


def talk_chance(m: Member, model: CommunityModel) -> float:
    """Chance that a visit is a talking one (:func:`sim.rules.visiting.talk_chance`)."""
    return visiting_rules.talk_chance(m.answered_day == model.day - 1, model.p.visiting)


def decide_visits(model: CommunityModel) -> None:
    """Morning: each member decides whether to open the group today (``m.visiting``) and,
    if so, whether to talk (``m.talking``)."""
    rng = model.rng
    enabled = model.p.visiting.enabled
    talk_share = model.p.visiting.talk_share
    pull = checkin_rules.visit_pull(model.day, model.p.checkins)
    for m in model.members:
        # Off: everyone is around to post; reading.read_day keeps the old muted check.
        # A spammer's visit is the ad run: Member.post decides the ads.
        m.visiting = not enabled or m.role is Role.spammer or rng.random() < visit_probability(m, model, pull)
        # The founder and spammers always talk; a share of 1 draws nothing (same runs as before).
        m.talking = m.visiting and (not enabled or talk_share >= 1.0 or m.role in _ALWAYS_TALK
                                    or rng.random() < talk_chance(m, model))
        if m.visiting and m.spec.reads:
            m.last_visit_day = model.day


def drift_while_away(m: Member, model: CommunityModel) -> None:
    """An absent member's feelings fade toward neutral: no update from what they did not read."""
    m.satisfaction = sat.move_toward(m.satisfaction, NEUTRAL, model.p.visiting.absence_drift)
