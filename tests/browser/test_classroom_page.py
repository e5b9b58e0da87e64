"""The classroom page in headless Chromium, offline: it renders, steps, and switches scenario.

Run: ``pytest tests/browser`` (needs Debian's chromium and the ``viz`` extra; in CI a missing
chromium fails the test instead of skipping it). Screenshots of failures: see conftest.py.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.timeout(240), pytest.mark.slow]

FIGURES = ("classroom-network", "classroom-chart-members", "classroom-chart-messages", "classroom-chart-health")
LOAD_TIMEOUT = 60_000  # ms: the first load compiles the front end's Vue templates


def _image_src(page, css_class: str) -> str:
    return page.locator(f".{css_class} img").first.get_attribute("src") or ""


def _wait_drawn(page, css_class: str) -> None:
    """Wait until the figure's image has loaded with real content (not a broken/empty image)."""
    page.wait_for_function("sel => { const i = document.querySelector(sel); return i && i.complete && "
                           "i.naturalWidth > 100; }", arg=f".{css_class} img")


def _step_counter(page):
    return page.get_by_text("Step:", exact=False).first


def test_page_renders_steps_and_switches_scenario(server, page):
    from playwright.sync_api import expect  # importable: the browser fixture checked

    url, server_log = server
    expect.set_options(timeout=20_000)  # a busy 2-core CI box; the happy path takes ~1 s per check
    page.goto(url)

    # The page renders: the network of members and the three live charts are drawn.
    expect(page.locator(".classroom-network img")).to_be_visible(timeout=LOAD_TIMEOUT)
    for figure in FIGURES:
        expect(page.locator(f".{figure} img")).to_be_visible()
        _wait_drawn(page, figure)
    expect(page.locator(".classroom-phase").first).to_be_visible()
    expect(_step_counter(page)).to_have_text("Step: 0")
    drawn = {figure: _image_src(page, figure) for figure in FIGURES}

    # Step a few days: the counter and the charts follow.
    step = page.get_by_role("button", name="Step", exact=True)
    for k in range(1, 6):
        step.click()
        expect(_step_counter(page)).to_have_text(f"Step: {k}")
    expect(page.locator(".classroom-phase").first).to_contain_text("day 5")
    for figure in FIGURES:  # every figure was redrawn
        expect(page.locator(f".{figure} img")).not_to_have_attribute("src", drawn[figure])

    # Switch scenario: its description replaces the old one and the run starts over.
    description = page.locator(".classroom-scenario-description")
    before = description.inner_text()
    page.locator(".classroom-scenario-picker").click()
    options = page.locator(".v-menu__content .v-list-item")
    expect(options.first).to_be_visible()
    current = page.locator(".classroom-scenario-picker").inner_text()
    target = next(t for t in options.all_inner_texts() if t.strip() and t.strip() not in current)
    options.filter(has_text=target.strip()).first.click()
    expect(description).not_to_have_text(before)
    expect(_step_counter(page)).to_have_text("Step: 0")
    _wait_drawn(page, "classroom-network")

    # Offline: the page asked nothing of the internet, the server fetched nothing from a CDN.
    assert page.blocked == [], f"page tried to reach the internet: {page.blocked}"
    assert "Could not load URL" not in server_log.read_text(), f"server fetched from a CDN; see {server_log}"
