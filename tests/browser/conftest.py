"""Fixtures for testing the classroom page in a real, offline, headless Chromium.

The server is the real one (``python -m dashboards``'s command and environment) on a free
localhost port; the browser is Debian's ``chromium`` driven by Playwright (no downloaded
browser build). Every request that does not go to the local server is aborted and recorded,
so a test passing here proves the page works without internet. On failure the page is saved
as a screenshot (and the server log kept) under $CLASSROOM_ARTIFACTS or a temp folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ARTIFACTS = Path(os.environ.get("CLASSROOM_ARTIFACTS", Path(tempfile.gettempdir()) / "classroom-artifacts"))
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _missing(message: str):
    if os.environ.get("CI"):
        pytest.fail(message)  # CI must prove the page works, not skip quietly
    pytest.skip(message)


def _chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        _missing("chromium not found: apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("playwright not installed: pip install -e '.[viz]'")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return _chromium()


@pytest.fixture(scope="session")
def server(chromium_path):
    """Start the classroom server; yield (base_url, log_path); stop it and its children."""
    from dashboards import offline_assets
    from dashboards.__main__ import server_command, server_env

    if offline_assets.fill(check_only=True):
        offline_assets.fill()  # one-off download from npm; .ci/run does this beforehand
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(server_command(port), env=server_env(), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}; log: {log_path}\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not answer on {url} within 90 s; log: {log_path}")
            time.sleep(0.5)
        yield url, log_path
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: reaches the server's children too
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def page(browser, request):
    """A fresh page that may talk to localhost only; ``page.blocked`` lists what it tried else."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # a projector
    pg = context.new_page()
    blocked: list[str] = []

    def offline(route):
        u = urlparse(route.request.url)
        if u.scheme in ("data", "blob") or u.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    pg.route("**/*", offline)
    pg.blocked = blocked
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is None or rep.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        try:
            pg.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failing page: {shot}")
        except Exception as e:  # the page itself may be what broke
            print(f"could not take a screenshot: {e}")
    context.close()
