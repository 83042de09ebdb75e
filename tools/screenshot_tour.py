"""Screenshots of every page and state, light and dark, into one folder.

    python tools/screenshot_tour.py [--out screenshots] [--url http://127.0.0.1:8501]
                                    [--themes light dark] [--only train sweep ...]

Without ``--url`` it starts its own ``streamlit run app.py`` on a free loopback port
and stops it afterwards. It moves as a visitor does: opens "/", clicks the navigation
and the buttons, and waits for the charts to draw before each picture. Every picture is
the first screen at 1440×1000 (what a projector shows) plus, where the page is longer, a
``-full`` picture of the whole page. Open the folder and look at every image before a
change to a page lands: charts blank, clipped, crowded or pale show up here first.

Needs Playwright and Debian's Chromium (``apt-get install -y chromium``).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1440, "height": 1000}
TITLES = {"train": "Train", "sweep": "LR sweep", "search": "Search", "compare": "Compare",
          "surface": "Loss surface", "lessons": "Lessons", "runs": "Runs", "server": "Server"}


# ---------------------------------------------------------------- server and browser
@contextlib.contextmanager
def app_server(url: str | None):
    if url:
        yield url.rstrip("/")
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # A run history of its own, so the Runs page shows this tour's runs and nothing of yours.
    history = tempfile.mkdtemp(prefix="playground-tour-")
    env = {**os.environ, "PLAYGROUND_DB": f"sqlite:///{history}/runs.db",
           "PLAYGROUND_USER_DATA_DIR": f"{history}/user-data"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the app did not start (try: streamlit run app.py)")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        shutil.rmtree(history, ignore_errors=True)


class Tour:
    """One browser tab in one theme, and the folder its pictures go to."""

    def __init__(self, page, out: Path, theme: str):
        self.page, self.out, self.theme = page, out, theme
        self.taken: list[Path] = []

    def idle(self, timeout: float = 90_000) -> None:
        self.page.wait_for_selector(
            "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)

    def go(self, key: str) -> None:
        self.page.get_by_role("link", name=TITLES[key], exact=True).first.click()
        self.page.get_by_role("heading", name=TITLES[key], exact=True).first.wait_for(
            timeout=60_000)
        self.idle()

    def click(self, key: str) -> None:
        self.page.locator(f".st-key-{key} button").first.click()

    def charts_drawn(self, timeout: float = 60_000) -> None:
        """Every chart on the page has drawn at least once."""
        self.page.wait_for_function("""() => {
          const all = [...document.querySelectorAll('.playground-plot')];
          return all.every(g => Number(g.dataset.updates || 0) > 0);
        }""", timeout=timeout)

    def settled(self, selector: str, timeout: float = 120_000) -> None:
        """``selector`` is on the page, the script is idle and every chart has drawn."""
        self.page.locator(selector).first.wait_for(timeout=timeout)
        self.idle()
        self.charts_drawn()

    def shot(self, name: str, full: bool = True) -> None:
        self.page.mouse.move(VIEWPORT["width"] - 5, VIEWPORT["height"] - 5)  # no tooltip
        time.sleep(0.6)                       # the last Plotly transition
        first = self.out / f"{name}-{self.theme}.png"
        self.page.screenshot(path=str(first))
        self.taken.append(first)
        # Streamlit scrolls inside its main block, so a "full page" screenshot is the
        # first screen again: grow the window to the content's height instead.
        height = self.page.evaluate("""() => Math.max(...[...document.querySelectorAll(
            '[data-testid=stMain], [data-testid=stMainBlockContainer]')].map(e => e.scrollHeight))""")
        if full and height > VIEWPORT["height"] + 50:
            self.page.set_viewport_size({"width": VIEWPORT["width"], "height": int(height) + 40})
            time.sleep(1.0)                   # charts resize to the new window
            whole = self.out / f"{name}-{self.theme}-full.png"
            self.page.screenshot(path=str(whole))
            self.taken.append(whole)
            self.page.set_viewport_size(VIEWPORT)
            time.sleep(0.3)


# ------------------------------------------------------------------------- the pages
def train(t: Tour) -> None:
    t.page.goto(t.base + "/")
    t.idle()
    t.shot("train-1-first-visit")
    t.click("btn_start")
    t.page.wait_for_selector(".st-key-chart_loss .js-plotly-plot", timeout=60_000)
    time.sleep(4)
    t.charts_drawn()
    t.shot("train-2-running")
    t.click("btn_pause")
    t.page.get_by_text("Paused at step").first.wait_for()
    t.idle()
    t.charts_drawn()
    t.shot("train-3-paused")
    if _open_toggle(t, "view_inside", ".st-key-chart_network", "train-3b-inside-the-network"):
        t.page.locator(".st-key-view_inside label").first.click()     # closed again
        t.idle()
    t.page.get_by_role("button", name="Chart options").first.click()
    t.page.locator(".st-key-view_logy").first.wait_for()
    t.shot("train-4-chart-options", full=False)
    t.page.keyboard.press("Escape")
    t.page.locator(".st-key-view_logy").first.wait_for(state="hidden")
    t.click("btn_reset")
    t.page.get_by_text("Ready to train").first.wait_for()
    t.idle()
    box = t.page.locator(".st-key-cfg_lr input").first
    if box.count():
        box.fill("10")
        box.press("Enter")
        t.idle()
        t.page.wait_for_url("**lr=10&**")      # the edit has been applied
        t.click("btn_start")
        t.page.get_by_text("Diverged at step").first.wait_for(timeout=60_000)
        t.idle()
        t.charts_drawn()
        t.shot("train-5-diverged")
        t.click("btn_reset")
        t.page.get_by_text("Ready to train").first.wait_for()
        t.idle()
        box.fill("0.01")
        box.press("Enter")
        t.idle()
    hidden = t.page.locator(".st-key-cfg_n_samples input").first
    if hidden.count():
        _reveal(t.page, hidden)
        hidden.fill("3")
        hidden.press("Enter")
        t.idle()
        t.shot("train-6-invalid-setting", full=False)
        hidden.fill("1000")
        hidden.press("Enter")
        t.idle()


def sweep(t: Tour) -> None:
    t.go("sweep")
    t.shot("sweep-1-first-visit")
    t.click("sw_run")
    t.page.locator(".st-key-sw_chart .js-plotly-plot").first.wait_for(timeout=90_000)
    t.page.get_by_text("Suggestions").first.wait_for(timeout=120_000)
    t.settled(".st-key-sw_chart .js-plotly-plot")
    t.shot("sweep-2-range-test")
    t.page.locator(".st-key-sw_mode").get_by_text("Short runs").click()
    t.idle()
    t.shot("sweep-3-short-runs-setup", full=False)
    t.click("sw_run")
    t.page.locator(".st-key-sr_chart .js-plotly-plot").first.wait_for(timeout=300_000)
    t.settled(".st-key-sr_csv", timeout=300_000)
    t.shot("sweep-4-short-runs")


def search(t: Tour) -> None:
    t.go("search")
    t.shot("search-1-first-visit")
    t.click("se_run")
    t.page.locator(".st-key-search_trials .js-plotly-plot").first.wait_for(timeout=120_000)
    t.shot("search-2-running", full=False)
    t.settled(".st-key-se_csv", timeout=300_000)
    t.shot("search-3-done")


def compare(t: Tour) -> None:
    t.go("compare")
    t.shot("compare-1-first-visit")
    t.click("cmp_start")
    t.page.locator(".st-key-cmp_loss_chart .js-plotly-plot").first.wait_for(timeout=60_000)
    time.sleep(5)
    t.charts_drawn()
    t.shot("compare-2-running")
    _open_toggle(t, "cmp_inside", "[class*='st-key-cmp_network_']",
                 "compare-3-inside-each-network")


def surface(t: Tour) -> None:
    t.go("surface")
    t.page.locator(".st-key-toy_chart .imagelayer image").first.wait_for(timeout=90_000)
    t.charts_drawn()
    t.shot("surface-1-toy-race")
    play = t.page.get_by_text("▶ Play").first
    if play.count():
        play.click()
        time.sleep(3)
        t.shot("surface-2-toy-after-play", full=False)
    t.page.get_by_role("tab", name="Network landscape").click()
    t.idle()
    t.shot("surface-3-network-first-visit", full=False)
    t.click("net_demo")
    t.settled(".st-key-net_chart .imagelayer image", timeout=180_000)
    t.shot("surface-4-network-landscape")


def lessons(t: Tour) -> None:
    t.go("lessons")
    t.shot("lessons-1-first-visit")
    t.click("evidence_news")
    t.settled(".st-key-lesson_news .js-plotly-plot", timeout=300_000)
    t.page.locator(".st-key-lesson_news").first.scroll_into_view_if_needed()
    t.shot("lessons-2-evidence", full=False)


def runs(t: Tour) -> None:
    t.go("runs")
    t.shot("runs-1-table")
    grid = t.page.locator("[data-testid=stDataFrame]").first
    if grid.count():
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        for row in (0, 1):          # the checkbox column is drawn on the grid's canvas
            t.page.mouse.click(box["x"] + 15, box["y"] + 35 * (row + 1) + 17)
            t.idle()
        t.settled(".st-key-runs_loss_chart .js-plotly-plot")
        t.shot("runs-2-two-compared")


def server(t: Tour) -> None:
    t.go("server")
    t.shot("server-1")


def table(t: Tour) -> None:
    """Your table: an upload with a text column, missing cells and a formula-looking
    cell (the sidebar's report, preview and class balance), then a file it refuses."""
    t.page.goto(t.base + "/")
    t.idle()
    box = t.page.locator(".st-key-cfg_dataset [data-testid=stSelectbox]").first
    box.evaluate("e => e.scrollIntoView({block: 'start'})")
    box.click()
    t.page.get_by_role("option", name="Your table", exact=True).first.click()
    t.idle()
    folder = Path(tempfile.mkdtemp(prefix="tour-table-"))
    good, bad = folder / "pets.csv", folder / "spaces.csv"
    good.write_text("size,weight,colour,kind\n" + "".join(
        f"{i % 10},{'' if i in (3, 9) else (i * 7) % 13},{['red', 'green', 'blue'][i % 3]},"
        f"{'cat' if i % 10 < 5 else 'dog'}\n" for i in range(150)) + '3,4,=HYPERLINK("x"),cat\n')
    bad.write_text("a b c\n1 2 3\n")
    upload = t.page.locator(".st-key-tbl_upload input[type=file]").first
    upload.set_input_files(str(good))
    t.page.get_by_text("Drop rows with missing values").first.wait_for()
    t.idle()
    t.shot("table-1-missing-values")
    t.page.locator("[data-testid=stSidebar] [data-testid=stCheckbox]").first.click()
    t.settled(".st-key-chart_table_balance .js-plotly-plot")
    t.shot("table-2-ready")
    upload.set_input_files(str(bad))
    t.page.get_by_text("only one column was found").first.wait_for()
    t.idle()
    t.shot("table-3-refused-file", full=False)


def _open_toggle(t: Tour, key: str, chart: str, name: str) -> bool:
    """Switch a toggle on, wait for the chart it shows, take the picture."""
    toggle = t.page.locator(f".st-key-{key} label").first
    if not toggle.count():
        return False
    toggle.scroll_into_view_if_needed()
    toggle.click()
    t.settled(f"{chart} .js-plotly-plot")
    t.page.locator(chart).first.scroll_into_view_if_needed()
    t.shot(name, full=False)
    return True


def _reveal(page, locator) -> None:
    section = page.locator("[data-testid=stExpander]", has=locator)
    if section.count() and section.first.locator("details").first.get_attribute("open") is None:
        section.first.locator("summary").first.click()
    locator.wait_for(state="visible")
    locator.scroll_into_view_if_needed()


def regression(t: Tour) -> None:
    """Train on each regression task (a setup link, as a shared one would open it)."""
    for dataset in ("plane", "multigauss", "sin"):
        t.page.goto(t.base + f"/?dataset={dataset}&length=1500")
        t.idle()
        t.click("btn_start")
        t.page.wait_for_selector(".st-key-chart_model .js-plotly-plot", timeout=60_000)
        time.sleep(4)
        t.charts_drawn()
        t.shot(f"regression-{dataset}-running")
        t.click("btn_stop")
        t.idle()


PAGES = {"train": train, "sweep": sweep, "search": search, "compare": compare, "surface": surface,
         "lessons": lessons, "runs": runs, "server": server,
         "table": table, "regression": regression}   # Your table, regression (issue #18)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the PNGs")
    ap.add_argument("--url", help="a running app (default: start one on a free port)")
    ap.add_argument("--themes", nargs="+", default=["light", "dark"], choices=["light", "dark"])
    ap.add_argument("--only", nargs="+", choices=list(PAGES), help="only these pages")
    args = ap.parse_args(argv)
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise SystemExit("Debian's chromium is needed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    taken, failed = [], []
    with app_server(args.url) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        for theme in args.themes:
            # Streamlit follows the browser's colour scheme when the app sets no theme.
            context = browser.new_context(viewport=VIEWPORT, color_scheme=theme)
            page = context.new_page()
            page.set_default_timeout(60_000)
            tour = Tour(page, out, theme)
            tour.base = base
            page.goto(base + "/")
            tour.idle()
            for name in args.only or PAGES:
                try:
                    PAGES[name](tour)
                except Exception as error:          # keep touring; say what broke
                    failed.append(f"{name} ({theme}): {type(error).__name__}: {error}"[:400])
                    page.screenshot(path=str(out / f"{name}-FAILED-{theme}.png"), full_page=True)
            taken += tour.taken
            context.close()
        browser.close()
    print(f"{len(taken)} screenshots in {out}")
    for line in failed:
        print("FAILED", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
