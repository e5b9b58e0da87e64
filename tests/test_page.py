"""The shared report frame (dashboards/page.py): one file that opens offline."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.page import figure_writer, html_page


def test_a_page_carries_plotly_once_before_its_first_figure_and_escapes_its_title() -> None:
    figure = figure_writer()
    divs = [figure(go.Figure(go.Scatter(y=[1, 2, 3]))) for _ in range(3)]
    page = html_page("Ads <& spam>", ["<h1>x</h1>", *divs])
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</body></html>")
    assert "<title>Ads &lt;&amp; spam&gt;</title>" in page
    assert page.count("plotly.js v") == 1  # the library's own banner, inlined once
    assert page.index("plotly.js v") < page.index("plotly-graph-div")
    assert page.count('class="plotly-graph-div"') == 3
    assert "<script src=" not in page and "<link" not in page  # nothing fetched from the network
    assert figure_writer()(go.Figure()).count("plotly.js v") == 1  # every page starts afresh
