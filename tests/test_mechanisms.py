"""Each daily mechanism of MODEL.md §4 does what it claims (small runs, explicit setups), on
both engines (the ``engine`` fixture, tests/conftest.py): a test reads the run record both
produce (rows, members, events, outcomes), except where it checks one engine's own machinery
(the Mesa agent registry, each engine's phase classifier and newcomer draw)."""

from __future__ import annotations

import statistics

import networkx as nx
import numpy as np
import pytest

from sim import CommunityModel, Result, run
from sim.params import AdPolicy, ChurnMode, EntryThreshold, InitialNetwork, SeedStrategy
from sim.roles import ROLES
from tests.conftest import make_params

# A group under steady spam pressure whose founder never tires, so moderation capacity is constant.
SPAMMY = {"arrivals": {"spam_base": 1.0, "spam_per_100_members": 0.5},
              "founder": {"cost_per_post": 0.0, "cost_per_moderation": 0.0}}


def simulate(engine: str, **groups) -> Result:
    """One run of ``make_params(**groups)`` on ``engine``."""
    return run(make_params(engine={"name": engine}, **groups))


def simulate_seeds(engine: str, seeds, **groups) -> list[Result]:
    """One run per seed, in one call (the vector engine simulates them as one batch)."""
    return run([make_params(engine={"name": engine}, seed=seed, **groups) for seed in seeds])


def test_ban_leaves_no_visible_ads_once_moderation_catches_up(engine):
    r = simulate(engine, days=120, ads={"policy": AdPolicy.ban}, moderation={"capacity_per_day": 50.0}, **SPAMMY)
    assert sum(row["ads_posted"] for row in r.rows) > 50, "spammers did post"
    assert all(row["msgs_ad"] == 0 for row in r.rows[30:])
    assert sum(row["leaves_kicked"] for row in r.rows) > 0


def test_free_policy_leaves_ads_up_and_quota_caps_them(engine):
    free = simulate(engine, days=60, seed=2, ads={"policy": AdPolicy.free}, **SPAMMY)
    quota = simulate(engine, days=60, seed=2, ads={"policy": AdPolicy.quota, "quota_per_day": 1},
                     moderation={"capacity_per_day": 50.0}, **SPAMMY)
    assert sum(row["msgs_ad"] for row in free.rows) == sum(row["ads_posted"] for row in free.rows) > 0
    assert all(row["msgs_ad"] <= 1 for row in quota.rows)


def test_moderation_capacity_is_a_real_limit(engine):
    r = simulate(engine, days=60, ads={"policy": AdPolicy.ban}, moderation={"capacity_per_day": 0.0}, **SPAMMY)
    assert sum(row["msgs_ad"] for row in r.rows) == sum(row["ads_posted"] for row in r.rows) > 0
    assert sum(row["leaves_kicked"] for row in r.rows) == 0


def test_warned_then_kicked(engine):
    """A poster is warned for each removed ad and kicked on the one after ``warnings_before_kick``
    warnings: with two, every kicked member had posted at least three messages (ads) and the
    removals number at least three per kick; with none, some are kicked on their first or second."""
    kicked_after = {}
    for warnings in (2, 0):
        r = simulate(engine, days=120, ads={"policy": AdPolicy.ban},
                     moderation={"capacity_per_day": 50.0, "warnings_before_kick": warnings}, **SPAMMY)
        kicked = [m for m in r.member_rows() if m["leave_reason"] == "kicked"]
        assert kicked and len(kicked) == sum(row["leaves_kicked"] for row in r.rows)
        assert all(m["messages_total"] >= warnings + 1 for m in kicked)
        assert sum(row["ads_removed"] for row in r.rows) >= (warnings + 1) * len(kicked)
        kicked_after[warnings] = [m["messages_total"] for m in kicked]
    assert min(kicked_after[0]) < 3, "without warnings the kick comes earlier"


def test_cap_is_never_exceeded(engine):
    r = simulate(engine, days=60, arrivals={"cap": 100, "promotion_per_day": 30.0})
    assert max(row["members"] for row in r.rows) == 100
    assert sum(row["turned_away_full"] for row in r.rows) > 0


def _recruited_fit(engine: str, threshold: EntryThreshold, cutoff: float, seeds) -> list[float]:
    runs = simulate_seeds(engine, seeds, days=60, arrivals={"promotion_per_day": 4.0, "promotion_fit": 0.25},
                          entry={"threshold": threshold, "fit_cutoff": cutoff})
    return [
        m["fit"] for r in runs for m in r.member_rows() if m["channel"] in ("promotion", "word_of_mouth", "founder")
    ]


def test_entry_threshold_lowers_low_fit_arrivals(engine):
    """Over 5 seeds: an application review (cutoff 0.5) admits fewer low-fit (< 0.3) newcomers
    and raises mean fit by at least 0.15 over an open door."""
    open_fits = _recruited_fit(engine, EntryThreshold.open, 0.0, range(5))
    app_fits = _recruited_fit(engine, EntryThreshold.application, 0.5, range(5))
    low = lambda fits: sum(f < 0.3 for f in fits) / len(fits)
    assert statistics.mean(app_fits) > statistics.mean(open_fits) + 0.15
    assert low(app_fits) < 0.5 * low(open_fits)
    assert len(app_fits) < len(open_fits), "the threshold trades volume for fit"


def test_role_change_keeps_identity(engine):
    """A member who changes role stays one member: one id, one row, the history ending in the role."""
    r = simulate(engine, days=150, seed=4, seeding={"strategy": SeedStrategy.kols_first})
    members = r.member_rows()
    history = {m["id"]: [step.split(":", 1)[1] for step in m["role_history"].split(";")] for m in members}
    changed = [m for m in members if len(set(history[m["id"]])) > 1]
    assert changed, "some members changed role"
    assert all(history[m["id"]][-1] == m["final_role"] for m in members)
    assert len({m["id"] for m in members}) == len(members) == sum(row["joins"] for row in r.rows)


def test_role_change_keeps_the_mesa_registration():
    """The Mesa engine's own machinery: a role is an attribute, not a new agent."""
    r = simulate("mesa", days=150, seed=4, seeding={"strategy": SeedStrategy.kols_first})
    changed = [m for m in r.model.roster if len({role for _, role in m.role_history}) > 1]
    assert changed, "some members changed role"
    for m in changed:
        assert r.model.by_id(m.unique_id) is m
    # ids are the network's keys: a role change must not renumber (Mesa >= 3.4 would)
    assert set(r.model.network.nodes) == {m.unique_id for m in r.model.members}
    assert len({m.unique_id for m in r.model.roster}) == len(r.model.roster)
    # a role is an attribute: the agent stays registered under its class (Member or Founder)
    assert {cls.__name__ for cls in r.model.agents_by_type} <= {"Member", "Founder"}
    assert sum(len(a) for a in r.model.agents_by_type.values()) == len(r.model.agents)
    assert all(a in r.model.agents for m in changed if m.present for a in [m])


def test_low_quality_influx_drives_kols_out(engine):
    """Over 4 seeds, a flood of low-fit strangers makes more KOLs leave for 'quality_fell'
    (a reason only KOLs leave for)."""

    def kol_exits(promotion: float) -> int:
        total = 0
        for r in simulate_seeds(
            engine,
            range(4),
            days=150,
            seeding={"strategy": SeedStrategy.kols_first},
            arrivals={"promotion_per_day": promotion, "promotion_fit": 0.15, "promotion_start_day": 40},
        ):
            left = [m for m in r.member_rows() if m["leave_reason"] == "quality_fell"]
            assert all(m["final_role"] == "kol" for m in left)
            assert len(left) == sum(row["leaves_quality_fell"] for row in r.rows)
            total += len(left)
        return total

    assert kol_exits(8.0) > kol_exits(0.0)


def test_zombie_purge_removes_the_silent(engine):
    """Every 30 days the members silent for 30 days (since their last post, or joining) are
    purged, and only they: after a purge day no member who is still there had been silent that
    long. (The record keeps each member's last post, so a member who posted again later is
    not checked for that day.)"""
    r = simulate(engine, days=120, churn={"zombie_purge": True, "zombie_days": 30, "purge_every_days": 30})
    members = r.member_rows()
    purged = [m for m in members if m["leave_reason"] == "purged"]
    assert purged and len(purged) == sum(row["leaves_purged"] for row in r.rows)
    assert all(m["leave_day"] % 30 == 0 and m["leave_day"] - m["last_post_day"] >= 30 for m in purged)
    assert len(r.rows) == 121, "the group lives through the four purge days"
    purge_days = range(30, 121, 30)
    for day in purge_days:
        stayed = [
            m
            for m in members
            if m["join_day"] <= day
            and (m["leave_day"] == "" or m["leave_day"] > day)
            and m["final_role"] != "founder"
            and m["last_post_day"] <= day
        ]
        assert stayed and all(day - m["last_post_day"] < 30 for m in stayed), day


def test_vip_tier_converts_and_earns_only_when_enabled(engine):
    on = simulate(engine, days=120, seed=1, monetisation={"enabled": True})
    off = simulate(engine, days=120, seed=1)
    vips_ever = lambda r: sum(":vip" in m["role_history"] for m in r.member_rows())  # noqa: E731
    assert on.outcomes["revenue"] > 0 and vips_ever(on) > 0
    assert off.outcomes["revenue"] == 0 and vips_ever(off) == 0


def test_dead_group_stops_early(engine):
    r = simulate(
        engine,
        days=365,
        seeding={"seed_users": 3, "recruits_per_day": 0.0},
        arrivals={"invite_rate": 0.0, "spam_base": 0.0, "spam_per_100_members": 0.0},
        churn={"base_hazard": 0.3},
        dormancy={"enabled": False},
    )  # leavers leave: no sleepers stay
    assert r.outcomes["final_phase"] == "dead"
    assert r.outcomes["days_run"] < 100
    # 3 people never make min_weekly_speakers voices: its life as a group (alive means talking)
    # ended by the day it died, at the latest.
    assert not r.outcomes["censored"] and r.outcomes["lifespan_days"] <= r.outcomes["dead_day"]


def test_a_group_of_the_founder_alone_dies_on_day_0(engine):
    """No one but the founder: dead at founding, and no day 1 is lived (spammers would still
    arrive on it, into a dead group whose rows have ended)."""
    r = simulate(engine, days=30, seeding={"seed_users": 0, "recruits_per_day": 0.0}, arrivals={"spam_base": 1.0})
    assert r.outcomes["final_phase"] == "dead" and r.outcomes["dead_day"] == 0
    assert len(r.rows) == r.outcomes["days_run"] == 1
    assert [m["final_role"] for m in r.member_rows()] == ["founder"]


def test_every_role_can_die_out_without_errors(engine):
    """PITFALLS: a role reaching zero must not break collection; here all do."""
    r = simulate(
        engine,
        days=200,
        seeding={"seed_users": 6, "recruits_per_day": 0.0, "active_share": 0.5},
        arrivals={"invite_rate": 0.0},
        churn={"base_hazard": 0.05},
        dormancy={"enabled": False},
    )  # every role empties by leaving (sleepers would stay members)
    last = r.rows[-1]
    # Every role that was ever present (VIPs never are: monetisation is off) reached zero,
    # and the rows kept recording it; the founder stays to the end (the group dies when no
    # people are left, and the run stops there). Six seed users, half of them talkers: both
    # active members and lurkers are there to die out.
    assert r.outcomes["final_phase"] == "dead"
    present_once = [role for role in ROLES if role != "founder" and any(row[f"members_{role}"] for row in r.rows)]
    assert len(present_once) >= 2, present_once  # active and lurker at least
    assert all(last[f"members_{role}"] == 0 for role in present_once), {rl: last[f"members_{rl}"] for rl in ROLES}
    assert all(isinstance(last[f"members_{role}"], int) for role in ROLES)


def test_edgelist_members_and_cascade_core(engine, tmp_path):
    """Threshold cascade on a user network: survivors are the ⌈c/b⌉-core (Garcia et al. 2013)."""
    g = nx.karate_club_graph()
    path = tmp_path / "ties.txt"
    path.write_text("# karate club\n" + "\n".join(f"n{u} n{v}" for u, v in g.edges) + "\n")
    r = simulate(
        engine,
        days=30,
        network={"initial": InitialNetwork.edgelist, "edgelist": str(path)},
        churn={"mode": ChurnMode.cascade, "cascade_benefit": 1.0, "cascade_cost": 4.0},
        seeding={"recruits_per_day": 0.0},
        arrivals={"invite_rate": 0.0, "spam_base": 0.0, "spam_per_100_members": 0.0},
    )
    members = r.member_rows()
    assert r.rows[0]["members"] == g.number_of_nodes()
    assert {m["label"] for m in members if m["join_day"] == 0} == {f"n{v}" for v in g.nodes}
    survivors = {m["label"] for m in members if m["leave_day"] == ""}
    assert survivors == {f"n{v}" for v in nx.k_core(g, 4).nodes}


def _newcomer_needs(engine: str, day: int, shift_day: int, n: int = 4000) -> list[float]:
    """Needs of ``n`` newcomers drawn on ``day`` (arrivals.candidate / the vector traits)."""
    import numpy as np

    p = make_params(needs={"shift_day": shift_day, "shift_share": 0.5, "shift_size": 0.7})
    if engine == "mesa":
        from sim.processes import arrivals

        model = CommunityModel(p)
        model.day = day
        return [arrivals.candidate(model, "friends")["need"] for _ in range(n)]
    from sim.vector import day as vd
    from sim.vector.engine import Engine

    vector_engine = Engine([p])
    vector_engine.day = day
    u = np.random.default_rng(5).random((n, vd.TRAIT_UNIFORMS))
    r = np.zeros(n, np.int64)
    return list(vd.traits(vector_engine, r, np.full(n, vd.SOURCE_CODE["friends"]), np.full(n, np.nan), u)["need"])


def test_the_purpose_expires_for_newcomers_too(engine):
    """From shift_day on, a newcomer's need is cut like the members' (needs.expire_for_newcomer):
    before it newcomers are as needy as with no shift at all; on and after it about
    shift_share of them arrive below need_gone_below (0.25) and the mean need drops."""
    below = lambda xs: sum(x < 0.25 for x in xs) / len(xs)  # noqa: E731
    never = _newcomer_needs(engine, 40, -1)
    before = _newcomer_needs(engine, 29, 30)
    on, after = _newcomer_needs(engine, 30, 30), _newcomer_needs(engine, 40, 30)
    assert abs(statistics.mean(before) - statistics.mean(never)) < 0.02
    assert below(never) < 0.1
    for xs in (on, after):
        assert statistics.mean(never) - statistics.mean(xs) > 0.2
        assert 0.4 < below(xs) < 0.6  # shift_share 0.5 of them, plus the few below anyway


def _vip_days(member: dict) -> list[tuple[int, int]]:
    """[start, end) day intervals in which a members.csv row was a VIP."""
    steps = [(int(d), r) for d, r in (x.split(":", 1) for x in member["role_history"].split(";"))]
    end = int(member["leave_day"]) if member["leave_day"] != "" else 10**9
    return [(d, steps[i + 1][0] if i + 1 < len(steps) else end) for i, (d, r) in enumerate(steps) if r == "vip"]


def test_zombie_purge_spares_paying_vips(engine):
    """Seed 004 L630 screens out lurkers who joined at no cost: a silent VIP keeps the seat,
    while silent members who pay nothing are purged."""
    from analysis.compose import load_params

    every, silent_days, days = 30, 20, 365  # VIPs seldom fall silent: a short zombie spell, a year
    ov = ["scenario=healthy_learning_group", f"days={days}", f"churn.zombie_days={silent_days}"]
    protected = purged = purged_vips = 0
    for result in run([load_params([*ov, f"seed={seed}", f"engine={engine}"]) for seed in range(4)]):
        for m in result.member_rows():
            if m["leave_reason"] == "purged":
                purged += 1
                purged_vips += m["final_role"] == "vip"
            for start, end in _vip_days(m):  # purge days on which this VIP had been silent long enough
                protected += sum(
                    start <= d < end and d - int(m["last_post_day"]) >= silent_days for d in range(every, days, every)
                )
    assert purged > 0, "the purge must have removed someone for the test to mean anything"
    assert protected > 0, "some VIP must have been silent on a purge day for the test to mean anything"
    assert purged_vips == 0


class _Mesa:
    """The Mesa classifier fed day by day: ``met`` indicators of 5, ``n`` members, 50 people of
    whom ``speakers`` spoke in the week."""

    def __init__(self, p) -> None:
        from sim.processes.lifecycle import Lifecycle

        self.model, self.life = CommunityModel(p), Lifecycle()

    def day(self, d: int, n: int, met: int, speakers: int = 50) -> str:
        self.model.day = d
        verdict = self.life._classify(self.model, people=50, n=n, met=met, applicable=5, speakers=speakers)
        self.life._members.append(n)
        return verdict

    @property
    def self_operation_day(self) -> int | None:
        return self.life.self_operation_day


class _Vector:
    """The vector engine's classifier (sim/vector/lifecycle.py) fed the same days, batch of one."""

    def __init__(self, p) -> None:
        from types import SimpleNamespace

        from sim.vector.lifecycle import VectorLifecycle
        from sim.vector.params import ParamTable

        self.life = VectorLifecycle(1, p.days)
        self.engine = SimpleNamespace(table=ParamTable([p]), running=np.ones(1, bool), day=0,
                                      batch=SimpleNamespace(event=lambda *args, **numbers: None))  # log: not checked

    def day(self, d: int, n: int, met: int, speakers: int = 50) -> str:
        from sim.processes.lifecycle import PHASES

        self.engine.day = d
        cand = self.life._classify(
            self.engine, np.array([50]), np.array([n]), np.array([met]), np.array([5]), np.array([speakers])
        )
        self.life.members[:, d] = n
        return PHASES[int(cand[0])]

    @property
    def self_operation_day(self) -> int | None:
        day = int(self.life.self_operation_day[0])
        return None if day < 0 else day


CLASSIFIERS = {"mesa": _Mesa, "vector": _Vector}


def test_self_operation_streak_runs_while_the_group_shrinks(engine):
    """The indicators alone decide self-operation (seed 001 L115-127): a group that keeps all
    of them for the streak while it loses members fast (free riders leaving a paying core)
    becomes self-operating; one indicator missing on the last day resets the streak. Both
    engines' classifiers, fed the same days."""
    p = make_params(days=400, phases={"self_operation_streak": 60})
    first = p.phases.launch_days + 59  # the streak counts from the end of the launch

    def feed(clf, days: range, met: int) -> str:
        verdict = ""
        for d in days:
            verdict = clf.day(d, n=1000 - 5 * d, met=met)  # 5 fewer members a day: decline_drop in 20 days
        return verdict

    clf = CLASSIFIERS[engine](p)
    assert feed(clf, range(0, first), met=5) == "decline"  # shrinking fast, streak 59
    assert clf.self_operation_day is None
    assert feed(clf, range(first, first + 1), met=5) == "self_operating"
    assert clf.self_operation_day == first
    assert feed(clf, range(first + 1, first + 30), met=5) == "decline"  # still shrinking fast

    broken = CLASSIFIERS[engine](p)
    feed(broken, range(0, first), met=5)
    feed(broken, range(first, first + 1), met=4)
    assert broken.self_operation_day is None


def test_too_few_voices_rule_out_self_operation_on_both_classifiers(engine):
    """Alive means talking (MODEL.md §5): all five indicators held for the whole streak, but only
    4 people spoke each week — never self-operating nor mature, in decline from the end of the
    launch; the same days with 5 voices make it self-operating on the streak's last day."""
    p = make_params(days=400, phases={"self_operation_streak": 60})
    first = p.phases.launch_days + 59
    quiet = CLASSIFIERS[engine](p)
    verdicts = [quiet.day(d, n=1000, met=5, speakers=4) for d in range(first + 30)]
    assert quiet.self_operation_day is None and set(verdicts[p.phases.launch_days :]) == {"decline"}
    talking = CLASSIFIERS[engine](p)
    assert [talking.day(d, n=1000, met=5, speakers=5) for d in range(first + 1)][-1] == "self_operating"
