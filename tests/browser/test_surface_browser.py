"""Loss surface page in a real browser: a toy race and a network surface are drawn."""
from __future__ import annotations

from tests.browser.conftest import wait_idle


def test_toy_and_network_surfaces_are_drawn(app_url, page, tmp_path):
    page.goto(app_url + "/surface")
    # generous: the first optimizer step in a fresh server imports torch's compiler
    # stack, and CI machines are shared
    wait_idle(page, timeout=90_000)
    toy = page.locator(".st-key-toy_chart").first
    toy.wait_for(timeout=90_000)
    # a drawn plotly contour with the replay controls
    toy.locator(".contour").first.wait_for()
    assert toy.get_by_text("▶ Play").count() == 1
    assert "Adam lr=0.05" in toy.inner_text()
    page.screenshot(path=str(tmp_path / "surface_toy.png"))

    page.get_by_role("tab", name="Network landscape").click()
    wait_idle(page, timeout=60_000)
    page.locator(".st-key-net_demo button").first.click()
    # the demo run trains, then its surface is computed without another click
    chart = page.locator(".st-key-net_chart").first
    chart.wait_for(timeout=90_000)
    chart.locator(".contour").first.wait_for()
    assert "PC1" in chart.inner_text()
    fidelity = page.locator(".st-key-net_fidelity").first
    fidelity.wait_for()
    assert "true loss" in fidelity.inner_text()
    page.get_by_text("Download grid (CSV)").first.wait_for()
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "surface_network.png"))
