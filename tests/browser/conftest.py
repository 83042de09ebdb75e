"""Browser tests: a real `streamlit run` on a free loopback port, driven by Playwright
in Debian's Chromium. Skipped when Chromium or Playwright is missing, except in CI
(``CI`` set), where a missing browser is a failure."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SESSION_TTL_S, RELEASED_PAUSE_S = 2, 2
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none",
           # A closed tab's session is released after 2 s (Streamlit's default is 120 s)
           # and its runs paused 2 s later, so a journey can watch the reaper at work.
           "--server.disconnectedSessionTTL", str(SESSION_TTL_S)]
    # The app as deployed: single runs train on lanes (worker processes).
    env = {**os.environ, "PLAYGROUND_RELEASED_PAUSE_AFTER_S": str(RELEASED_PAUSE_S),
           "PLAYGROUND_RELEASED_STOP_AFTER_S": "120", "PLAYGROUND_LANES": "2"}
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; log:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        _missing("Debian's chromium is not installed (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -r requirements-test.txt)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


FAILURES = Path(os.environ.get("PLAYGROUND_BROWSER_FAILURES", "/tmp/playground-browser-failures"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:      # what the page showed when it failed
        FAILURES.mkdir(parents=True, exist_ok=True)
        shot = FAILURES / f"{request.node.name}.png"
        try:
            pg.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failure: {shot}")
        except Exception:
            pass
    context.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app has rendered and its script is not running."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                           timeout=timeout)


def choose(page, key: str, option: str) -> None:
    """Pick ``option`` in the selectbox with widget key ``key``.

    Off-screen sidebar widgets render as skeletons until scrolled into view, so scroll
    first, then open the real select and click the option.
    """
    container = page.locator(f".st-key-{key}").first
    container.scroll_into_view_if_needed()
    # To the top of its scrolling pane: the list then opens below with room for every
    # option. Near the bottom, reaching an option scrolled the pane, and a scroll closes
    # the list (the option "detached from the DOM" until the click timed out).
    container.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.locator(f".st-key-{key} [data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_idle(page)
