"""The Train page in a real browser: start, watch the curve grow, pause, share, reload."""
import re
import time
from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import choose, wait_idle

TRAIN_POINTS_JS = """() => {
  for (const el of document.querySelectorAll('.js-plotly-plot')) {
    for (const t of (el._fullData || [])) {
      if ((t.name || '').endsWith('· train')) return t._length || (t.x ? t.x.length : 0);
    }
  }
  return 0;
}"""


def step_metric(page) -> int:
    text = page.locator("[data-testid=stMetricValue]").first.inner_text()
    return int(re.sub(r"\D", "", text) or 0)


def test_train_spiral_with_adam_pause_share_and_reload(app_url, page, tmp_path):
    page.goto(app_url + "/")
    wait_idle(page)
    choose(page, "cfg_dataset", "Spiral")
    choose(page, "cfg_optimizer", "SGD")
    choose(page, "cfg_optimizer", "Adam")
    page.locator(".st-key-btn_start button").first.click()
    page.wait_for_selector(".js-plotly-plot")

    page.wait_for_function(f"({TRAIN_POINTS_JS})() > 0", timeout=30_000)
    counts = [page.evaluate(TRAIN_POINTS_JS)]
    for _ in range(3):
        time.sleep(1.2)
        counts.append(page.evaluate(TRAIN_POINTS_JS))
    assert counts[-1] > counts[0] > 0, f"loss chart did not grow: {counts}"

    page.locator(".st-key-btn_pause button").first.click()
    page.get_by_text("Paused at step").first.wait_for()
    wait_idle(page)
    paused_at = step_metric(page)
    page.screenshot(path=str(tmp_path / "train-paused.png"), full_page=True)

    query = parse_qs(urlparse(page.url).query)
    assert query["dataset"] == ["spiral"] and query["optimizer"] == ["adam"]
    assert "lr" in query and "run" in query
    run_id = query["run"][0]

    page.get_by_text("Share this setup").first.click()   # built when opened
    link = page.locator("[data-testid=stCode]").first
    link.wait_for()
    assert "optimizer=adam" in link.inner_text() and "dataset=spiral" in link.inner_text()
    wait_idle(page)
    page.get_by_text("Show the maths").first.click()
    page.get_by_text("Update rule").first.wait_for()
    wait_idle(page)

    page.reload()
    wait_idle(page)
    page.get_by_text("Paused at step").first.wait_for()
    assert step_metric(page) == paused_at
    assert parse_qs(urlparse(page.url).query)["run"] == [run_id]
    page.screenshot(path=str(tmp_path / "train-reloaded.png"), full_page=True)


def test_huge_learning_rate_says_diverged_with_a_hint(app_url, page, tmp_path):
    page.goto(app_url + "/?dataset=spiral&optimizer=sgd&lr=1000&batch_size=32")
    wait_idle(page)
    page.locator(".st-key-btn_start button").first.click()
    page.get_by_text("Diverged at step").first.wait_for(timeout=30_000)
    assert page.get_by_text("lower the learning rate").first.is_visible()
    page.screenshot(path=str(tmp_path / "train-diverged.png"), full_page=True)


LOSS_YAXIS_JS = """() => {
  const g = document.querySelector('.st-key-chart_loss .js-plotly-plot');
  return g && g._fullLayout ? g._fullLayout.yaxis.type : null;
}"""


def open_chart_options(page):
    """The options live in a popover beside the status line; open it if it is closed."""
    if not page.locator(".st-key-view_logy label").first.is_visible():
        page.get_by_role("button", name=re.compile("Chart options")).first.click()
    page.locator(".st-key-view_logy label").first.wait_for()


def test_chart_options_apply_while_running_and_while_paused(app_url, page):
    """Chart options sit in the live fragment: while training they redraw the charts in
    place; while paused (charts drawn by the whole page) they still take effect."""
    page.goto(app_url + "/?dataset=spiral&optimizer=adam&lr=0.01&batch_size=32&length=50000")
    wait_idle(page)
    page.locator(".st-key-btn_start button").first.click()
    page.wait_for_function(f"({LOSS_YAXIS_JS})() === 'linear'", timeout=30_000)

    open_chart_options(page)
    page.locator(".st-key-view_logy label").first.click()
    page.wait_for_function(f"({LOSS_YAXIS_JS})() === 'log'", timeout=15_000)
    assert page.get_by_text("Training ·").first.is_visible()

    page.locator(".st-key-btn_pause button").first.click()
    page.get_by_text("Paused at step").first.wait_for()
    wait_idle(page)
    open_chart_options(page)
    page.locator(".st-key-view_logy label").first.click()
    page.wait_for_function(f"({LOSS_YAXIS_JS})() === 'linear'", timeout=15_000)
    page.get_by_text("Paused at step").first.wait_for()


SAMPLER_JS = """(keys) => {
  window.__samples = [];
  const started = performance.now();
  const timer = setInterval(() => {
    const row = {t: performance.now() - started};
    for (const key of keys) {
      const plots = [...document.querySelectorAll(`.st-key-${key} .js-plotly-plot`)];
      const drawn = plots.filter(p => p.offsetHeight > 0 && p._fullData && p._fullData.length
                                      && p.querySelector('.main-svg'));
      row[key] = {mounted: plots.length, drawn: drawn.length};
    }
    window.__samples.push(row);
    if (row.t > 10000) clearInterval(timer);
  }, 100);
}"""
LIVE_CHARTS = ("chart_loss", "chart_acc", "chart_lr", "chart_model")


def test_live_charts_never_blink_or_double_while_training(app_url, page):
    """Sampled every 100 ms for 10 s while a run trains (and while a chart option is
    switched twice): every chart is there, drawn, exactly once in every sample."""
    page.goto(app_url + "/?dataset=spiral&optimizer=adam&lr=0.01&batch_size=32&length=100000")
    wait_idle(page)
    page.locator(".st-key-btn_start button").first.click()
    for key in LIVE_CHARTS:
        page.locator(f".st-key-{key} .js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.evaluate(SAMPLER_JS, list(LIVE_CHARTS))
    time.sleep(3)
    open_chart_options(page)
    page.locator(".st-key-view_valpts label").first.click()      # validation points off…
    time.sleep(2)
    page.locator(".st-key-view_valpts label").first.click()      # …and on again
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.__samples.length && "
                           "window.__samples[window.__samples.length - 1].t > 10000",
                           timeout=20_000)
    samples = page.evaluate("() => window.__samples")
    bad = [(round(s["t"]), k, s[k]) for s in samples for k in LIVE_CHARTS
           if s[k] != {"mounted": 1, "drawn": 1}]
    assert not bad, f"{len(bad)} bad samples of {len(samples)}, e.g. {bad[:5]}"
    # ~100 at 100 ms; a busy page thread delays timers, but not below one every 200 ms
    assert len(samples) >= 50, len(samples)
    assert page.get_by_text("Training ·").first.is_visible()       # still training


def test_a_typed_lr_is_the_one_start_uses_however_fast_the_click(app_url, page):
    """Type 10 into the exact box and click Start at once, with and without Enter: the
    run is the typed one (it diverges, its message names lr 10), the box and the address
    bar keep 10. The click can reach the server before the browser has drawn the rerun
    the typing caused, so the browser reports the slider's old 0.01 with it; that report
    must not be taken for a move of the slider."""
    for trial, enter in enumerate((True, False, True, False)):
        page.goto(app_url + "/")
        wait_idle(page)
        box = page.locator(".st-key-cfg_lr input").first
        box.fill("10")
        if enter:
            box.press("Enter")
        page.locator(".st-key-btn_start button").first.click()      # no wait in between
        message = page.locator("[data-testid=stAlert]", has_text="Diverged at step").first
        message.wait_for(timeout=30_000)
        assert "(now 10;" in message.inner_text(), (trial, message.inner_text())
        page.wait_for_function("() => /[?&]run=/.test(location.search)", timeout=10_000)
        query = parse_qs(urlparse(page.evaluate("location.href")).query)
        assert query["lr"] == ["10"], (trial, query)
        wait_idle(page)
        assert float(page.locator(".st-key-cfg_lr input").first.input_value()) == 10, trial
