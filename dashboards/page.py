"""The frame every HTML report shares: the page head, one stylesheet, and plotly.js inlined
once per page, so a report is a single file that opens offline (no network at run time)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

import plotly.graph_objects as go

#: The reports' common look: readable width, bordered tables, grey source notes.
CSS = """body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.src{color:#555;font-size:13px}
"""


def html_page(title: str, body: Iterable[str], css: str = CSS) -> str:
    """A whole page: ``title`` (escaped here), the ``body`` fragments one per line, ``css``."""
    head = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{css}</style></head><body>")
    return "\n".join([head, *body, "</body></html>"])


def figure_writer() -> Callable[[go.Figure], str]:
    """A function that turns a page's figures into ``<div>``s, in page order: the first carries
    plotly.js inline and the others reuse it (figures must be written in the order they appear)."""
    first = True

    def write(fig: go.Figure) -> str:
        nonlocal first
        out = fig.to_html(full_html=False, include_plotlyjs=first, config={"displaylogo": False})
        first = False
        return out

    return write
