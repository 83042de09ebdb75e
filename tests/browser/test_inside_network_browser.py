"""Inside the network, in a real browser: start a spiral run from /, open the panel, and
watch the diagram, its neuron maps and the update-ratio chart grow."""
import time

from tests.browser.conftest import choose, wait_idle
from tests.browser.journey import go

PANEL_JS = """() => {
  const plot = (key) => document.querySelector(`.st-key-${key} .js-plotly-plot`);
  const net = plot('chart_network'), upd = plot('chart_update_ratio');
  if (!net || !upd) return null;
  const title = (net._fullLayout.title || {}).text || '';
  const lines = (upd._fullData || []).filter(t => (t.name || '').startsWith('W'));
  return {step: Number((title.match(/step ([\\d,]+)/) || ['', '0'])[1].replace(/,/g, '')),
          maps: (net._fullLayout.images || []).length,
          points: lines.length ? lines[0]._length : 0, matrices: lines.length};
}"""


def test_a_spiral_run_shows_its_network_neuron_maps_and_update_sizes(app_url, page, tmp_path):
    page.goto(app_url + "/")
    wait_idle(page)
    choose(page, "cfg_dataset", "Spiral")
    page.locator(".st-key-train_pace").get_by_text("Watch", exact=True).first.click()
    wait_idle(page)
    page.locator(".st-key-btn_start button").first.click()
    page.wait_for_selector(".st-key-chart_loss .js-plotly-plot", timeout=30_000)
    page.locator(".st-key-view_inside label").first.click()
    page.wait_for_function("() => { const s = (" + PANEL_JS + ")(); "
                           "return !!s && s.points >= 2; }", timeout=60_000)
    first = page.evaluate(PANEL_JS)
    assert first["maps"] == 2 + 7 + 7 and first["matrices"] == 3, first
    later = first
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(1.0)
        later = page.evaluate(PANEL_JS)
        if later and later["points"] > first["points"] and later["step"] > first["step"]:
            break
    assert later["points"] > first["points"] and later["step"] > first["step"], (first, later)
    page.locator(".st-key-chart_network").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "inside-network.png"), full_page=True)
    page.locator(".st-key-btn_stop button").first.click()    # leave the next test the cores
    page.get_by_text("Stopped at step").first.wait_for(timeout=30_000)
    # the input features toggled on Train stay chosen on another page (and back)
    page.locator(".st-key-cfg_features_pick").get_by_text("X₁²", exact=True).first.click()
    wait_idle(page)
    for key in ("compare", "train"):
        go(page, key)
        time.sleep(0.5)
        wait_idle(page)
        assert page.get_by_text("choose at least one input feature").count() == 0
        assert "features=x1%2Cx2%2Cx1sq" in page.url or "features=x1,x2,x1sq" in page.url, \
            page.url
