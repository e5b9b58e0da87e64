"""Classroom page: pick a scenario, press ▶, watch a chat group thrive and die — and see why.

Start it with ``python -m dashboards`` (offline, localhost; see dashboards/__main__.py).

A Solara page over the core simulator's Mesa model (``sim.model.CommunityModel``), in the
spirit of Mesa's SolaraViz but with its own controller, because SolaraViz's broke the
lesson's workflow (PITFALLS "SolaraViz controls are not rebuilt", "Play thread vs
drawing", "Render batches ignore the stop"):

* one state, the *setup* (scenario + levers): the controls show it, Reset and a scenario
  switch build the model from it (components/lesson.py);
* the play loop steps one day at a time in a worker thread, stops the moment the run ends,
  and publishes a frozen :class:`~dashboards.components.frame.Frame` after each day; the
  charts draw from that copy only, never from the live model;
* the browser draws the charts on canvases from a few kilobytes of numbers a day, so every
  day is drawn at the speeds on the speed menu (docs/classroom.md has the measurements).
"""

from __future__ import annotations

import csv
import html
import io
import time

import solara

from analysis.compose import scenario_catalog
from dashboards.components.canvas import Board, canvas_panel, html_panel
from dashboards.components.charts import health_spec, members_spec, messages_spec
from dashboards.components.frame import Frame
from dashboards.components.info import InfoPanel, scenario_label, scenario_story
from dashboards.components.lesson import (
    DEFAULT_SCENARIO,
    ENUM_LEVERS,
    INTERVENTIONS,
    NUMERIC_LEVERS,
    ClassroomModel,
    Lesson,
    scenario_defaults,
    setup_for,
)
from dashboards.components.network import network_spec
from dashboards.components.story import PhaseBadge, key_points, story_html, summary_html

#: Speed menu: label (with its number) → days per second. Every day is drawn at each of them.
SPEEDS = {"Slow · 2 days/s": 2.0, "Normal · 8 days/s": 8.0, "Fast · 20 days/s": 20.0}
DEFAULT_SPEED = "Normal · 8 days/s"
RATE_EVERY = 20  # days between two readings of the measured speed

#: The live board at a projector's 1280x720: network, the two key charts and the story above
#: the fold; the end-of-run card and the health strips below.
LIVE_GRID = ("grid-template-columns: minmax(300px, 31%) minmax(0, 1fr) minmax(260px, 26%); "
             "grid-template-areas: 'network members story' 'network messages story' "
             "'summary summary summary' 'health health health';")
CSS = """
.classroom-page { font-size: 16px; }
.classroom-story { max-height: 570px; overflow-y: auto; font-size: 15px; line-height: 1.35; }
.classroom-summary { font-size: 16px; padding: 8px 12px; border: 1px solid #ddd; border-radius: 4px; }
.classroom-summary-title { font-size: 20px; font-weight: bold; margin-bottom: 4px; }
.classroom-story-head { font-weight: bold; font-size: 16px; margin: 4px 0 2px; }
.classroom-check.met { color: #2e7d32; } .classroom-check.failed { color: #c62828; }
.classroom-event { margin-bottom: 3px; } .classroom-event.key { font-weight: bold; }
.classroom-mark { display: inline-block; min-width: 18px; height: 18px; border-radius: 9px; background: #37474f;
                  color: #fff; font-size: 11px; text-align: center; line-height: 18px; }
.classroom-topbar .v-input { margin-top: 0; padding-top: 0; }
.classroom-levers .v-slider { min-width: 220px; }
.classroom-info-cols { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 16px; }
.classroom-callout { font-size: 18px; margin: 0; }
.classroom-story-mode .v-input { margin-top: 0; }
"""


def rows_csv(frame: Frame) -> str:
    """The run's daily rows as CSV (the same columns as the batch job's daily.csv)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(frame.rows[0]))
    writer.writeheader()
    writer.writerows(frame.rows)
    return out.getvalue()


def run_to_end(setup: dict) -> Frame:
    """A whole run of ``setup`` at once (the side-by-side comparison)."""
    lesson = Lesson(setup)
    while lesson.advance() is not None:
        pass
    return lesson.frame


@solara.component
def Buttons(lesson: Lesson, show, running: solara.Reactive, playing: solara.Reactive, callout: solara.Reactive):
    """▶ / Step: they change when the run starts, stops or ends, not every day."""

    def step() -> None:
        callout.set("")
        f = lesson.advance()
        if f is not None:
            show(f)

    with solara.Row():
        solara.Button("❚❚ Pause" if playing.value else "▶ Play", color="primary", classes=["classroom-play"],
                      on_click=lambda: (callout.set(""), playing.set(not playing.value)), disabled=not running.value)
        solara.Button("Step", color="primary", on_click=step, disabled=playing.value or not running.value,
                      classes=["classroom-step"])


@solara.component
def Controls(lesson: Lesson, show, frame: solara.Reactive, running: solara.Reactive, setup: solara.Reactive,
             applied: solara.Reactive, playing: solara.Reactive, speed: solara.Reactive, story: solara.Reactive,
             callout: solara.Reactive, rate: solara.Reactive, catalog: dict):
    """The top bar: scenario, Reset / ▶ / Step, speed, story mode, and where the run stands."""

    def restart(new_setup: dict) -> None:
        playing.set(False)  # the loop also sees the new generation and stops
        callout.set("")
        rate.set("")
        show(lesson.start(new_setup))
        applied.set(dict(new_setup))

    def pick(name: str) -> None:
        if name and name != setup.value["scenario"]:
            new = setup_for(name)
            setup.set(new)
            restart(new)

    with solara.Row(classes=["classroom-topbar"], style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
        by_label = {scenario_label(name): name for name in catalog}
        solara.Select("Scenario", values=list(by_label), value=scenario_label(setup.value["scenario"]),
                      on_value=lambda label: pick(by_label.get(label, "")), classes=["classroom-scenario-picker"],
                      style={"max-width": "210px"})
        solara.Button("Reset", color="primary", on_click=lambda: restart(dict(setup.value)),
                      classes=["classroom-reset"])
        with solara.Row(style={"align-items": "center"}):
            Buttons(lesson, show, running, playing, callout)
            PhaseBadge(frame)
        solara.Select("Speed", values=list(SPEEDS), value=speed, classes=["classroom-speed"],
                      style={"max-width": "180px"})
        with solara.Div(classes=["classroom-story-mode"]):
            solara.Checkbox(label="Story mode", value=story)  # pauses at turning points (Info panel)
        solara.Text(rate.value, classes=["classroom-rate"], style={"font-size": "14px", "color": "grey"})
    # the callout takes the description's place, so the charts below never move
    with solara.Div(style={"min-height": "50px"}):
        if callout.value:
            solara.Info(callout.value, classes=["classroom-callout"], dense=True)
        else:
            solara.Text(scenario_story(applied.value["scenario"], catalog.get(applied.value["scenario"], "")),
                        classes=["classroom-scenario-description"], style={"font-size": "16px"})


@solara.component
def Levers(lesson: Lesson, setup: solara.Reactive, applied: solara.Reactive):
    """The strategy levers of the setup (they take effect on Reset) and the mid-run interventions."""
    s = setup.value
    changed = {k: v for k, v in s.items() if applied.value.get(k) != v}
    message, set_message = solara.use_state("")

    def lever(name: str):
        return lambda v: setup.set({**setup.value, name: v})

    with solara.Card("Levers — set them, then press Reset", classes=["classroom-levers"]):
        with solara.Row(style={"flex-wrap": "wrap", "gap": "16px"}):
            for name, lv in ENUM_LEVERS.items():
                solara.Select(lv.label, values=list(lv.options), value=s[name], on_value=lever(name),
                              classes=[f"classroom-lever-{name}"], style={"min-width": "180px"})
            own = scenario_defaults(s["scenario"])
            for name, lv in NUMERIC_LEVERS.items():
                with solara.Column(gap="0px", style={"min-width": "240px"}, classes=[f"classroom-lever-{name}"]):
                    solara.SliderInt(f"{lv.label} ({lv.unit}): {s[name]}", value=s[name], on_value=lever(name),
                                     min=int(min(lv.low, own[name])), max=int(max(lv.high, own[name])),
                                     step=int(lv.step))
            with solara.Column(gap="0px", style={"min-width": "240px"}, classes=["classroom-lever-seed"]):
                solara.SliderInt(f"Random seed: {s['seed']}", value=s["seed"], on_value=lever("seed"), min=0,
                                 max=max(99, s["seed"]))
        if changed:
            solara.Warning("Changed, not yet running: " + ", ".join(f"{k} = {v}" for k, v in changed.items())
                           + ". Press Reset to run with them.", classes=["classroom-pending"])
    with solara.Card("Intervene now (from tomorrow morning, on this run)", classes=["classroom-interventions"]):
        with solara.Row():
            for name, option, button, label in INTERVENTIONS:
                solara.Button(button, on_click=lambda n=name, o=option, lb=label: set_message(lesson.intervene(n, o, lb)),
                              classes=[f"classroom-intervene-{name}"])
        if message:
            solara.Text(message, classes=["classroom-intervention-message"])


@solara.component
def Compare(setup: solara.Reactive):
    """Two strategies side by side on the same seed: the setup, and the setup with one lever changed."""
    choices = [f"{name}={option}" for name, lv in ENUM_LEVERS.items() for option in lv.options]
    other, set_other = solara.use_state("ad_policy=ban")
    result, set_result = solara.use_state(None)

    def run() -> None:
        name, option = other.split("=")
        a = run_to_end(dict(setup.value))
        b = run_to_end({**setup.value, name: option})
        set_result((a, b, other))

    with solara.Card("Compare two strategies on the same seed", classes=["classroom-compare"]):
        with solara.Row(style={"align-items": "center"}):
            solara.Select("Strategy B = this setup with", values=choices, value=other, on_value=set_other,
                          style={"max-width": "320px"})
            solara.Button("Run both to the end", on_click=run, color="primary", classes=["classroom-compare-run"])
        if result:
            a, b, label = result
            panels = []
            for side, title, f in (("a", f"A: as set ({scenario_label(a.scenario)})", a), ("b", f"B: with {label}", b)):
                text = (f"<b>{html.escape(title)}</b> — ended day {f.day} as {f.phase.replace('_', ' ')}, "
                        f"{f.last['members']} members")
                panels += [html_panel(text, "classroom-compare-side", f"t{side}"),
                           canvas_panel(members_spec(f), 220, "classroom-compare-members", f"m{side}"),
                           canvas_panel(messages_spec(f), 220, "classroom-compare-messages", f"s{side}")]
            Board(panels, "classroom-compare-board", "grid-template-columns: 1fr 1fr; "
                  "grid-template-areas: 'ta tb' 'ma mb' 'sa sb';")


@solara.component
def LiveBoard(frame: solara.Reactive):
    """Everything that changes every day, as one widget: one render and one message per day."""
    f = frame.value
    panels = [canvas_panel(network_spec(f), 570, "classroom-network", "network"),
              canvas_panel(members_spec(f), 280, "classroom-chart-members", "members"),
              canvas_panel(messages_spec(f), 280, "classroom-chart-messages", "messages"),
              html_panel(story_html(f), "classroom-story", "story", f.day)]
    if not f.running:
        panels.append(html_panel(summary_html(f), "classroom-summary", "summary", f.day))
    panels.append(canvas_panel(health_spec(f), 250, "classroom-chart-health", "health"))
    Board(panels, "classroom-main", LIVE_GRID)


@solara.component
def Export(lesson: Lesson, applied: solara.Reactive):
    with solara.Row(style={"align-items": "center"}):
        solara.FileDownload(lambda: rows_csv(lesson.frame), filename=f"{applied.value['scenario']}-daily.csv",
                            label="Download the daily numbers (CSV)")
        solara.Text("Each chart has a PNG link in its corner.", style={"color": "grey"})


@solara.component
def Page():
    catalog = solara.use_memo(scenario_catalog, [])
    first = DEFAULT_SCENARIO if DEFAULT_SCENARIO in catalog else next(iter(catalog))
    setup = solara.use_reactive(solara.use_memo(lambda: setup_for(first), []))
    # One run per browser tab (a module-level model would be shared by every visitor).
    lesson = solara.use_memo(lambda: Lesson(setup.value), [])
    frame = solara.use_reactive(lesson.frame)
    running = solara.use_reactive(True)  # frame.value.running, kept apart so the buttons render on a change only
    applied = solara.use_reactive(dict(lesson.setup))  # the setup the running model was built from
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(DEFAULT_SPEED)
    story = solara.use_reactive(False)
    callout = solara.use_reactive("")
    rate = solara.use_reactive("")  # the speed the class actually sees, measured while playing
    player = solara.use_memo(lambda: [None], [])  # the one play loop that may run: Pause-Play-Pause quickly

    def show(f: Frame) -> None:
        """Publish a day: the board and badge redraw; the buttons only when the run ends or restarts."""
        frame.set(f)
        running.set(f.running)  # a Reactive ignores a set to the value it has

    def play() -> None:
        """Step and publish a frame per day, paced to the speed; stop at the end, on Pause, on a
        Reset or switch (a new generation), or at a turning point in story mode."""
        if not playing.value:
            return
        generation, due, me = lesson.generation, time.monotonic(), object()
        player[0] = me
        started, days = time.monotonic(), 0
        while playing.value and player[0] is me:
            f = lesson.advance(generation)
            if f is None:
                break
            show(f)  # renders the board in this thread before the next day is stepped
            days += 1
            if days % RATE_EVERY == 0:
                rate.set(f"measured: {days / (time.monotonic() - started):.1f} days/s")
            if story.value:
                today = [tp for tp in key_points(f) if tp.day == f.day]
                if today:
                    callout.set(f"Day {f.day}: {today[0].callout}")
                    break
            due += 1.0 / SPEEDS.get(speed.value, 8.0)
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                due = time.monotonic()  # behind: go on at the speed from now, no burst to catch up
        if lesson.generation == generation and player[0] is me:
            playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    solara.Title("Community lifecycle — classroom")
    solara.Style(CSS)
    with solara.Column(classes=["classroom-page"], gap="6px", style={"padding": "14px 10px 6px"}):
        Controls(lesson, show, frame, running, setup, applied, playing, speed, story, callout, rate, catalog)
        LiveBoard(frame)
        Levers(lesson, setup, applied)
        Export(lesson, applied)
        Compare(setup)
        InfoPanel()


@solara.component
def Layout(children=[]):  # noqa: B006 (Solara's signature): no app bar, no sidebar
    solara.Column(children=children, style={"padding": "0"})


__all__ = ["ClassroomModel", "Page", "Layout"]
