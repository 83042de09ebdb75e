"""Search in a real browser, on the real worker pool: from / click Search, run a tiny
search, watch the trials chart grow, click Use best, arrive at Train with that setup."""
from __future__ import annotations

import re

from tests.browser.conftest import wait_idle
from tests.browser.journey import arrived, go, sidebar

# Sampled inside the page every 50 ms (a Python loop can miss a step between two polls):
# every distinct number of trial points the chart has shown.
SAMPLER_JS = """() => {
  window.__trialCounts = new Set();
  setInterval(() => {
    const g = document.querySelector('.st-key-search_trials .js-plotly-plot');
    if (!g || !g.data) return;
    window.__trialCounts.add(g.data.filter(t => t.mode === 'markers')
                                   .reduce((n, t) => n + t.x.length, 0));
  }, 50);
}"""


def _type(page, key: str, value: str) -> None:
    box = page.locator(f".st-key-{key} input").first
    box.fill(value)
    box.press("Enter")
    wait_idle(page)


def test_a_tiny_search_grows_its_chart_and_use_best_opens_train(app_url, page, tmp_path):
    page.goto(app_url + "/")
    arrived(page, "train")
    go(page, "search")
    assert page.get_by_text(re.compile(r"process pool, \d+ worker processes")).count()
    # long enough trials that the search spans several of the page's refreshes
    _type(page, "se_trials", "10")
    _type(page, "se_steps", "2000")
    page.evaluate(SAMPLER_JS)
    page.locator(".st-key-se_run button").first.click()
    page.locator(".st-key-search_trials .js-plotly-plot").first.wait_for(timeout=120_000)
    page.locator(".st-key-se_use_best").first.wait_for(timeout=180_000)
    seen = set(page.evaluate("() => [...window.__trialCounts]"))
    print("trial counts seen:", sorted(seen))
    assert len(seen - {0}) >= 2, f"the trials chart never grew: {seen}"
    wait_idle(page)
    page.screenshot(path=str(tmp_path / "search-done.png"), full_page=True)
    best = page.get_by_text(re.compile(r"^Trial \d+: ")).first.inner_text()
    lr = float(re.search(r"lr=([0-9.e+-]+)", best).group(1))
    batch = re.search(r"batch_size=(\d+)", best).group(1)
    page.locator(".st-key-se_use_best button").first.click()
    arrived(page, "train")
    setup = sidebar(page)
    assert f"{float(setup['lr']):.3g}" == f"{lr:.3g}", (setup, best)
    assert setup["batch_size"].replace(",", "") == batch, (setup, best)
