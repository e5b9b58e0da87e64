"""Posting, replies and valuable interaction rounds (MODEL.md §4.3).

Members post on their own turn (``Member.post``); this module keeps the day's
tally (:class:`DayLog`) and turns valuable posts into reply threads. Repliers are
drawn from today's pool of unmuted talkers, so the work is O(replies), never
O(members²). A thread of ``round_min_exchanges`` or more, not started by the founder,
is a *valuable interaction round* (seed 001, indicator ①).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim import network
from sim.roles import Role

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
    revenue: float = 0.0
    valuable_authors: list = field(default_factory=list)
    ad_posts: list = field(default_factory=list)  # one entry per ad: the poster
    speakers: set = field(default_factory=set)
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
        self.valuable_authors.extend([member] * valuable)

    def add_ads(self, member: Member, n: int) -> None:
        self.ads_posted += n
        self.speakers.add(member.unique_id)
        self.ad_posts.extend([member] * n)


def run_threads(model: CommunityModel) -> None:
    """Each valuable post draws replies from today's talkers; long threads are rounds."""
    p = model.p.conversation
    log = model.log
    # Lurkers read threads but do not answer (seed 004 L639): repliers are the talkers.
    # Only who opened the group today can answer (processes/visiting.py).
    pool = [m for m in model.members if not m.muted and m.spec.talker and m.visiting]
    if not pool or not log.valuable_authors:
        return
    # Small groups reply less: a thread needs people around to answer.
    rate = p.replies_per_valuable * min(1.0, len(pool) / p.full_reply_pool)
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
