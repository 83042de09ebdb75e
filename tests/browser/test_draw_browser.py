"""Journey: draw your own data. From "/", choose Draw your own, click points of two
classes onto the canvas, shift-click one away, train, and reload: the points stay."""
from __future__ import annotations

import base64
import os
import time
from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import choose, wait_idle
from tests.browser.journey import arrived, no_exception, type_into

CLASS_0 = [(-1.0, -1.0), (-0.8, -0.5), (-0.4, -1.1), (-1.2, -0.2), (-0.3, -0.5)]
CLASS_1 = [(1.0, 1.0), (0.8, 0.5), (0.4, 1.1), (1.2, 0.2), (0.3, 0.5)]
SHOTS = os.environ.get("PLAYGROUND_DRAW_SHOTS")     # a folder: keep the screenshots

COUNT_JS = """() => {
  const g = document.querySelector('.st-key-%s .js-plotly-plot');
  if (!g || !g._fullData) return -1;
  return g._fullData.reduce((n, t) => n + (t.x || []).filter(v => v !== null).length, 0);
}"""


def canvas_click(page, x: float, y: float, shift: bool = False) -> None:
    """Click the plane at (x, y), in its own coordinates (the plot area is the plane
    [-1.5, 1.5]², measured afresh: the page may have moved since the last click)."""
    wait_idle(page)
    area = page.locator(".st-key-draw_canvas .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    px = box["x"] + (x + 1.5) / 3.0 * box["width"]
    py = box["y"] + (1.5 - y) / 3.0 * box["height"]
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(px, py)
    if shift:
        page.keyboard.up("Shift")
    time.sleep(0.3)
    wait_idle(page)


def points_on(page, key: str, expected: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while (shown := page.evaluate(COUNT_JS % key)) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert shown == expected, f"{key} shows {shown} points, expected {expected}"


def linked_points(page) -> str:
    return parse_qs(urlparse(page.url).query).get("points", [""])[0]


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name + ".png"))


def test_draw_two_classes_remove_one_train_and_reload(app_url, page):
    page.goto(app_url + "/")
    arrived(page, "train")
    choose(page, "cfg_dataset", "Draw your own")
    type_into(page, "cfg_batch_size", "0")          # a handful of points: full batch
    type_into(page, "cfg_length", "400")
    page.locator(".st-key-draw_canvas .js-plotly-plot").first.wait_for()
    points_on(page, "draw_canvas", 0)
    shot(page, "canvas_empty")
    for x, y in CLASS_0:
        canvas_click(page, x, y)
    page.locator(".st-key-draw_class [role=radio]", has_text="class 1").first.click()
    wait_idle(page)
    for x, y in CLASS_1:
        canvas_click(page, x, y)
    points_on(page, "draw_canvas", 10)
    canvas_click(page, 0.31, 0.49, shift=True)      # removes (0.3, 0.5), the nearest
    points_on(page, "draw_canvas", 9)
    # The same with the Remove mode, then Undo puts the point back.
    page.locator(".st-key-draw_mode [role=radio]", has_text="Remove").first.click()
    canvas_click(page, -0.35, -0.45)
    points_on(page, "draw_canvas", 8)
    page.locator(".st-key-draw_undo_btn button").first.click()
    points_on(page, "draw_canvas", 9)
    page.locator(".st-key-draw_mode [role=radio]", has_text="Add").first.click()
    wait_idle(page)
    shot(page, "canvas_points")
    page.get_by_text("9 points").first.wait_for()
    page.get_by_text("(class 0: 5, class 1: 4)").first.wait_for()
    no_exception(page)

    text = linked_points(page)
    assert text.startswith("v1.") and len(text) == 3 + 4 * 9, text
    packed = base64.urlsafe_b64decode(text[3:])
    classes = [packed[i + 2] & 15 for i in range(0, len(packed), 3)]
    assert classes == [0] * 5 + [1] * 4

    start = page.locator(".st-key-btn_start button").first
    start.click()
    boundary = page.locator(".st-key-chart_model").first
    boundary.locator(".imagelayer image").first.wait_for(timeout=60_000)
    points_on(page, "chart_model", 9)
    page.get_by_text("Finished 400 steps").first.wait_for(timeout=60_000)
    boundary.scroll_into_view_if_needed()
    shot(page, "trained_boundary")

    page.reload()
    arrived(page, "train")
    assert linked_points(page) == text
    page.get_by_text("Edit your points").first.click()
    page.locator(".st-key-draw_canvas .js-plotly-plot").first.wait_for()
    points_on(page, "draw_canvas", 9)
    points_on(page, "chart_model", 9)
    no_exception(page)
