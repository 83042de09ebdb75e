"""Loss surface page in a real browser: a toy race and a network surface are drawn."""
from __future__ import annotations

import time

from tests.browser.conftest import wait_idle
from tests.browser.journey import arrived, go

REPLAY_JS = """() => {
  const g = document.querySelector('.st-key-toy_chart .js-plotly-plot');
  const path = (g._fullData || []).find(t => t.name && t.name.startsWith('SGD lr'));
  return {maps: g.querySelectorAll('.imagelayer image').length,
          points: path ? path._length || (path.x || []).length : -1};
}"""


def test_toy_and_network_surfaces_are_drawn(app_url, page, tmp_path):
    page.goto(app_url + "/")          # arrive as a user does: by the navigation
    arrived(page, "train")
    go(page, "surface")
    # generous: the first optimizer step in a fresh server imports torch's compiler
    # stack, and CI machines are shared
    wait_idle(page, timeout=90_000)
    toy = page.locator(".st-key-toy_chart").first
    toy.wait_for(timeout=90_000)
    # the landscape (a picture under the axes) with the replay controls
    toy.locator(".imagelayer image").first.wait_for()
    assert toy.get_by_text("▶ Play").count() == 1
    assert "Adam lr=0.05" in toy.inner_text()
    page.screenshot(path=str(tmp_path / "surface_toy.png"))
    # ▶ Play: the paths grow while the landscape stays on screen in every sample
    toy.get_by_text("▶ Play").click()
    seen = []
    for _ in range(25):
        seen.append(page.evaluate(REPLAY_JS))
        time.sleep(0.1)
    assert all(s["maps"] == 1 for s in seen), seen
    lengths = [s["points"] for s in seen]
    assert min(lengths) < max(lengths), f"the paths did not move: {lengths}"
    page.wait_for_function("() => { const s = (" + REPLAY_JS + ")(); return s.maps === 1; }")

    page.get_by_role("tab", name="Network landscape").click()
    wait_idle(page, timeout=60_000)
    page.locator(".st-key-net_demo button").first.click()
    # the demo run trains, then its surface is computed without another click
    chart = page.locator(".st-key-net_chart").first
    chart.wait_for(timeout=90_000)
    chart.locator(".imagelayer image").first.wait_for()
    assert "PC1" in chart.inner_text()
    fidelity = page.locator(".st-key-net_fidelity").first
    fidelity.wait_for()
    assert "true loss" in fidelity.inner_text()
    page.get_by_text("Download grid (CSV)").first.wait_for()
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "surface_network.png"))
