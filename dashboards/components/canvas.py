"""The live part of the page, drawn by the browser (canvas.vue) from one JSON string a day.

A board is a CSS grid of panels: canvases drawn from a spec of plain numbers (charts.py,
network.py) and HTML blocks (story.py). Why this shape: the old page drew four Matplotlib
figures on the server every day (0.10-0.14 s each: 1-1.4 days/s), and a Plotly
FigureWidget echoes each update back to the server, which queued ahead of the teacher's
clicks. A spec is a few kilobytes one way and the browser draws a year in about a
millisecond. One widget per board, not one per chart: Solara's per-day render and message
per widget were what limited the speed once the drawing moved to the browser.
"""

from __future__ import annotations

import json
from pathlib import Path

import solara


def canvas_panel(spec: dict, height: int, css_class: str, area: str = "auto") -> dict:
    """A canvas ``height`` px high drawing ``spec`` (see canvas.vue for the kinds)."""
    return {"kind": "canvas", "spec": spec, "height": height, "css_class": css_class, "area": area}


def html_panel(html: str, css_class: str, area: str = "auto", day: int | None = None) -> dict:
    """An HTML block (escaped by its maker); ``day`` marks which day it shows, for the tests."""
    return {"kind": "html", "html": html, "css_class": css_class, "area": area, "day": day}


@solara.component_vue(str(Path(__file__).with_name("canvas.vue")))
def _BoardVue(panels_json: str, css_class: str, board_style: str):
    pass


@solara.component
def Board(panels: list[dict], css_class: str, grid: str):
    """``panels`` laid out by the CSS ``grid`` (e.g. its template areas). The panels go as one
    JSON string: Solara's renderer walks a nested dict value by value on every render."""
    _BoardVue(panels_json=json.dumps(panels, separators=(",", ":")), css_class=css_class,
              board_style=f"display: grid; gap: 8px; align-items: start; {grid}")
