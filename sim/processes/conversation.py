"""Posting, replies and valuable interaction rounds (MODEL.md §4.3).

Members post on their own turn (``Member.post``); this module keeps the day's
tally (:class:`DayLog`) and turns valuable posts into reply threads. Repliers are
drawn from today's pool of unmuted talkers, so the work is O(replies), never
O(members²). A thread of ``round_min_exchanges`` or more, not started by the founder,
is a *valuable interaction round* (seed 001, indicator ①).

Members also answer their own ties (:func:`tie_replies`): talk among acquaintances that
needs no valuable post and no founder (seed 004 L646-647: a group whose members know each
other keeps talking when the central point leaves). Work is O(ties of today's speakers).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim import network
from sim.processes import visiting
from sim.roles import Role
from sim.rules.floats import posting

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel


@dataclass
class DayLog:
    """What happened today, as counts and lists: the observer and the lifecycle read it. It
    changes no member: members note their own messages (``Member.spoke``)."""

    content: int = 0  # scheduled posts by the founder (tips, sessions)
    valuable: int = 0
    chat: int = 0
    ads_posted: int = 0
    ads_removed: int = 0
    rounds: int = 0
    rounds_without_owner: int = 0
    red_packets: int = 0
    revenue: float = 0.0  # yuan: entry fees + VIP payments
    fees: float = 0.0  # yuan: the entry fees among them (the rest of revenue is VIP payments)
    valuable_authors: list = field(default_factory=list)
    ad_posts: list = field(default_factory=list)  # one entry per ad: the poster
    speakers: set = field(default_factory=set)
    said: Counter = field(default_factory=Counter)  # uid → messages (not ads) written today: what ties read
    noise: int = 0  # chat by low-fit members: beginner questions and off-topic talk (KOL exit)
    tie_chat: int = 0  # replies among ties: side talk between acquaintances, not the topic's talk (KOL exit)
    joins: Counter = field(default_factory=Counter)  # by channel
    leaves: Counter = field(default_factory=Counter)  # by reason
    refused: int = 0
    turned_away_full: int = 0
    kicked: int = 0
    new_vips: int = 0
    # What the strategy's work and money are counted from (processes/costs.py):
    tips: int = 0  # scheduled tips the founder posted
    sessions: int = 0  # weekly sharing sessions held
    offline_events: int = 0  # monthly offline events held
    founder_welcomes: int = 0  # newcomers the founder greeted
    reviews: int = 0  # applications reviewed (entry.threshold = application)
    private_chats: int = 0  # the founder's private chats with lurkers (processes/outreach.py)
    endorsements: int = 0  # experts the admin endorsed in the daily chat (processes/outreach.py)
    answers: int = 0  # unanswered posts the admin answered (processes/outreach.py)
    checkins_run: bool = False  # the check-in programme ran today (processes/checkins.py): its hours and rewards
    name_checks: int = 0  # candidates whose real name the founder checked (real_name.required)
    core_cared: int = 0  # core members the founder looked after (outreach.core_care)
    kol_meetups: int = 0  # offline meet-ups KOLs organised (processes/content.py kol_meetups)
    question_packets: int = 0  # red packets carrying an unanswered question (processes/outreach.py)
    founder_ads_handled: float = 0.0  # removed ads, the founder's share (the rest: KOL admins)
    ad_slots: int = 0  # ads that stayed within the quota: sold flash-market slots
    founder_hours: float = 0.0  # set by costs.account at the end of the day
    cost: float = 0.0  # yuan, set by costs.account
    income: float = 0.0  # yuan: entry fees + VIP payments (revenue) + ad slots, set by costs.account

    @property
    def ads_visible(self) -> int:
        return self.ads_posted - self.ads_removed

    @property
    def visible(self) -> int:
        """Messages on screen today: what members may read."""
        return self.content + self.valuable + self.chat + self.ads_visible

    def add_posts(self, member: Member, *, valuable: int, chat: int) -> None:
        self.valuable += valuable
        self.chat += chat
        self.speakers.add(member.unique_id)
        self.said[member.unique_id] += valuable + chat
        self.valuable_authors.extend([member] * valuable)
        if chat and is_noisy(member):
            self.noise += chat

    def add_ads(self, member: Member, n: int) -> None:
        self.ads_posted += n
        self.speakers.add(member.unique_id)
        self.ad_posts.extend([member] * n)


def is_noisy(member: Member) -> bool:
    """Chat by this member is noise to a KOL (:func:`sim.rules.posting.is_noisy`)."""
    return posting.is_noisy(member.fit, member.role is Role.founder, member.model.p.roles.kol_noise_fit)


def run_threads(model: CommunityModel) -> None:
    """Each valuable post draws replies from today's talkers; long threads are rounds. Then
    members answer their ties (:func:`tie_replies`)."""
    _threads(model)
    tie_replies(model)


def tie_replies(model: CommunityModel) -> None:
    """Members answer what their own ties said yesterday and have said so far today.

    In random order, a talking (visiting), unmuted talker (active, KOL, VIP) whose ties have written
    messages since yesterday morning replies Poisson(:func:`sim.rules.posting.tie_reply_rate`) times
    — saturating in the ties' messages — each reply to one of those ties, drawn in proportion
    to what they wrote. A reply is chat and
    strengthens the tie (weight + 1); members later in the day and tomorrow hear it, so a
    conversation runs along the ties from day to day: a mesh keeps talking without the
    founder, a member tied only to the founder falls silent with them (seed 004 L646-647).
    Per member O(own ties).
    """
    p = model.p.conversation
    log = model.log
    said, before = log.said, model.said_yesterday
    if p.tie_reply_rate <= 0 or not (said or before):
        return
    rng = model.rng
    for m in model._shuffled():
        # Only talkers who opened the group answer: lurkers read but do not reply (seed 004 L639),
        # as in threads; a lurker who starts talking becomes active first (processes/roles.py).
        if m.muted or not m.spec.talker or not m.talking:
            continue
        ties = model.ties_of(m)
        if not ties:
            continue
        keys = ties.keys()
        authors = sorted((keys & said.keys()) | (keys & before.keys()))  # sorted: set order is no part of a seed
        if not authors:
            continue
        weights = [said.get(t, 0) + before.get(t, 0) for t in authors]
        h = sum(weights)
        lam = posting.tie_reply_rate(h, m.propensity, m.satisfaction, visiting.talk_day_share(m, model), p) * m.rules_leave()
        n = int(rng.poisson(lam))
        if not n:
            continue
        picks = rng.choice(len(authors), size=n, p=[w / h for w in weights]) if len(authors) > 1 else [0] * n
        for i in picks:
            author = model.by_id(authors[i])
            network.tie(model.network, author, m)
            author.notified_day = model.day  # a reply notifies (processes/visiting.py)
            author.answered_day = model.day  # by someone they know: it asks for an answer
        m.spoke(n)
        m.messages_today += n
        log.add_posts(m, valuable=0, chat=n)
        log.tie_chat += n


def _threads(model: CommunityModel) -> None:
    p = model.p.conversation
    log = model.log
    # Lurkers read threads but do not answer (seed 004 L639): repliers are the talkers.
    # Only who opened the group today and talks can answer (processes/visiting.py).
    pool = [m for m in model.members if not m.muted and m.spec.talker and m.talking]
    if not pool or not log.valuable_authors:
        return
    # Small groups reply less: a thread needs people around to answer.
    rate = posting.thread_reply_rate(len(pool), p)
    rng = model.rng
    counts = rng.poisson(rate, size=len(log.valuable_authors))
    for author, n_replies in zip(log.valuable_authors, counts):
        if n_replies == 0:
            continue
        # Drawn with replacement (a talker may answer twice); a draw of the author is no
        # reply: it would endorse the author by themselves and count a message nobody wrote.
        repliers = [r for r in (pool[j] for j in rng.integers(len(pool), size=int(n_replies))) if r is not author]
        exchanges = 1 + len(repliers)
        is_round = exchanges >= p.round_min_exchanges
        for r in repliers:
            r.spoke(1)
            r.messages_today += 1
            log.speakers.add(r.unique_id)
            log.said[r.unique_id] += 1
            if not is_round and is_noisy(r):
                log.noise += 1
            network.tie(model.network, author, r)
        author.endorsement += len(repliers)
        if repliers:
            author.notified_day = model.day  # the replies notify the author (visiting tomorrow)
        # Replies inside a real round are valuable discussion; short ones are chat.
        if is_round:
            log.valuable += len(repliers)
            log.rounds += 1
            if author.role is not Role.founder:
                log.rounds_without_owner += 1
        else:
            log.chat += len(repliers)
