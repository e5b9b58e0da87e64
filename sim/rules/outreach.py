"""The admin's one-to-one work (MODEL.md §4.13): private chats that wake long-silent lurkers,
endorsing experts in the daily chat so they become the group's stars, and answering what
nobody answered.

- **Private chats** (seed 004 L641–643: 潜水用户小窗私聊). Each day the founder, while not burnt
  out, chats one to one with up to ``lurker_chats_per_day`` lurkers silent for
  ``silent_days`` or more (they muted on joining and forgot the group, L642), asking why they
  lurk and inviting them back (L643). A chat wakes the member with ``wake_prob`` (unmuted, at
  least ``woken_satisfaction``, talking: an active member, notified so they look in tomorrow),
  and with ``leave_prob`` reminds a member who forgot the group that they do not need it: they
  leave (``need_gone``). Each chat costs ``costs.hours_per_private_chat``.
- **Endorsing experts** (seed 004 L282–284: 给这些kol背书, 群内造神). Each day the admin
  reposts the work of up to ``endorsements_per_day`` talking experts (active members with
  ``roles.kol_min_expertise``) with an introduction: each counts as ``endorsement_weight``
  replies toward becoming a KOL (``roles.kol_endorsements``). Each costs
  ``costs.hours_per_endorsement``.
- **Answering what nobody answered** (seed 004 L272–278: 没人搭理, 可适当回复下). Each day the
  admin answers up to ``answers_per_day`` members who spoke today and got no reply (no thread
  reply, no tie's answer): the member is notified (looks in tomorrow), counts a reply received
  (endorsement) and gains ``answer_boost`` satisfaction. The answer comes after the day's
  reading and is not counted among the day's messages. Each costs ``costs.hours_per_answer``.

- **A red packet that carries a question** (seed 004 L280: 把问题写在红包标题上 — paying is the
  quickest way to good information). Each day the admin puts up to ``question_packets_per_day``
  of the day's unanswered posts in a red packet's title: ``answers_per_packet`` of today's
  visitors, drawn at random, grab it and answer — the asker gets their replies (notified,
  endorsement, ``answer_boost``) and a tie to each answerer. The answers come after the day's
  reading and are not counted among the day's messages. Each packet costs
  ``costs.question_packet_yuan``.
- **Looking after the core** (seed 004 L638–640: 重点维护社群百分之20的高质量用户 — the few who
  keep talking carry the group; give them a sense of belonging so they keep it up). With
  ``core_care``, each day the founder looks after the ``core_share`` of people who wrote the
  most so far (at least one message): each gains ``core_boost`` satisfaction. Each cared-for
  member costs ``costs.hours_per_core_member`` a day.

All are off at 0 a day (``core_care`` false). ``o`` is the ``outreach`` parameters: floats, or the vector engine's
columns.
"""

from __future__ import annotations

from sim.rules.elementwise import floor, maximum, minimum, select

#: What a private chat does (:func:`chat_outcome`).
NOTHING, WOKE, LEFT = 0, 1, 2


def long_silent(days_silent, o):
    """A lurker the founder would write to: silent (no message) for ``silent_days`` or more."""
    return days_silent >= o.silent_days


def reached_today(candidates, per_day, founder_active):
    """How many of today's candidates the founder gets to (chats, endorsements, answers):
    ``per_day``, at most all of them; none while burnt out or gone."""
    return minimum(candidates, per_day) * founder_active


def chat_outcome(u, o):
    """What one chat does, from a uniform ``u``: :data:`WOKE`, :data:`LEFT` or :data:`NOTHING`."""
    return select([u < o.wake_prob, u < o.wake_prob + o.leave_prob], [WOKE, LEFT], NOTHING)


def woken_satisfaction(satisfaction, o):
    """A woken member's satisfaction: at least ``woken_satisfaction`` (someone cared to ask)."""
    return maximum(satisfaction, o.woken_satisfaction)


def endorsed(endorsement, o):
    """An endorsed member's endorsement: ``endorsement_weight`` replies more."""
    return endorsement + o.endorsement_weight


def answered_satisfaction(satisfaction, o):
    """Satisfaction of a member whose post the admin answered: ``answer_boost`` more (the fear
    that nobody will respond is what keeps people quiet, seed 004 L275)."""
    return minimum(1.0, satisfaction + o.answer_boost)


def core_size(people, o):
    """How many people make the core the founder looks after: ``core_share`` of them, rounded
    up (none without ``core_care``)."""
    return -floor(-people * o.core_share) * o.core_care


def cared_satisfaction(satisfaction, o):
    """A core member's satisfaction after the day's care (belonging)."""
    return minimum(1.0, satisfaction + o.core_boost)
