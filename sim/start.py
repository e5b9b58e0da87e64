"""Start from a group's current state, as its owner describes it (``start.description``).

A small YAML file says who is in the group today, by role, and for how long::

    founder: {tenure_days: 240, energy: 0.6}         # optional; energy 0..1 (default founder.energy)
    members:                                         # groups of members, or single named ones
      - {role: kol, count: 6, tenure_days: 200}
      - {role: active, count: 50, tenure_days: [30, 240], satisfaction: 0.65}
      - {role: lurker, count: 226, tenure_days: [10, 240]}
      - {role: spammer, count: 18, tenure_days: [1, 30]}
      - {name: Ada, role: kol, tenure_days: 240, fit: 0.9, expertise: 0.9}
    edges: ties.txt                                  # optional 'u v' file, next to this one

``tenure_days`` is a number or a ``[low, high]`` range (drawn uniformly); ``satisfaction``,
``fit`` and ``expertise`` (means of the trait draws) likewise optional. Members of a
counted group are labelled ``<role><n>`` (``lurker12``), the founder ``founder``; the edge
list names members by these labels (or their ``name``). Without ``edges`` everyone knows
the founder, and with ``network.initial = mesh`` also ``network.mesh_degree`` others.
The run's day 0 is "today": a member who has been in for 200 days joined on day −200
(novelty has worn off for them, trust has built up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from sim import network
from sim.params import InitialNetwork, ParamError
from sim.processes import arrivals
from sim.roles import Role

if TYPE_CHECKING:
    from sim.agents import Member
    from sim.model import CommunityModel

_TOP_KEYS = {"founder", "members", "edges"}
_MEMBER_KEYS = {"role", "count", "name", "tenure_days", "satisfaction", "fit", "expertise"}
_FOUNDER_KEYS = {"tenure_days", "energy"}
_SOURCE = {Role.kol: "kols", Role.spammer: "spam"}  # trait means by role; others: friends


class DescriptionError(ParamError):
    """A group description that cannot be used: names the file and the entry."""


def read_description(path: str | Path) -> dict[str, Any]:
    where = f"start.description = {path}"
    try:
        doc = yaml.safe_load(Path(path).read_text())
    except OSError as e:
        raise DescriptionError(f"{where}: cannot be read ({e.strerror or e})") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise DescriptionError(f"{where}: not YAML ({at}{problem})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("members"), list) or not doc["members"]:
        raise DescriptionError(f"{where}: expected a mapping with a non-empty 'members:' list")
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise DescriptionError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}: allowed {', '.join(sorted(_TOP_KEYS))}")
    return doc


def _draw(model: CommunityModel, value: Any, where: str, key: str, lo: float, hi: float, integer: bool = False):
    """A number, or uniform in a [low, high] range; within [lo, hi]."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value):
        a, b = sorted(value)
        if a < lo or b > hi:
            raise DescriptionError(f"{where}: {key} = {value} is out of range: allowed [{lo}, {hi}]")
        return int(model.rng.integers(a, b + 1)) if integer else float(model.rng.uniform(a, b))
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        raise DescriptionError(f"{where}: {key} = {value!r}: expected a {'whole ' if integer else ''}number or [low, high]")
    if not lo <= value <= hi:
        raise DescriptionError(f"{where}: {key} = {value} is out of range: allowed [{lo}, {hi}]")
    return value


def found_from_description(model: CommunityModel) -> None:
    """Day 0: the described founder and members, with their tenure, their ties and their
    places in the latent network."""
    path = Path(model.p.start.description)
    doc = read_description(path)
    where = f"start.description = {path}"
    p = model.p
    fdoc = doc.get("founder") or {}
    if not isinstance(fdoc, dict) or set(fdoc) - _FOUNDER_KEYS:
        raise DescriptionError(f"{where}: founder: expected a mapping with {', '.join(sorted(_FOUNDER_KEYS))}")
    founder = arrivals.create(model, Role.founder, "seed", {**arrivals.FOUNDER_TRAITS, "expertise": p.founder.expertise},
                              satisfaction=1.0)
    founder.label = "founder"
    _set_tenure(founder, _draw(model, fdoc.get("tenure_days", 0), f"{where}: founder", "tenure_days", 0, 100000, True))
    founder.energy = float(_draw(model, fdoc.get("energy", p.founder.energy), f"{where}: founder", "energy", 0, 1))
    model.founder = founder
    members: list[Member] = []
    by_label: dict[str, Member] = {"founder": founder}
    counters: dict[Role, int] = {}
    for i, entry in enumerate(doc["members"]):
        here = f"{where}: members[{i}]"
        if not isinstance(entry, dict) or set(entry) - _MEMBER_KEYS:
            raise DescriptionError(f"{here}: expected a mapping with keys among {', '.join(sorted(_MEMBER_KEYS))}")
        try:
            role = Role(entry.get("role"))
        except ValueError:
            allowed = ", ".join(r.value for r in Role if r is not Role.founder)
            raise DescriptionError(f"{here}: role = {entry.get('role')!r}: allowed {allowed}") from None
        if role is Role.founder:
            raise DescriptionError(f"{here}: the founder is described under 'founder:', not in members")
        if "name" in entry and "count" in entry:
            raise DescriptionError(f"{here}: a named member has no count")
        count = entry.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise DescriptionError(f"{here}: count = {count!r}: expected a whole number >= 0")
        if len(members) + count + 1 > p.arrivals.cap:
            raise DescriptionError(f"{here}: {len(members) + count + 1} members with the founder do not fit "
                                   f"under arrivals.cap = {p.arrivals.cap}")
        source = _SOURCE.get(role, "friends")
        for _ in range(count):
            traits = arrivals.candidate(model, source)
            if "fit" in entry:
                traits["fit"] = arrivals.beta(model, _draw(model, entry["fit"], here, "fit", 0, 1))
            if "expertise" in entry:
                traits["expertise"] = arrivals.beta(model, _draw(model, entry["expertise"], here, "expertise", 0, 1))
            s = _draw(model, entry.get("satisfaction", p.seeding.initial_satisfaction), here, "satisfaction", 0, 1)
            m = arrivals.create(model, role, "seed", traits, satisfaction=float(s))
            _set_tenure(m, _draw(model, entry.get("tenure_days", 0), here, "tenure_days", 0, 100000, True))
            if role is Role.vip:
                m.vip_since = 0  # a paid period starts today
                model.vips_ever += 1
            counters[role] = counters.get(role, 0) + 1
            m.label = str(entry["name"]) if "name" in entry else f"{role.value}{counters[role]}"
            if m.label in by_label:
                raise DescriptionError(f"{here}: two members are called {m.label!r}")
            by_label[m.label] = m
            members.append(m)
    if doc.get("edges"):
        edges = Path(doc["edges"])
        edges = edges if edges.is_absolute() else path.parent / edges
        g = network.read_edgelist(edges)
        for u, v in g.edges:
            missing = [x for x in (u, v) if str(x) not in by_label]
            if missing:
                raise DescriptionError(f"{edges}: {missing[0]!r} is not a member of {path} "
                                       "(labels: founder, <role><n> such as lurker12, or a member's name)")
            network.tie(model.network, by_label[str(u)], by_label[str(v)], known=True)
    else:
        mesh = p.network.mesh_degree if p.network.initial is InitialNetwork.mesh else 0
        network.wire_seed_users(model, founder, [m for m in members if m.role is not Role.spammer], mesh)
    arrivals.place_in_latent_network(model)


def age_of(model: CommunityModel) -> int:
    """The described group's age on day 0: the longest tenure (usually the founder's)."""
    return max((-m.join_day for m in model.roster), default=0)


def phase_of_age(model: CommunityModel) -> str:
    """The described group's phase on day 0, by its age: still ``launch`` if younger than
    ``phases.launch_days``, else ``mature`` — with no history of its size the classifier can tell
    neither growth nor decline (its verdict for a steady size). Later days are the lifecycle's,
    which counts the launch window from the same age (``Lifecycle.age_at_start``)."""
    return "launch" if age_of(model) < model.p.phases.launch_days else "mature"


def _set_tenure(m: Member, tenure: int) -> None:
    """The member joined ``tenure`` days before day 0 (silence is counted from today)."""
    m.join_day = -int(tenure)
    m.staleness = float(tenure)  # a long-standing member has read it all before
    # Day 0 is today, not the day everyone joined: a member with a past is no newcomer saying
    # hello, so they count as visiting only from the first simulated day on (issue 32: a
    # described 300-member group showed 275 visitors on day 0).
    m.visiting = m.talking = tenure == 0
    m.role_history = [(m.join_day, m.role)]
