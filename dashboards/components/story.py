"""The story of the run: lifecycle phase badge, health checklist and turning points.

The turning points are the model's own ``model.events`` ("KOL Wang Min left: quality fell",
"The group became an ad group on day 47"), newest first, so the class sees *why* the
charts bend.
"""

from __future__ import annotations

import solara
from mesa.visualization.utils import update_counter

PHASE_COLOURS = {
    "launch": "blue-grey",
    "growth": "light-blue darken-1",
    "self_operating": "green darken-1",
    "mature": "teal darken-1",
    "decline": "orange darken-2",
    "ad_group": "brown darken-1",
    "dead": "grey darken-3",
}
CHECKS = (
    ("ind_rounds", "① valuable rounds without the owner (7 d)"),
    ("ind_speaking", "② ≥ target share of members speak weekly"),
    ("ind_conversion", "③ paid conversion at target"),
    ("ind_word_of_mouth", "④ newcomers come by word of mouth"),
    ("ind_disappointed", "⑤ enough would be disappointed if it closed"),
)


@solara.component
def PhaseBadge(model):
    """The lifecycle phase as a coloured chip (changes colour as the group ages)."""
    update_counter.get()
    phase = model.phase
    solara.v.Chip(children=[f"day {model.day} · {phase.replace('_', ' ')}"], color=PHASE_COLOURS.get(phase, "grey"),
                  text_color="white", label=True, class_=f"classroom-phase classroom-phase-{phase}")


@solara.component
def StoryPanel(model):
    """Phase, the five health indicators of today, and the turning points so far."""
    update_counter.get()
    row = model.observer.rows[-1]
    with solara.Column(classes=["classroom-story"], style={"padding": "8px", "overflow-y": "auto", "height": "100%"}):
        with solara.Row(style={"align-items": "center"}):
            PhaseBadge(model)
            met = f"{row['health_met']}/{row['health_applicable']}"
            solara.Text(f"{row['members']} members, {met} health indicators met")
        with solara.Column(gap="0px"):
            for key, label in CHECKS:
                if key == "ind_conversion" and not model.p.monetisation.enabled:
                    continue
                ok = bool(row[key])  # plain ✓/✗, not emoji: no emoji font on many classroom PCs
                solara.Text(("✓ " if ok else "✗ ") + label,
                            style={"font-size": "13px", "color": "#2e7d32" if ok else "#c62828"})
        solara.Text("Turning points (newest first)", style={"font-weight": "bold", "margin-top": "6px"})
        with solara.Column(gap="0px", classes=["classroom-events"]):
            if not model.events:
                solara.Text("nothing yet — press Step or ▶", style={"color": "grey"})
            for day, text in reversed(model.events[-40:]):
                solara.Text(f"day {day}: {text}", style={"font-size": "13px"})
