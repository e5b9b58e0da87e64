"""CommunityModel: one chat group living day by day (MODEL.md §4, in order)."""

from __future__ import annotations

import itertools
from typing import Any

import mesa
import networkx as nx
import numpy as np

from sim.agents import Founder, Member
from sim.events import Event
from sim.friends import Friends
from sim.observe import Observer, outcomes
from sim.params import ParamError, Params, validate
from sim.processes import (
    arrivals,
    checkins,
    churn,
    content,
    conversation,
    costs,
    lifecycle,
    moderation,
    needs,
    outreach,
    reading,
    roles,
    timeline,
    topics,
    visiting,
)
from sim.roles import Role
from sim.start import age_of, found_from_description, phase_of_age
from sim.rules.floats import posting as posting_rules


class CommunityModel(mesa.Model):
    """A chat community: members (Mesa agents), their ties (networkx) and a daily log.

    ``model.agents`` are the members present today; ``model.roster`` everyone who ever
    joined (for ``members.csv``). All randomness comes from ``model.rng``, seeded from
    ``params.seed``.
    """

    def __init__(self, params: Params | None = None) -> None:
        self.p = validate(params if params is not None else Params())
        if self.p.start.snapshot:
            raise ParamError("start.snapshot is set: continue a saved group with sim.simulate(params) "
                             "(or sim.snapshot.continue_from), not by building a new one")
        super().__init__(rng=np.random.default_rng(self.p.seed))
        self.day = 0
        self.network = nx.Graph()
        self.roster: list[Member] = []
        self._by_id: dict[int, Member] = {}
        self.founder: Founder | None = None
        self.stimulus = 0.0  # yesterday's messages per member: talk begets talk
        self.heat = 0.0  # today's hot topic, fading (processes/topics.py)
        self.kol_view = roles.QualityView()  # the talk's quality as KOLs perceive it (KOL exit)
        self.red_packets = content.RedPackets()  # packets sent, thrill left (habituation)
        self.vips_ever = 0
        self.page: reading.Page | None = None  # what is on screen today: made by reading.prepare_page
        self.events: list[Event] = []
        self.watches: dict[int, timeline.Watch] = {}  # reactive changes' memory (processes/timeline.py)
        self.friends: Friends | None = None  # the latent network outside the group (built by found_group)
        self.lifecycle = lifecycle.Lifecycle()
        self.observer = Observer()
        self.log = conversation.DayLog()
        self.said_yesterday = self.log.said  # who said how much yesterday: ties answer it today
        if self.p.start.description:  # the group as its owner describes it today (sim/start.py)
            found_from_description(self)
            self.lifecycle.age_at_start = age_of(self)
        else:
            arrivals.found_group(self)
        costs.account(self)
        self.lifecycle.update(self)
        self.observer.record(self)
        if self.p.start.description:  # day 0 is today for a group with a past: the phase of its age
            self.observer.rows[0]["phase"] = phase_of_age(self)
        self.running = not self.lifecycle.ended  # a group dead on day 0 (no one but the founder) lives no day 1

    # -- the day ---------------------------------------------------------------------------
    def step(self) -> None:
        """One day in the group, in the order of MODEL.md §4."""
        self.day += 1
        self.said_yesterday = self.log.said
        self.log = conversation.DayLog()
        timeline.apply_due_changes(self)  # a strategy change takes effect this morning
        topics.morning(self)  # news, a hot question: today's heat
        visiting.decide_visits(self)  # who opens the group today
        arrivals.admit_newcomers(self)  # §4.1
        content.publish_scheduled(self)  # §4.2
        content.kol_meetups(self)  # §4.13: KOLs' offline meet-ups (a lever, off by default)
        for m in self._shuffled():  # §4.3
            m.post()
        checkins.check_in(self)  # §4.13: check-in cards (a lever, off by default)
        conversation.run_threads(self)
        moderation.enforce_rules(self)  # §4.4
        self.page = reading.prepare_page(self)  # §4.5: what is on screen today
        for m in self._shuffled():
            m.read()
        outreach.reach_out(self)  # §4.13: the admin's private chats and endorsements (levers)
        roles.update_roles(self)  # §4.6
        churn.let_members_leave(self)  # §4.7
        needs.drift(self)  # §4.8
        costs.account(self)  # the day's founder hours, costs and income (changes nobody)
        self.lifecycle.update(self)  # §5: indicators, phase, turning points
        row = self.observer.record(self)
        self.stimulus = posting_rules.talk_stimulus(row["msgs_valuable"], row["msgs_chat"], row["members"])
        if self.lifecycle.ended or self.day >= self.p.days:
            self.running = False

    # -- snapshots (sim/snapshot.py) ------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_next_agent_id"] = max((m.unique_id for m in self.roster), default=0) + 1
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        next_id = state.pop("_next_agent_id")
        self.__dict__.update(state)
        self.__dict__.setdefault("watches", {})  # a snapshot from before reactive changes
        # Mesa numbers agents with a class-level counter per model *instance*
        # (``Agent._ids[model]``). An unpickled model is a new instance, whose counter would
        # start again at 1: newcomers would take the ids of members in the roster (merged
        # network nodes, a clobbered id index) and the continued run would diverge from the
        # uninterrupted one on its first day.
        mesa.Agent._ids[self] = itertools.count(next_id)

    # -- helpers the processes share -----------------------------------------------------------
    @property
    def members(self) -> mesa.agent.AgentSet:
        """Members present today (Mesa's AgentSet of registered agents)."""
        return self.agents

    @property
    def founder_active(self) -> bool:
        """The founder is in the group and not burnt out."""
        return self.founder is not None and self.founder.active

    def _shuffled(self) -> list[Member]:
        members = list(self.agents)
        return [members[i] for i in self.rng.permutation(len(members))]

    def enroll(self, m: Member) -> None:
        """A new member: in the roster for good, in the network and the id index."""
        self.roster.append(m)
        self._by_id[m.unique_id] = m
        self.network.add_node(m.unique_id)

    def by_id(self, unique_id: int) -> Member:
        return self._by_id[unique_id]

    def count_role(self, role: Role) -> int:
        return sum(1 for m in self.agents if m.role == role)

    def random_talker(self) -> Member | None:
        """Someone who spoke recently (a greeter when the founder is away)."""
        talkers = [m for m in self.agents if m.role is not Role.spammer and self.day - m.last_post_day <= 7]
        return talkers[int(self.rng.integers(len(talkers)))] if talkers else None

    def ties_of(self, m: Member) -> dict:
        """The member's present contacts (uid → edge data). Reads networkx's adjacency dict
        directly: ``graph.adj[u]`` builds a view object per call, which dominated the profile."""
        return self.network._adj.get(m.unique_id, {})

    def remove_member(self, m: Member, reason: str) -> None:
        """A member leaves (or is removed): identity and history stay in ``roster``."""
        if not m.present:
            return
        m.leave_day = self.day
        m.leave_reason = reason
        m.muted = True
        self.log.leaves[reason] += 1
        if self.network.has_node(m.unique_id):
            self.network.remove_node(m.unique_id)
        if self.friends is not None and m.node >= 0:  # friends inside remember it (churn.friend_left_*)
            for f in self.friends.leave(m):
                f.friend_left_day = self.day
        m.remove()

    def log_event(self, kind: str, who: str = "", what: str = "", **numbers: float) -> None:
        """A turning point of the story (``sim.events.Event``), shown in the report and the classroom page."""
        self.events.append(Event(self.day, kind, who, what, numbers))

    # -- results ---------------------------------------------------------------------------
    @property
    def phase(self) -> str:
        return self.lifecycle.phase

    def outcomes(self) -> dict[str, Any]:
        return outcomes(self)
