"""Classroom page speed, measured in headless Chromium: days per second while playing.

Starts the page (``python -m dashboards``'s server, offline) and, for comparison in the same
run on the same machine, the old Matplotlib page of commit ``OLD_PAGE_COMMIT`` (taken out of
git into a temp folder), both with a 500-member group (``seeding.seed_users=499``). For each
speed of the new page it presses ▶, waits, and reads back from the browser the day of every
picture the canvases actually painted (``window.classroomDraws``): days/s is painted days
over painted time, and "drawn" is the share of the days in that span that every chart
painted. The old page is measured by its "Step: N" counter (it draws every day at its
default Render Interval 1).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_classroom.py [--seconds 20] [--members 500]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboards.__main__ import server_command, server_env  # noqa: E402

OLD_PAGE_COMMIT = "e73d203"  # the last commit with the Matplotlib classroom page
OLD_PAGE_FILES = ("dashboards/__init__.py", "dashboards/app.py", "dashboards/components/__init__.py",
                  "dashboards/components/charts.py", "dashboards/components/network.py",
                  "dashboards/components/plot.py", "dashboards/components/story.py")
CHARTS = ("classroom-network", "classroom-chart-members", "classroom-chart-messages", "classroom-chart-health")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def old_page(folder: Path) -> Path:
    """Write the old page's files from git into ``folder``; return its app.py."""
    for rel in OLD_PAGE_FILES:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{OLD_PAGE_COMMIT}:{rel}"], check=True,
                              capture_output=True, text=True).stdout
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder / "dashboards" / "app.py"


def start(app: Path | None, overrides: list[str], pythonpath: str, log: Path):
    """A page server on a free port; returns (process, url) once it answers."""
    port = _free_port()
    cmd = server_command(port)
    if app is not None:
        cmd[cmd.index("run") + 1] = str(app)
    env = {**server_env(), "CLASSROOM_OVERRIDES": json.dumps(overrides), "PYTHONPATH": pythonpath}
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return proc, url
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError(f"server did not start; see {log}")


def stop(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def offline(page) -> None:
    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url or r.request.url.startswith("data:")
               else r.abort())


def measure_new(browser, url: str, speed: str, seconds: float) -> dict:
    """Play the new page at ``speed`` for ``seconds``; days/s and share of days drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    offline(page)
    page.goto(url)
    page.wait_for_selector(".classroom-chart-members canvas", timeout=120_000)
    page.locator(".classroom-speed").click()
    page.locator(".v-menu__content .v-list-item", has_text=speed).first.click()
    page.wait_for_timeout(500)
    page.evaluate("() => { window.classroomDraws = []; }")
    page.locator(".classroom-play").click()
    page.wait_for_timeout(seconds * 1000)
    draws = page.evaluate("() => window.classroomDraws")
    page.close()
    by_chart = {c: [(t, d) for t, d, name in draws if name == c] for c in CHARTS}
    members = by_chart["classroom-chart-members"]
    (t0, d0), (t1, d1) = members[0], members[-1]
    span = set(range(d0, d1 + 1))
    drawn = min(len(span & {d for _, d in by_chart[c]}) / len(span) for c in CHARTS)
    return {"days_per_s": (d1 - d0) / ((t1 - t0) / 1000), "drawn": drawn, "days": d1 - d0}


def measure_old(browser, url: str, seconds: float) -> dict:
    """Play the old page at its defaults for ``seconds``; days/s from its step counter."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    offline(page)
    page.goto(url)
    page.wait_for_selector(".classroom-network img", timeout=120_000)
    counter = page.get_by_text("Step:", exact=False).first
    page.get_by_role("button", name="▶").click()
    page.wait_for_timeout(2000)  # past the first step
    s0, t0 = int(counter.inner_text().split(":")[1]), time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    s1, t1 = int(counter.inner_text().split(":")[1]), time.monotonic()
    page.close()
    return {"days_per_s": (s1 - s0) / (t1 - t0), "drawn": 1.0, "days": s1 - s0}


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from dashboards.app import SPEEDS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="play time per measurement")
    parser.add_argument("--members", type=int, default=500, help="group size from day 0")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    overrides = [f"seeding.seed_users={args.members - 1}"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)
        old_app = old_page(Path(tmp))
        for name, app, path in (("old Matplotlib page", old_app, f"{tmp}:{ROOT}"), ("new page", None, str(ROOT))):
            proc, url = start(app, overrides, path, Path(tmp) / f"{name.split()[0]}.log")
            try:
                if app is None:
                    for speed in SPEEDS:
                        results[f"new page, {speed}"] = measure_new(browser, url, speed, args.seconds)
                else:
                    results[name] = measure_old(browser, url, args.seconds)
            finally:
                stop(proc)
        browser.close()
    old = results["old Matplotlib page"]["days_per_s"]
    print(f"Classroom page in headless Chromium, {args.members} members, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}, {args.seconds:g} s per measurement")
    print(f"{'page, speed':<34} {'days/s':>7} {'days drawn':>10} {'vs old':>7}")
    for name, r in results.items():
        print(f"{name:<34} {r['days_per_s']:7.2f} {r['drawn']:10.0%} {r['days_per_s'] / old if old else float('nan'):6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
