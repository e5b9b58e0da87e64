"""Names of the vector engine's random streams: one per place that draws.

A number is a pure function of (community key, day, stream, index) (``sim/vector/rng.py``),
so two places must never share a stream id; listing them here makes that visible.
"""

import enum


class Stream(enum.IntEnum):
    topic = 1
    visit = 2
    recruits = 3
    recruit_node = 4
    invite = 5
    invite_node = 6
    exposure = 7
    teller = 8
    promotion = 9
    promo_node = 10
    spam = 11
    candidate = 12
    greeter = 13
    red_packet = 14
    event_ties = 15
    posts = 16
    valuable = 17
    thread = 18
    replier = 19
    tie_reply = 20
    tie_pick = 21
    moderation = 22
    muted_check = 23
    lurker_wakes = 24
    vip = 25
    contagion = 26
    churn = 27
    need_drift = 28
    need_shift = 29
    seed_users = 30
    mesh = 31
    seed_node = 32
    talk = 33
    private_chat = 34
    endorsement = 35
    answer = 36
    checkin = 37
    real_name = 38
    kol_meetup = 39
    kol_meetup_ties = 40
    question_packet = 41
    packet_answerer = 42
