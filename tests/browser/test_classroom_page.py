"""The classroom page in headless Chromium, offline, at a projector's 1280x720.

Run: ``pytest tests/browser -n 0`` (needs Debian's chromium and the ``viz`` extra; in CI a
missing chromium fails the test instead of skipping it). Screenshots of failures: see
conftest.py. ``CLASSROOM_SCREENSHOTS=docs/img`` writes the documentation's screenshots.

The workflow tests each pin a bug of the old SolaraViz page (issue 31): Reset after a switch
rebuilt the default scenario; fast play tore the charts into a traceback; a switch while
playing went on playing; sliders kept stale values after a switch; the moderation slider had
a 0 px track; a run with Render Interval > 1 overshot its horizon.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.timeout(300), pytest.mark.slow]

CHARTS = ("classroom-network", "classroom-chart-members", "classroom-chart-messages", "classroom-chart-health")
ABOVE_THE_FOLD = ("classroom-network", "classroom-chart-members", "classroom-chart-messages", "classroom-story")
LOAD_TIMEOUT = 90_000  # ms: the first load compiles the front end's Vue templates on a busy 2-core box
SCREENSHOTS = os.environ.get("CLASSROOM_SCREENSHOTS")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")


@pytest.fixture
def expect():
    from playwright.sync_api import expect  # importable: the browser fixture checked

    expect.set_options(timeout=30_000)  # a busy 2-core box; the happy path takes ~1 s per check
    return expect


def _open(page, url) -> None:
    page.goto(url)
    for chart in CHARTS:
        page.wait_for_selector(f".{chart}[data-draws]", timeout=LOAD_TIMEOUT)


def _day(page) -> int:
    return int(re.search(r"day (\d+)", page.locator(".classroom-phase").first.inner_text()).group(1))


def _drawn_day(page, chart: str) -> int:
    return int(page.locator(f".{chart}").first.get_attribute("data-day"))


def _choose(page, picker: str, option: str) -> None:
    page.locator(picker).click()
    page.locator(".v-menu__content.menuable__content__active .v-list-item", has_text=option).first.click()


def _pick_scenario(page, name: str) -> None:
    _choose(page, ".classroom-scenario-picker", name.replace("_", " "))  # the picker's label


def _play(page, speed: str | None = None) -> None:
    if speed:
        _choose(page, ".classroom-speed", speed)
    page.locator(".classroom-play").click()


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name))


def _no_errors(page) -> None:
    torn = page.evaluate("() => [...document.querySelectorAll('[data-error]')].map(e => e.dataset.error)")
    assert torn == [], f"a chart got series of different lengths: {torn}"
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "error in step" not in body


def test_page_renders_steps_and_switches_scenario_offline(server, page, expect):
    url, server_log = server
    _open(page, url)
    expect(page.locator(".classroom-phase").first).to_contain_text("day 0")
    step = page.locator(".classroom-step")
    for k in range(1, 6):
        step.click()
        expect(page.locator(".classroom-phase").first).to_contain_text(f"day {k} ")
    for chart in CHARTS:  # every chart drew day 5
        expect(page.locator(f".{chart}").first).to_have_attribute("data-day", "5")
    description = page.locator(".classroom-scenario-description")
    before = description.inner_text()
    _pick_scenario(page, "kol_exodus")
    expect(description).not_to_have_text(before)
    expect(page.locator(".classroom-phase").first).to_contain_text("day 0")
    assert not CJK.search(page.locator("body").inner_text()), "Chinese on the page: boxes without a CJK font"
    assert page.blocked == [], f"page tried to reach the internet: {page.blocked}"
    assert "Could not load URL" not in server_log.read_text(), f"server fetched from a CDN; see {server_log}"


def test_reset_after_a_switch_rebuilds_the_picked_scenario_with_its_levers(server, page, expect):
    """Old page: Reset rebuilt typical_group under paid_community's text, and lost indicator (3)."""
    _open(page, server[0])
    _pick_scenario(page, "paid_community")
    expect(page.locator(".classroom-check-ind_conversion")).to_be_visible()  # (3) applies: a paid tier
    page.locator(".classroom-step").click()
    expect(page.locator(".classroom-phase").first).to_contain_text("day 1 ")
    page.locator(".classroom-reset").click()
    expect(page.locator(".classroom-phase").first).to_contain_text("day 0")
    expect(page.locator(".classroom-scenario-description")).to_contain_text("Members pay to join")
    expect(page.locator(".classroom-check-ind_conversion")).to_be_visible()
    expect(page.locator(".classroom-lever-entry_threshold")).to_contain_text("paid")
    expect(page.locator(".classroom-pending")).to_have_count(0)  # what is shown is what runs


def test_fast_play_never_tears_a_chart_and_draws_every_day(server, page, expect):
    """Old page: at a short Play Interval the charts read rows while the model appended
    ("x has size 33, y2 34") and the page became a traceback."""
    _open(page, server[0])
    page.evaluate("() => { window.classroomDraws = []; }")
    _play(page, "Fast")
    page.wait_for_timeout(6000)
    page.locator(".classroom-play").click()  # pause
    expect(page.locator(".classroom-play")).to_contain_text("Play")
    page.wait_for_timeout(1000)  # the day that was being stepped when Pause landed arrives
    _no_errors(page)
    day = _day(page)
    assert day >= 20, f"only {day} days in 6 s at Fast"
    draws = page.evaluate("() => window.classroomDraws")
    for chart in CHARTS:
        days = {d for _, d, name in draws if name == chart}
        missing = set(range(1, day + 1)) - days
        assert not missing, f"{chart} skipped days {sorted(missing)[:10]}"
    expect(page.locator(".classroom-chart-members").first).to_have_attribute("data-day", str(day))


def test_a_switch_while_playing_stops_and_runs_the_new_setup(server, page, expect):
    """Old page: switching scenario while playing kept playing with the old controls."""
    _open(page, server[0])
    _play(page)
    page.wait_for_timeout(1500)
    _pick_scenario(page, "no_rules_open_qr")
    expect(page.locator(".classroom-play")).to_contain_text("Play")
    expect(page.locator(".classroom-phase").first).to_contain_text("day 0")
    page.wait_for_timeout(1500)
    assert _day(page) == 0, "the page went on playing after the switch"
    expect(page.locator(".classroom-lever-moderation")).to_contain_text(": 0")  # the new scenario's own value
    expect(page.locator(".classroom-lever-ad_policy")).to_contain_text("free")


def test_sliders_show_the_new_scenarios_values_after_a_switch(server, page, expect):
    """Old page: a moved slider kept its value after a switch (showed 20, the model used 10),
    and the moderation slider's track was 0 px wide."""
    _open(page, server[0])
    slider = page.locator(".classroom-lever-moderation .v-slider").first
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box["width"] > 150, f"moderation slider track is {box['width']} px wide"
    page.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)  # drag to the top
    expect(page.locator(".classroom-lever-moderation")).to_contain_text(": 20")
    expect(page.locator(".classroom-pending")).to_contain_text("moderation = 20")  # not running yet
    _pick_scenario(page, "kol_exodus")
    expect(page.locator(".classroom-lever-moderation")).to_contain_text(": 10")
    expect(page.locator(".classroom-pending")).to_have_count(0)


def test_a_run_ends_exactly_on_its_horizon_with_a_summary(server, page, expect):
    """Old page: with Render Interval > 1 the run went on to day 367-374 of 365."""
    _open(page, server[0])
    _play(page, "Fast")
    page.wait_for_timeout(9000)
    expect(page.locator(".classroom-summary")).to_be_visible(timeout=120_000)
    assert _day(page) == 365
    assert _drawn_day(page, "classroom-chart-members") == 365
    expect(page.locator(".classroom-play")).to_be_disabled()
    expect(page.locator(".classroom-summary")).to_contain_text("Ended on day 365")
    _no_errors(page)
    _shot(page, "classroom.png")
    page.locator(".classroom-chart-health").scroll_into_view_if_needed()
    _shot(page, "classroom-end.png")


def test_projector_layout_keeps_the_key_charts_above_the_fold(server, page):
    _open(page, server[0])
    assert page.viewport_size == {"width": 1280, "height": 720}
    for part in ABOVE_THE_FOLD:
        box = page.locator(f".{part}").first.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 720 and box["x"] + box["width"] <= 1280, (
            f"{part} is not wholly on a 1280x720 screen: {box}")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.classroom-story')).fontSize)")
    assert size >= 15, f"story text is {size}px"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280  # no sideways scrolling


def test_story_mode_pauses_at_a_turning_point_with_a_callout(server, page, expect):
    _open(page, server[0])
    page.locator(".classroom-story-mode input").check(force=True)
    _play(page, "Fast")
    expect(page.locator(".classroom-callout")).to_be_visible(timeout=60_000)
    expect(page.locator(".classroom-play")).to_contain_text("Play")
    day = _day(page)
    assert f"Day {day}:" in page.locator(".classroom-callout").inner_text()
    assert page.locator(".classroom-event.key", has_text=f"day {day}:").count() >= 1  # listed, numbered
    _shot(page, "classroom-story.png")


def test_an_intervention_changes_the_running_model_from_tomorrow(server, page, expect):
    _open(page, server[0])
    for _ in range(3):
        page.locator(".classroom-step").click()
    expect(page.locator(".classroom-phase").first).to_contain_text("day 3 ")
    page.locator(".classroom-intervene-ad_policy").click()
    expect(page.locator(".classroom-intervention-message")).to_contain_text("day 4")
    page.locator(".classroom-step").click()
    expect(page.locator(".classroom-events")).to_contain_text("day 4: Strategy change: the teacher banned ads")


def test_two_strategies_side_by_side_and_csv_and_png_export(server, page, expect):
    _open(page, server[0])
    page.locator(".classroom-step").click()
    with page.expect_download() as download:
        page.get_by_text("Download the daily numbers (CSV)").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0].startswith("day,phase,members") and len(lines) == 3  # days 0 and 1
    with page.expect_download() as download:
        page.locator(".classroom-chart-members .classroom-png").click()
    assert download.value.suggested_filename == "typical_group-members-day1.png"
    assert Path(download.value.path()).read_bytes().startswith(b"\x89PNG")
    page.locator(".classroom-compare-run").click()
    sides = page.locator(".classroom-compare-side")
    expect(sides).to_have_count(2, timeout=120_000)
    expect(sides.nth(1)).to_contain_text("B: with ad_policy=ban")
    for k in range(2):
        expect(page.locator(".classroom-compare-members").nth(k)).to_have_attribute("data-day", re.compile(r"\d+"))
    page.locator(".classroom-compare-messages").first.scroll_into_view_if_needed()
    _shot(page, "classroom-compare.png")
