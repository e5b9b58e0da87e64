"""Live charts of the classroom page: what the browser draws (canvas.vue), from a Frame.

The server sends each chart's numbers (a few kilobytes a day) and the browser draws them
on a canvas in about a millisecond. The old page drew four Matplotlib figures on the server
per day (0.10-0.14 s each) and played at 1-1.4 days/s; see docs/classroom.md for the
measured speeds. Every series is sent even when it is all zeros, so a role or message type
that dies out neither breaks nor re-colours a chart (Mesa #2658, #3682).

Colours mean one thing everywhere: a role's colour (sim.roles.ROLE_COLORS) on the network
and the members chart; ads in the spammers' orange and scheduled content in the founder's
purple on the message chart; a phase's colour on the badge and the phase ribbon.
"""

from __future__ import annotations

from dashboards.components.frame import Frame
from dashboards.components.story import INDICATORS, PHASE_COLOURS, PHASE_LABELS, key_points
from sim.roles import ROLE_COLORS, ROLE_LABELS

#: Message types: (row key, label, colour). Ads share the spammers' colour, content the founder's.
MESSAGES = (
    ("msgs_valuable", "valuable talk", "#1f4e9c"),
    ("msgs_chat", "chit-chat", "#b8b8b8"),
    ("msgs_content", "founder's posts", ROLE_COLORS["founder"]),
    ("msgs_ad", "ads", ROLE_COLORS["spammer"]),
)
#: Roles stacked bottom-up: the people who make the group first, spammers on top.
STACK_ROLES = ("founder", "kol", "active", "vip", "lurker", "spammer")
SHARE_WINDOW = 7  # days: a day's share is noisy (a few ads vanish under one busy day)


def _markers(frame: Frame) -> list[dict]:
    return [{"day": tp.day, "n": n} for n, tp in enumerate(key_points(frame), start=1)]


def members_spec(frame: Frame) -> dict:
    last = frame.last
    return {
        "kind": "stack", "day": frame.day, "title": f"Members by role — {last['members']} on day {frame.day}",
        "horizon": frame.horizon, "x": frame.column("day"), "ylabel": "members",
        "series": [{"name": ROLE_LABELS[r], "color": ROLE_COLORS[r], "y": frame.column(f"members_{r}")}
                   for r in STACK_ROLES],
        "lines": [{"name": "muted", "color": "#000", "dash": True, "y": frame.column("muted")}],
        "legend": [{"label": f"{ROLE_LABELS[r]} {last[f'members_{r}']}", "color": ROLE_COLORS[r]} for r in STACK_ROLES]
        + [{"label": f"of whom muted {last['muted']}", "color": "#000", "dash": True}],
        "markers": _markers(frame), "file": f"{frame.scenario}-members-day{frame.day}",
    }


def message_shares(frame: Frame, window: int = SHARE_WINDOW) -> tuple[dict[str, list[float]], list[int]]:
    """Each message type's share of the last ``window`` days' messages, and the totals."""
    cols = {key: frame.column(key) for key, _, _ in MESSAGES}
    sums = {key: [] for key in cols}
    totals = []
    for i in range(len(frame.rows)):
        lo = max(0, i - window + 1)
        for key, col in cols.items():
            sums[key].append(sum(col[lo: i + 1]))
        totals.append(sum(sums[key][-1] for key in cols))
    return {key: [s / t if t else 0.0 for s, t in zip(sums[key], totals)] for key in cols}, totals


def messages_spec(frame: Frame) -> dict:
    shares, totals = message_shares(frame)
    today = frame.last
    said = sum(today[key] for key, _, _ in MESSAGES)
    return {
        "kind": "share", "day": frame.day, "percent": True, "ymax": 1.0,
        "title": f"What is said: share of messages, last {SHARE_WINDOW} days ({said} today)",
        "horizon": frame.horizon, "x": frame.column("day"), "ylabel": "share of messages",
        "series": [{"name": label, "color": colour, "y": [round(v, 4) for v in shares[key]]}
                   for key, label, colour in MESSAGES],
        "legend": [{"label": f"{label} {shares[key][-1]:.0%}", "color": colour} for key, label, colour in MESSAGES],
        "markers": _markers(frame), "file": f"{frame.scenario}-messages-day{frame.day}",
    }


def health_spec(frame: Frame) -> dict:
    shown = [(key, label) for key, label, _ in INDICATORS if key != "ind_conversion" or frame.monetised]
    return {
        "kind": "strips", "day": frame.day, "title": "Health: the indicators day by day (green = met, red = failed)",
        "horizon": frame.horizon, "x": frame.column("day"), "label_width": 170,
        "phases": frame.column("phase"), "phase_colors": PHASE_COLOURS, "phase_labels": PHASE_LABELS,
        "strips": [{"label": label, "met": [int(bool(v)) for v in frame.column(key)]} for key, label in shown],
        "legend": [], "markers": _markers(frame), "file": f"{frame.scenario}-health-day{frame.day}",
    }
