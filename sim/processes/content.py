"""Content cadence and founder energy (MODEL.md §4.2; seed 001, 002: rhythm beats volume).

The founder publishes on a fixed rhythm — ``posts_per_week`` tips spread evenly, a
weekly sharing session, a monthly offline event, red-packet bursts — while energy
lasts. Each post costs energy; energy recovers daily; below ``burnout_below`` the
founder stops producing until rested (seed 004 L152: the owner producing 90% of
the content by hand). Too little content bores members, too much fatigues them
(costs in reading.py): the cadence optimum is emergent, not imposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim import network
from sim.roles import Role
from sim.rules.floats import content as rules
from sim.rules.floats import meetups as meetup_rules

if TYPE_CHECKING:
    from sim.model import CommunityModel



def _on_rhythm(day: int, per_week: float) -> int:
    """How many of ``per_week`` evenly spaced items fall on ``day`` (deterministic rhythm)."""
    return rules.on_rhythm(day, per_week)


def publish_scheduled(model: CommunityModel) -> None:
    f = model.p.founder
    c = model.p.cadence
    founder = model.founder
    log = model.log
    if founder is None or not founder.present:
        return
    if founder.rest():  # burnt out this morning
        return
    day = model.day
    posts = _on_rhythm(day, c.posts_per_week)
    cost_posts = posts
    log.content += posts
    log.tips += posts
    log.valuable_authors.extend([founder] * posts)
    # Sessions on the 7th day of each week, events mid-month: when, not how often (structural).
    if c.weekly_session and day % 7 == 6:
        # A sharing session is a burst of valuable talk that draws replies (seed 004 L319).
        log.content += 1
        log.sessions += 1
        log.valuable_authors.extend([founder] * round(c.session_value))
        cost_posts += f.session_cost_posts
    if c.monthly_event and day % 30 == 15:
        _offline_event(model)
        log.offline_events += 1
        cost_posts += f.event_cost_posts
    bursts = _on_rhythm(day, c.red_packets_per_week)
    packets = model.red_packets
    packets.thrill = rules.red_packet_thrill(packets.sent, c)
    if bursts:
        log.red_packets += bursts
        packets.sent += bursts
        _grab_red_packets(model, bursts)
    founder.work(f.cost_per_post * cost_posts)


@dataclass
class RedPackets:
    """The red-packet mechanism's state: packets sent so far and today's thrill of one
    (``cadence.red_packet_thrill`` · exp(−habituation · sent), seed 004 L122)."""

    sent: int = 0
    thrill: float = 0.0


def _grab_red_packets(model: CommunityModel, bursts: int) -> None:
    """Members grab the packet and chat about it (谢谢老板, emoji): each listening member
    posts ``red_packet_chat`` messages per burst on average, scaled by how thrilling packets
    still are — habituation (seed 004 L122) makes the response, and with it the group's
    speaking rate, fade within weeks. O(members)."""
    c = model.p.cadence
    response = rules.red_packet_response(bursts, model.red_packets.thrill, c)
    if response <= 0:
        return
    rng = model.rng
    log = model.log
    people = [m for m in model.members if m.spec.person and not m.muted]
    for m, n in zip(people, rng.poisson(response, size=len(people))):
        if n:
            m.spoke(int(n))
            log.add_posts(m, valuable=0, chat=int(n))


def kol_meetups(model: CommunityModel) -> None:
    """A KOL's offline meet-up today, perhaps (:mod:`sim.rules.meetups`): ties as at the
    founder's event, without the founder. Nothing is drawn while off."""
    m = model.p.meetups
    if m.kol_per_month <= 0:
        return
    kols = model.count_role(Role.kol)
    if kols and model.rng.random() < meetup_rules.meetup_chance(kols, m):
        _offline_event(model)
        model.log.kol_meetups += 1


def _offline_event(model: CommunityModel) -> None:
    """线下 meet-up: random attendees get to know each other (seed 004 L648), building a mesh."""
    members = [m for m in model.members if m.role is not Role.spammer and not m.muted]
    if len(members) < 2:
        return
    rng = model.rng
    for _ in range(model.p.cadence.event_ties):
        i, j = rng.choice(len(members), size=2, replace=False)
        network.tie(model.network, members[i], members[j], known=True)
    model.log_event("offline_event", ties=model.p.cadence.event_ties)
