"""Ties carry value of their own (conversation.tie_replies, reading's social value, churn's
weighted lost ties) and KOLs react to the volume of noise (roles.QualityView). Each test
would fail with its mechanism's parameter set to 0."""

from __future__ import annotations

from collections import Counter

import pytest

from sim import CommunityModel, network
from sim.params import InitialNetwork
from sim.processes import churn, conversation, reading, roles
from sim.roles import Role
from tests.conftest import make_params


def _group(seed: int = 3, talkers: bool = True, **groups) -> CommunityModel:
    """A fresh mesh of 30 seed users on day 1, with a clean day log (all talkers, unless not)."""
    p = make_params(seed=seed, days=30, seeding={"seed_users": 30, "recruits_per_day": 0.0},
                    arrivals={"invite_rate": 0.0, "spam_base": 0.0, "spam_per_100_members": 0.0},
                    network={"initial": InitialNetwork.mesh, "mesh_degree": 3}, **groups)
    m = CommunityModel(p)
    m.step()
    m.log = conversation.DayLog()
    m.said_yesterday = Counter()
    for x in list(m.members):
        x.muted, x.satisfaction = False, 0.8
        x.visiting = x.talking = True  # everyone in the conversation today (processes/visiting.py)
        if x.role is Role.lurker and talkers:
            x.become(Role.active)  # lurkers do not reply (seed 004 L639): a group of talkers
    return m


def _replies(rate: float, seed: int) -> tuple[CommunityModel, int, Counter]:
    m = _group(seed, conversation={"tie_reply_rate": rate})
    speaker = next(x for x in m.members if x.role != "founder")
    m.log.add_posts(speaker, valuable=0, chat=8)
    before = Counter(m.log.said)
    conversation.tie_replies(m)
    return m, speaker.unique_id, m.log.said - before


def test_tie_replies_happen_only_between_tied_members():
    replied = 0
    for seed in range(4):
        m, speaker, new = _replies(3.0, seed)
        # First repliers answer the speaker: every reply chain starts at a tie of the speaker,
        # and each replier is tied to someone who had spoken before them.
        spoke = {speaker}
        for uid in new:
            assert m.network.has_node(uid)
            assert any(t in spoke or t in new for t in m.network.adj[uid]), "a replier answers a tie"
        replied += sum(new.values())
        assert m.log.tie_chat == sum(new.values())
        assert any(uid in m.network.adj[speaker] for uid in new)
        assert m.by_id(speaker).answered_day == m.day  # answered by a tie: asks for an answer (visiting)
    assert replied > 0
    for seed in range(4):
        assert not _replies(0.0, seed)[2], "tie_reply_rate = 0: nobody answers"


def test_lurkers_read_their_ties_but_do_not_reply():
    m = _group(2, talkers=False, conversation={"tie_reply_rate": 5.0})
    lurkers = {x.unique_id for x in m.members if x.role is Role.lurker}
    assert lurkers
    for x in m.members:
        m.log.add_posts(x, valuable=0, chat=3)
    before = Counter(m.log.said)
    conversation.tie_replies(m)
    assert not set(m.log.said - before) & lurkers


def test_a_member_without_ties_never_replies():
    m = _group(5, conversation={"tie_reply_rate": 5.0})
    loner = next(x for x in m.members if x.role != "founder")
    m.network.remove_edges_from(list(m.network.edges(loner.unique_id)))
    for x in m.members:
        if x is not loner:
            m.log.add_posts(x, valuable=0, chat=3)
    conversation.tie_replies(m)
    assert m.log.said[loner.unique_id] == 0


def _gain_with_tie_messages(n: int, social_value: float) -> float:
    m = _group(7, reading={"social_value": social_value, "muted_check_prob": 1.0})
    reader = next(x for x in m.members if x.role != "founder" and m.ties_of(x))
    tie = m.by_id(next(iter(m.ties_of(reader))))
    stranger = next(x for x in m.members if x is not reader and x.unique_id not in m.ties_of(reader))
    # Same page either way: n messages by a tie, or the same n by a stranger.
    m.log.add_posts(tie, valuable=0, chat=n)
    m.log.add_posts(stranger, valuable=0, chat=10 - n)
    m.page = reading.prepare_page(m)
    return reading.read_day(reader, m).gain


def test_social_value_rises_with_ties_messages():
    assert _gain_with_tie_messages(8, 0.05) > _gain_with_tie_messages(2, 0.05) > _gain_with_tie_messages(0, 0.05)
    assert _gain_with_tie_messages(8, 0.0) == _gain_with_tie_messages(0, 0.0)


def test_losing_a_heavy_tie_raises_hazard_more_than_a_light_one():
    def lost_share(drop_heavy: bool) -> float:
        m = _group(9)
        me, heavy, light = [x for x in m.members if x.role != "founder"][:3]
        m.network.remove_edges_from(list(m.network.edges(me.unique_id)))
        me.tie_weight_ever = 0
        for _ in range(9):
            network.tie(m.network, me, heavy)
        network.tie(m.network, me, light)
        m.remove_member(heavy if drop_heavy else light, "bored")
        return churn.lost_tie_share(m, me)

    heavy, light = lost_share(True), lost_share(False)
    assert abs(heavy - 0.9) < 1e-9 and abs(light - 0.1) < 1e-9
    # The hazard: base + dissatisfied term are the same, the lost-ties term scales with the share.
    for hazard in (0.02, 0.0):
        c = make_params(churn={"lost_ties_hazard": hazard}).churn
        assert (c.lost_ties_hazard * heavy > c.lost_ties_hazard * light) == (hazard > 0)


def _quality_after(noise: int, cost: float) -> float:
    r = make_params(roles={"kol_noise_cost": cost, "kol_noise_tolerance": 10.0}).roles
    view = roles.QualityView()
    log = conversation.DayLog(valuable=20, chat=60, noise=noise)
    for _ in range(30):
        view.update(log, r)
    return view.quality


def test_kol_perceived_quality_falls_with_noise_volume():
    assert _quality_after(0, 0.03) == _quality_after(10, 0.03)  # within the tolerance
    assert _quality_after(40, 0.03) < _quality_after(20, 0.03) < _quality_after(10, 0.03)
    assert _quality_after(40, 0.0) == _quality_after(0, 0.0)


def test_low_fit_members_chat_is_noise_and_tie_chat_is_not_the_topics_talk():
    m = _group(11)
    low, high = [x for x in m.members if x.role != "founder"][:2]
    low.fit, high.fit = 0.1, 0.9
    m.log.add_posts(low, valuable=0, chat=4)
    m.log.add_posts(high, valuable=0, chat=3)
    assert m.log.noise == 4
    # Side talk among ties does not dilute the valuable share KOLs see.
    r = m.p.roles
    a, b = roles.QualityView(), roles.QualityView()
    a.update(conversation.DayLog(valuable=10, chat=10), r)
    b.update(conversation.DayLog(valuable=10, chat=40, tie_chat=30), r)
    assert a.quality == b.quality


def test_a_lurker_who_knows_many_members_is_likelier_to_start_talking():
    """roles.activate_chance: at ease among people one knows (seed 004 L646), counting the
    ties of people who know each other outside the group's talk (network.tie known=True)."""
    m = _group(talkers=False, roles={"ease_activate": 0.05, "ease_ties": 4.0})
    lurker = next(x for x in m.members if x.role is Role.lurker)
    base = m.p.roles.activate_prob
    many = roles.activate_chance(m, lurker)
    k = sum(1 for d in m.ties_of(lurker).values() if d.get("known"))
    assert k >= 3
    assert many == base + 0.05 * k**2 / (k**2 + 16.0)
    # A tie made by talk alone (a reply from a stranger) does not put one at ease; meeting does.
    stranger = next(x for x in m.members if x is not lurker and x.unique_id not in m.ties_of(lurker))
    network.tie(m.network, stranger, lurker)
    assert roles.activate_chance(m, lurker) == many
    network.tie(m.network, stranger, lurker, known=True)
    assert roles.activate_chance(m, lurker) == base + 0.05 * (k + 1)**2 / ((k + 1)**2 + 16.0)
    for t in list(m.ties_of(lurker)):  # alone among strangers: only the base chance is left
        m.network.remove_edge(lurker.unique_id, t)
    assert roles.activate_chance(m, lurker) == base
    off = _group(talkers=False, roles={"ease_activate": 0.0})
    assert roles.activate_chance(off, next(x for x in off.members if x.role is Role.lurker)) == base


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mesa", "vector"])
def test_lurkers_in_a_mesh_start_talking_where_a_star_stays_quiet(engine):
    """In the star-vs-mesh fact's closed group of 60 (the founder stays), the mesh's lurkers
    (about a dozen ties each) turn into talkers within 60 days; the star's (who know only the
    founder) barely do; with ease_activate = 0 the mesh keeps the star's share (about 17%
    talkers on both engines at day 60; with 0.03 the mesh has about 68%, the star 22%)."""
    from analysis.ensemble import run_ensemble

    def talkers(network: str, ease: float) -> float:
        def measure(result):
            row = next(r for r in result.rows if r["day"] == 60)
            return {"talkers": row["members_active"] + row["members_kol"], "people": row["members"] - row["members_spammer"]}
        t = run_ensemble([["scenario=social_chat_group", "traits.friends_expertise=0.4", "cadence.posts_per_week=5",
                           "seeding.seed_users=60", "seeding.recruits_per_day=0",
                           "arrivals.invite_rate=0", "friends.exposure_rate=0", "arrivals.spam_base=0",
                           "arrivals.spam_per_100_members=0", "days=60", f"network.initial={network}",
                           "network.mesh_degree=6", f"roles.ease_activate={ease}"]],
                         seeds=range(6), engine=engine, workers=1, measure=measure)
        return float(t["talkers"].sum() / t["people"].sum())

    mesh, star, mesh_off = talkers("mesh", 0.03), talkers("star", 0.03), talkers("mesh", 0.0)
    assert mesh > 1.8 * star, (mesh, star)
    assert mesh > 1.8 * mesh_off, (mesh, mesh_off)
