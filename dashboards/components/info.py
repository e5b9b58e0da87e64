"""Words for the class: plain-language scenario stories and the Info panel.

The scenario configs describe each scenario for modellers, with seed citations and the
Chinese terms of the source articles. A projector needs shorter, plain sentences, and no
Chinese (a classroom PC without a CJK font shows □□□□), so the page tells its own version.
"""

from __future__ import annotations

import html
import re

import solara

#: What the class reads under the scenario picker: two plain sentences per scenario.
SCENARIO_STORIES = {
    "typical_group": "An ordinary interest group: the founder invites friends, posts a daily tip, and leaves the "
                     "QR code open. It grows fast and chats happily — until the founder tires, spammers keep "
                     "coming in, and the ads take over.",
    "brute_force_promotion": "The founder advertises the group everywhere to grow fast. Hundreds of strangers "
                             "pour in within weeks, the talk turns to noise, the experts leave, and the founder "
                             "ends up posting into silence.",
    "founder_burnout": "Everything depends on one tireless founder, and members know the founder but not each "
                       "other. When the founder burns out and leaves, nobody holds the group together.",
    "healthy_learning_group": "A well-run group: experts invited first, newcomers apply, ads limited, a steady "
                              "rhythm of tips, sessions and meet-ups, and a paid tier. Watch the experts carry "
                              "the talk and the health indicators stay green.",
    "kol_exodus": "A group that lives on its experts. Once the QR code goes public, beginners flood in, the "
                  "experts lose patience and leave one by one — and the members who came for them follow.",
    "need_shift": "A job-hunting group that works well — until hiring season ends. Members got their offers, "
                  "no longer need the group, and leave, although the group itself did not get worse.",
    "no_rules_open_qr": "A QR code posted everywhere, no rules, nobody moderating. Strangers and spammers walk "
                        "in, ads pile up, and within weeks it is an ad group.",
    "paid_community": "Members pay to join, and there is a paid tier inside. Growth is slow but the members "
                      "fit and spam hardly gets in; paying members expect more — can the value keep up?",
    "red_packet_group": "Activity bought with daily lucky-money gifts and nothing else. A crowd comes to grab the "
                        "money, the thrill wears off within a month, and the spammers move in.",
    "social_chat_group": "Friends chatting, by invitation only, no ads, no planned content. Lively at first, "
                         "but nobody brings anything new, so the talk slowly fades into silence.",
}
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")
_CITATION = re.compile(r"\s*\((?:seed|L)\s*[^)]*\)|[Ss]eed \d+(?:'s)?\s*|\bL\d+(?:[-–]\d+)?\b")


def scenario_label(name: str) -> str:
    """A scenario's name as the picker shows it: ``kol_exodus`` → "kol exodus"."""
    return name.replace("_", " ")


def scenario_story(name: str, description: str) -> str:
    """The plain story of a scenario; for one this module does not know, its config description
    without Chinese characters and seed citations."""
    if name in SCENARIO_STORIES:
        return SCENARIO_STORIES[name]
    return re.sub(r"\s+", " ", _CITATION.sub("", _CJK.sub("", description))).replace(" ,", ",").strip(" —,")


WHAT_IT_IS = ("A simulation of one online chat group (think WeChat or WhatsApp group) over a year. Every dot is a "
              "member who decides each day whether to read, talk, stay or leave. The founder, the experts, the "
              "lurkers and the spammers follow simple rules taken from practitioners' articles. Nothing is "
              "scripted: the decline you see comes out of those rules.")
THINGS_TO_NOTICE = (
    "The orange band on 'What is said': when ads outweigh real talk, members mute (hollow dots), then leave.",
    "The health strips: the indicators turn red weeks before the members chart falls.",
    "The numbered marks on the charts: each number is a turning point in the list on the right.",
    "Crosses on the network: where members who left used to be.",
)
THINGS_TO_TRY = (
    "Story mode on, then ▶: the page pauses at each turning point with one sentence of explanation.",
    "Press 'Ban ads from tomorrow' just before the ads take over. Does the group recover?",
    "Set Entry threshold to 'application' or 'paid' under Levers, then Reset: who gets in?",
    "Compare two strategies on the same seed: same people, same luck, one decision different.",
)
GLOSSARY = (
    ("KOL", "key opinion leader: an expert member who posts often and well; others come for them."),
    ("active", "a member who talks and replies."),
    ("lurker", "a member who reads but rarely says anything."),
    ("muted", "a member who has silenced the group: still counted, no longer reading (hollow dot)."),
    ("spammer", "someone who joined only to post ads."),
    ("VIP", "a member who pays for the paid tier."),
    ("(1) talk without owner", "valuable conversations happen without the founder starting them."),
    ("(2) members speak", "enough members say something at least once a week."),
    ("(3) members pay", "enough members buy the paid tier (only where there is one)."),
    ("(4) word of mouth", "newcomers arrive because members invite them."),
    ("(5) would be missed", "enough members would be disappointed if the group closed."),
    ("ad group", "a group where ads outweigh real talk: the usual end of an open group."),
)


def info_html() -> str:
    def items(lines):
        return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"

    glossary = items(f"<b>{html.escape(w)}</b>: {html.escape(d)}" for w, d in GLOSSARY)
    return (f"<p>{html.escape(WHAT_IT_IS)}</p><div class='classroom-info-cols'>"
            f"<div><b>Things to notice</b>{items(map(html.escape, THINGS_TO_NOTICE))}</div>"
            f"<div><b>Things to try</b>{items(map(html.escape, THINGS_TO_TRY))}</div>"
            f"<div><b>Glossary</b>{glossary}</div></div>")


@solara.component
def InfoPanel():
    # plain HTML, not solara.Markdown: Markdown loads a diagram library from a CDN (no network here)
    with solara.Card("About this page", classes=["classroom-info"]):
        solara.HTML(tag="div", unsafe_innerHTML=info_html(), style={"font-size": "16px"})
