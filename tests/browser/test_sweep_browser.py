"""LR sweep in a real browser: run a range test, click "Use this LR", see the config change."""
from __future__ import annotations

import re

from tests.browser.conftest import wait_idle
from tests.browser.journey import arrived, go


def test_run_sweep_and_use_suggested_lr(app_url, page, tmp_path):
    page.goto(app_url + "/")          # arrive as a user does: by the navigation
    arrived(page, "train")
    go(page, "sweep")
    wait_idle(page)
    lr_box = page.locator(".st-key-cfg_lr input").first
    before = float(lr_box.input_value())

    page.locator(".st-key-sw_run button").first.click()
    chart = page.locator(".st-key-sw_chart .js-plotly-plot").first
    chart.wait_for(timeout=60_000)
    wait_idle(page)
    # The chart really drew: a log-scaled x axis and the suggestion markers.
    assert page.locator(".st-key-sw_chart .xtitle").first.text_content().startswith("learning rate")
    assert page.locator(".st-key-sw_chart .legendtext", has_text="Steepest descent").count() == 1
    page.screenshot(path=str(tmp_path / "sweep.png"), full_page=True)

    use = page.locator(".st-key-sw_use_adam_valley button").first
    use.click()
    page.get_by_text(re.compile(r"The Train page now uses it")).first.wait_for()
    wait_idle(page)
    after = float(page.locator(".st-key-cfg_lr input").first.input_value())
    assert after != before
    message = page.get_by_text(re.compile(r"Set learning rate")).first.inner_text()
    assert f"{after:g}" in message
    page.screenshot(path=str(tmp_path / "used.png"), full_page=True)
