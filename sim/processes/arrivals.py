"""Arrivals: founding, channels, entry threshold, the 500 cap, welcome ritual (MODEL.md §4.1).

Candidates come through channels — the founder's own recruiting (by seeding strategy),
word of mouth from satisfied members (seed 001 裂变), external promotion (seed 004
L176 暴力引流: many, low fit) and spammers drawn by the group's visibility. Each
passes the entry threshold (seed 004 L63-64, L309-313, L681-682), which trades
volume for fit; a full group (seed 004 L400: 500) turns everyone away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import network
from sim.agents import Founder, Member
from sim.params import EntryThreshold, InitialNetwork, SeedStrategy
from sim.roles import Role

if TYPE_CHECKING:
    from sim.model import CommunityModel

#: The founder is the group's purpose: full fit and need, pays nothing, posts at the base rate (structural).
_FOUNDER_TRAITS = {"fit": 1.0, "need": 1.0, "willingness_to_pay": 0.0, "propensity": 1.0}

_RECRUIT_SOURCE = {SeedStrategy.kols_first: "friends", SeedStrategy.friends: "friends",
                   SeedStrategy.random: "random", SeedStrategy.paid_ads: "paid_ads"}


def _beta(model: CommunityModel, mean: float) -> float:
    mean = min(max(mean, 0.01), 0.99)  # a Beta needs 0 < mean < 1 (structural)
    k = model.p.traits.concentration
    return float(model.rng.beta(mean * k, (1 - mean) * k))


def _candidate(model: CommunityModel, source: str, fit: float | None = None) -> dict:
    """Traits of a candidate from ``source`` (kols, friends, random, paid_ads, spam)."""
    t = model.p.traits
    fit_mean = getattr(t, f"{source}_fit")
    expertise_mean = 0.0 if source == "spam" else getattr(t, f"{source}_expertise")
    rng = model.rng
    shape = model.p.conversation.propensity_shape
    return {
        "fit": _beta(model, fit_mean) if fit is None else fit,
        "expertise": _beta(model, expertise_mean) if expertise_mean > 0 else 0.0,
        "need": _beta(model, t.need_mean),
        "willingness_to_pay": _beta(model, t.willingness_mean),
        "propensity": float(rng.gamma(shape, 1.0 / shape)),
    }


def _create(model: CommunityModel, role: Role, channel: str, traits: dict,
            satisfaction: float | None = None) -> Member:
    s = model.p.arrivals.initial_satisfaction if satisfaction is None else satisfaction
    if role is Role.founder:
        m = Founder(model, channel=channel, satisfaction=s, **traits)
    else:
        m = Member(model, role=role, channel=channel, satisfaction=s, **traits)
    model.enroll(m)
    model.log.joins[channel] += 1
    return m


def found_group(model: CommunityModel) -> None:
    """Day 0: the founder and the seed users (bypass the threshold: the founder picks them)."""
    p = model.p
    if p.start.description:
        from sim.start import found_from_description

        found_from_description(model)
        return
    if p.network.initial is InitialNetwork.edgelist:
        _found_from_edgelist(model)
        return
    founder = _create(model, Role.founder, "seed", {**_FOUNDER_TRAITS, "expertise": p.founder.expertise},
                      satisfaction=1.0)
    model.founder = founder
    strategy = p.seeding.strategy
    n_kols = round(p.seeding.seed_users * p.seeding.kol_share) if strategy is SeedStrategy.kols_first else 0
    seeds = []
    for i in range(p.seeding.seed_users):
        source = "kols" if i < n_kols else _RECRUIT_SOURCE[strategy]
        role = Role.kol if i < n_kols else (Role.active if model.rng.random() < p.seeding.active_share else Role.lurker)
        seeds.append(_create(model, role, "seed", _candidate(model, source), satisfaction=p.seeding.initial_satisfaction))
    mesh = p.network.mesh_degree if p.network.initial is InitialNetwork.mesh else 0
    network.wire_seed_users(model, founder, seeds, mesh)


def _found_from_edgelist(model: CommunityModel) -> None:
    """Every node of the user's network becomes a member; the best-connected node founds it."""
    g = network.read_edgelist(model.p.network.edgelist)
    founder_label = max(g.nodes, key=lambda n: (g.degree[n], str(n)))
    by_label = {}
    for label in sorted(g.nodes, key=str):
        if label == founder_label:
            m = _create(model, Role.founder, "edgelist", {**_FOUNDER_TRAITS, "expertise": model.p.founder.expertise},
                        satisfaction=1.0)
            model.founder = m
        else:
            role = Role.active if model.rng.random() < model.p.arrivals.active_at_join else Role.lurker
            m = _create(model, role, "edgelist", _candidate(model, "friends"),
                        satisfaction=model.p.seeding.initial_satisfaction)
        m.label = str(label)
        by_label[label] = m
    for u, v in g.edges:
        network.tie(model.network, by_label[u], by_label[v])


def _passes_threshold(model: CommunityModel, channel: str, fit: float) -> bool:
    e = model.p.entry
    rng = model.rng
    if channel == "spam":
        return rng.random() < e.spammer_pass
    if channel in ("promotion", "paid_ads") and rng.random() >= e.promotion_pass:
        return False
    if e.fit_cutoff > 0:  # application review / paid self-selection judge fit, with error
        return fit + rng.normal(0.0, e.review_noise) >= e.fit_cutoff
    return True


def _candidates_today(model: CommunityModel) -> list[tuple[str, dict, Member | None]]:
    """(channel, traits, inviter) for everyone who knocks today."""
    p = model.p
    rng = model.rng
    out: list[tuple[str, dict, Member | None]] = []
    founder_active = model.founder_active
    if founder_active and model.day < p.seeding.recruit_days:
        source = _RECRUIT_SOURCE[p.seeding.strategy]
        channel = "paid_ads" if source == "paid_ads" else "founder"
        out += [(channel, _candidate(model, source), None) for _ in range(rng.poisson(p.seeding.recruits_per_day))]
    a = p.arrivals
    for m in model.members:
        if m.satisfaction >= a.invite_satisfaction and m.spec.person and not m.muted \
                and rng.random() < a.invite_rate:
            fit = min(1.0, max(0.0, m.fit + rng.normal(0.0, model.p.traits.invite_fit_sd)))
            out.append(("word_of_mouth", _candidate(model, "friends", fit=fit), m))
    campaign = a.promotion_start_day <= model.day < a.promotion_start_day + a.promotion_days
    n_promo = rng.poisson(a.promotion_per_day) if campaign else 0
    out += [("promotion", _candidate(model, "random", fit=_beta(model, a.promotion_fit)), None) for _ in range(n_promo)]
    n_spam = rng.poisson(a.spam_base + a.spam_per_100_members * len(model.members) / 100.0)
    out += [("spam", _candidate(model, "spam"), None) for _ in range(n_spam)]
    return out


def admit_newcomers(model: CommunityModel) -> None:
    """Today's candidates knock; those who pass the threshold and find a seat join."""
    p = model.p
    log = model.log
    reviewing = p.entry.threshold is EntryThreshold.application
    for channel, traits, inviter in _candidates_today(model):
        log.reviews += reviewing
        if not _passes_threshold(model, channel, traits["fit"]):
            log.refused += 1
            continue
        if len(model.members) >= p.arrivals.cap:
            log.turned_away_full += 1
            continue
        if channel == "spam":
            _create(model, Role.spammer, channel, traits)
            continue
        role = Role.active if model.rng.random() < p.arrivals.active_at_join else Role.lurker
        m = _create(model, role, channel, traits)
        log.revenue += p.entry.fee
        if inviter is not None:
            network.tie(model.network, inviter, m)
        if p.entry.welcome_ritual:
            welcome(model, m)


def welcome(model: CommunityModel, newcomer: Member) -> None:
    """Self-intro and greetings (seed 004 L315 仪式感): early satisfaction and a first tie."""
    newcomer.satisfaction = min(1.0, newcomer.satisfaction + model.p.entry.welcome_boost)
    greeter = model.founder if model.founder_active else model.random_talker()
    if greeter is not None:
        network.tie(model.network, greeter, newcomer)
        model.log.founder_welcomes += greeter is model.founder
