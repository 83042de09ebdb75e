"""Your own table in a real browser: from "/", choose "Your table", upload a CSV, pick
its label, Start, watch it train; then Compare by the navigation, on the same table."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

from playground.data import user_data
from tests.browser.conftest import choose, wait_idle
from tests.browser.journey import arrived, go, no_exception, step_count

CSV = "kind,size,weight\n" + "".join(
    f"{'cat' if i % 10 < 5 else 'dog'},{i % 10},{(i * 7) % 13}\n" for i in range(150))
COMPARE_REACH = """() => {
  const plots = document.querySelectorAll('.st-key-cmp_loss_chart .js-plotly-plot');
  if (!plots.length || !plots[plots.length - 1]._fullData) return 0;
  return plots[plots.length - 1]._fullData.filter(
    t => t.name && t.mode === 'lines' && t.x && t.x.length && t.x[t.x.length - 1] > 0).length;
}"""


def pick(page, field: str, option: str) -> None:
    """Open the table control for ``field`` (its key carries the value it shows)."""
    box = page.locator(f"[class*='st-key-tbl_{field}_'] [data-testid=stSelectbox]").first
    box.evaluate("e => e.scrollIntoView({block: 'start'})")
    box.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_idle(page)


def test_upload_a_table_train_on_it_then_compare_on_it(app_url, page, tmp_path):
    page.goto(app_url + "/")
    arrived(page, "train")
    choose(page, "cfg_dataset", "Your table")
    path = tmp_path / "pets.csv"
    path.write_text(CSV)
    page.locator(".st-key-tbl_upload input[type=file]").first.set_input_files(str(path))
    key = user_data.content_key(CSV.encode())
    page.wait_for_function(f"() => location.search.includes('table={key}')", timeout=30_000)
    wait_idle(page)
    pick(page, "label_column", "kind")
    page.wait_for_function("() => location.search.includes('label_column=kind')")
    no_exception(page)
    assert page.locator("[data-testid=stSidebar] [data-testid=stAlertContentError]").count() == 0

    page.locator(".st-key-btn_start button").first.click()
    page.get_by_text("Validation confusion").first.wait_for(timeout=60_000)
    first = step_count(page)
    time.sleep(1.5)
    assert step_count(page) > first > 0
    page.locator(".st-key-btn_stop button").first.click()
    wait_idle(page)

    go(page, "compare")
    query = parse_qs(urlparse(page.url).query)
    assert query["dataset"] == ["table"] and query["table"] == [key]
    assert query["label_column"] == ["kind"]
    page.locator(".st-key-cmp_load button").first.click()
    wait_idle(page)
    page.locator(".st-key-cmp_start button").first.click()
    page.wait_for_function(f"({COMPARE_REACH})() >= 2", timeout=60_000)
    no_exception(page)
