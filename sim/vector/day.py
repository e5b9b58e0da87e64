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
from sim.vector import rng as vr
from sim.vector.backend import asarray
from sim.vector.state import (ACTIVE, CH, FOUNDER, KOL, LURKER, PERSON, RATE_FIELDS, READS, SPAMMER,
                              TALKER, VIP, WHY, scatter_add)
from sim.vector.streams import St


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


_WHY8 = {name: np.int8(code) for name, code in WHY.items()}  # leave reasons as B.read_worst stores them


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


def draw_where(E, stream: int, mask: np.ndarray, column: int | None = None):
    """The members where ``mask`` holds, (r, s) in row-major order, and their uniforms of
    ``E.S.uniform(stream, (N,))`` (or of column ``column`` of ``uniform(stream, (N, width))``):
    the same numbers as drawing the whole (R, N) array, computed for these members alone."""
    r, s = np.nonzero(mask)
    return r, s, E.S.uniform_of(stream, r, s, E.B.N, column)


def on_rhythm(day: int, per_week: np.ndarray) -> np.ndarray:
    """content._on_rhythm: how many of ``per_week`` evenly spaced items fall on ``day``."""
    return content.on_rhythm(day, per_week).astype(np.int64)


def beta_mean(mean, k, u) -> np.ndarray:
    """arrivals.beta: a Beta draw with the given mean and concentration."""
    return vr.beta(*arrivals.beta_shape(mean, k), u)


class DayLog:
    """conversation.DayLog as ``(R,)`` counters (and per-slot tallies)."""

    COUNTS = ("content", "valuable", "chat", "ads_posted", "ads_removed", "rounds", "rounds_without_owner",
              "red_packets", "revenue", "fees", "noise", "tie_chat", "refused", "turned_away_full", "kicked", "new_vips",
              "tips", "sessions", "offline_events", "founder_welcomes", "reviews", "founder_ads_handled",
              "ad_slots", "speakers", "private_chats", "endorsements", "answers", "checkins_run", "name_checks", "core_cared", "kol_meetups", "question_packets", "founder_hours", "cost", "income")

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


def _spoke(E, r, s, n) -> None:
    """Member.spoke + DayLog.add_posts bookkeeping for (r, s) writing n messages (not ads)."""
    B, day = E.B, E.day
    B.last_post_day[r, s] = day
    B.last_spoke_day[r, s] = day
    scatter_add(B.messages_total, (r, s), n)
    scatter_add(B.said, (r, s), n)
    E.log.spoke[r, s] = True


def _noisy(E, r, s) -> np.ndarray:
    """conversation.is_noisy: low-fit members' chat (never the founder's)."""
    B = E.B
    return posting.is_noisy(B.fit[r, s], B.role[r, s] == FOUNDER, E.T.roles.kol_noise_fit[r])


# -- topics, visiting ----------------------------------------------------------------------------
def morning(E) -> None:
    """topics.morning: yesterday's heat fades; perhaps a hot topic today."""
    t, B = E.T.topics, E.B
    u = E.S.uniform(St.topic, (2,))
    new = (t.hot_per_week > 0) & (u[:, 0] < t.hot_per_week / 7.0)
    heat = topics.heat_today(B.heat, new, vr.pareto(t.heat_alpha, u[:, 1]), t)
    big = np.flatnonzero(new & topics.is_big_topic(heat, t) & E.running)
    B.event("hot_topic", big, E.day, heat=topics.capped_heat(heat, t)[big])
    B.heat = topics.capped_heat(heat, t)


def decide_visits(E) -> None:
    """visiting.decide_visits: who opens the group today, and who of them talks."""
    B, v, day = E.B, E.T.visiting, E.day
    p = visiting.visit_probability(B.habit_logit, B.satisfaction, col(E.T.topics.visit_pull), col(B.heat), B.fit,
                                   day - B.last_post_day, B.notified_day == day - 1, B.muted, Columns(v),
                                   col(checkins.visit_pull(day, E.T.checkins)))
    p = p * dormancy.visit_factor(B.dormant, Columns(E.T.dormancy))  # asleep: rarely opened
    always = (B.role == SPAMMER) | (B.role == FOUNDER) | ~col(v.enabled)
    B.visiting = always & B.present
    r, s, u = draw_where(E, St.visit, B.present & ~always)
    come = u < p[r, s]
    B.visiting[r[come], s[come]] = True
    chance = visiting.talk_chance(B.answered_day == day - 1, Columns(v))
    B.talking = B.visiting & always
    r, s, u = draw_where(E, St.talk, B.visiting & ~always)
    talk = u < chance[r, s]
    B.talking[r[talk], s[talk]] = True
    B.last_visit_day[B.visiting & READS[B.role]] = day


# -- arrivals --------------------------------------------------------------------------------------
_SOURCES = ("kols", "friends", "random", "paid_ads", "spam")
SRC = {s: i for i, s in enumerate(_SOURCES)}
_STRATEGY_SOURCE = {"kols_first": SRC["friends"], "friends": SRC["friends"], "random": SRC["random"],
                    "paid_ads": SRC["paid_ads"]}


def recruit_source(T) -> np.ndarray:
    """arrivals._RECRUIT_SOURCE per community."""
    return np.array([_STRATEGY_SOURCE[s] for s in T.seeding.strategy])


def candidate_fit(E, r, source, fit, u) -> np.ndarray:
    """The fit of candidates in communities r from ``source`` codes: ``fit`` where given, drawn
    from the source where NaN (with ``u[:, 0]``). Drawn before the entry threshold, which reads it."""
    t = E.T.traits
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


def traits(E, r, source, fit, u) -> dict[str, np.ndarray]:
    """arrivals.candidate for candidates in communities r from ``source`` codes; ``fit`` NaN =
    draw it from the source. ``u``: (K, TRAIT_UNIFORMS) uniforms. Called for those who join
    only: Beta inverses are the costliest draws, and most candidates of a full group are
    turned away."""
    t = E.T.traits
    exp_means = np.stack([t.kols_expertise, t.friends_expertise, t.random_expertise, t.paid_ads_expertise,
                          np.zeros(E.T.R, like=r)], axis=1)
    k = t.concentration[r]
    em = exp_means[r, source]
    shape = E.T.conversation.propensity_shape[r]
    v = E.T.visiting
    hm = v.habit_mean[r]
    hk = v.habit_concentration[r]
    # Expertise and habit are drawn only where they apply (spammers have none; visiting off:
    # habit 1): the same numbers as drawing all and discarding, without the costly inverses.
    expertise = np.zeros(r.size, like=r)
    has = em > 0
    expertise[has] = beta_mean(em[has], k[has], u[has, 1])
    habit = np.ones(r.size, like=r)
    has = v.enabled[r]
    habit[has] = vr.beta(hm[has] * hk[has], (1 - hm[has]) * hk[has], u[has, 5])
    return {
        "fit": candidate_fit(E, r, source, fit, u),
        "expertise": expertise,
        "need": _expire_for_newcomer(E, r, beta_mean(t.need_mean[r], k, u[:, 2]), u[:, 10]),
        "willingness": beta_mean(t.willingness_mean[r], k, u[:, 3]),
        "propensity": vr.gamma(shape, u[:, 4]) / shape,
        "habit": habit,
    }


def _expire_for_newcomer(E, r, need, u) -> np.ndarray:
    """needs.expire_for_newcomer: from shift_day on, a newcomer's need is shifted like members'."""
    n = E.T.needs
    nr = Columns(n, r)
    return needs.newcomer_need(need, needs.purpose_has_expired(E.day, nr) & (u < nr.shift_share), nr)


def create(E, r, s, role, channel, tr, satisfaction) -> None:
    """arrivals.create: members take slots (r, s). A slot is reused, so every field of a
    member's state is set here: the table's values on joining, then the arrival's."""
    B, day = E.B, E.day
    for f in RESET_FIELDS:
        if f.vector:
            getattr(B, f.name)[r, s] = f.join_value(day, vector=True)
    B.role[r, s] = role
    B.join_role[r, s] = role
    B.channel[r, s] = channel
    for name in ("fit", "expertise", "need", "willingness", "propensity"):
        getattr(B, name)[r, s] = tr[name]
    B.habit_logit[r, s] = visiting.habit_logit(tr["habit"])
    B.satisfaction[r, s] = satisfaction
    B.kol_by_age[r, s] = (role == KOL) & (day <= E.T.phases.outcome_age_days[r])
    order = ranks(r, B.R) if r.size and np.all(np.diff(r) >= 0) else _ranks_unsorted(r, B.R)
    B.uid[r, s] = B.next_uid[r] + order
    B.next_uid += np.bincount(r, minlength=B.R)
    scatter_add(E.log.joins, (r, channel), 1)


def _ranks_unsorted(r, R) -> np.ndarray:
    order = np.argsort(r, kind="stable")
    out = np.empty_like(order)
    out[order] = ranks(r[order], R)
    return out


def admit_newcomers(E) -> None:
    """arrivals.admit_newcomers: today's candidates knock, pass the threshold, find a seat."""
    T, B, S, F, log, day = E.T, E.B, E.S, E.F, E.log, E.day
    R = B.R
    a = T.arrivals
    parts = []  # (r, channel, source, fit, inviter, node, index)

    def add(r, channel, source, fit, inviter, node, index):
        n = r.size
        parts.append((r, np.broadcast_to(channel, n), np.broadcast_to(source, n), np.broadcast_to(fit, n),
                      np.broadcast_to(inviter, n), np.broadcast_to(node, n), index))

    # The founder's own recruiting during the launch.
    recruiting = B.founder_active & (day < T.seeding.recruit_days) & E.running
    n = vr.poisson(np.where(recruiting, T.seeding.recruits_per_day, 0.0), S.uniform(St.recruits))
    r = np.repeat(np.arange(R, like=n), n)
    if r.size:
        source = recruit_source(T)[r]
        channel = np.where(source == SRC["paid_ads"], CH["paid_ads"], CH["founder"])
        node = np.full(r.size, -1, like=r)
        if F is not None:
            friendly = source == SRC["friends"]
            rows = np.flatnonzero(recruiting & (recruit_source(T) == SRC["friends"]))
            fr_r, fr_node = F.next_recruits(rows, n[rows])
            node[friendly] = fr_node  # both ordered by community
            lost = node < 0
            k = ranks(r, R)
            if lost.any():
                node[lost] = F.random_outside(r[lost], S.uniform_at(St.recruit_node, r[lost][:, None], k[lost][:, None],
                                                                np.arange(20)[None, :]))
        add(r, channel, source, np.nan, -1, node, ranks(r, R))
    # Invitations (seed 001 L31 裂变): to an outside latent friend.
    r, s, u = draw_where(E, St.invite, B.is_(PERSON) & ~B.muted & (B.satisfaction >= col(a.invite_satisfaction))
                         & col(E.running))
    ok = u < a.invite_rate[r]
    r, s = r[ok], s[ok]
    if r.size:
        node = np.full(r.size, -1, like=r)
        keep = np.ones(r.size, bool, like=r)
        if F is not None:
            on = T.friends.enabled[r]
            node[on] = F.random_outside_friend(r[on], s[on], S.uniform_at(St.invite_node, r[on], s[on]))
            keep = ~on | (node >= 0)
        u = S.uniform_at(St.invite_node, r, s, np.full(r.size, 1, like=r))
        fit = arrivals.invited_fit(B.fit[r, s], T.traits.invite_fit_sd[r] * vr.normal(u))
        add(r[keep], CH["word_of_mouth"], SRC["friends"], fit[keep], s[keep], node[keep], s[keep])
    # Outsiders who heard of the group from friends inside (seed 001 L125).
    if F is not None:
        r, node = F.exposed(np.where(E.running, T.friends.exposure_rate, 0.0),
                             lambda rows, nodes: S.uniform_of(St.exposure, rows, nodes, F.P))
        if r.size:
            teller = F.random_inside_friend(r, node, S.uniform_at(St.teller, r, node))
            ok = teller >= 0
            r, node, teller = r[ok], node[ok], teller[ok]
            good = ((B.satisfaction[r, teller] >= a.invite_satisfaction[r]) & ~B.muted[r, teller]
                    & PERSON[B.role[r, teller]])
            u = S.uniform_at(St.teller, r, node, np.full(r.size, 1, like=r))
            fit = arrivals.invited_fit(B.fit[r, teller], T.traits.invite_fit_sd[r] * vr.normal(u))
            add(r[good], CH["word_of_mouth"], SRC["friends"], fit[good], teller[good], node[good], node[good])
    # External promotion (seed 004 L176 暴力引流): strangers of low fit.
    campaign = (a.promotion_start_day <= day) & (day < a.promotion_start_day + a.promotion_days) & E.running
    n = vr.poisson(np.where(campaign, a.promotion_per_day, 0.0), S.uniform(St.promotion))
    r = np.repeat(np.arange(R, like=n), n)
    if r.size:
        k = ranks(r, R)
        u = S.uniform_at(St.promotion, r, k)
        fit = beta_mean(a.promotion_fit[r], T.traits.concentration[r], u)
        node = np.full(r.size, -1, like=r)
        if F is not None:
            node = F.random_outside(r, S.uniform_at(St.promo_node, r[:, None], k[:, None], np.arange(20)[None, :]))
        add(r, CH["promotion"], SRC["random"], fit, -1, node, k)
    # Spammers drawn by the group's visibility.
    lam = arrivals.spam_arrival_rate(B.count(), a) * conduct.spam_factor(T.conduct)
    n = vr.poisson(np.where(E.running, lam, 0.0), S.uniform(St.spam))
    r = np.repeat(np.arange(R, like=n), n)
    if r.size:
        add(r, CH["spam"], SRC["spam"], np.nan, -1, -1, ranks(r, R))
    if not parts:
        return
    r, channel, source, fit, inviter, node, index = (np.concatenate([p[i] for p in parts]) for i in range(7))
    order = np.argsort(r, kind="stable")  # community by community, channels in the Mesa order
    r, channel, source, fit, inviter, node, index = (x[order] for x in (r, channel, source, fit, inviter, node, index))
    if F is not None:  # a latent node knocks once a day ("taken")
        claimed = node >= 0
        key = r[claimed].astype(np.int64) * (F.P + 1) + node[claimed]
        _, first = np.unique(key, return_index=True)
        dup = np.ones(int(claimed.sum()), bool, like=claimed)
        dup[first] = False
        keep = np.ones(r.size, bool, like=r)
        keep[np.flatnonzero(claimed)[dup]] = False
        r, channel, source, fit, inviter, node, index = (x[keep] for x in (r, channel, source, fit, inviter, node, index))
    u = S.uniform_at(St.candidate, r[:, None], channel[:, None], index[:, None], np.arange(TRAIT_UNIFORMS)[None, :])
    fit = candidate_fit(E, r, source, fit, u)
    # The entry threshold (arrivals._passes_threshold).
    e = T.entry
    spam = channel == CH["spam"]
    promoted = (channel == CH["promotion"]) | (channel == CH["paid_ads"])
    passes = np.where(spam, u[:, 6] < e.spammer_pass[r], True)
    rn = T.real_name
    if rn.required.any():  # the name card (arrivals._passes_threshold), checked before anything else
        log.name_checks += np.bincount(r, minlength=R) * rn.required
        passes &= real_name.shows_real_name(S.uniform_at(St.real_name, r, channel, index), spam, fit, Columns(rn, r))
    passes &= ~(promoted & ~spam & (u[:, 7] >= e.promotion_pass[r]))
    reviewed = ~spam & (e.fit_cutoff[r] > 0)
    passes &= ~reviewed | arrivals.passes_review(fit, e.review_noise[r] * vr.normal(u[:, 8]), Columns(e, r))
    log.reviews += np.bincount(r, minlength=R) * (e.threshold == "application")
    log.refused += np.bincount(r[~passes], minlength=R)
    if F is not None:
        no = ~passes & (node >= 0)
        F.decline(r[no], node[no])
    # The cap: seats in the order they knock.
    seats = a.cap - B.count()
    rank = ranks(r[passes], R)
    pr = np.flatnonzero(passes)
    admitted = np.zeros(r.size, bool, like=r)
    admitted[pr[rank < seats[r[pr]]]] = True
    log.turned_away_full += np.bincount(r[passes & ~admitted], minlength=R)
    if not admitted.any():
        return
    idx = np.flatnonzero(admitted)
    r, channel, source, node, inviter, u = r[idx], channel[idx], source[idx], node[idx], inviter[idx], u[idx]
    tr = traits(E, r, source, fit[idx], u)
    E.grow(int((B.present.sum(axis=1) + np.bincount(r, minlength=R) + 1).max()))
    B = E.B
    taken = B.present.copy()
    taken[:, 0] = True  # slot 0 is the founder's, for good
    slots = sorted_members(~taken)[r, ranks(r, R)]
    spam = channel == CH["spam"]
    role = np.where(spam, SPAMMER, np.where(u[:, 9] < a.active_at_join[r], ACTIVE, LURKER))
    create(E, r, slots, role, channel, tr, a.initial_satisfaction[r])
    fees = np.bincount(r[~spam], weights=e.fee[r[~spam]], minlength=R)
    log.revenue += fees
    log.fees += fees
    people = ~spam
    r, s, node, inviter = r[people], slots[people], node[people], inviter[people]
    if F is not None:
        placed = node >= 0
        fr_r, joiner, friend = F.join(r[placed], node[placed], s[placed])
        B.tie(fr_r, friend, joiner, known=True)
    lone = inviter >= 0
    if F is not None:
        lone &= ~T.friends.enabled[r]  # with the latent network the inviter is a friend: tied above
    B.tie(r[lone], inviter[lone], s[lone], known=True)
    welcome = e.welcome_ritual[r]
    if welcome.any():
        r, s = r[welcome], s[welcome]
        B.satisfaction[r, s] = arrivals.welcomed_satisfaction(B.satisfaction[r, s], Columns(e, r))
        talkers = B.present & (B.role != SPAMMER) & (day - B.last_post_day <= 7)
        by_founder = B.founder_active[r]
        greeter = np.where(by_founder, 0, pick(talkers, r, S.uniform_of(St.greeter, r, s, B.N)))
        ok = greeter >= 0
        B.tie(r[ok], greeter[ok], s[ok])
        log.founder_welcomes += np.bincount(r[by_founder], minlength=R)


# -- content (the founder's cadence) -----------------------------------------------------------
def publish_scheduled(E) -> None:
    """content.publish_scheduled, Founder.rest/work and the red packets and offline events."""
    T, B, log, day = E.T, E.B, E.log, E.day
    f, c = T.founder, T.cadence
    here = B.founder_present & E.running
    B.energy = np.where(here, content.energy_after_rest(B.energy, day, f), B.energy)
    resting = here & B.burnt_out
    B.burnout_days += resting
    back = resting & (B.energy >= f.resume_energy)
    rows = np.flatnonzero(back)
    B.event("founder_back", rows, day, who=B.uid[rows, 0], days=B.burnout_days[rows])
    B.burnt_out &= ~back
    B.burnout_days[back] = 0
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
        _offline_event(E, event)
    log.offline_events += event
    cost += event * f.event_cost_posts
    bursts = on_rhythm(day, c.red_packets_per_week) * working
    B.red_thrill = np.where(working, content.red_packet_thrill(B.red_sent, c), B.red_thrill)
    if bursts.any():
        log.red_packets += bursts
        B.red_sent += bursts
        response = content.red_packet_response(bursts, B.red_thrill, c)
        grabbers = B.is_(PERSON) & ~B.muted & col(response > 0)
        r, s, u = draw_where(E, St.red_packet, grabbers)
        n = vr.poisson(response[r], u)
        r, s, n = r[n > 0], s[n > 0], n[n > 0]
        _add_posts(E, r, s, valuable=np.zeros(r.size, np.int64, like=r), chat=n)
    B.energy = np.where(working, B.energy - f.cost_per_post * cost, B.energy)
    burnt = working & (B.energy < f.burnout_below)
    B.burnt_out |= burnt
    rows = np.flatnonzero(burnt)
    B.event("founder_burnt_out", rows, day, who=B.uid[rows, 0])


def kol_meetups(E) -> None:
    """content.kol_meetups: a KOL's offline meet-up today, perhaps."""
    m = E.T.meetups
    if not (m.kol_per_month > 0).any():
        return
    kols = (E.B.present & (E.B.role == KOL)).sum(axis=1)
    held = (kols > 0) & E.running & (E.S.uniform(St.kol_meetup, (1,))[:, 0] < meetups.meetup_chance(kols, m))
    if held.any():
        _offline_event(E, held, St.kol_meetup_ties)
    E.log.kol_meetups += held


def _offline_event(E, rows, stream: int = St.event_ties) -> None:
    """content._offline_event: random pairs of attendees get to know each other."""
    B, T = E.B, E.T
    attendees = B.present & (B.role != SPAMMER) & ~B.muted & col(rows)
    n = attendees.sum(axis=1)
    k = int(T.cadence.event_ties[rows].max())
    u = E.S.uniform(stream, (k, 2))
    order = sorted_members(attendees)
    r, j = np.nonzero((np.arange(k)[None, :] < col(T.cadence.event_ties)) & col(n >= 2))
    i1 = np.minimum((u[r, j, 0] * n[r]).astype(np.int64), n[r] - 1)
    i2 = np.minimum((u[r, j, 1] * (n[r] - 1)).astype(np.int64), n[r] - 2)
    i2 = i2 + (i2 >= i1)
    B.tie(r, order[r, i1], order[r, i2], known=True)
    ev = np.flatnonzero(rows & (n >= 2))
    B.event("offline_event", ev, E.day, ties=T.cadence.event_ties[ev])


def _add_posts(E, r, s, valuable, chat) -> None:
    """Member.spoke + DayLog.add_posts for (r, s)."""
    log, R = E.log, E.B.R
    n = valuable + chat
    _spoke(E, r, s, n)
    log.valuable += np.bincount(r, weights=valuable, minlength=R)
    log.chat += np.bincount(r, weights=chat, minlength=R)
    scatter_add(log.valuable_by, (r, s), valuable)
    noisy = _noisy(E, r, s)
    log.noise += np.bincount(r[noisy], weights=chat[noisy], minlength=R)


# -- posting and conversation ----------------------------------------------------------------------
def rate_table(T) -> np.ndarray:
    """(R, 6) base rate of each role (sim.roles.ROLE_SPECS rate_field)."""
    return np.stack([getattr(T.conversation, f) for f in RATE_FIELDS], axis=1)


def talk_day_share(T, r: np.ndarray, role: np.ndarray) -> np.ndarray:
    """visiting.talk_day_share of members of communities ``r`` with roles ``role``."""
    return visiting.talk_day_share(role == FOUNDER, Columns(T.visiting, r))


def rules_leave(E, r, s) -> np.ndarray:
    """Member.rules_leave: the share of members' (r, s) talk the group's rules leave."""
    role = E.B.role[r, s]
    return conduct.talk_factor(_noisy(E, r, s), role == KOL, (role == FOUNDER) | (role == SPAMMER), Columns(E.T.conduct, r))


def post(E) -> None:
    """Member.posting_rate and Member.post for every visitor at once."""
    T, B, day = E.T, E.B, E.day
    p = T.conversation
    # Only today's talkers post: the rate and the draw are computed for them alone.
    r, s, u = draw_where(E, St.posts, B.talking & col(E.running))
    role = B.role[r, s]
    rate = posting.posting_rate(rate_table(T)[r, role], B.propensity[r, s], B.satisfaction[r, s], day - B.join_day[r, s],
                                B.stimulus[r], talk_day_share(T, r, role), B.heat[r], B.fit[r, s], role == KOL,
                                B.muted[r, s], role == SPAMMER, Columns(p, r), T.roles.kol_incentive[r]) * rules_leave(E, r, s)
    ads = role == SPAMMER
    k = vr.poisson(rate, u)
    B.messages_today = np.zeros((B.R, B.N), np.int64, like=B.present)
    B.messages_today[r, s] = k
    r, s, ads, k = r[k > 0], s[k > 0], ads[k > 0], k[k > 0]
    if not r.size:
        return
    ra, sa = r[ads], s[ads]
    B.last_post_day[ra, sa] = day
    B.last_spoke_day[ra, sa] = day
    B.messages_total[ra, sa] += k[ads]
    E.log.spoke[ra, sa] = True
    E.log.ads_posted += np.bincount(ra, weights=k[ads], minlength=B.R)
    E.log.ads_by[ra, sa] = k[ads]
    r, s, k = r[~ads], s[~ads], k[~ads]
    share = posting.valuable_share(B.expertise[r, s], B.fit[r, s], B.role[r, s] == FOUNDER, T.founder.expertise[r])
    valuable = vr.binomial(k, share, E.S.uniform_of(St.valuable, r, s, B.N))
    _add_posts(E, r, s, valuable=valuable, chat=k - valuable)


def check_in(E) -> None:
    """checkins.check_in: visiting members post their check-in card while the programme runs."""
    T, B, day = E.T, E.B, E.day
    c = T.checkins
    on = checkins.running(day, c) & E.running
    if not on.any():
        return
    E.log.checkins_run += on
    r, s, u = draw_where(E, St.checkin, B.is_(PERSON) & B.visiting & col(on))
    posts = u < checkins.checkin_chance(day, Columns(c, r))
    r, s = r[posts], s[posts]
    B.messages_today[r, s] += 1
    one = np.ones(r.size, np.int64, like=r)
    _add_posts(E, r, s, valuable=np.zeros(r.size, np.int64, like=r), chat=one)


def run_threads(E) -> None:
    """conversation.run_threads: threads on valuable posts, then tie replies."""
    _threads(E)
    tie_replies(E)


def _threads(E) -> None:
    T, B, log, R = E.T, E.B, E.log, E.B.R
    p = T.conversation
    pool = B.present & ~B.muted & TALKER[B.role] & B.talking
    pool_n = pool.sum(axis=1)
    rt, at = np.nonzero(log.valuable_by)
    if not rt.size:
        return
    reps = log.valuable_by[rt, at]
    r = np.repeat(rt, reps)
    author = np.repeat(at, reps)
    k = ranks(r, R)
    rate = posting.thread_reply_rate(pool_n, p)
    n = vr.poisson(np.where(pool_n[r] > 0, rate[r], 0.0), E.S.uniform_at(St.thread, r, k))
    th = np.repeat(np.arange(r.size, like=r), n)
    if not th.size:
        return
    j = ranks(th, r.size)
    rr = r[th]
    u = E.S.uniform_at(St.replier, rr, k[th], j)
    order = sorted_members(pool)
    replier = order[rr, np.minimum((u * pool_n[rr]).astype(np.int64), pool_n[rr] - 1)]
    valid = replier != author[th]  # a draw of the author is no reply
    th, rr, replier = th[valid], rr[valid], replier[valid]
    count = np.bincount(th, minlength=r.size)
    is_round = 1 + count >= p.round_min_exchanges[r]
    ones = np.ones(rr.size, np.int64, like=rr)
    _spoke(E, rr, replier, ones)
    scatter_add(B.messages_today, (rr, replier), 1)
    noisy = ~is_round[th] & _noisy(E, rr, replier)
    log.noise += np.bincount(rr[noisy], minlength=R)
    B.tie(rr, author[th], replier)
    scatter_add(B.endorsement, (r, author), count)
    got = count > 0
    B.notified_day[r[got], author[got]] = E.day
    log.valuable += np.bincount(r, weights=count * is_round, minlength=R)
    log.chat += np.bincount(r, weights=count * ~is_round, minlength=R)
    log.rounds += np.bincount(r[is_round], minlength=R)
    log.rounds_without_owner += np.bincount(r[is_round & (B.role[r, author] != FOUNDER)], minlength=R)


def tie_replies(E) -> None:
    """conversation.tie_replies: talkers answer what their ties said since yesterday morning."""
    T, B, log, R = E.T, E.B, E.log, E.B.R
    p = T.conversation
    heard = (B.said + B.said_yesterday).astype(np.float32)
    speakers = (B.present & ~B.muted & TALKER[B.role] & B.talking & col((p.tie_reply_rate > 0) & E.running))
    if not speakers.any():
        return
    h = B.ties_times(heard)
    # Only speakers who heard something can reply: the draw is computed for them alone (the
    # same numbers as over the whole (R, N) array, where everyone else draws 0).
    r, m = np.nonzero(speakers & (h > 0))
    lam = posting.tie_reply_rate(h[r, m], B.propensity[r, m], B.satisfaction[r, m], talk_day_share(T, r, B.role[r, m]),
                                 Columns(p, r)) * rules_leave(E, r, m)
    k = vr.poisson(lam, E.S.uniform_of(St.tie_reply, r, m, B.N))
    r, m, k = r[k > 0], m[k > 0], k[k > 0]
    if not r.size:
        return
    which = np.repeat(np.arange(r.size, like=r), k)
    j = ranks(which, r.size)
    rr, mm = r[which], m[which]
    # Each reply picks one of the replier's ties in proportion to what it said (its matrix
    # row, zeros left out): the replier's run of ties, once per reply.
    i, other, _, _ = B.ties.of(r, m)
    deg = np.bincount(i, minlength=r.size)
    first = vr.run_starts(deg)
    n_ties = deg[which]
    at = np.repeat(first[which] - vr.run_starts(n_ties), n_ties) + np.arange(int(n_ties.sum()), like=n_ties)
    pick = vr.categorical_runs(heard[r[i[at]], other[at]], n_ties, E.S.uniform_at(St.tie_pick, rr, mm, j))
    author = other[first[which] + pick]
    B.tie(rr, author, mm)
    B.notified_day[rr, author] = E.day
    B.answered_day[rr, author] = E.day
    B.messages_today[r, m] += k
    _add_posts(E, r, m, valuable=np.zeros(r.size, np.int64, like=r), chat=k)
    log.tie_chat += np.bincount(r, weights=k, minlength=R)


# -- rules -------------------------------------------------------------------------------------------
def capacities(E) -> tuple[np.ndarray, np.ndarray]:
    """moderation._capacities: (the founder's, the KOL admins') violations handled per day."""
    m, B = E.T.moderation, E.B
    return moderation.capacities(B.energy, B.founder_active, (B.present & (B.role == KOL)).sum(axis=1), m)


def enforce_rules(E) -> None:
    """moderation.enforce_rules: the quota, removal within capacity, warn then kick."""
    T, B, log, R, day = E.T, E.B, E.log, E.B.R, E.day
    a = T.ads
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
    founder_cap, admin_cap = capacities(E)
    cap = founder_cap + admin_cap
    u = E.S.uniform(St.moderation, (1,))[:, 0]
    handled = moderation.handled(violations, cap, u).astype(np.int64)
    handled = np.where(violations > 0, handled, 0)
    # The ads in a random order: the first `allowed` stay, the next `handled` are removed.
    key = E.S.uniform_at(St.moderation, r, ranks(r, R) + 1)
    order = np.lexsort((key, r))
    rank = np.empty(r.size, np.int64, like=r)
    rank[order] = ranks(r[order], R)
    removed = ruled[r] & (rank >= log.ad_slots[r]) & (rank < log.ad_slots[r] + handled[r])
    log.ads_removed += handled
    log.founder_ads_handled = moderation.founder_share(handled, founder_cap, cap)
    B.energy = np.where(B.founder_present, B.energy - T.founder.cost_per_moderation * handled, B.energy)
    hits = np.zeros((R, B.N), np.int64, like=B.present)
    scatter_add(hits, (r[removed], poster[removed]), 1)
    hr, hs = np.nonzero(hits)
    limit = T.moderation.warnings_before_kick[hr]
    total = B.warnings[hr, hs] + hits[hr, hs]
    B.warnings[hr, hs] = np.minimum(total, limit + 1)
    kick = total > limit
    log.kicked += np.bincount(hr[kick], minlength=R)
    B.remove(hr[kick], hs[kick], np.full(int(kick.sum()), WHY["kicked"], like=kick), day, log, E.F)


# -- reading ------------------------------------------------------------------------------------------
def read(E) -> None:
    """reading.prepare_page + Member.read / reading.read_day for everyone at once."""
    T, B, log, day = E.T, E.B, E.log, E.day
    rp, c = T.reading, T.cadence
    total = log.content + log.valuable + log.chat + log.ads_visible
    share = sat.attention_share(total, rp)
    # These sums run in another order than the Mesa engine's (sim/rules/__init__.py, "Floating point").
    v = log.valuable * share + rp.content_weight * log.content * share * T.founder.expertise
    saturation = sat.saturation(v, rp)
    overload = sat.overload(total, rp)
    ad_cost = rp.ad_cost * log.ads_visible * share
    fatigue = sat.fatigue(log.content, c)
    boredom = sat.boredom(v, c)
    thrill = np.where(log.red_packets > 0, B.red_thrill, 0.0)
    chat = log.chat * share
    renewal = renewal_today(E)
    readers = B.present & READS[B.role]
    looked = readers & B.visiting
    off = ~col(T.visiting.enabled)
    if off.any():  # visiting off: muted members check the group now and then (reading.read_day)
        u = E.S.uniform(St.muted_check, (B.N,))
        looked &= ~(off & B.muted & (u >= col(rp.muted_check_prob)))
    # Novelty (reading.novelty): staleness grows with each day read, today's renewal removes a share.
    renews = col(T.renewal.enabled)
    B.staleness = np.where(looked & renews, sat.staleness_after_reading(B.staleness, col(renewal)), B.staleness)
    novelty = sat.novelty(np.where(renews, B.staleness, day - B.join_day), Columns(rp))
    ties_read = B.ties_times(B.said.astype(np.float32)) * col(share)
    vip = B.role == VIP
    gain = sat.reading_gain(novelty, B.need, B.fit, col(saturation), ties_read, vip, col(thrill), Columns(rp),
                            col(T.monetisation.vip_value_bonus))
    noise = sat.noise(col(chat), B.fit, Columns(rp))
    util = gain - col(overload + ad_cost + fatigue + boredom) - noise
    target = sat.target_satisfaction(util, sat.expectation(vip, Columns(rp)))
    s = B.satisfaction
    drift = np.where(col(T.visiting.enabled), sat.move_toward(s, sat.NEUTRAL, col(T.visiting.absence_drift)), s)
    B.satisfaction = np.where(looked, sat.move_toward(s, target, col(rp.adaptation)), np.where(readers, drift, s))
    B.read_ok = looked
    B.read_gain = np.where(looked, gain, 0.0)
    # Overload and ads are per community, so only boredom (with the member's noise) is (R, N).
    B.read_worst = leaving.worst_cost(col(overload), col(fatigue), col(ad_cost), col(boredom), noise, _WHY8)
    B.visiting &= ~(readers & ~looked)


# -- outreach (levers) -----------------------------------------------------------------------------
def reach_out(E) -> None:
    """outreach.reach_out: the founder's private chats with long-silent lurkers, endorsements
    of talking experts. Nothing is drawn while both are off."""
    o = E.T.outreach
    if (o.lurker_chats_per_day > 0).any():
        _private_chats(E)
    if (o.endorsements_per_day > 0).any():
        _endorse_experts(E)
    if (o.answers_per_day > 0).any():
        _answer_the_unanswered(E)
    if (o.question_packets_per_day > 0).any():
        _question_packets(E)
    if o.core_care.any():
        _look_after_the_core(E)


def _reached(E, stream: int, mask: np.ndarray, per_day: np.ndarray) -> np.ndarray:
    """outreach._reached: per community, the members where ``mask`` holds that the founder gets
    to today, drawn at random without replacement (the smallest uniforms of column 0 of
    ``stream``), as a mask."""
    k = outreach.reached_today(mask.sum(axis=1), per_day, E.B.founder_active)
    r, s, u = draw_where(E, stream, mask, 0)
    key = np.full(mask.shape, 2.0, like=u)
    key[r, s] = u
    rank = np.argsort(np.argsort(key, axis=1, kind="stable"), axis=1, kind="stable")
    return mask & (rank < col(k))


def _private_chats(E) -> None:
    """outreach._private_chats: some of the chatted lurkers wake, some leave."""
    T, B, day = E.T, E.B, E.day
    o = T.outreach
    asleep = (B.role == LURKER) | (B.dormant & (B.role == ACTIVE))  # lurkers and dormant members (L641-643)
    silent = B.is_(PERSON) & asleep & outreach.long_silent(day - B.last_post_day, Columns(o)) & col(E.running)
    chatted = _reached(E, St.private_chat, silent, o.lurker_chats_per_day)
    E.log.private_chats += chatted.sum(axis=1)
    r, s, u = draw_where(E, St.private_chat, chatted, 1)
    outcome = outreach.chat_outcome(u, Columns(o, r))
    woke = outcome == outreach.WOKE
    rw, sw = r[woke], s[woke]
    B.muted[rw, sw] = False
    B.dormant[rw, sw] = False
    B.satisfaction[rw, sw] = outreach.woken_satisfaction(B.satisfaction[rw, sw], Columns(o, rw))
    B.notified_day[rw, sw] = day  # the chat is a notification: they look in tomorrow
    B.set_role(rw, sw, ACTIVE, day)
    left = outcome == outreach.LEFT
    B.remove(r[left], s[left], np.full(int(left.sum()), WHY["need_gone"], like=r), day, E.log, E.F)


def _endorse_experts(E) -> None:
    """outreach._endorse_experts: talking experts, drawn at random, get an endorsement."""
    T, B = E.T, E.B
    experts = B.present & (B.role == ACTIVE) & (B.expertise >= col(T.roles.kol_min_expertise)) & col(E.running)
    endorsed = _reached(E, St.endorsement, experts, T.outreach.endorsements_per_day)
    E.log.endorsements += endorsed.sum(axis=1)
    r, s = np.nonzero(endorsed)
    B.endorsement[r, s] = outreach.endorsed(B.endorsement[r, s], Columns(T.outreach, r))


def _answer_the_unanswered(E) -> None:
    """outreach._answer_the_unanswered: people who spoke today and got no reply are answered."""
    T, B, day = E.T, E.B, E.day
    unanswered = B.is_(PERSON) & E.log.spoke & (B.notified_day != day) & col(E.running)
    answered = _reached(E, St.answer, unanswered, T.outreach.answers_per_day)
    E.log.answers += answered.sum(axis=1)
    r, s = np.nonzero(answered)
    B.notified_day[r, s] = day
    B.endorsement[r, s] += 1  # a reply received, as a thread's
    B.satisfaction[r, s] = outreach.answered_satisfaction(B.satisfaction[r, s], Columns(T.outreach, r))


def _question_packets(E) -> None:
    """outreach._question_packets: unanswered questions in red packets, answered by grabbers."""
    T, B, day = E.T, E.B, E.day
    o = T.outreach
    unanswered = B.is_(PERSON) & E.log.spoke & (B.notified_day != day) & col(E.running)
    askers = _reached(E, St.question_packet, unanswered, o.question_packets_per_day)
    E.log.question_packets += askers.sum(axis=1)
    r, s = np.nonzero(askers)
    if not r.size:
        return
    k = int(o.answers_per_packet.max())
    grabbers = B.is_(PERSON) & B.visiting
    u = E.S.uniform_at(St.packet_answerer, r[:, None], s[:, None], np.arange(k)[None, :])
    rr, ss = np.repeat(r, k), np.repeat(s, k)
    answerer = pick(grabbers, rr, u.reshape(-1))
    answers = (answerer >= 0) & (answerer != ss) & (np.tile(np.arange(k), r.size) < o.answers_per_packet[rr])
    B.tie(rr[answers], ss[answers], answerer[answers])
    got = np.bincount(np.repeat(np.arange(r.size), k)[answers], minlength=r.size)
    B.notified_day[r, s] = day
    B.endorsement[r, s] += got
    B.satisfaction[r, s] = outreach.answered_satisfaction(B.satisfaction[r, s], Columns(o, r))


def _look_after_the_core(E) -> None:
    """outreach._look_after_the_core: the people who wrote most so far get the founder's care."""
    T, B = E.T, E.B
    people = B.is_(PERSON)
    k = outreach.core_size(people.sum(axis=1), T.outreach) * (B.founder_active & E.running)
    writes = np.where(people, B.messages_total, 0)
    rank = np.argsort(np.argsort(-writes, axis=1, kind="stable"), axis=1, kind="stable")
    core = people & (writes > 0) & (rank < col(k))
    E.log.core_cared += core.sum(axis=1)
    r, s = np.nonzero(core)
    B.satisfaction[r, s] = outreach.cared_satisfaction(B.satisfaction[r, s], Columns(T.outreach, r))


def renewal_today(E) -> np.ndarray:
    """reading.renewal_today: the share of a reader's staleness today's news removes, ``(R,)``."""
    log, B = E.log, E.B
    return sat.renewal_share(log.sessions, log.offline_events + log.kol_meetups, log.tips, log.joins.sum(axis=1),
                             B.count(), B.heat, E.T.renewal)


# -- roles ----------------------------------------------------------------------------------------------
def update_roles(E) -> None:
    """roles.update_roles: lurkers wake, actives lurk or rise to KOL, KOLs leave, VIPs, spam."""
    T, B, log, day = E.T, E.B, E.log, E.day
    rl = T.roles
    # The quality KOLs perceive (roles.QualityView; summed in another order: sim/rules/__init__.py).
    talk_kol = log.valuable + log.chat - log.tie_chat + log.content
    today = np.where(talk_kol > 0, (log.valuable + rl.kol_content_weight * log.content) / np.maximum(talk_kol, 1e-300)
                     - rl.kol_noise_cost * np.maximum(0.0, log.noise - rl.kol_noise_tolerance), 0.0)
    B.quality = np.where((talk_kol > 0) & E.running, sat.move_toward(B.quality, today, rl.kol_quality_smoothing),
                         B.quality)
    ad_share = roles.ad_share(log.valuable + log.chat + log.content, log.ads_visible)
    B.endorsement *= col(roles.endorsement_kept(rl))
    person = B.is_(PERSON) & col(E.running)
    role = B.role.copy()
    # Three uniforms per member (columns of St.lurker_wakes), each drawn only for the members
    # its rule can reach: 0 a lurker wakes, 1 a buyer buys, 2 a member is tempted to advertise.
    # Known ties are counted only where they count (a walk over the tie table).
    known = B.known.degree(np.arange(B.R, like=B.present), B.N).astype(np.float64) if (rl.ease_activate > 0).any() else 0.0
    chance = roles.activate_chance(known, Columns(rl))
    r, s, u = draw_where(E, St.lurker_wakes, person & (role == LURKER) & (B.satisfaction >= col(rl.activate_satisfaction)), 0)
    wakes = u < np.broadcast_to(chance, B.present.shape)[r, s]
    B.set_role(r[wakes], s[wakes], ACTIVE, day)
    active = person & (role == ACTIVE)
    sleeps = active & (B.satisfaction < col(rl.deactivate_satisfaction))
    B.set_role(*np.nonzero(sleeps), LURKER, day)
    rises = active & ~sleeps & roles.rises_to_kol(B.endorsement, B.expertise, Columns(rl))
    B.set_role(*np.nonzero(rises), KOL, day)
    B.kol_by_age |= rises & col(day <= T.phases.outcome_age_days)
    r, s = np.nonzero(rises)
    B.event("kol_rose", r, day, who=B.uid[r, s])
    # KOL exit (roles._kol_quits): patience runs out while quality stays low.
    kol = person & (role == KOL) & col(T.churn.mode != "cascade")
    B.kol_unhappy_days = np.where(kol, roles.kol_unhappy_days(B.kol_unhappy_days, col(B.quality), Columns(rl)),
                                  B.kol_unhappy_days)
    quits = kol & (B.kol_unhappy_days >= col(roles.kol_patience(rl)))
    if quits.any():
        qr, qs = np.nonzero(quits)
        i, t, _, _ = B.ties.of(qr, qs)
        scatter_add(B.satisfaction, (qr[i], t), -rl.kol_exit_shock[qr[i]])
        B.satisfaction[qr[i], t] = np.maximum(0.0, B.satisfaction[qr[i], t])
        B.kol_shock_day[qr[i], t] = day
        B.event("kol_left", qr, day, who=B.uid[qr, qs])
        B.remove(qr, qs, np.full(qr.size, WHY["quality_fell"], like=qr), day, log, E.F)
    person &= B.present
    # Monetisation (roles._monetise).
    mon = T.monetisation
    selling = person & col(mon.enabled)
    vip = selling & (B.role == VIP)
    due = vip & ((day - B.vip_since) % col(mon.period_days) == 0)
    renew = due & (B.satisfaction >= col(mon.renewal_satisfaction))
    log.revenue += renew.sum(axis=1) * mon.price
    lapse = due & ~renew
    B.set_role(*np.nonzero(lapse), ACTIVE, day)
    B.vip_since[lapse] = -1
    buyer = selling & ~vip & B.read_ok
    score = roles.vip_score(B.satisfaction, day - B.join_day, B.need, B.willingness, B.read_gain, Columns(mon),
                            col(T.reading.expectation))
    r, s, u = draw_where(E, St.lurker_wakes, buyer & (score >= col(mon.conversion_bar)), 1)
    buys = u < mon.daily_conversion_prob[r]
    r, s = r[buys], s[buys]
    B.set_role(r, s, VIP, day)
    B.vip_since[r, s] = day
    bought = np.bincount(r, minlength=B.R)
    log.revenue += bought * mon.price
    log.new_vips += bought
    B.vips_ever += bought
    # Ad contagion (seed 003): where ads stay visible, low-fit members start advertising.
    r, s, u = draw_where(E, St.lurker_wakes, person & col(ad_share > 0) & (B.role != VIP) & ~B.dormant
                         & (B.fit < col(T.ads.temptation_fit)), 2)
    tempted = u < roles.advertise_chance(ad_share[r], B.fit[r, s], T.ads.contagion[r])
    B.set_role(r[tempted], s[tempted], SPAMMER, day)


# -- leaving --------------------------------------------------------------------------------------------
def let_members_leave(E) -> None:
    """churn.let_members_leave (satisfaction or cascade mode), the zombie purge, the founder's exit."""
    T, B, log, R, day = E.T, E.B, E.log, E.B.R, E.day
    c = T.churn
    cascade = c.mode == "cascade"
    if cascade.any():
        _cascade(E, np.flatnonzero(cascade & E.running))
    live = col(E.running & ~cascade)
    audience = B.count()
    # One uniform per member and spammer (the founder's exit is decided below), drawn for them alone.
    r0, s0, u = draw_where(E, St.churn, B.present & (B.role != FOUNDER) & live)
    spammer = B.role[r0, s0] == SPAMMER
    spam_leave = spammer & ((audience < c.spammer_min_audience)[r0] | (u < c.spammer_leave_prob[r0]))
    member = B.present & (B.role != FOUNDER) & (B.role != SPAMMER) & live
    s = B.satisfaction
    cc = Columns(c)
    d = T.dormancy
    asleep = B.dormant[r0, s0] & ~spammer  # they spend the day's draw on waking (sim/rules/dormancy.py)
    if asleep.any():
        wake = dormancy.wake_chance(B.notified_day == day - 1, col(log.red_packets), col(renewal_today(E)), Columns(d))
        woke = asleep & (u < wake[r0, s0])
        B.dormant[r0[woke], s0[woke]] = False
        B.muted[r0[woke], s0[woke]] = False
    B.muted = np.where(member & ~B.dormant, leaving.muted_after(B.muted, s, cc), B.muted)
    lost = leaving.lost_tie_share(B.tie_weight_now, B.tie_weight_ever)
    hazard = leaving.leave_hazard(s, B.muted, lost, B.need, day - B.join_day, day - B.friend_left_day, cc,
                                  col(T.entry.judgement_days))
    go = spam_leave | (~spammer & ~asleep & (u < hazard[r0, s0]))
    fades = ~spammer & ~asleep & ~go & (u < (hazard + dormancy.fade_hazard(s, Columns(d)))[r0, s0])
    B.dormant[r0[fades], s0[fades]] = True
    B.muted[r0[fades], s0[fades]] = True
    r, s_, spam_leave, u_go = r0[go], s0[go], spam_leave[go], u[go]
    reason = leaving.leave_reason(B.need[r, s_], day - B.kol_shock_day[r, s_], day - B.friend_left_day[r, s_],  # leavers only
                                  B.read_ok[r, s_], B.read_worst[r, s_], Columns(c, r), WHY)
    sleeps = ~spam_leave & dormancy.falls_dormant(u_go, hazard[r, s_], reason == WHY["bored"],
                                                   reason == WHY["need_gone"], Columns(d, r))
    B.dormant[r[sleeps], s_[sleeps]] = True
    B.muted[r[sleeps], s_[sleeps]] = True
    r, s_, spam_leave, reason = r[~sleeps], s_[~sleeps], spam_leave[~sleeps], reason[~sleeps]
    B.remove(r, s_, np.where(spam_leave, WHY["moved_on"], reason), day, log, E.F)
    # The zombie purge (seed 004 L293-298, L630): the founder and paying VIPs keep their seats.
    purge = c.zombie_purge & (day > 0) & (day % c.purge_every_days == 0) & E.running
    if purge.any():
        zombies = (B.present & (B.role != FOUNDER) & (B.role != VIP)
                   & (day - B.last_post_day >= col(c.zombie_days)) & col(purge))
        r, s_ = np.nonzero(zombies)
        B.remove(r, s_, np.full(r.size, WHY["purged"], like=r), day, log, E.F)
        rows = np.unique(r)
        B.event("purge", rows, day, members=np.bincount(r, minlength=R)[rows])
    # The founder's exit (churn._founder_may_quit).
    f = T.founder
    here = B.founder_present & E.running
    leaves = here & (day == f.leave_day)
    quits = here & ~leaves & (f.quit_after_burnout_days > 0) & B.burnt_out & (B.burnout_days >= f.quit_after_burnout_days)
    for rows, why, kind in ((leaves, "moved_on", "founder_left"), (quits, "burnout", "founder_quit")):
        rr = np.flatnonzero(rows)
        B.event(kind, rr, day, who=B.uid[rr, 0], days=B.burnout_days[rr])
        B.remove(rr, np.zeros(rr.size, np.int64, like=rr), np.full(rr.size, WHY[why], like=rr), day, log, E.F)


def _cascade(E, rows: np.ndarray) -> None:
    """churn._cascade (Garcia et al. 2013): everyone with b·k < c leaves at once, k = present
    neighbours in the group's (frozen) network; the founder too."""
    B, c = E.B, E.T.churn
    present = B.present[rows]
    k = B.ties.degree(rows, B.N)
    leave = present & (c.cascade_benefit[rows, None] * k < c.cascade_cost[rows, None])
    i, s_ = np.nonzero(leave)
    B.remove(rows[i], s_, np.full(i.size, WHY["cascade"], like=i), E.day, E.log, E.F)


def drift_needs(E) -> None:
    """needs.drift: a random walk, and the purpose expiring on shift_day for a share."""
    T, B, day = E.T, E.B, E.day
    n = T.needs
    # Two uniforms per member (columns of St.need_drift), drawn for the people only: 0 the
    # step of the walk, 1 whether the purpose expires for them today.
    r, s, u = draw_where(E, St.need_drift, B.is_(PERSON) & col(E.running), 0)
    step = n.drift_sd[r] * vr.normal(u)
    shifting = n.shift_day[r] == day
    hit = np.zeros(r.size, bool, like=r)
    if shifting.any():
        hit[shifting] = E.S.uniform_of(St.need_drift, r[shifting], s[shifting], B.N, 1) < n.shift_share[r[shifting]]
    B.need[r, s] = needs.need_after_drift(B.need[r, s], step, hit, Columns(n, r))
    rows = np.flatnonzero((n.shift_day == day) & E.running)
    B.event("need_shift", rows, day, members=np.bincount(r[hit], minlength=B.R)[rows])


def account(E) -> None:
    """costs.account: the day's founder hours, cost and income."""
    T, B, log, day = E.T, E.B, E.log, E.day
    c, p = T.costs, T
    log.founder_hours = costs.founder_hours(log.tips, log.sessions, log.offline_events, log.founder_ads_handled,
                                            log.founder_welcomes, log.reviews, c, log.private_chats, log.endorsements,
                                            log.answers, log.checkins_run, log.name_checks,
                                            log.core_cared)
    bought = log.joins[:, CH["paid_ads"]].copy()
    if day == 0:
        bought += np.where(p.seeding.strategy == "paid_ads", log.joins[:, CH["seed"]] - 1, 0)
    kols = (B.present & (B.role == KOL)).sum(axis=1)
    log.cost = costs.cost_of_day(log.joins[:, CH["promotion"]], bought, p.moderation.kol_admins & (day >= 1), kols,
                                 p.roles.kol_incentive, c, log.checkins_run, log.kol_meetups,
                                 log.question_packets)
    log.income = costs.income(log.revenue, log.ad_slots, c)
