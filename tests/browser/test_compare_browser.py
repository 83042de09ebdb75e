"""Compare page in a real browser: start the SGD-vs-Adam preset, see two growing traces."""
from __future__ import annotations

import time

from tests.browser.conftest import wait_idle
from tests.browser.journey import arrived, go

TRAIN_REACH = """() => {
  const plots = document.querySelectorAll('.st-key-cmp_loss_chart .js-plotly-plot');
  if (!plots.length || !plots[plots.length - 1]._fullData) return {};
  const out = {};
  // _fullData holds the decoded traces (the data may arrive as base64 typed arrays).
  for (const t of plots[plots.length - 1]._fullData) {
    // how far the trace reaches: its last x (the step), robust to downsampling
    if (t.name && !t.name.includes('·') && t.mode === 'lines' && t.fill !== 'toself' && t.x && t.x.length) out[t.name] = t.x[t.x.length - 1];
  }
  return out;
}"""


def _reach(page, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = page.evaluate(TRAIN_REACH)
        if len(got) == 2 and all(v > 0 for v in got.values()):
            return got
        time.sleep(0.3)
    raise AssertionError(f"never saw two training curves (last: {got})")


def test_sgd_vs_adam_preset_grows_two_traces(app_url, page, tmp_path):
    page.goto(app_url + "/")          # arrive as a user does: by the navigation
    arrived(page, "train")
    go(page, "compare")
    wait_idle(page)
    page.locator(".st-key-cmp_load button").first.click()
    wait_idle(page)
    # Long runs, so the curves are still growing while we look.
    length = page.locator(".st-key-cmp_length input").first
    length.fill("100000")
    length.press("Enter")
    wait_idle(page)
    page.locator(".st-key-cmp_start button").first.click()

    first = _reach(page)
    assert set(first) == {"SGD lr=0.1", "Adam lr=0.001"}
    time.sleep(2.5)
    second = _reach(page)
    assert all(second[name] > first[name] for name in first), (first, second)
    # Both traces keep their optimizer's color on the chart.
    colors = page.evaluate("""() => {
      const p = [...document.querySelectorAll('.st-key-cmp_loss_chart .js-plotly-plot')].pop();
      return p._fullData.filter(t => t.name && !t.name.includes('·') && t.mode === 'lines' && t.fill !== 'toself')
        .map(t => t.line.color);
    }""")
    assert colors == ["#0072B2", "#D55E00"]
    # (a live chart is replaced every 0.5 s, so scroll with JS rather than a locator)
    page.evaluate("document.querySelector('.st-key-cmp_acc_chart').scrollIntoView()")
    page.screenshot(path=str(tmp_path / "compare.png"))

    page.locator(".st-key-cmp_stop_all button").first.click()
    page.get_by_text("All 2 runs have ended").first.wait_for(timeout=30_000)
