"""The story of the run: phase badge, health checklist, turning points, callouts, summary.

Turning points explain the decline: phase changes (with the health indicators that were
failing), floods of newcomers, ads taking over the talk, waves of departures, strategy
changes, the founder burning out. Routine news ("X became a KOL") is folded into one line.
:func:`turning_points` is the one place that chooses and words them, so switching it to
structured event kinds later is a change of one function.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import solara

from dashboards.components.frame import Frame

PHASE_LABELS = {
    "launch": "launch", "growth": "growth", "self_operating": "self-operating", "mature": "mature",
    "decline": "decline", "ad_group": "ad group", "dead": "dead",
}
#: One colour per phase, the same on the badge and on the health chart's phase ribbon.
PHASE_COLOURS = {
    "launch": "#78909c", "growth": "#039be5", "self_operating": "#43a047", "mature": "#00897b",
    "decline": "#b71c1c",  # dark red, not orange: orange is the spammers' and the ads' colour "ad_group": "#6d4c41", "dead": "#424242",
}
#: What a phase means, in one sentence (the story-mode callout when the group enters it).
PHASE_SENTENCES = {
    "growth": "The group is growing: newcomers arrive faster than members leave.",
    "self_operating": "The group runs itself: valuable talk goes on without the founder.",
    "mature": "The group is mature: stable, but it no longer grows.",
    "decline": "Decline: the health indicators have failed for weeks, and people are drifting away.",
    "ad_group": "Ad group: ads now outweigh real talk, and the people who came for the topic give up.",
    "dead": "The group is dead: nobody talks any more.",
}
#: The five health indicators of seed 001: (row key, short label, what it means).
INDICATORS = (
    ("ind_rounds", "(1) talk without owner", "valuable conversations happen without the founder (last 7 days)"),
    ("ind_speaking", "(2) members speak", "enough members speak at least once a week"),
    ("ind_conversion", "(3) members pay", "enough members buy the paid tier"),
    ("ind_word_of_mouth", "(4) word of mouth", "newcomers come because members invite them"),
    ("ind_disappointed", "(5) would be missed", "enough members would be disappointed if the group closed"),
)
LEAVE_REASONS = {
    "bored": "bored", "overloaded": "too many messages", "annoyed_by_ads": "annoyed by ads",
    "need_gone": "no longer need it", "kol_left": "their KOL left", "quality_fell": "quality fell",
    "kicked": "kicked out", "purged": "purged as inactive", "cascade": "others left",
    "moved_on": "moved on", "burnout": "burnt out", "friend_left": "a friend left",
}
JOIN_CHANNELS = {
    "seed": "the founder's first invitations", "founder": "the founder's invitations",
    "word_of_mouth": "word of mouth", "promotion": "promotion", "paid_ads": "paid ads", "spam": "spammers",
    "edgelist": "the imported network",
}
#: Model events by kind (the text the model logs, until events carry their kind). ``None``:
#: shown but never a turning point to pause at; folded kinds become one line with a count.
#: The model's event kinds (sim/vocab.py EVENT_KIND) as the page groups them: routine ones are
#: folded into one line, the lifecycle's own announcements give way to the phase rows (which say
#: more: the indicators that failed). Kinds not listed are shown as they are ("other").
PAGE_KIND = {"kol_rose": "kol_promoted", "kol_left": "kol_left", "founder_burnt_out": "founder_burnout",
             "founder_back": "founder_back", "founder_left": "founder_left", "founder_quit": "founder_left",
             "strategy_change": "strategy", "reaction": "strategy", "offline_event": "meetup", "silent": "phase_echo",
             "ad_group": "phase_echo", "self_operating": "phase_echo", "died": "phase_echo"}
FOLDED = {"kol_promoted": "{n} members became KOLs", "kol_left": "{n} KOLs left because quality fell",
          "founder_back": "the founder came back from burnout {n} times",
          "founder_burnout_again": "the founder burnt out again {n} times", "meetup": "{n} offline meet-ups"}
KEY_KINDS = {"phase", "flood", "ads", "exodus", "collapse", "strategy", "founder_left", "founder_burnout"}


@dataclass(frozen=True)
class TurningPoint:
    day: int
    kind: str
    text: str
    key: bool  #: marked on the charts; story mode pauses here

    @property
    def callout(self) -> str:
        if self.kind == "phase":
            phase = self.text.split("→ ")[-1].split(".")[0]
            return next((s for p, s in PHASE_SENTENCES.items() if PHASE_LABELS[p] == phase), self.text)
        return self.text


_QUIET = 60  # days between two floods (or two waves of departures) worth a turning point


def _sums(values: list[int], window: int = 7) -> list[int]:
    """Trailing sums over ``window`` days (one per day)."""
    out, run = [], 0
    for i, v in enumerate(values):
        run += v - (values[i - window] if i >= window else 0)
        out.append(run)
    return out


def _row_points(frame: Frame) -> list[TurningPoint]:
    """Turning points read off the daily rows: phases, floods, ad takeover, departures, quality."""
    rows = frame.rows
    out: list[TurningPoint] = []
    for prev, row in zip(rows, rows[1:]):
        if row["phase"] != prev["phase"]:
            failing = [label for key, label, _ in INDICATORS
                       if not row[key] and (key != "ind_conversion" or frame.monetised)]
            why = f" Failing: {', '.join(failing)}." if failing and row["phase"] in ("decline", "ad_group", "dead") else ""
            out.append(TurningPoint(row["day"], "phase", f"Phase {PHASE_LABELS[prev['phase']]} → "
                                    f"{PHASE_LABELS[row['phase']]}.{why}", True))
    joins, leaves = _sums([r["joins"] for r in rows]), _sums([r["leaves"] for r in rows])
    ads = _sums([r["msgs_ad"] for r in rows])
    talk = _sums([r["msgs_valuable"] + r["msgs_chat"] + r["msgs_content"] for r in rows])
    valuable = _sums([r["msgs_valuable"] for r in rows])
    last = {"flood": -99, "exodus": -99}  # one of each per ``_QUIET`` days: a wave, not every day of it
    ads_over, peak_quality, collapsed = False, 0.0, False
    for i, row in enumerate(rows):
        day, before = row["day"], rows[max(0, i - 7)]["members"]
        if day > 14 and joins[i] >= max(25, before) and day - last["flood"] > _QUIET:
            window = rows[max(0, i - 6): i + 1]
            channel = max(JOIN_CHANNELS, key=lambda c: sum(r[f"joins_{c}"] for r in window))
            out.append(TurningPoint(day, "flood", f"A flood: {joins[i]} newcomers in a week, mostly from "
                                    f"{JOIN_CHANNELS[channel]}.", True))
            last["flood"] = day
        if leaves[i] >= max(8, 0.15 * before) and day - last["exodus"] > _QUIET:
            window = rows[max(0, i - 6): i + 1]
            reason = max(LEAVE_REASONS, key=lambda r: sum(w[f"leaves_{r}"] for w in window))
            out.append(TurningPoint(day, "exodus", f"A wave of departures: {leaves[i]} left in a week, "
                                    f"mostly because {LEAVE_REASONS[reason]}.", True))
            last["exodus"] = day
        total = ads[i] + talk[i]
        if not ads_over and day >= 7 and total >= 20 and ads[i] > 0.5 * total:
            out.append(TurningPoint(day, "ads", f"Ads take over: {ads[i] / total:.0%} of last week's "
                                    "messages were ads.", True))
            ads_over = True
        share = valuable[i] / total if total >= 20 else None
        if share is not None and day >= 14:
            peak_quality = max(peak_quality, share)
            if not collapsed and peak_quality >= 0.15 and share < peak_quality / 3:
                out.append(TurningPoint(day, "collapse", f"Quality collapses: valuable talk fell from "
                                        f"{peak_quality:.0%} to {share:.0%} of the messages.", True))
                collapsed = True
    return out


def turning_points(frame: Frame) -> list[TurningPoint]:
    """The turning points to show, oldest first: the model's events (classified, routine ones
    folded) and those read off the rows. The one selection function of the page."""
    global _last
    seen, points = _last  # one read: another tab's thread may replace it meanwhile
    if seen is not frame:  # the board, the markers and story mode ask for the same frame's points
        points = _select(frame)
        _last = (frame, points)
    return points


_last: tuple = (None, [])


def _select(frame: Frame) -> list[TurningPoint]:
    points, folded, seen = _row_points(frame), {}, set()
    for event in frame.events:
        day, text, kind = event.day, event.text, PAGE_KIND.get(event.kind, "other")
        if kind == "phase_echo":
            continue
        if kind == "founder_burnout" and kind in seen:
            kind = "founder_burnout_again"
        if kind in FOLDED:
            folded.setdefault(kind, []).append((day, text))
            continue
        key = kind in KEY_KINDS
        seen.add(kind)
        points.append(TurningPoint(day, kind, text, key))
    for kind, items in folded.items():
        first, last = items[0][0], items[-1][0]
        text = items[0][1] if len(items) == 1 else (FOLDED[kind].format(n=len(items))
                                                     + (f" (days {first}–{last})" if last > first else ""))
        points.append(TurningPoint(last, kind, text, False))
    return sorted(points, key=lambda tp: (tp.day, not tp.key))


def key_points(frame: Frame) -> list[TurningPoint]:
    return [tp for tp in turning_points(frame) if tp.key]


@solara.component
def PhaseBadge(frame: solara.Reactive):
    """Day and lifecycle phase as a coloured chip (changes colour as the group ages)."""
    f = frame.value
    solara.v.Chip(children=[f"day {f.day} · {PHASE_LABELS.get(f.phase, f.phase)}"],
                  color=PHASE_COLOURS.get(f.phase, "#757575"), text_color="white", label=True,
                  class_=f"classroom-phase classroom-phase-{f.phase}", style_="font-size: 16px;")


def story_html(frame: Frame) -> str:
    """Today's health checklist and the turning points so far, newest first, numbered like the
    marks on the charts. One HTML block: a widget per line made each day's update slow."""
    row = frame.last
    out = [f"<div class='classroom-story-head'>{row['members']} members · {row['health_met']}/"
           f"{row['health_applicable']} health indicators met</div><div class='classroom-checks'>"]
    for key, label, meaning in INDICATORS:
        if key == "ind_conversion" and not frame.monetised:
            continue
        ok = bool(row[key])  # plain ✓/✗, not emoji: no emoji font on many classroom PCs
        out.append(f"<div class='classroom-check classroom-check-{key} {'met' if ok else 'failed'}' "
                   f"title='{html.escape(meaning)}'>{'✓' if ok else '✗'} {html.escape(label)}</div>")
    out.append("</div><div class='classroom-story-head'>Turning points (newest first)</div>"
               "<div class='classroom-events'>")
    points = turning_points(frame)
    numbers = {id(tp): n for n, tp in enumerate((tp for tp in points if tp.key), start=1)}
    if not points:
        out.append("<div class='classroom-event-none'>nothing yet — press ▶ Play or Step</div>")
    for tp in reversed(points):
        mark = f"<span class='classroom-mark'>{numbers[id(tp)]}</span> " if tp.key else ""
        out.append(f"<div class='classroom-event classroom-event-{tp.kind}{' key' if tp.key else ''}'>{mark}"
                   f"day {tp.day}: {html.escape(tp.text)}</div>")
    out.append("</div>")
    return "".join(out)


def summary_lines(frame: Frame) -> list[str]:
    """The end-of-run card: how it ended, the peak, who left and why, what the ads did."""
    rows = frame.rows
    peak = max(rows, key=lambda r: r["members"])
    leaves = {r: sum(row[f"leaves_{r}"] for row in rows) for r in LEAVE_REASONS}
    top = sorted((n, r) for r, n in leaves.items() if n)[::-1][:3]
    tail = rows[-30:]
    said = sum(r["msgs_valuable"] + r["msgs_chat"] + r["msgs_content"] + r["msgs_ad"] for r in tail)
    ads = sum(r["msgs_ad"] for r in tail)
    lines = [f"Ended on day {frame.day} as: {PHASE_LABELS.get(frame.phase, frame.phase)}.",
             f"Peak: {peak['members']} members on day {peak['day']}; at the end: {rows[-1]['members']}.",
             f"Joined in all: {sum(r['joins'] for r in rows)}; left: {sum(leaves.values())}"
             + (" — mostly " + ", ".join(f"{LEAVE_REASONS[r]} ({n})" for n, r in top) if top else "") + "."]
    if said:
        lines.append(f"Last 30 days: {said} messages, {ads / said:.0%} of them ads.")
    lines.append(f"Turning points: {len(key_points(frame))} (numbered on the charts).")
    return lines


def summary_html(frame: Frame) -> str:
    """The end-of-run card, for the class discussion."""
    lines = "".join(f"<div>{html.escape(line)}</div>" for line in summary_lines(frame))
    return f"<div class='classroom-summary-title'>How it ended</div>{lines}"
