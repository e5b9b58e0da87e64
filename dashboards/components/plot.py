"""A Matplotlib figure of the model, redrawn on the server after every step, sent as a PNG.

Why not an interactive Plotly widget: a Plotly FigureWidget echoes every update back from
the browser to the server. While playing, those echoes queued up ahead of the user's clicks,
so Pause took many seconds to land ("Too many renders" in the server log) and a GPU-less
browser fell behind redrawing SVG. A PNG is one-way, costs the browser nothing, needs no
JavaScript library (so nothing to fetch from a CDN), and Matplotlib is what Mesa's own
plot components use. Drawing the four figures costs the server ~0.2-0.35 s per step.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter
from reacton import ipywidgets as rw

#: The aspect of one cell of SolaraViz's grid (half the main area wide, 10 grid rows high).
FIGSIZE = (6.4, 4.6)
DPI = 100


def render_png(draw: Callable[[object, Figure], None], model, figsize=FIGSIZE) -> bytes:
    """Draw ``model`` on a fresh figure (OO API, no pyplot: thread-safe, nothing leaks)."""
    fig = Figure(figsize=figsize, dpi=DPI)
    # Fixed margins, legend in the right quarter: "constrained" layout cost ~30% more per step.
    fig.subplots_adjust(left=0.1, right=0.74, top=0.93, bottom=0.1)
    draw(model, fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


@solara.component
def LivePlot(model, draw: Callable[[object, Figure], None], css_class: str):
    """``draw(model, fig)`` as an image; redrawn after every Step / Play tick (Mesa's update_counter)."""
    tick = update_counter.get()
    png = solara.use_memo(lambda: render_png(draw, model), [model, tick])
    with solara.Div(classes=[css_class]):
        rw.Image(value=png, format="png", layout={"width": "100%", "height": "auto"})
