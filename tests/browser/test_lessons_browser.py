"""Lessons page in a real browser: the source and its deviations, evidence with progress,
an upload error, Open."""
from __future__ import annotations

from tests.browser.conftest import wait_idle
from tests.browser.journey import arrived, go


def test_lesson_evidence_upload_error_and_open(app_url, page, tmp_path):
    page.goto(app_url + "/")
    arrived(page, "train")
    go(page, "lessons")
    # A card states its source, and one click shows the setup and every deviation.
    news = page.locator(".st-key-lesson_news").first
    assert "Source:" in news.inner_text() and "torchtext" in news.inner_text()
    news.get_by_text("The source's setup, and where the app deviates").first.click()
    news.get_by_text("Learning rate 5 (the tutorial's, the app's preset).").first.wait_for()
    news.get_by_text("Step decay after every epoch").first.wait_for()
    card = page.locator(".st-key-lesson_lr_range").first
    card.scroll_into_view_if_needed()
    card.locator(".st-key-evidence_lr_range button").first.click()
    # First a progress bar (or, on a fast machine, already the verdict)...
    card.locator("[data-testid=stProgress], [data-testid=stAlert]").first.wait_for(
        timeout=30_000)
    # The verdict arrives through the polling fragment; the chart comes with it. (About
    # two seconds on an idle machine; the generous limit is for a crowded CI box.)
    card.locator("[data-testid=stAlertContentSuccess], [data-testid=stAlertContentWarning]"
                 ).first.wait_for(timeout=180_000)
    verdict = card.locator("[data-testid=stAlert]").first.inner_text()
    assert "lr 0.001" in verdict and "lr 0.5" in verdict
    card.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    assert card.locator(".st-key-download_lr_range").count() == 1
    card.screenshot(path=str(tmp_path / "lesson_lr_range.png"))

    # A malformed upload gets a message naming the line, and the page keeps working.
    news.scroll_into_view_if_needed()
    news.get_by_text("Use your own data").first.click()
    bad = tmp_path / "bad.csv"
    bad.write_text('"1","only","three","four"\n')
    news.locator("input[type=file]").first.set_input_files(str(bad))
    alert = news.locator("[data-testid=stAlertContentError]").first
    alert.wait_for(timeout=60_000)
    assert "line 1" in alert.inner_text() and "found 4" in alert.inner_text()

    # "Open in Train" hands the preset over and lands on the Train page.
    page.locator(".st-key-open_loss_vs_error_0 button").first.click()
    # Train is the default page (root URL); it mirrors the received preset into the URL.
    page.wait_for_url(lambda url: "dataset=digits" in url and "run=" in url, timeout=90_000)
    wait_idle(page)
    page.get_by_role("heading", name="Train").first.wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "after_open.png"))
