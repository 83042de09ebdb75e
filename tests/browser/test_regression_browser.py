"""A regression journey in a real browser: from /, choose the sine curve in the sidebar,
Start, watch the fitted curve appear and the RMSE be reported."""
from __future__ import annotations

from tests.browser.conftest import choose, wait_idle
from tests.browser.journey import arrived

FIT_JS = """() => {
  const el = document.querySelector('.st-key-chart_model .js-plotly-plot');
  if (!el || !el._fullData) return 0;
  const fit = el._fullData.find(t => t.name === "network's fit");
  return fit ? (fit._length || fit.x.length) : 0;
}"""

RMSE_JS = """() => {
  for (const m of document.querySelectorAll('[data-testid=stMetric]')) {
    const label = m.querySelector('[data-testid=stMetricLabel]');
    const value = m.querySelector('[data-testid=stMetricValue]');
    if (label && value && label.innerText.trim() === 'Val RMSE') return value.innerText.trim();
  }
  return '';
}"""


def test_fit_the_sine_curve_from_the_sidebar(app_url, page, tmp_path):
    page.goto(app_url + "/")
    arrived(page, "train")
    choose(page, "cfg_dataset", "Sine, 1-D (regression)")
    wait_idle(page)
    page.locator(".st-key-chart_preview .js-plotly-plot").first.wait_for()
    page.locator(".st-key-btn_start button").first.click()
    page.wait_for_function(f"({FIT_JS})() > 0", timeout=30_000)
    page.wait_for_function(f"(() => {{ const v = ({RMSE_JS})(); return v && v !== '–'; }})()",
                           timeout=30_000)
    rmse = float(page.evaluate(RMSE_JS))
    assert 0 < rmse < 5, rmse
    assert page.locator("[data-testid=stMetricLabel]", has_text="Val accuracy").count() == 0
    page.screenshot(path=str(tmp_path / "train-sin.png"), full_page=True)
