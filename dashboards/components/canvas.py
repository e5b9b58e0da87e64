"""A picture drawn by the browser on a canvas (canvas.vue) from a spec of plain numbers.

Why not server-drawn images or Plotly widgets: the old page drew four Matplotlib figures on
the server every day (0.10-0.14 s each: 1-1.4 days/s), and a Plotly FigureWidget echoes each
update back to the server, which queued ahead of the teacher's clicks. A canvas spec is a few
kilobytes one way, and the browser draws a year of days in about a millisecond.
"""

from __future__ import annotations

import json
from pathlib import Path

import solara


@solara.component_vue(str(Path(__file__).with_name("canvas.vue")))
def _CanvasVue(spec_json: str, height: int, css_class: str):
    pass


@solara.component
def Canvas(spec: dict, height: int, css_class: str):
    """Draw ``spec`` (see canvas.vue for the kinds) in a canvas ``height`` px high. The spec goes
    as one JSON string: Solara's renderer walks a nested dict value by value on every render,
    which cost more than everything else in a day's update."""
    _CanvasVue(spec_json=json.dumps(spec, separators=(",", ":")), height=height, css_class=css_class)
