"""The admin's one-to-one work (MODEL.md §4.13), after reading and before roles change:
private chats with long-silent lurkers (seed 004 L641–643), endorsing experts in the daily
chat (seed 004 L283–284), answering posts nobody answered (seed 004 L272–278) or putting them
in a red packet's title (L280), looking after
the core 20 % (seed 004 L638–640). Who is reached
is decided here, at random among the candidates; what it does is :mod:`sim.rules.outreach`.
Nothing is drawn while all are off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import network
from sim.roles import Role
from sim.rules.floats import outreach as rules

if TYPE_CHECKING:
    from sim.model import CommunityModel


def reach_out(model: CommunityModel) -> None:
    o = model.p.outreach
    if o.lurker_chats_per_day > 0:
        _private_chats(model)
    if o.endorsements_per_day > 0:
        _endorse_experts(model)
    if o.answers_per_day > 0:
        _answer_the_unanswered(model)
    if o.question_packets_per_day > 0:
        _question_packets(model)
    if o.core_care:
        _look_after_the_core(model)


def _reached(model: CommunityModel, candidates: list, per_day: int) -> list:
    """The candidates the founder gets to today, drawn at random (none while burnt out)."""
    k = rules.reached_today(len(candidates), per_day, model.founder_active)
    return [candidates[i] for i in model.rng.choice(len(candidates), size=k, replace=False)] if k else []


def _private_chats(model: CommunityModel) -> None:
    """Chats with long-silent lurkers and dormant members (seed 004 L641-643: the zombies are
    woken one by one), drawn at random among them: some wake, some leave."""
    o, day, rng = model.p.outreach, model.day, model.rng
    silent = [m for m in model.members if (m.role is Role.lurker or (m.dormant and m.role is Role.active))
              and rules.long_silent(day - m.last_post_day, o)]
    chatted = _reached(model, silent, o.lurker_chats_per_day)
    model.log.private_chats += len(chatted)
    for m in chatted:
        outcome = rules.chat_outcome(rng.random(), o)
        if outcome == rules.WOKE:
            m.muted = m.dormant = False
            m.satisfaction = rules.woken_satisfaction(m.satisfaction, o)
            m.notified_day = day  # the chat is a notification: they look in tomorrow
            m.become(Role.active)
        elif outcome == rules.LEFT:
            model.remove_member(m, "need_gone")


def _endorse_experts(model: CommunityModel) -> None:
    """Endorsements of talking experts, drawn at random among them."""
    o = model.p.outreach
    experts = [m for m in model.members
               if m.role is Role.active and m.expertise >= model.p.roles.kol_min_expertise]
    endorsed = _reached(model, experts, o.endorsements_per_day)
    model.log.endorsements += len(endorsed)
    for m in endorsed:
        m.endorsement = rules.endorsed(m.endorsement, o)


def _unanswered(model: CommunityModel) -> list:
    """People who spoke today and got no reply (no thread reply, no tie's answer)."""
    spoke, day = model.log.speakers, model.day
    return [m for m in model.members if m.spec.person and m.unique_id in spoke and m.notified_day != day]


def _answer_the_unanswered(model: CommunityModel) -> None:
    """Answers to people who spoke today and got no reply: notified, a reply received, happier."""
    o, day = model.p.outreach, model.day
    unanswered = _unanswered(model)
    answered = _reached(model, unanswered, o.answers_per_day)
    model.log.answers += len(answered)
    for m in answered:
        m.notified_day = day
        m.endorsement += 1  # a reply received, as a thread's (processes/conversation.py)
        m.satisfaction = rules.answered_satisfaction(m.satisfaction, o)


def _question_packets(model: CommunityModel) -> None:
    """Unanswered questions in red packets' titles: grabbers (today's visitors, drawn with
    replacement; the asker draws no answer) answer, and get to know the asker."""
    o, day, rng = model.p.outreach, model.day, model.rng
    askers = _reached(model, _unanswered(model), o.question_packets_per_day)
    model.log.question_packets += len(askers)
    grabbers = [m for m in model.members if m.spec.person and m.visiting]
    for asker in askers:
        answerers = [grabbers[i] for i in rng.integers(len(grabbers), size=o.answers_per_packet)] if grabbers else []
        answerers = [g for g in answerers if g is not asker]
        for g in answerers:
            network.tie(model.network, asker, g)
        asker.notified_day = day
        asker.endorsement += len(answerers)
        asker.satisfaction = rules.answered_satisfaction(asker.satisfaction, o)


def _look_after_the_core(model: CommunityModel) -> None:
    """The people who wrote most so far (ties: in the members' order) get the founder's care."""
    if not model.founder_active:
        return
    o = model.p.outreach
    people = [m for m in model.members if m.spec.person]
    writers = sorted((m for m in people if m.messages_total > 0), key=lambda m: -m.messages_total)
    core = writers[:int(rules.core_size(len(people), o))]
    model.log.core_cared += len(core)
    for m in core:
        m.satisfaction = rules.cared_satisfaction(m.satisfaction, o)
