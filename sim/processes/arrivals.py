"""Arrivals: founding, channels, entry threshold, the 500 cap, welcome ritual (MODEL.md §4.1).

Candidates come through channels — the founder's own recruiting (by seeding strategy),
word of mouth along latent friendships (seed 001 L31 裂变; sim/friends.py: invitations to
outside friends, outsiders who hear of the group from friends inside), external promotion (seed 004
L176 暴力引流: many, low fit) and spammers drawn by the group's visibility. Each
passes the entry threshold (seed 004 L63-64, L309-313, L681-682), which trades
volume for fit; a full group (seed 004 L400: 500) turns everyone away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import friends as latent
from sim import network
from sim.agents import Founder, Member
from sim.params import EntryThreshold, InitialNetwork, SeedStrategy
from sim.processes import needs
from sim.roles import Role
from sim.rules.floats import arrivals as rules
from sim.rules.floats import cast, conduct, real_name

if TYPE_CHECKING:
    from sim.model import CommunityModel

#: The founder is the group's purpose: full fit and need, pays nothing, posts at the base rate (structural).
FOUNDER_TRAITS = {"fit": 1.0, "need": 1.0, "willingness_to_pay": 0.0, "propensity": 1.0}

_RECRUIT_SOURCE = {SeedStrategy.kols_first: "friends", SeedStrategy.friends: "friends",
                   SeedStrategy.random: "random", SeedStrategy.paid_ads: "paid_ads"}


def beta(model: CommunityModel, mean: float) -> float:
    """A trait drawn from a Beta with this mean and ``traits.concentration``."""
    k = model.p.traits.concentration
    return float(model.rng.beta(*rules.beta_shape(mean, k)))


def candidate(model: CommunityModel, source: str, fit: float | None = None) -> dict:
    """Traits of a candidate from ``source`` (kols, friends, random, paid_ads, spam)."""
    t = model.p.traits
    fit_mean = getattr(t, f"{source}_fit")
    expertise_mean = 0.0 if source == "spam" else getattr(t, f"{source}_expertise")
    rng = model.rng
    shape = model.p.conversation.propensity_shape
    traits = {
        "fit": beta(model, fit_mean) if fit is None else fit,
        "expertise": beta(model, expertise_mean) if expertise_mean > 0 else 0.0,
        "need": beta(model, t.need_mean),
        "willingness_to_pay": beta(model, t.willingness_mean),
        "propensity": float(rng.gamma(shape, 1.0 / shape)),
    }
    traits["need"] = needs.expire_for_newcomer(model, traits["need"])
    return traits


def create(model: CommunityModel, role: Role, channel: str, traits: dict,
           satisfaction: float | None = None) -> Member:
    """A new member (or the founder) with these traits, enrolled, counted among the day's joins."""
    s = model.p.arrivals.initial_satisfaction if satisfaction is None else satisfaction
    if role is Role.founder:
        m = Founder(model, channel=channel, satisfaction=s, **traits)
    else:
        m = Member(model, role=role, channel=channel, satisfaction=s, **traits)
    model.enroll(m)
    model.log.joins[channel] += 1
    return m


def found_group(model: CommunityModel) -> None:
    """Day 0: the founder and the seed users (bypass the threshold: the founder picks them).
    (A group described as it is today is founded by sim/start.py, with this module's helpers.)

    With ``friends.enabled`` everyone takes a node of the latent network (sim/friends.py):
    where depends on the seeding strategy. Day-0 group ties are the ``network.initial``
    wiring only (star or mesh); latent friendships become group ties for later joiners."""
    p = model.p
    if p.network.initial is InitialNetwork.edgelist:
        _found_from_edgelist(model)
        place_in_latent_network(model)
        return
    model.friends = fr = latent.build(model, p.seeding.seed_users + 1)
    founder = create(model, Role.founder, "seed", {**FOUNDER_TRAITS, "expertise": p.founder.expertise},
                     satisfaction=1.0)
    model.founder = founder
    if fr is not None:
        fr.start_walk(fr.degree_weighted_node(model.rng))
        fr.join(fr.founder_node, founder)
    strategy = p.seeding.strategy
    n_kols = round(p.seeding.seed_users * p.seeding.kol_share) if strategy is SeedStrategy.kols_first else 0
    seeds = []
    connectors = []
    for i in range(p.seeding.seed_users):
        source = "kols" if i < n_kols else _RECRUIT_SOURCE[strategy]
        talker = cast.is_talker(i, n_kols, p.cast)  # the seed cast (seed 004 L49-53)
        role = Role.kol if i < n_kols else (Role.active if model.rng.random() < p.seeding.active_share or talker
                                            else Role.lurker)
        traits = candidate(model, source)
        traits["propensity"] = cast.cast_propensity(traits["propensity"], talker, p.cast)
        m = create(model, role, "seed", traits, satisfaction=p.seeding.initial_satisfaction)
        if cast.is_connector(i, n_kols, p.cast):
            connectors.append(m)
        if fr is not None:
            node = fr.next_hub(model.rng, _NONE) if source == "kols" else _recruit_node(model, source, _NONE)
            if node >= 0:
                fr.join(node, m)
        seeds.append(m)
    mesh = p.network.mesh_degree if p.network.initial is InitialNetwork.mesh else 0
    network.wire_seed_users(model, founder, seeds, mesh)
    for c in connectors:  # a connector knows every other seed user
        for m in seeds:
            if m is not c:
                network.tie(model.network, c, m, known=True)


def place_in_latent_network(model: CommunityModel) -> None:
    """A group founded with all its members (an edge list, a description): the latent network
    (sim/friends.py) is built around them, each taking a node."""
    model.friends = latent.build(model, len(model.roster))
    latent.place_existing(model)


#: No node is reserved (day 0: each placement joins at once).
_NONE: frozenset[int] = frozenset()


def _recruit_node(model: CommunityModel, source: str, taken) -> int:
    """Where the founder's recruit sits in the latent network: the founder's neighbourhood
    (friends), or scattered strangers (random, paid_ads)."""
    fr = model.friends
    if source == "friends":
        return fr.next_friend_of_founder(model.rng, taken)
    return fr.random_outside(model.rng, taken)


def _found_from_edgelist(model: CommunityModel) -> None:
    """Every node of the user's network becomes a member; the best-connected node founds it."""
    g = network.read_edgelist(model.p.network.edgelist)
    founder_label = network.edgelist_founder(g)
    by_label = {}
    for label in sorted(g.nodes, key=str):
        if label == founder_label:
            m = create(model, Role.founder, "edgelist", {**FOUNDER_TRAITS, "expertise": model.p.founder.expertise},
                       satisfaction=1.0)
            model.founder = m
        else:
            role = Role.active if model.rng.random() < model.p.arrivals.active_at_join else Role.lurker
            m = create(model, role, "edgelist", candidate(model, "friends"),
                       satisfaction=model.p.seeding.initial_satisfaction)
        m.label = str(label)
        by_label[label] = m
    for u, v in g.edges:
        network.tie(model.network, by_label[u], by_label[v], known=True)


def _passes_threshold(model: CommunityModel, channel: str, fit: float) -> bool:
    e, n = model.p.entry, model.p.real_name
    rng = model.rng
    if n.required:  # the name card (seed 000 L87; seed 004 L192), checked before anything else
        model.log.name_checks += 1
        if not real_name.shows_real_name(rng.random(), channel == "spam", fit, n):
            return False
    if channel == "spam":
        return rng.random() < e.spammer_pass
    if channel in ("promotion", "paid_ads") and rng.random() >= e.promotion_pass:
        return False
    if e.fit_cutoff > 0:  # application review / paid self-selection judge fit, with error
        return rules.passes_review(fit, rng.normal(0.0, e.review_noise), e)
    return True


def _candidates_today(model: CommunityModel) -> list[tuple[str, dict, Member | None, int]]:
    """(channel, traits, inviter, latent node or -1) for everyone who knocks today."""
    p = model.p
    rng = model.rng
    fr = model.friends
    taken: set[int] = set()  # latent nodes already knocking today

    def claim(node: int) -> int:
        if node >= 0:
            taken.add(node)
        return node

    out: list[tuple[str, dict, Member | None, int]] = []
    founder_active = model.founder_active
    if founder_active and model.day < p.seeding.recruit_days:
        source = _RECRUIT_SOURCE[p.seeding.strategy]
        channel = "paid_ads" if source == "paid_ads" else "founder"
        for _ in range(rng.poisson(p.seeding.recruits_per_day)):
            node = claim(_recruit_node(model, source, taken)) if fr is not None else -1
            out.append((channel, candidate(model, source), None, node))
    a = p.arrivals
    sd = p.traits.invite_fit_sd
    for m in model.members:
        if m.satisfaction >= a.invite_satisfaction and m.spec.person and not m.muted \
                and rng.random() < a.invite_rate:
            node = -1
            if fr is not None:  # an invitation goes to an outside friend (seed 001 L31 裂变)
                outside = fr.outside_friends(m.node, taken) if m.node >= 0 else []
                if not outside:
                    continue  # everyone they know has been asked: the neighbourhood is exhausted
                node = claim(outside[int(rng.integers(len(outside)))])
            fit = rules.invited_fit(m.fit, rng.normal(0.0, sd))
            out.append(("word_of_mouth", candidate(model, "friends", fit=fit), m, node))
    if fr is not None:  # outsiders who heard of the group from friends inside (seed 001 L125)
        for node in fr.exposed_today(rng, p.friends.exposure_rate):
            if node in taken:
                continue
            tellers = fr.inside_friends(node)
            teller = tellers[int(rng.integers(len(tellers)))]
            if teller.satisfaction < a.invite_satisfaction or teller.muted or not teller.spec.person:
                continue  # an unhappy friend does not recommend the group
            fit = rules.invited_fit(teller.fit, rng.normal(0.0, sd))
            out.append(("word_of_mouth", candidate(model, "friends", fit=fit), teller, claim(node)))
    campaign = a.promotion_start_day <= model.day < a.promotion_start_day + a.promotion_days
    n_promo = rng.poisson(a.promotion_per_day) if campaign else 0
    for _ in range(n_promo):
        node = claim(fr.random_outside(rng, taken)) if fr is not None else -1
        out.append(("promotion", candidate(model, "random", fit=beta(model, a.promotion_fit)), None, node))
    n_spam = rng.poisson(rules.spam_arrival_rate(len(model.members), a) * conduct.spam_factor(model.p.conduct))
    out += [("spam", candidate(model, "spam"), None, -1) for _ in range(n_spam)]
    return out


def admit_newcomers(model: CommunityModel) -> None:
    """Today's candidates knock; those who pass the threshold and find a seat join. A joiner's
    latent friendships with members inside become group ties (sim/friends.py)."""
    p = model.p
    log = model.log
    fr = model.friends
    reviewing = p.entry.threshold is EntryThreshold.application
    for channel, traits, inviter, node in _candidates_today(model):
        log.reviews += reviewing
        if not _passes_threshold(model, channel, traits["fit"]):
            log.refused += 1
            if node >= 0:
                fr.decline(node)
            continue
        if len(model.members) >= p.arrivals.cap:
            log.turned_away_full += 1
            continue
        if channel == "spam":
            create(model, Role.spammer, channel, traits)
            continue
        role = Role.active if model.rng.random() < p.arrivals.active_at_join else Role.lurker
        m = create(model, role, channel, traits)
        log.revenue += p.entry.fee
        log.fees += p.entry.fee
        friends_inside = fr.join(node, m) if node >= 0 else []
        for f in friends_inside:
            network.tie(model.network, f, m, known=True)
        if inviter is not None and inviter.present and inviter not in friends_inside:
            network.tie(model.network, inviter, m, known=True)
        if p.entry.welcome_ritual:
            welcome(model, m)


def welcome(model: CommunityModel, newcomer: Member) -> None:
    """Self-intro and greetings (seed 004 L315 仪式感): early satisfaction and a first tie."""
    newcomer.satisfaction = rules.welcomed_satisfaction(newcomer.satisfaction, model.p.entry)
    greeter = model.founder if model.founder_active else model.random_talker()
    if greeter is not None:
        network.tie(model.network, greeter, newcomer)
        model.log.founder_welcomes += greeter is model.founder
