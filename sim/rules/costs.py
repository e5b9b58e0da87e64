"""What a strategy costs and earns, day by day (accounting only: it changes nobody).

    founder_hours = tips · hours_per_post + sessions · hours_per_session + events · hours_per_event
                    + ads handled by the founder · hours_per_violation + greetings · hours_per_welcome
                    + applications · hours_per_review
                    + private chats · hours_per_private_chat + endorsements · hours_per_endorsement
                    + answers · hours_per_answer + checkin_hours_per_day [check-ins run by the founder today]
                    + real names checked · hours_per_name_check + core members cared for · hours_per_core_member
    cost   = cost_per_promoted_member · promotion joins + cost_per_paid_ads_member · bought joins
             + moderation_team_per_day [KOL admins, from day 1 while the group lives]
             + kol_privilege_per_day · roles.kol_incentive · KOLs
             + checkin_rewards_per_day [check-ins run today] + kol_meetup_subsidy · KOLs' meet-ups
             + question_packet_yuan · red packets carrying a question
    income = revenue (entry fees + VIP payments) + ad_slot_price · ads within the quota

with every rate in ``Params.costs`` (docs/model.md, "Costs"); money in yuan. ``c`` is the
``costs`` parameters: floats, or the vector engine's ``(R,)`` arrays.
"""

from __future__ import annotations

from sim.rules.elementwise import maximum


def founder_hours(tips, sessions, offline_events, ads_handled, welcomes, reviews, c, private_chats=0, endorsements=0,
                  answers=0, checkins=False, name_checks=0, core_cared=0):
    """The founder's hours of the day; the levers' (sim/rules/outreach.py, checkins.py, real_name.py) add
    exactly nothing while they are off."""
    hours = (tips * c.hours_per_post + sessions * c.hours_per_session + offline_events * c.hours_per_event
             + ads_handled * c.hours_per_violation + welcomes * c.hours_per_welcome + reviews * c.hours_per_review)
    return hours + (private_chats * c.hours_per_private_chat + endorsements * c.hours_per_endorsement
                    + answers * c.hours_per_answer + checkins * c.checkin_hours_per_day
                    + name_checks * c.hours_per_name_check + core_cared * c.hours_per_core_member)


def cost_of_day(promoted, bought, moderation_team, kols, kol_incentive, c, checkins=False, kol_meetups=0,
                question_packets=0):
    """The day's spending; ``moderation_team``: whether the KOL admins' team is paid today,
    ``checkins``: whether check-in rewards are (sim/rules/checkins.py)."""
    cost = c.cost_per_promoted_member * promoted + c.cost_per_paid_ads_member * maximum(0, bought)
    cost = cost + c.moderation_team_per_day * moderation_team
    return (cost + c.kol_privilege_per_day * kol_incentive * kols + c.checkin_rewards_per_day * checkins
            + c.kol_meetup_subsidy * kol_meetups + c.question_packet_yuan * question_packets)


def income(revenue, ad_slots, c):
    """The day's income: revenue and the ad slots sold."""
    return revenue + c.ad_slot_price * ad_slots
