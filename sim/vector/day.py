"""One day of R communities at once: the processes of ``sim/processes/`` on arrays.

Each function here is the array form of the Mesa process of the same name (its docstring
says which) and keeps its rules; read the Mesa module for the *why* and the seeds. What
differs is only how it is computed: masks over ``(R, N)`` member arrays instead of loops
over members, flat arrays for variable-length things (candidates, threads, replies, ads).
Where the Mesa engine walks members in a random order and a later member sees what an
earlier one did the same day (tie replies), the array form lets everyone act on the state
at the start of the step — a difference the equivalence tests (tests/vector) measure.
"""

from __future__ import annotations

import numpy as np

from sim.state import RESET_FIELDS
from sim.rules import arrivals, checkins, conduct, content, costs, dormancy, leaving, meetups, moderation, needs
from sim.rules import outreach, posting, real_name, roles, topics, visiting
from sim.rules import satisfaction as sat
from sim.vector import rng
from sim.vector.backend import asarray
from sim.vector.state import (ACTIVE, CHANNEL_CODE, FOUNDER, KOL, LURKER, PERSON, RATE_FIELDS, READS, SPAMMER,
                              TALKER, VIP, REASON_CODE, scatter_add)
from sim.vector.streams import Stream


def col(a) -> np.ndarray:
    """An ``(R,)`` parameter column as ``(R, 1)``, to broadcast over members."""
    return asarray(a)[:, None]


class Columns:
    """A parameter section (``T.churn``) as the rules of :mod:`sim.rules` read it: each
    parameter as an ``(R, 1)`` column over the ``(R, N)`` members, or, with ``rows``, the
    value of each element's community (``T.churn.x[rows]``)."""

    def __init__(self, section, rows=None) -> None:
        self._section, self._rows = section, rows

    def __getattr__(self, name: str):
        value = getattr(self._section, name)
        return col(value) if self._rows is None else value[self._rows]


_REASON_INT8 = {name: np.int8(code) for name, code in REASON_CODE.items()}  # leave reasons as B.read_worst stores them


def ranks(r: np.ndarray, R: int) -> np.ndarray:
    """Position of each element among the elements of its community (r sorted ascending)."""
    counts = np.bincount(r, minlength=R)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return np.arange(r.size, like=r) - starts[r]


def sorted_members(mask: np.ndarray) -> np.ndarray:
    """Per community, the slots where ``mask`` holds first (in slot order): pick the k-th of them."""
    return np.argsort(~mask, axis=1, kind="stable")


def pick(mask: np.ndarray, r: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One slot of community r[i] drawn uniformly among ``mask[r[i]]`` (-1 when none)."""
    n = mask.sum(axis=1)[r]
    order = sorted_members(mask)
    k = np.minimum((u * n).astype(np.int64), np.maximum(n - 1, 0))
    return np.where(n > 0, order[r, k], -1)


def draw_where(engine, stream: int, mask: np.ndarray, column: int | None = None):
    """The members where ``mask`` holds, (r, s) in row-major order, and their uniforms of
    ``engine.streams.uniform(stream, (N,))`` (or of column ``column`` of ``uniform(stream, (N, width))``):
    the same numbers as drawing the whole (R, N) array, computed for these members alone."""
    r, s = np.nonzero(mask)
    return r, s, engine.streams.uniform_of(stream, r, s, engine.batch.N, column)


def on_rhythm(day: int, per_week: np.ndarray) -> np.ndarray:
    """content._on_rhythm: how many of ``per_week`` evenly spaced items fall on ``day``."""
    return content.on_rhythm(day, per_week).astype(np.int64)


def beta_mean(mean, k, u) -> np.ndarray:
    """arrivals.beta: a Beta draw with the given mean and concentration."""
    return rng.beta(*arrivals.beta_shape(mean, k), u)


class DayLog:
    """conversation.DayLog as ``(R,)`` counters (and per-slot tallies)."""

    COUNTS = (
        "content",
        "valuable",
        "chat",
        "ads_posted",
        "ads_removed",
        "rounds",
        "rounds_without_owner",
        "red_packets",
        "revenue",
        "fees",
        "noise",
        "tie_chat",
        "refused",
        "turned_away_full",
        "kicked",
        "new_vips",
        "tips",
        "sessions",
        "offline_events",
        "founder_welcomes",
        "reviews",
        "founder_ads_handled",
        "ad_slots",
        "speakers",
        "private_chats",
        "endorsements",
        "answers",
        "checkins_run",
        "name_checks",
        "core_cared",
        "kol_meetups",
        "question_packets",
        "founder_hours",
        "cost",
        "income",
    )

    def __init__(self, R: int, N: int, n_channels: int, n_reasons: int, like=None) -> None:
        """``like``: an array of the batch, whose device the counters live on."""
        for name in self.COUNTS:
            setattr(self, name, np.zeros(R, like=like))
        self.joins = np.zeros((R, n_channels), like=like)
        self.leaves = np.zeros((R, n_reasons), like=like)
        self.valuable_by = np.zeros((R, N), np.int64, like=like)  # valuable posts per author today (threads)
        self.ads_by = np.zeros((R, N), np.int64, like=like)
        self.spoke = np.zeros((R, N), bool, like=like)

    @property
    def ads_visible(self) -> np.ndarray:
        return self.ads_posted - self.ads_removed


def _spoke(engine, r, s, n) -> None:
    """Member.spoke + DayLog.add_posts bookkeeping for (r, s) writing n messages (not ads)."""
    batch, day = engine.batch, engine.day
    batch.last_post_day[r, s] = day
    batch.last_spoke_day[r, s] = day
    scatter_add(batch.messages_total, (r, s), n)
    scatter_add(batch.said, (r, s), n)
    engine.log.spoke[r, s] = True


def _noisy(engine, r, s) -> np.ndarray:
    """conversation.is_noisy: low-fit members' chat (never the founder's)."""
    batch = engine.batch
    return posting.is_noisy(batch.fit[r, s], batch.role[r, s] == FOUNDER, engine.table.roles.kol_noise_fit[r])


# -- topics, visiting ----------------------------------------------------------------------------
def morning(engine) -> None:
    """topics.morning: yesterday's heat fades; perhaps a hot topic today."""
    t, batch = engine.table.topics, engine.batch
    u = engine.streams.uniform(Stream.topic, (2,))
    new = (t.hot_per_week > 0) & (u[:, 0] < t.hot_per_week / 7.0)
    heat = topics.heat_today(batch.heat, new, rng.pareto(t.heat_alpha, u[:, 1]), t)
    big = np.flatnonzero(new & topics.is_big_topic(heat, t) & engine.running)
    batch.event("hot_topic", big, engine.day, heat=topics.capped_heat(heat, t)[big])
    batch.heat = topics.capped_heat(heat, t)


def decide_visits(engine) -> None:
    """visiting.decide_visits: who opens the group today, and who of them talks."""
    batch, v, day = engine.batch, engine.table.visiting, engine.day
    p = visiting.visit_probability(
        batch.habit_logit,
        batch.satisfaction,
        col(engine.table.topics.visit_pull),
        col(batch.heat),
        batch.fit,
        day - batch.last_post_day,
        batch.notified_day == day - 1,
        batch.muted,
        Columns(v),
        col(checkins.visit_pull(day, engine.table.checkins)),
    )
    p = p * dormancy.visit_factor(batch.dormant, Columns(engine.table.dormancy))  # asleep: rarely opened
    always = (batch.role == SPAMMER) | (batch.role == FOUNDER) | ~col(v.enabled)
    batch.visiting = always & batch.present
    r, s, u = draw_where(engine, Stream.visit, batch.present & ~always)
    come = u < p[r, s]
    batch.visiting[r[come], s[come]] = True
    chance = visiting.talk_chance(batch.answered_day == day - 1, Columns(v))
    batch.talking = batch.visiting & always
    r, s, u = draw_where(engine, Stream.talk, batch.visiting & ~always)
    talk = u < chance[r, s]
    batch.talking[r[talk], s[talk]] = True
    batch.last_visit_day[batch.visiting & READS[batch.role]] = day


# -- arrivals --------------------------------------------------------------------------------------
_SOURCES = ("kols", "friends", "random", "paid_ads", "spam")
SOURCE_CODE = {s: i for i, s in enumerate(_SOURCES)}
_STRATEGY_SOURCE = {
    "kols_first": SOURCE_CODE["friends"],
    "friends": SOURCE_CODE["friends"],
    "random": SOURCE_CODE["random"],
    "paid_ads": SOURCE_CODE["paid_ads"],
}


def recruit_source(table) -> np.ndarray:
    """arrivals._RECRUIT_SOURCE per community."""
    return np.array([_STRATEGY_SOURCE[s] for s in table.seeding.strategy])


def candidate_fit(engine, r, source, fit, u) -> np.ndarray:
    """The fit of candidates in communities r from ``source`` codes: ``fit`` where given, drawn
    from the source where NaN (with ``u[:, 0]``). Drawn before the entry threshold, which reads it."""
    t = engine.table.traits
    fit = np.array(fit, dtype=np.float64)
    draw = np.isnan(fit)
    if draw.any():
        fit_means = np.stack([t.kols_fit, t.friends_fit, t.random_fit, t.paid_ads_fit, t.spam_fit], axis=1)
        rd = r[draw]
        fit[draw] = beta_mean(fit_means[rd, source[draw]], t.concentration[rd], u[draw, 0])
    return fit


#: Uniforms per candidate (columns of ``u``): 0 fit, 1 expertise, 2 need, 3 willingness,
#: 4 propensity, 5 habit, 6 spammer passes, 7 promoted passes, 8 review noise, 9 active at
#: join, 10 the need shift reaches the newcomer (needs.expire_for_newcomer).
TRAIT_UNIFORMS = 11


def traits(engine, r, source, fit, u) -> dict[str, np.ndarray]:
    """arrivals.candidate for candidates in communities r from ``source`` codes; ``fit`` NaN =
    draw it from the source. ``u``: (K, TRAIT_UNIFORMS) uniforms. Called for those who join
    only: Beta inverses are the costliest draws, and most candidates of a full group are
    turned away."""
    t = engine.table.traits
    exp_means = np.stack(
        [
            t.kols_expertise,
            t.friends_expertise,
            t.random_expertise,
            t.paid_ads_expertise,
            np.zeros(engine.table.R, like=r),
        ],
        axis=1,
    )
    k = t.concentration[r]
    em = exp_means[r, source]
    shape = engine.table.conversation.propensity_shape[r]
    v = engine.table.visiting
    hm = v.habit_mean[r]
    hk = v.habit_concentration[r]
    # Expertise and habit are drawn only where they apply (spammers have none; visiting off:
    # habit 1): the same numbers as drawing all and discarding, without the costly inverses.
    expertise = np.zeros(r.size, like=r)
    has = em > 0
    expertise[has] = beta_mean(em[has], k[has], u[has, 1])
    habit = np.ones(r.size, like=r)
    has = v.enabled[r]
    habit[has] = rng.beta(hm[has] * hk[has], (1 - hm[has]) * hk[has], u[has, 5])
    return {
        "fit": candidate_fit(engine, r, source, fit, u),
        "expertise": expertise,
        "need": _expire_for_newcomer(engine, r, beta_mean(t.need_mean[r], k, u[:, 2]), u[:, 10]),
        "willingness": beta_mean(t.willingness_mean[r], k, u[:, 3]),
        "propensity": rng.gamma(shape, u[:, 4]) / shape,
        "habit": habit,
    }


def _expire_for_newcomer(engine, r, need, u) -> np.ndarray:
    """needs.expire_for_newcomer: from shift_day on, a newcomer's need is shifted like members'."""
    n = engine.table.needs
    nr = Columns(n, r)
    return needs.newcomer_need(need, needs.purpose_has_expired(engine.day, nr) & (u < nr.shift_share), nr)


def create(engine, r, s, role, channel, tr, satisfaction) -> None:
    """arrivals.create: members take slots (r, s). A slot is reused, so every field of a
    member's state is set here: the table's values on joining, then the arrival's."""
    batch, day = engine.batch, engine.day
    for f in RESET_FIELDS:
        if f.vector:
            getattr(batch, f.name)[r, s] = f.join_value(day, vector=True)
    batch.role[r, s] = role
    batch.join_role[r, s] = role
    batch.channel[r, s] = channel
    for name in ("fit", "expertise", "need", "willingness", "propensity"):
        getattr(batch, name)[r, s] = tr[name]
    batch.habit_logit[r, s] = visiting.habit_logit(tr["habit"])
    batch.satisfaction[r, s] = satisfaction
    batch.kol_by_age[r, s] = (role == KOL) & (day <= engine.table.phases.outcome_age_days[r])
    order = ranks(r, batch.R) if r.size and np.all(np.diff(r) >= 0) else _ranks_unsorted(r, batch.R)
    batch.uid[r, s] = batch.next_uid[r] + order
    batch.next_uid += np.bincount(r, minlength=batch.R)
    scatter_add(engine.log.joins, (r, channel), 1)


def _ranks_unsorted(r, R) -> np.ndarray:
    order = np.argsort(r, kind="stable")
    out = np.empty_like(order)
    out[order] = ranks(r[order], R)
    return out


def admit_newcomers(engine) -> None:
    """arrivals.admit_newcomers: today's candidates knock, pass the threshold, find a seat."""
    table, batch, streams, latent, log, day = (
        engine.table,
        engine.batch,
        engine.streams,
        engine.latent,
        engine.log,
        engine.day,
    )
    R = batch.R
    a = table.arrivals
    parts = []  # (r, channel, source, fit, inviter, node, index)

    def add(r, channel, source, fit, inviter, node, index):
        n = r.size
        parts.append(
            (
                r,
                np.broadcast_to(channel, n),
                np.broadcast_to(source, n),
                np.broadcast_to(fit, n),
                np.broadcast_to(inviter, n),
                np.broadcast_to(node, n),
                index,
            )
        )

    # The founder's own recruiting during the launch.
    recruiting = batch.founder_active & (day < table.seeding.recruit_days) & engine.running
    n = rng.poisson(np.where(recruiting, table.seeding.recruits_per_day, 0.0), streams.uniform(Stream.recruits))
    r = np.repeat(np.arange(R, like=n), n)
    if r.size:
        source = recruit_source(table)[r]
        channel = np.where(source == SOURCE_CODE["paid_ads"], CHANNEL_CODE["paid_ads"], CHANNEL_CODE["founder"])
        node = np.full(r.size, -1, like=r)
        if latent is not None:
            friendly = source == SOURCE_CODE["friends"]
            rows = np.flatnonzero(recruiting & (recruit_source(table) == SOURCE_CODE["friends"]))
            fr_r, fr_node = latent.next_recruits(rows, n[rows])
            node[friendly] = fr_node  # both ordered by community
            lost = node < 0
            k = ranks(r, R)
            if lost.any():
                node[lost] = latent.random_outside(
                    r[lost],
                    streams.uniform_at(Stream.recruit_node, r[lost][:, None], k[lost][:, None], np.arange(20)[None, :]),
                )
        add(r, channel, source, np.nan, -1, node, ranks(r, R))
    # Invitations (seed 001 L31 裂变): to an outside latent friend.
    r, s, u = draw_where(
        engine,
        Stream.invite,
        batch.is_(PERSON) & ~batch.muted & (batch.satisfaction >= col(a.invite_satisfaction)) & col(engine.running),
    )
    ok = u < a.invite_rate[r]
    r, s = r[ok], s[ok]
    if r.size:
        node = np.full(r.size, -1, like=r)
        keep = np.ones(r.size, bool, like=r)
        if latent is not None:
            on = table.friends.enabled[r]
            node[on] = latent.random_outside_friend(r[on], s[on], streams.uniform_at(Stream.invite_node, r[on], s[on]))
            keep = ~on | (node >= 0)
        u = streams.uniform_at(Stream.invite_node, r, s, np.full(r.size, 1, like=r))
        fit = arrivals.invited_fit(batch.fit[r, s], table.traits.invite_fit_sd[r] * rng.normal(u))
        add(r[keep], CHANNEL_CODE["word_of_mouth"], SOURCE_CODE["friends"], fit[keep], s[keep], node[keep], s[keep])
    # Outsiders who heard of the group from friends inside (seed 001 L125).
    if latent is not None:
        r, node = latent.exposed(
            np.where(engine.running, table.friends.exposure_rate, 0.0),
            lambda rows, nodes: streams.uniform_of(Stream.exposure, rows, nodes, latent.P),
        )
        if r.size:
            teller = latent.random_inside_friend(r, node, streams.uniform_at(Stream.teller, r, node))
            ok = teller >= 0
            r, node, teller = r[ok], node[ok], teller[ok]
            good = (
                (batch.satisfaction[r, teller] >= a.invite_satisfaction[r])
                & ~batch.muted[r, teller]
                & PERSON[batch.role[r, teller]]
            )
            u = streams.uniform_at(Stream.teller, r, node, np.full(r.size, 1, like=r))
            fit = arrivals.invited_fit(batch.fit[r, teller], table.traits.invite_fit_sd[r] * rng.normal(u))
            add(
                r[good],
                CHANNEL_CODE["word_of_mouth"],
                SOURCE_CODE["friends"],
                fit[good],
                teller[good],
                node[good],
                node[good],
            )
    # External promotion (seed 004 L176 暴力引流): strangers of low fit.
    campaign = (a.promotion_start_day <= day) & (day < a.promotion_start_day + a.promotion_days) & engine.running
    n = rng.poisson(np.where(campaign, a.promotion_per_day, 0.0), streams.uniform(Stream.promotion))
    r = np.repeat(np.arange(R, like=n), n)
    if r.size:
        k = ranks(r, R)
        u = streams.uniform_at(Stream.promotion, r, k)
        fit = beta_mean(a.promotion_fit[r], table.traits.concentration[r], u)
        node = np.full(r.size, -1, like=r)
        if latent is not None:
            node = latent.random_outside(
                r, streams.uniform_at(Stream.promo_node, r[:, None], k[:, None], np.arange(20)[None, :])
            )
        add(r, CHANNEL_CODE["promotion"], SOURCE_CODE["random"], fit, -1, node, k)
    # Spammers drawn by the group's visibility.
    lam = arrivals.spam_arrival_rate(batch.count(), a) * conduct.spam_factor(table.conduct)
    n = rng.poisson(np.where(engine.running, lam, 0.0), streams.uniform(Stream.spam))
    r = np.repeat(np.arange(R, like=n), n)
    if r.size:
        add(r, CHANNEL_CODE["spam"], SOURCE_CODE["spam"], np.nan, -1, -1, ranks(r, R))
    if not parts:
        return
    r, channel, source, fit, inviter, node, index = (np.concatenate([p[i] for p in parts]) for i in range(7))
    order = np.argsort(r, kind="stable")  # community by community, channels in the Mesa order
    r, channel, source, fit, inviter, node, index = (x[order] for x in (r, channel, source, fit, inviter, node, index))
    if latent is not None:  # a latent node knocks once a day ("taken")
        claimed = node >= 0
        key = r[claimed].astype(np.int64) * (latent.P + 1) + node[claimed]
        _, first = np.unique(key, return_index=True)
        dup = np.ones(int(claimed.sum()), bool, like=claimed)
        dup[first] = False
        keep = np.ones(r.size, bool, like=r)
        keep[np.flatnonzero(claimed)[dup]] = False
        r, channel, source, fit, inviter, node, index = (
            x[keep] for x in (r, channel, source, fit, inviter, node, index)
        )
    u = streams.uniform_at(
        Stream.candidate, r[:, None], channel[:, None], index[:, None], np.arange(TRAIT_UNIFORMS)[None, :]
    )
    fit = candidate_fit(engine, r, source, fit, u)
    # The entry threshold (arrivals._passes_threshold).
    e = table.entry
    spam = channel == CHANNEL_CODE["spam"]
    promoted = (channel == CHANNEL_CODE["promotion"]) | (channel == CHANNEL_CODE["paid_ads"])
    passes = np.where(spam, u[:, 6] < e.spammer_pass[r], True)
    rn = table.real_name
    if rn.required.any():  # the name card (arrivals._passes_threshold), checked before anything else
        log.name_checks += np.bincount(r, minlength=R) * rn.required
        passes &= real_name.shows_real_name(
            streams.uniform_at(Stream.real_name, r, channel, index), spam, fit, Columns(rn, r)
        )
    passes &= ~(promoted & ~spam & (u[:, 7] >= e.promotion_pass[r]))
    reviewed = ~spam & (e.fit_cutoff[r] > 0)
    passes &= ~reviewed | arrivals.passes_review(fit, e.review_noise[r] * rng.normal(u[:, 8]), Columns(e, r))
    log.reviews += np.bincount(r, minlength=R) * (e.threshold == "application")
    log.refused += np.bincount(r[~passes], minlength=R)
    if latent is not None:
        no = ~passes & (node >= 0)
        latent.decline(r[no], node[no])
    # The cap: seats in the order they knock.
    seats = a.cap - batch.count()
    rank = ranks(r[passes], R)
    pr = np.flatnonzero(passes)
    admitted = np.zeros(r.size, bool, like=r)
    admitted[pr[rank < seats[r[pr]]]] = True
    log.turned_away_full += np.bincount(r[passes & ~admitted], minlength=R)
    if not admitted.any():
        return
    idx = np.flatnonzero(admitted)
    r, channel, source, node, inviter, u = r[idx], channel[idx], source[idx], node[idx], inviter[idx], u[idx]
    tr = traits(engine, r, source, fit[idx], u)
    engine.grow(int((batch.present.sum(axis=1) + np.bincount(r, minlength=R) + 1).max()))
    batch = engine.batch
    taken = batch.present.copy()
    taken[:, 0] = True  # slot 0 is the founder's, for good
    slots = sorted_members(~taken)[r, ranks(r, R)]
    spam = channel == CHANNEL_CODE["spam"]
    role = np.where(spam, SPAMMER, np.where(u[:, 9] < a.active_at_join[r], ACTIVE, LURKER))
    create(engine, r, slots, role, channel, tr, a.initial_satisfaction[r])
    fees = np.bincount(r[~spam], weights=e.fee[r[~spam]], minlength=R)
    log.revenue += fees
    log.fees += fees
    people = ~spam
    r, s, node, inviter = r[people], slots[people], node[people], inviter[people]
    if latent is not None:
        placed = node >= 0
        fr_r, joiner, friend = latent.join(r[placed], node[placed], s[placed])
        batch.tie(fr_r, friend, joiner, known=True)
    lone = inviter >= 0
    if latent is not None:
        lone &= ~table.friends.enabled[r]  # with the latent network the inviter is a friend: tied above
    batch.tie(r[lone], inviter[lone], s[lone], known=True)
    welcome = e.welcome_ritual[r]
    if welcome.any():
        r, s = r[welcome], s[welcome]
        batch.satisfaction[r, s] = arrivals.welcomed_satisfaction(batch.satisfaction[r, s], Columns(e, r))
        talkers = batch.present & (batch.role != SPAMMER) & (day - batch.last_post_day <= 7)
        by_founder = batch.founder_active[r]
        greeter = np.where(by_founder, 0, pick(talkers, r, streams.uniform_of(Stream.greeter, r, s, batch.N)))
        ok = greeter >= 0
        batch.tie(r[ok], greeter[ok], s[ok])
        log.founder_welcomes += np.bincount(r[by_founder], minlength=R)


# -- content (the founder's cadence) -----------------------------------------------------------
def publish_scheduled(engine) -> None:
    """content.publish_scheduled, Founder.rest/work and the red packets and offline events."""
    table, batch, log, day = engine.table, engine.batch, engine.log, engine.day
    f, c = table.founder, table.cadence
    here = batch.founder_present & engine.running
    batch.energy = np.where(here, content.energy_after_rest(batch.energy, day, f), batch.energy)
    resting = here & batch.burnt_out
    batch.burnout_days += resting
    back = resting & (batch.energy >= f.resume_energy)
    rows = np.flatnonzero(back)
    batch.event("founder_back", rows, day, who=batch.uid[rows, 0], days=batch.burnout_days[rows])
    batch.burnt_out &= ~back
    batch.burnout_days[back] = 0
    working = here & ~resting
    posts = on_rhythm(day, c.posts_per_week) * working
    cost = posts.astype(np.float64)
    log.content += posts
    log.tips += posts
    log.valuable_by[:, 0] += posts
    session = working & c.weekly_session & (day % 7 == 6)
    log.content += session
    log.sessions += session
    log.valuable_by[:, 0] += session * np.round(c.session_value).astype(np.int64)
    cost += session * f.session_cost_posts
    event = working & c.monthly_event & (day % 30 == 15)
    if event.any():
        _offline_event(engine, event)
    log.offline_events += event
    cost += event * f.event_cost_posts
    bursts = on_rhythm(day, c.red_packets_per_week) * working
    batch.red_thrill = np.where(working, content.red_packet_thrill(batch.red_sent, c), batch.red_thrill)
    if bursts.any():
        log.red_packets += bursts
        batch.red_sent += bursts
        response = content.red_packet_response(bursts, batch.red_thrill, c)
        grabbers = batch.is_(PERSON) & ~batch.muted & col(response > 0)
        r, s, u = draw_where(engine, Stream.red_packet, grabbers)
        n = rng.poisson(response[r], u)
        r, s, n = r[n > 0], s[n > 0], n[n > 0]
        _add_posts(engine, r, s, valuable=np.zeros(r.size, np.int64, like=r), chat=n)
    batch.energy = np.where(working, batch.energy - f.cost_per_post * cost, batch.energy)
    burnt = working & (batch.energy < f.burnout_below)
    batch.burnt_out |= burnt
    rows = np.flatnonzero(burnt)
    batch.event("founder_burnt_out", rows, day, who=batch.uid[rows, 0])


def kol_meetups(engine) -> None:
    """content.kol_meetups: a KOL's offline meet-up today, perhaps."""
    m = engine.table.meetups
    if not (m.kol_per_month > 0).any():
        return
    kols = (engine.batch.present & (engine.batch.role == KOL)).sum(axis=1)
    held = (
        (kols > 0)
        & engine.running
        & (engine.streams.uniform(Stream.kol_meetup, (1,))[:, 0] < meetups.meetup_chance(kols, m))
    )
    if held.any():
        _offline_event(engine, held, Stream.kol_meetup_ties)
    engine.log.kol_meetups += held


def _offline_event(engine, rows, stream: int = Stream.event_ties) -> None:
    """content._offline_event: random pairs of attendees get to know each other."""
    batch, table = engine.batch, engine.table
    attendees = batch.present & (batch.role != SPAMMER) & ~batch.muted & col(rows)
    n = attendees.sum(axis=1)
    k = int(table.cadence.event_ties[rows].max())
    u = engine.streams.uniform(stream, (k, 2))
    order = sorted_members(attendees)
    r, j = np.nonzero((np.arange(k)[None, :] < col(table.cadence.event_ties)) & col(n >= 2))
    i1 = np.minimum((u[r, j, 0] * n[r]).astype(np.int64), n[r] - 1)
    i2 = np.minimum((u[r, j, 1] * (n[r] - 1)).astype(np.int64), n[r] - 2)
    i2 = i2 + (i2 >= i1)
    batch.tie(r, order[r, i1], order[r, i2], known=True)
    ev = np.flatnonzero(rows & (n >= 2))
    batch.event("offline_event", ev, engine.day, ties=table.cadence.event_ties[ev])


def _add_posts(engine, r, s, valuable, chat) -> None:
    """Member.spoke + DayLog.add_posts for (r, s)."""
    log, R = engine.log, engine.batch.R
    n = valuable + chat
    _spoke(engine, r, s, n)
    log.valuable += np.bincount(r, weights=valuable, minlength=R)
    log.chat += np.bincount(r, weights=chat, minlength=R)
    scatter_add(log.valuable_by, (r, s), valuable)
    noisy = _noisy(engine, r, s)
    log.noise += np.bincount(r[noisy], weights=chat[noisy], minlength=R)


# -- posting and conversation ----------------------------------------------------------------------
def rate_table(table) -> np.ndarray:
    """(R, 6) base rate of each role (sim.roles.ROLE_SPECS rate_field)."""
    return np.stack([getattr(table.conversation, f) for f in RATE_FIELDS], axis=1)


def talk_day_share(table, r: np.ndarray, role: np.ndarray) -> np.ndarray:
    """visiting.talk_day_share of members of communities ``r`` with roles ``role``."""
    return visiting.talk_day_share(role == FOUNDER, Columns(table.visiting, r))


def rules_leave(engine, r, s) -> np.ndarray:
    """Member.rules_leave: the share of members' (r, s) talk the group's rules leave."""
    role = engine.batch.role[r, s]
    return conduct.talk_factor(
        _noisy(engine, r, s), role == KOL, (role == FOUNDER) | (role == SPAMMER), Columns(engine.table.conduct, r)
    )


def post(engine) -> None:
    """Member.posting_rate and Member.post for every visitor at once."""
    table, batch, day = engine.table, engine.batch, engine.day
    p = table.conversation
    # Only today's talkers post: the rate and the draw are computed for them alone.
    r, s, u = draw_where(engine, Stream.posts, batch.talking & col(engine.running))
    role = batch.role[r, s]
    rate = posting.posting_rate(
        rate_table(table)[r, role],
        batch.propensity[r, s],
        batch.satisfaction[r, s],
        day - batch.join_day[r, s],
        batch.stimulus[r],
        talk_day_share(table, r, role),
        batch.heat[r],
        batch.fit[r, s],
        role == KOL,
        batch.muted[r, s],
        role == SPAMMER,
        Columns(p, r),
        table.roles.kol_incentive[r],
    ) * rules_leave(engine, r, s)
    ads = role == SPAMMER
    k = rng.poisson(rate, u)
    batch.messages_today = np.zeros((batch.R, batch.N), np.int64, like=batch.present)
    batch.messages_today[r, s] = k
    r, s, ads, k = r[k > 0], s[k > 0], ads[k > 0], k[k > 0]
    if not r.size:
        return
    ra, sa = r[ads], s[ads]
    batch.last_post_day[ra, sa] = day
    batch.last_spoke_day[ra, sa] = day
    batch.messages_total[ra, sa] += k[ads]
    engine.log.spoke[ra, sa] = True
    engine.log.ads_posted += np.bincount(ra, weights=k[ads], minlength=batch.R)
    engine.log.ads_by[ra, sa] = k[ads]
    r, s, k = r[~ads], s[~ads], k[~ads]
    share = posting.valuable_share(
        batch.expertise[r, s], batch.fit[r, s], batch.role[r, s] == FOUNDER, table.founder.expertise[r]
    )
    valuable = rng.binomial(k, share, engine.streams.uniform_of(Stream.valuable, r, s, batch.N))
    _add_posts(engine, r, s, valuable=valuable, chat=k - valuable)


def check_in(engine) -> None:
    """checkins.check_in: visiting members post their check-in card while the programme runs."""
    table, batch, day = engine.table, engine.batch, engine.day
    c = table.checkins
    on = checkins.running(day, c) & engine.running
    if not on.any():
        return
    engine.log.checkins_run += on
    r, s, u = draw_where(engine, Stream.checkin, batch.is_(PERSON) & batch.visiting & col(on))
    posts = u < checkins.checkin_chance(day, Columns(c, r))
    r, s = r[posts], s[posts]
    batch.messages_today[r, s] += 1
    one = np.ones(r.size, np.int64, like=r)
    _add_posts(engine, r, s, valuable=np.zeros(r.size, np.int64, like=r), chat=one)


def run_threads(engine) -> None:
    """conversation.run_threads: threads on valuable posts, then tie replies."""
    _threads(engine)
    tie_replies(engine)


def _threads(engine) -> None:
    table, batch, log, R = engine.table, engine.batch, engine.log, engine.batch.R
    p = table.conversation
    pool = batch.present & ~batch.muted & TALKER[batch.role] & batch.talking
    pool_n = pool.sum(axis=1)
    rt, at = np.nonzero(log.valuable_by)
    if not rt.size:
        return
    reps = log.valuable_by[rt, at]
    r = np.repeat(rt, reps)
    author = np.repeat(at, reps)
    k = ranks(r, R)
    rate = posting.thread_reply_rate(pool_n, p)
    n = rng.poisson(np.where(pool_n[r] > 0, rate[r], 0.0), engine.streams.uniform_at(Stream.thread, r, k))
    th = np.repeat(np.arange(r.size, like=r), n)
    if not th.size:
        return
    j = ranks(th, r.size)
    rr = r[th]
    u = engine.streams.uniform_at(Stream.replier, rr, k[th], j)
    order = sorted_members(pool)
    replier = order[rr, np.minimum((u * pool_n[rr]).astype(np.int64), pool_n[rr] - 1)]
    valid = replier != author[th]  # a draw of the author is no reply
    th, rr, replier = th[valid], rr[valid], replier[valid]
    count = np.bincount(th, minlength=r.size)
    is_round = 1 + count >= p.round_min_exchanges[r]
    ones = np.ones(rr.size, np.int64, like=rr)
    _spoke(engine, rr, replier, ones)
    scatter_add(batch.messages_today, (rr, replier), 1)
    noisy = ~is_round[th] & _noisy(engine, rr, replier)
    log.noise += np.bincount(rr[noisy], minlength=R)
    batch.tie(rr, author[th], replier)
    scatter_add(batch.endorsement, (r, author), count)
    got = count > 0
    batch.notified_day[r[got], author[got]] = engine.day
    log.valuable += np.bincount(r, weights=count * is_round, minlength=R)
    log.chat += np.bincount(r, weights=count * ~is_round, minlength=R)
    log.rounds += np.bincount(r[is_round], minlength=R)
    log.rounds_without_owner += np.bincount(r[is_round & (batch.role[r, author] != FOUNDER)], minlength=R)


def tie_replies(engine) -> None:
    """conversation.tie_replies: talkers answer what their ties said since yesterday morning."""
    table, batch, log, R = engine.table, engine.batch, engine.log, engine.batch.R
    p = table.conversation
    heard = (batch.said + batch.said_yesterday).astype(np.float32)
    speakers = (
        batch.present & ~batch.muted & TALKER[batch.role] & batch.talking & col((p.tie_reply_rate > 0) & engine.running)
    )
    if not speakers.any():
        return
    h = batch.ties_times(heard)
    # Only speakers who heard something can reply: the draw is computed for them alone (the
    # same numbers as over the whole (R, N) array, where everyone else draws 0).
    r, m = np.nonzero(speakers & (h > 0))
    lam = posting.tie_reply_rate(
        h[r, m],
        batch.propensity[r, m],
        batch.satisfaction[r, m],
        talk_day_share(table, r, batch.role[r, m]),
        Columns(p, r),
    ) * rules_leave(engine, r, m)
    k = rng.poisson(lam, engine.streams.uniform_of(Stream.tie_reply, r, m, batch.N))
    r, m, k = r[k > 0], m[k > 0], k[k > 0]
    if not r.size:
        return
    which = np.repeat(np.arange(r.size, like=r), k)
    j = ranks(which, r.size)
    rr, mm = r[which], m[which]
    # Each reply picks one of the replier's ties in proportion to what it said (its matrix
    # row, zeros left out): the replier's run of ties, once per reply.
    i, other, _, _ = batch.ties.of(r, m)
    deg = np.bincount(i, minlength=r.size)
    first = rng.run_starts(deg)
    n_ties = deg[which]
    at = np.repeat(first[which] - rng.run_starts(n_ties), n_ties) + np.arange(int(n_ties.sum()), like=n_ties)
    pick = rng.categorical_runs(
        heard[r[i[at]], other[at]], n_ties, engine.streams.uniform_at(Stream.tie_pick, rr, mm, j)
    )
    author = other[first[which] + pick]
    batch.tie(rr, author, mm)
    batch.notified_day[rr, author] = engine.day
    batch.answered_day[rr, author] = engine.day
    batch.messages_today[r, m] += k
    _add_posts(engine, r, m, valuable=np.zeros(r.size, np.int64, like=r), chat=k)
    log.tie_chat += np.bincount(r, weights=k, minlength=R)


# -- rules -------------------------------------------------------------------------------------------
def capacities(engine) -> tuple[np.ndarray, np.ndarray]:
    """moderation._capacities: (the founder's, the KOL admins') violations handled per day."""
    m, batch = engine.table.moderation, engine.batch
    return moderation.capacities(
        batch.energy, batch.founder_active, (batch.present & (batch.role == KOL)).sum(axis=1), m
    )


def enforce_rules(engine) -> None:
    """moderation.enforce_rules: the quota, removal within capacity, warn then kick."""
    table, batch, log, R, day = engine.table, engine.batch, engine.log, engine.batch.R, engine.day
    a = table.ads
    rs, ss = np.nonzero(log.ads_by)
    if not rs.size:
        return
    reps = log.ads_by[rs, ss]
    r, poster = np.repeat(rs, reps), np.repeat(ss, reps)
    ruled = a.policy != "free"
    n_ads = np.bincount(r, minlength=R)
    allowed = np.where(a.policy == "quota", a.quota_per_day, 0)
    log.ad_slots = np.where(ruled, np.minimum(n_ads, allowed), 0)
    violations = np.where(ruled, n_ads - log.ad_slots, 0)
    founder_cap, admin_cap = capacities(engine)
    cap = founder_cap + admin_cap
    u = engine.streams.uniform(Stream.moderation, (1,))[:, 0]
    handled = moderation.handled(violations, cap, u).astype(np.int64)
    handled = np.where(violations > 0, handled, 0)
    # The ads in a random order: the first `allowed` stay, the next `handled` are removed.
    key = engine.streams.uniform_at(Stream.moderation, r, ranks(r, R) + 1)
    order = np.lexsort((key, r))
    rank = np.empty(r.size, np.int64, like=r)
    rank[order] = ranks(r[order], R)
    removed = ruled[r] & (rank >= log.ad_slots[r]) & (rank < log.ad_slots[r] + handled[r])
    log.ads_removed += handled
    log.founder_ads_handled = moderation.founder_share(handled, founder_cap, cap)
    batch.energy = np.where(
        batch.founder_present, batch.energy - table.founder.cost_per_moderation * handled, batch.energy
    )
    hits = np.zeros((R, batch.N), np.int64, like=batch.present)
    scatter_add(hits, (r[removed], poster[removed]), 1)
    hr, hs = np.nonzero(hits)
    limit = table.moderation.warnings_before_kick[hr]
    total = batch.warnings[hr, hs] + hits[hr, hs]
    batch.warnings[hr, hs] = np.minimum(total, limit + 1)
    kick = total > limit
    log.kicked += np.bincount(hr[kick], minlength=R)
    batch.remove(
        hr[kick], hs[kick], np.full(int(kick.sum()), REASON_CODE["kicked"], like=kick), day, log, engine.latent
    )


# -- reading ------------------------------------------------------------------------------------------
def read(engine) -> None:
    """reading.prepare_page + Member.read / reading.read_day for everyone at once."""
    table, batch, log, day = engine.table, engine.batch, engine.log, engine.day
    rp, c = table.reading, table.cadence
    total = log.content + log.valuable + log.chat + log.ads_visible
    share = sat.attention_share(total, rp)
    # These sums run in another order than the Mesa engine's (sim/rules/__init__.py, "Floating point").
    v = log.valuable * share + rp.content_weight * log.content * share * table.founder.expertise
    saturation = sat.saturation(v, rp)
    overload = sat.overload(total, rp)
    ad_cost = rp.ad_cost * log.ads_visible * share
    fatigue = sat.fatigue(log.content, c)
    boredom = sat.boredom(v, c)
    thrill = np.where(log.red_packets > 0, batch.red_thrill, 0.0)
    chat = log.chat * share
    renewal = renewal_today(engine)
    readers = batch.present & READS[batch.role]
    looked = readers & batch.visiting
    off = ~col(table.visiting.enabled)
    if off.any():  # visiting off: muted members check the group now and then (reading.read_day)
        u = engine.streams.uniform(Stream.muted_check, (batch.N,))
        looked &= ~(off & batch.muted & (u >= col(rp.muted_check_prob)))
    # Novelty (reading.novelty): staleness grows with each day read, today's renewal removes a share.
    renews = col(table.renewal.enabled)
    batch.staleness = np.where(
        looked & renews, sat.staleness_after_reading(batch.staleness, col(renewal)), batch.staleness
    )
    novelty = sat.novelty(np.where(renews, batch.staleness, day - batch.join_day), Columns(rp))
    ties_read = batch.ties_times(batch.said.astype(np.float32)) * col(share)
    vip = batch.role == VIP
    gain = sat.reading_gain(
        novelty,
        batch.need,
        batch.fit,
        col(saturation),
        ties_read,
        vip,
        col(thrill),
        Columns(rp),
        col(table.monetisation.vip_value_bonus),
    )
    noise = sat.noise(col(chat), batch.fit, Columns(rp))
    util = gain - col(overload + ad_cost + fatigue + boredom) - noise
    target = sat.target_satisfaction(util, sat.expectation(vip, Columns(rp)))
    s = batch.satisfaction
    drift = np.where(col(table.visiting.enabled), sat.move_toward(s, sat.NEUTRAL, col(table.visiting.absence_drift)), s)
    batch.satisfaction = np.where(looked, sat.move_toward(s, target, col(rp.adaptation)), np.where(readers, drift, s))
    batch.read_ok = looked
    batch.read_gain = np.where(looked, gain, 0.0)
    # Overload and ads are per community, so only boredom (with the member's noise) is (R, N).
    batch.read_worst = leaving.worst_cost(col(overload), col(fatigue), col(ad_cost), col(boredom), noise, _REASON_INT8)
    batch.visiting &= ~(readers & ~looked)


# -- outreach (levers) -----------------------------------------------------------------------------
def reach_out(engine) -> None:
    """outreach.reach_out: the founder's private chats with long-silent lurkers, endorsements
    of talking experts. Nothing is drawn while both are off."""
    o = engine.table.outreach
    if (o.lurker_chats_per_day > 0).any():
        _private_chats(engine)
    if (o.endorsements_per_day > 0).any():
        _endorse_experts(engine)
    if (o.answers_per_day > 0).any():
        _answer_the_unanswered(engine)
    if (o.question_packets_per_day > 0).any():
        _question_packets(engine)
    if o.core_care.any():
        _look_after_the_core(engine)


def _reached(engine, stream: int, mask: np.ndarray, per_day: np.ndarray) -> np.ndarray:
    """outreach._reached: per community, the members where ``mask`` holds that the founder gets
    to today, drawn at random without replacement (the smallest uniforms of column 0 of
    ``stream``), as a mask."""
    k = outreach.reached_today(mask.sum(axis=1), per_day, engine.batch.founder_active)
    r, s, u = draw_where(engine, stream, mask, 0)
    key = np.full(mask.shape, 2.0, like=u)
    key[r, s] = u
    rank = np.argsort(np.argsort(key, axis=1, kind="stable"), axis=1, kind="stable")
    return mask & (rank < col(k))


def _private_chats(engine) -> None:
    """outreach._private_chats: some of the chatted lurkers wake, some leave."""
    table, batch, day = engine.table, engine.batch, engine.day
    o = table.outreach
    asleep = (batch.role == LURKER) | (batch.dormant & (batch.role == ACTIVE))  # lurkers and dormant members (L641-643)
    silent = (
        batch.is_(PERSON) & asleep & outreach.long_silent(day - batch.last_post_day, Columns(o)) & col(engine.running)
    )
    chatted = _reached(engine, Stream.private_chat, silent, o.lurker_chats_per_day)
    engine.log.private_chats += chatted.sum(axis=1)
    r, s, u = draw_where(engine, Stream.private_chat, chatted, 1)
    outcome = outreach.chat_outcome(u, Columns(o, r))
    woke = outcome == outreach.WOKE
    rw, sw = r[woke], s[woke]
    batch.muted[rw, sw] = False
    batch.dormant[rw, sw] = False
    batch.satisfaction[rw, sw] = outreach.woken_satisfaction(batch.satisfaction[rw, sw], Columns(o, rw))
    batch.notified_day[rw, sw] = day  # the chat is a notification: they look in tomorrow
    batch.set_role(rw, sw, ACTIVE, day)
    left = outcome == outreach.LEFT
    batch.remove(
        r[left], s[left], np.full(int(left.sum()), REASON_CODE["need_gone"], like=r), day, engine.log, engine.latent
    )


def _endorse_experts(engine) -> None:
    """outreach._endorse_experts: talking experts, drawn at random, get an endorsement."""
    table, batch = engine.table, engine.batch
    experts = (
        batch.present
        & (batch.role == ACTIVE)
        & (batch.expertise >= col(table.roles.kol_min_expertise))
        & col(engine.running)
    )
    endorsed = _reached(engine, Stream.endorsement, experts, table.outreach.endorsements_per_day)
    engine.log.endorsements += endorsed.sum(axis=1)
    r, s = np.nonzero(endorsed)
    batch.endorsement[r, s] = outreach.endorsed(batch.endorsement[r, s], Columns(table.outreach, r))


def _unanswered(engine) -> np.ndarray:
    """outreach._unanswered: people who spoke today and got no reply, as a mask."""
    batch = engine.batch
    return batch.is_(PERSON) & engine.log.spoke & (batch.notified_day != engine.day) & col(engine.running)


def _answer_the_unanswered(engine) -> None:
    """outreach._answer_the_unanswered: people who spoke today and got no reply are answered."""
    table, batch, day = engine.table, engine.batch, engine.day
    unanswered = _unanswered(engine)
    answered = _reached(engine, Stream.answer, unanswered, table.outreach.answers_per_day)
    engine.log.answers += answered.sum(axis=1)
    r, s = np.nonzero(answered)
    batch.notified_day[r, s] = day
    batch.endorsement[r, s] += 1  # a reply received, as a thread's
    batch.satisfaction[r, s] = outreach.answered_satisfaction(batch.satisfaction[r, s], Columns(table.outreach, r))


def _question_packets(engine) -> None:
    """outreach._question_packets: unanswered questions in red packets, answered by grabbers."""
    table, batch, day = engine.table, engine.batch, engine.day
    o = table.outreach
    unanswered = _unanswered(engine)
    askers = _reached(engine, Stream.question_packet, unanswered, o.question_packets_per_day)
    engine.log.question_packets += askers.sum(axis=1)
    r, s = np.nonzero(askers)
    if not r.size:
        return
    k = int(o.answers_per_packet.max())
    grabbers = batch.is_(PERSON) & batch.visiting
    u = engine.streams.uniform_at(Stream.packet_answerer, r[:, None], s[:, None], np.arange(k)[None, :])
    rr, ss = np.repeat(r, k), np.repeat(s, k)
    answerer = pick(grabbers, rr, u.reshape(-1))
    answers = (answerer >= 0) & (answerer != ss) & (np.tile(np.arange(k), r.size) < o.answers_per_packet[rr])
    batch.tie(rr[answers], ss[answers], answerer[answers])
    got = np.bincount(np.repeat(np.arange(r.size), k)[answers], minlength=r.size)
    batch.notified_day[r, s] = day
    batch.endorsement[r, s] += got
    batch.satisfaction[r, s] = outreach.answered_satisfaction(batch.satisfaction[r, s], Columns(o, r))


def _look_after_the_core(engine) -> None:
    """outreach._look_after_the_core: the people who wrote most so far get the founder's care."""
    table, batch = engine.table, engine.batch
    people = batch.is_(PERSON)
    k = outreach.core_size(people.sum(axis=1), table.outreach) * (batch.founder_active & engine.running)
    writes = np.where(people, batch.messages_total, 0)
    rank = np.argsort(np.argsort(-writes, axis=1, kind="stable"), axis=1, kind="stable")
    core = people & (writes > 0) & (rank < col(k))
    engine.log.core_cared += core.sum(axis=1)
    r, s = np.nonzero(core)
    batch.satisfaction[r, s] = outreach.cared_satisfaction(batch.satisfaction[r, s], Columns(table.outreach, r))


def renewal_today(engine) -> np.ndarray:
    """reading.renewal_today: the share of a reader's staleness today's news removes, ``(R,)``."""
    log, batch = engine.log, engine.batch
    return sat.renewal_share(
        log.sessions,
        log.offline_events + log.kol_meetups,
        log.tips,
        log.joins.sum(axis=1),
        batch.count(),
        batch.heat,
        engine.table.renewal,
    )


# -- roles ----------------------------------------------------------------------------------------------
def update_roles(engine) -> None:
    """roles.update_roles: lurkers wake, actives lurk or rise to KOL, KOLs leave, VIPs, spam."""
    table, batch, log, day = engine.table, engine.batch, engine.log, engine.day
    rl = table.roles
    # The quality KOLs perceive (roles.QualityView; summed in another order: sim/rules/__init__.py).
    talk_kol = log.valuable + log.chat - log.tie_chat + log.content
    today = np.where(
        talk_kol > 0,
        (log.valuable + rl.kol_content_weight * log.content) / np.maximum(talk_kol, 1e-300)
        - rl.kol_noise_cost * np.maximum(0.0, log.noise - rl.kol_noise_tolerance),
        0.0,
    )
    batch.quality = np.where(
        (talk_kol > 0) & engine.running, sat.move_toward(batch.quality, today, rl.kol_quality_smoothing), batch.quality
    )
    ad_share = roles.ad_share(log.valuable + log.chat + log.content, log.ads_visible)
    batch.endorsement *= col(roles.endorsement_kept(rl))
    person = batch.is_(PERSON) & col(engine.running)
    role = batch.role.copy()
    # Three uniforms per member (columns of Stream.lurker_wakes), each drawn only for the members
    # its rule can reach: 0 a lurker wakes, 1 a buyer buys, 2 a member is tempted to advertise.
    # Known ties are counted only where they count (a walk over the tie table).
    known = (
        batch.known.degree(np.arange(batch.R, like=batch.present), batch.N).astype(np.float64)
        if (rl.ease_activate > 0).any()
        else 0.0
    )
    chance = roles.activate_chance(known, Columns(rl))
    r, s, u = draw_where(
        engine,
        Stream.lurker_wakes,
        person & (role == LURKER) & (batch.satisfaction >= col(rl.activate_satisfaction)),
        0,
    )
    wakes = u < np.broadcast_to(chance, batch.present.shape)[r, s]
    batch.set_role(r[wakes], s[wakes], ACTIVE, day)
    active = person & (role == ACTIVE)
    sleeps = active & (batch.satisfaction < col(rl.deactivate_satisfaction))
    batch.set_role(*np.nonzero(sleeps), LURKER, day)
    rises = active & ~sleeps & roles.rises_to_kol(batch.endorsement, batch.expertise, Columns(rl))
    batch.set_role(*np.nonzero(rises), KOL, day)
    batch.kol_by_age |= rises & col(day <= table.phases.outcome_age_days)
    r, s = np.nonzero(rises)
    batch.event("kol_rose", r, day, who=batch.uid[r, s])
    # KOL exit (roles._kol_quits): patience runs out while quality stays low.
    kol = person & (role == KOL) & col(table.churn.mode != "cascade")
    batch.kol_unhappy_days = np.where(
        kol, roles.kol_unhappy_days(batch.kol_unhappy_days, col(batch.quality), Columns(rl)), batch.kol_unhappy_days
    )
    quits = kol & (batch.kol_unhappy_days >= col(roles.kol_patience(rl)))
    if quits.any():
        qr, qs = np.nonzero(quits)
        i, t, _, _ = batch.ties.of(qr, qs)
        scatter_add(batch.satisfaction, (qr[i], t), -rl.kol_exit_shock[qr[i]])
        batch.satisfaction[qr[i], t] = np.maximum(0.0, batch.satisfaction[qr[i], t])
        batch.kol_shock_day[qr[i], t] = day
        batch.event("kol_left", qr, day, who=batch.uid[qr, qs])
        batch.remove(qr, qs, np.full(qr.size, REASON_CODE["quality_fell"], like=qr), day, log, engine.latent)
    person &= batch.present
    # Monetisation (roles._monetise).
    mon = table.monetisation
    selling = person & col(mon.enabled)
    vip = selling & (batch.role == VIP)
    due = vip & ((day - batch.vip_since) % col(mon.period_days) == 0)
    renew = due & (batch.satisfaction >= col(mon.renewal_satisfaction))
    log.revenue += renew.sum(axis=1) * mon.price
    lapse = due & ~renew
    batch.set_role(*np.nonzero(lapse), ACTIVE, day)
    batch.vip_since[lapse] = -1
    buyer = selling & ~vip & batch.read_ok
    score = roles.vip_score(
        batch.satisfaction,
        day - batch.join_day,
        batch.need,
        batch.willingness,
        batch.read_gain,
        Columns(mon),
        col(table.reading.expectation),
    )
    r, s, u = draw_where(engine, Stream.lurker_wakes, buyer & (score >= col(mon.conversion_bar)), 1)
    buys = u < mon.daily_conversion_prob[r]
    r, s = r[buys], s[buys]
    batch.set_role(r, s, VIP, day)
    batch.vip_since[r, s] = day
    bought = np.bincount(r, minlength=batch.R)
    log.revenue += bought * mon.price
    log.new_vips += bought
    batch.vips_ever += bought
    # Ad contagion (seed 003): where ads stay visible, low-fit members start advertising.
    r, s, u = draw_where(
        engine,
        Stream.lurker_wakes,
        person & col(ad_share > 0) & (batch.role != VIP) & ~batch.dormant & (batch.fit < col(table.ads.temptation_fit)),
        2,
    )
    tempted = u < roles.advertise_chance(ad_share[r], batch.fit[r, s], table.ads.contagion[r])
    batch.set_role(r[tempted], s[tempted], SPAMMER, day)


# -- leaving --------------------------------------------------------------------------------------------
def let_members_leave(engine) -> None:
    """churn.let_members_leave (satisfaction or cascade mode), the zombie purge, the founder's exit."""
    table, batch, log, R, day = engine.table, engine.batch, engine.log, engine.batch.R, engine.day
    c = table.churn
    cascade = c.mode == "cascade"
    if cascade.any():
        _cascade(engine, np.flatnonzero(cascade & engine.running))
    live = col(engine.running & ~cascade)
    audience = batch.count()
    # One uniform per member and spammer (the founder's exit is decided below), drawn for them alone.
    r0, s0, u = draw_where(engine, Stream.churn, batch.present & (batch.role != FOUNDER) & live)
    spammer = batch.role[r0, s0] == SPAMMER
    spam_leave = spammer & ((audience < c.spammer_min_audience)[r0] | (u < c.spammer_leave_prob[r0]))
    member = batch.present & (batch.role != FOUNDER) & (batch.role != SPAMMER) & live
    s = batch.satisfaction
    cc = Columns(c)
    d = table.dormancy
    asleep = batch.dormant[r0, s0] & ~spammer  # they spend the day's draw on waking (sim/rules/dormancy.py)
    if asleep.any():
        wake = dormancy.wake_chance(
            batch.notified_day == day - 1, col(log.red_packets), col(renewal_today(engine)), Columns(d)
        )
        woke = asleep & (u < wake[r0, s0])
        batch.dormant[r0[woke], s0[woke]] = False
        batch.muted[r0[woke], s0[woke]] = False
    batch.muted = np.where(member & ~batch.dormant, leaving.muted_after(batch.muted, s, cc), batch.muted)
    lost = leaving.lost_tie_share(batch.tie_weight_now, batch.tie_weight_ever)
    hazard = leaving.leave_hazard(
        s,
        batch.muted,
        lost,
        batch.need,
        day - batch.join_day,
        day - batch.friend_left_day,
        cc,
        col(table.entry.judgement_days),
    )
    go = spam_leave | (~spammer & ~asleep & (u < hazard[r0, s0]))
    fades = ~spammer & ~asleep & ~go & (u < (hazard + dormancy.fade_hazard(s, Columns(d)))[r0, s0])
    batch.dormant[r0[fades], s0[fades]] = True
    batch.muted[r0[fades], s0[fades]] = True
    r, s_, spam_leave, u_go = r0[go], s0[go], spam_leave[go], u[go]
    reason = leaving.leave_reason(
        batch.need[r, s_],
        day - batch.kol_shock_day[r, s_],
        day - batch.friend_left_day[r, s_],  # leavers only
        batch.read_ok[r, s_],
        batch.read_worst[r, s_],
        Columns(c, r),
        REASON_CODE,
    )
    sleeps = ~spam_leave & dormancy.falls_dormant(
        u_go, hazard[r, s_], reason == REASON_CODE["bored"], reason == REASON_CODE["need_gone"], Columns(d, r)
    )
    batch.dormant[r[sleeps], s_[sleeps]] = True
    batch.muted[r[sleeps], s_[sleeps]] = True
    r, s_, spam_leave, reason = r[~sleeps], s_[~sleeps], spam_leave[~sleeps], reason[~sleeps]
    batch.remove(r, s_, np.where(spam_leave, REASON_CODE["moved_on"], reason), day, log, engine.latent)
    # The zombie purge (seed 004 L293-298, L630): the founder and paying VIPs keep their seats.
    purge = c.zombie_purge & (day > 0) & (day % c.purge_every_days == 0) & engine.running
    if purge.any():
        zombies = (
            batch.present
            & (batch.role != FOUNDER)
            & (batch.role != VIP)
            & (day - batch.last_post_day >= col(c.zombie_days))
            & col(purge)
        )
        r, s_ = np.nonzero(zombies)
        batch.remove(r, s_, np.full(r.size, REASON_CODE["purged"], like=r), day, log, engine.latent)
        rows = np.unique(r)
        batch.event("purge", rows, day, members=np.bincount(r, minlength=R)[rows])
    # The founder's exit (churn._founder_may_quit).
    f = table.founder
    here = batch.founder_present & engine.running
    leaves = here & (day == f.leave_day)
    quits = (
        here
        & ~leaves
        & (f.quit_after_burnout_days > 0)
        & batch.burnt_out
        & (batch.burnout_days >= f.quit_after_burnout_days)
    )
    for rows, why, kind in ((leaves, "moved_on", "founder_left"), (quits, "burnout", "founder_quit")):
        rr = np.flatnonzero(rows)
        batch.event(kind, rr, day, who=batch.uid[rr, 0], days=batch.burnout_days[rr])
        batch.remove(
            rr,
            np.zeros(rr.size, np.int64, like=rr),
            np.full(rr.size, REASON_CODE[why], like=rr),
            day,
            log,
            engine.latent,
        )


def _cascade(engine, rows: np.ndarray) -> None:
    """churn._cascade (Garcia et al. 2013): everyone with b·k < c leaves at once, k = present
    neighbours in the group's (frozen) network; the founder too."""
    batch, c = engine.batch, engine.table.churn
    present = batch.present[rows]
    k = batch.ties.degree(rows, batch.N)
    leave = present & (c.cascade_benefit[rows, None] * k < c.cascade_cost[rows, None])
    i, s_ = np.nonzero(leave)
    batch.remove(rows[i], s_, np.full(i.size, REASON_CODE["cascade"], like=i), engine.day, engine.log, engine.latent)


def drift_needs(engine) -> None:
    """needs.drift: a random walk, and the purpose expiring on shift_day for a share."""
    table, batch, day = engine.table, engine.batch, engine.day
    n = table.needs
    # Two uniforms per member (columns of Stream.need_drift), drawn for the people only: 0 the
    # step of the walk, 1 whether the purpose expires for them today.
    r, s, u = draw_where(engine, Stream.need_drift, batch.is_(PERSON) & col(engine.running), 0)
    step = n.drift_sd[r] * rng.normal(u)
    shifting = n.shift_day[r] == day
    hit = np.zeros(r.size, bool, like=r)
    if shifting.any():
        hit[shifting] = (
            engine.streams.uniform_of(Stream.need_drift, r[shifting], s[shifting], batch.N, 1)
            < n.shift_share[r[shifting]]
        )
    batch.need[r, s] = needs.need_after_drift(batch.need[r, s], step, hit, Columns(n, r))
    rows = np.flatnonzero((n.shift_day == day) & engine.running)
    batch.event("need_shift", rows, day, members=np.bincount(r[hit], minlength=batch.R)[rows])


def account(engine) -> None:
    """costs.account: the day's founder hours, cost and income."""
    table, batch, log, day = engine.table, engine.batch, engine.log, engine.day
    c, p = table.costs, table
    log.founder_hours = costs.founder_hours(
        log.tips,
        log.sessions,
        log.offline_events,
        log.founder_ads_handled,
        log.founder_welcomes,
        log.reviews,
        c,
        log.private_chats,
        log.endorsements,
        log.answers,
        log.checkins_run,
        log.name_checks,
        log.core_cared,
    )
    bought = log.joins[:, CHANNEL_CODE["paid_ads"]].copy()
    if day == 0:
        bought += np.where(p.seeding.strategy == "paid_ads", log.joins[:, CHANNEL_CODE["seed"]] - 1, 0)
    kols = (batch.present & (batch.role == KOL)).sum(axis=1)
    log.cost = costs.cost_of_day(
        log.joins[:, CHANNEL_CODE["promotion"]],
        bought,
        p.moderation.kol_admins & (day >= 1),
        kols,
        p.roles.kol_incentive,
        c,
        log.checkins_run,
        log.kol_meetups,
        log.question_packets,
    )
    log.income = costs.income(log.revenue, log.ad_slots, c)
