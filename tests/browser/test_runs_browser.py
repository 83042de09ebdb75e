"""The Runs page in a real browser: a run trained on Train is listed, ticked, opened,
and run again — all by clicking, from "/"."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import choose, wait_idle
from tests.browser.journey import arrived, go, no_exception, sidebar


def tick_row(page, row: int) -> None:
    """Tick a row of the runs table (its checkbox column, drawn on a canvas)."""
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 * (row + 1) + 17)
    wait_idle(page)


def test_a_trained_run_is_kept_opened_and_run_again(app_url, page):
    page.goto(app_url + "/")
    arrived(page, "train")
    choose(page, "cfg_dataset", "XOR")
    page.locator(".st-key-btn_start button").first.click()
    page.get_by_text("Training ·").first.wait_for(timeout=30_000)
    page.locator(".st-key-btn_stop button").first.click()
    page.get_by_text("Stopped at step").first.wait_for()
    setup = sidebar(page)

    go(page, "runs")
    page.get_by_text("1 run (this session's)").first.wait_for(timeout=30_000)
    tick_row(page, 0)
    expect(page.get_by_role("button", name="Run again")).to_be_visible(timeout=30_000)
    page.get_by_text("stopped —").first.wait_for()
    for key in ("runs_one_loss", "runs_one_acc"):     # the run's own curves, drawn
        page.locator(f".st-key-{key} .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    no_exception(page)

    page.get_by_role("button", name="Run again").click()
    arrived(page, "train")
    assert sidebar(page) == setup          # the exact settings, ready to Start
    no_exception(page)
