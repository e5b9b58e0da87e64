"""A Plotly figure that is updated in place, one browser redraw per model step.

``solara.FigurePlotly`` replaces a figure by adding the new traces, deleting the old ones and
setting the layout: three full redraws per chart per step, which in a browser without a GPU
held the page to ~1.5 steps/s. Here the widget is created once per chart; later steps only
restyle the existing traces and retitle, inside one ``batch_update`` (a single Plotly.update
message, a single redraw). The figure builders keep their trace list fixed (a trace per role
even when empty), so the in-place path is the normal one; a change of shape rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import solara
from plotly.graph_objs import FigureWidget

from mesa.visualization.utils import update_counter

#: Layout entries that follow the data; the rest (size, axes, legend) is set on first draw only,
#: so a user's zoom and legend clicks survive the steps.
LIVE_LAYOUT = ("title",)


def _same_shape(widget: FigureWidget, fig: go.Figure) -> bool:
    return len(widget.data) == len(fig.data) and all(
        a.type == b.type for a, b in zip(widget.data, fig.data, strict=True))


def refresh(widget: FigureWidget, fig: go.Figure) -> None:
    """Make ``widget`` show ``fig``, in place when the trace list has the same shape."""
    if not _same_shape(widget, fig):
        with widget.batch_update():
            widget.data = []
            widget.layout = fig.layout
        widget.add_traces(list(fig.data))
        return
    with widget.batch_update():
        for old, new in zip(widget.data, fig.data, strict=True):
            old.update(new.to_plotly_json(), overwrite=True)
        widget.layout.update({k: fig.layout[k] for k in LIVE_LAYOUT})


@solara.component
def LiveFigure(model, build: Callable[[object], go.Figure]):
    """Draw ``build(model)``; redraw after every Step / Play tick (Mesa's update_counter)."""
    tick = update_counter.get()
    element = FigureWidget.element()

    def update():
        refresh(solara.get_widget(element), build(model))

    solara.use_effect(update, [model, tick])
    return element


@solara.component
def LiveChart(model, build: Callable[[object], go.Figure], css_class: str):
    """A LiveFigure in a div with a class the browser test can find."""
    with solara.Div(classes=[css_class]):
        LiveFigure(model, build)
