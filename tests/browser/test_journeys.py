"""Journeys: the app used the way people use it, by clicking, from "/".

Every test starts at the root URL and moves only through the navigation links, the
buttons and selects, the browser's Back button and reload. (Tests that open a pasted
link by URL live with their page; they are not journeys.)
"""
from __future__ import annotations

import random
import re
import time
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.browser.conftest import RELEASED_PAUSE_S, SESSION_TTL_S, choose, wait_idle
from tests.browser.journey import (TITLES, arrived, check_page, go, main_action_works,
                                   no_exception, section_open, sidebar, sidebar_settles_on,
                                   step_count, type_into)

SUMMARY = "SGD + momentum lr=0.05 batch=32"   # the setup each journey makes first


def _url_id(page, name: str) -> str:
    """The ``run``/``group`` id the page put into the address bar (at the end of its run)."""
    page.wait_for_url(lambda url: f"{name}=" in url, timeout=30_000)
    return parse_qs(urlparse(page.url).query)[name][0]


def _make_a_setup(page, app_url: str) -> dict:
    """From a fresh "/": a setup that differs from the defaults in several places."""
    page.goto(app_url + "/")
    arrived(page, "train")
    choose(page, "cfg_dataset", "Two moons")
    choose(page, "cfg_optimizer", "SGD + momentum")
    type_into(page, "cfg_lr", "0.05")
    type_into(page, "cfg_hidden_layers", "3")
    type_into(page, "cfg_length", "200000")
    setup = sidebar(page)
    assert setup["lr"] == "0.05" and setup["hidden_layers"] == "3" and setup["dataset"] == "Two moons"
    return setup


def _tour(page, setup: dict, rng: random.Random) -> list[str]:
    order = list(TITLES)
    rng.shuffle(order)
    for key in order + ["train"]:
        go(page, key)
        check_page(page, key, setup, SUMMARY)
    return order


def test_tour_every_page_by_clicking_before_and_with_a_run_alive(app_url, page):
    setup = _make_a_setup(page, app_url)
    rng = random.Random(12)
    _tour(page, setup, rng)

    page.locator(".st-key-btn_start button").first.click()
    page.get_by_text("Training ·").first.wait_for(timeout=30_000)
    run_id = _url_id(page, "run")
    before = step_count(page)
    _tour(page, setup, rng)
    # Back on Train: the same run, still training, its setup still the sidebar's.
    page.get_by_text("Training ·").first.wait_for(timeout=30_000)
    assert parse_qs(urlparse(page.url).query)["run"] == [run_id]
    assert step_count(page) > before
    page.locator(".st-key-btn_stop button").first.click()
    page.get_by_text("Stopped at step").first.wait_for()


def test_integer_boxes_say_what_is_wrong_with_1e12(app_url, page):
    page.goto(app_url + "/")
    arrived(page, "train")
    type_into(page, "cfg_hidden_layers", "1e12")
    error = page.locator("[data-testid=stSidebar] [data-testid=stAlertContentError]").first
    error.wait_for()
    assert "must be between 0 and 8, got 1,000,000,000,000" in error.inner_text()
    expect(page.locator(".st-key-btn_start button").first).to_be_disabled()
    type_into(page, "cfg_hidden_layers", "3")
    expect(page.locator(".st-key-btn_start button").first).to_be_enabled()
    expect(error).to_have_count(0)


def test_use_this_lr_from_the_sweep_is_what_train_trains_with(app_url, page):
    page.goto(app_url + "/")
    arrived(page, "train")
    go(page, "sweep")
    page.locator(".st-key-sw_run button").first.click()
    page.locator(".st-key-sw_chart .js-plotly-plot").first.wait_for(timeout=90_000)
    wait_idle(page)
    page.locator(".st-key-sw_use_adam_valley button").first.click()
    message = page.get_by_text(re.compile(r"Set learning rate")).first
    message.wait_for()
    used = re.search(r"learning rate (\d[0-9.e+-]*\d)", message.inner_text()).group(1)
    go(page, "train")
    assert page.locator(".st-key-cfg_lr input").first.input_value() == used
    page.locator(".st-key-btn_start button").first.click()
    page.get_by_text(f"Training · Adam, learning rate {float(used):g}").first.wait_for(
        timeout=30_000)
    page.locator(".st-key-btn_stop button").first.click()
    page.get_by_text("Stopped at step").first.wait_for()


def test_lessons_open_lands_on_the_page_with_the_preset(app_url, page):
    page.goto(app_url + "/")
    arrived(page, "train")
    go(page, "lessons")
    page.locator(".st-key-open_sgd_vs_adam_0 button").first.click()   # Open in Compare
    arrived(page, "compare")
    sidebar_settles_on(page, {**sidebar(page), "dataset": "Digits (8×8)"})
    # The preset starts by itself (short runs: they may have ended when we look).
    page.get_by_text(re.compile(r"in lockstep|runs have ended")).first.wait_for(timeout=30_000)
    main = page.locator("[data-testid=stMain]").first
    for label in ("SGD", "Adam"):                                    # its runs, by name
        main.get_by_text(label, exact=True).first.wait_for()
    go(page, "lessons")
    card = page.locator(".st-key-lesson_news").first
    card.scroll_into_view_if_needed()
    card.locator(".st-key-open_news_0 button").first.click()          # Open in Train
    arrived(page, "train")
    assert sidebar(page)["dataset"] == "News topics (generated)"
    # The preset starts by itself (a short run: it may be finished when we look).
    page.get_by_text(re.compile(r"Training ·|Finished")).first.wait_for(timeout=60_000)


PATH_NAMES_JS = """() => {
  const p = document.querySelector('.st-key-net_chart .js-plotly-plot');
  return p && p._fullData ? p._fullData.map(t => t.name || '') : [];
}"""


def test_compare_to_loss_surface_draws_the_groups_paths(app_url, page):
    page.goto(app_url + "/")
    arrived(page, "train")
    go(page, "compare")
    choose(page, "cmp_preset", "xavier vs zeros vs large normal")
    page.locator(".st-key-cmp_load button").first.click()
    wait_idle(page)
    type_into(page, "cmp_length", "300")
    page.locator(".st-key-cmp_start button").first.click()
    page.get_by_text("All 3 runs have ended").first.wait_for(timeout=90_000)
    wait_idle(page)
    page.locator(".st-key-cmp_to_surface button").first.click()
    arrived(page, "surface")
    page.locator(".st-key-net_chart .imagelayer image").first.wait_for(timeout=120_000)
    deadline = time.monotonic() + 30
    names = []
    while time.monotonic() < deadline:
        names = page.evaluate(PATH_NAMES_JS)
        if any("Zeros" in n for n in names):
            break
        time.sleep(0.3)
    for label in ("Xavier uniform", "Zeros", "Normal(0, σ) σ=5"):
        assert any(label in n for n in names), (label, names)


def test_reload_and_back_keep_the_setup_and_reattach_the_run(app_url, page):
    setup = _make_a_setup(page, app_url)
    page.locator(".st-key-btn_start button").first.click()
    page.get_by_text("Training ·").first.wait_for(timeout=30_000)
    run_id = _url_id(page, "run")
    for key in ("sweep", "compare", "lessons"):
        go(page, key)
        page.reload()
        arrived(page, key)
        check_page(page, key, setup, SUMMARY)
        page.go_back()                  # the page before the click
        wait_idle(page)
        no_exception(page)
        page.go_forward()
        arrived(page, key)
        check_page(page, key, setup, SUMMARY)
    go(page, "train")
    page.reload()
    arrived(page, "train")
    sidebar_settles_on(page, setup)
    page.get_by_text("Training ·").first.wait_for(timeout=30_000)
    assert parse_qs(urlparse(page.url).query)["run"] == [run_id]
    # A comparison re-attaches after a reload too.
    go(page, "compare")
    page.locator(".st-key-cmp_start button").first.click()
    page.get_by_text("in lockstep").first.wait_for(timeout=30_000)
    group = _url_id(page, "group")
    page.reload()
    arrived(page, "compare")
    page.get_by_text("in lockstep").first.wait_for(timeout=30_000)
    assert parse_qs(urlparse(page.url).query)["group"] == [group]
    page.locator(".st-key-cmp_stop_all button").first.click()
    go(page, "train")
    page.locator(".st-key-btn_stop button").first.click()
    page.get_by_text("Stopped at step").first.wait_for()


def _server_rows(page) -> dict[str, dict]:
    """The Server page's run table, as its "Runs (CSV)" download gives it: run -> row."""
    import csv
    import io

    with page.expect_download() as download:
        page.get_by_role("button", name="Runs (CSV)").first.click()
    text = open(download.value.path(), encoding="utf-8").read()
    return {row["run"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_closed_compare_tab_leaves_a_reaper_that_still_pauses_runs(app_url, browser):
    # A class member starts a comparison and closes the tab.
    tab = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    tab.goto(app_url + "/")
    arrived(tab, "train")
    go(tab, "compare")
    type_into(tab, "cmp_length", "1000000")
    tab.locator(".st-key-cmp_start button").first.click()
    tab.get_by_text("in lockstep").first.wait_for(timeout=30_000)
    group = _url_id(tab, "group")
    tab.context.close()
    # Another starts a run on Train and closes the tab after the comparison was reaped.
    time.sleep(SESSION_TTL_S + RELEASED_PAUSE_S + 3)
    other = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    other.goto(app_url + "/")
    arrived(other, "train")
    type_into(other, "cfg_length", "1000000")
    other.locator(".st-key-btn_start button").first.click()
    other.get_by_text("Training ·").first.wait_for(timeout=30_000)
    run_id = _url_id(other, "run")
    other.context.close()
    # The teacher watches the Server page: both are paused, so the reaper lived on.
    teacher = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    teacher.goto(app_url + "/")
    arrived(teacher, "train")
    go(teacher, "server")
    deadline = time.monotonic() + 60
    rows: dict = {}
    while time.monotonic() < deadline:
        rows = _server_rows(teacher)
        if rows.get(run_id, {}).get("status") == "paused":
            break
        time.sleep(1.0)
    assert rows[run_id]["status"] == "paused" and rows[run_id]["disconnected"] == "True", rows
    reaped = [r for r in rows.values() if r.get("group") == group]
    assert len(reaped) == 2 and all(r["status"] == "paused" for r in reaped), rows
    teacher.context.close()


def test_a_locked_classroom_link_keeps_its_setup_on_every_page(app_url, page):
    page.goto(app_url + "/?dataset=circle&optimizer=sgd&lr=0.1&batch_size=16&hide=lr&lock=1")
    arrived(page, "train")
    setup = sidebar(page)
    assert setup["dataset"] == "Circle" and "lr" not in setup
    for key in ("compare", "sweep", "train"):
        go(page, key)
        no_exception(page)
        assert section_open(page, "Training")     # opened to read it: kept open on each page
        sidebar_settles_on(page, setup)
        query = parse_qs(urlparse(page.url).query)
        assert query["hide"] == ["lr"] and query["lock"] == ["1"], page.url
        main_action_works(page, key)


def test_settings_keep_their_values_when_their_controls_reappear(app_url, page):
    page.goto(app_url + "/")
    arrived(page, "train")
    for name in ("SGD", "SGD + momentum", "Adam"):      # the betas are hidden for SGD
        choose(page, "cfg_optimizer", name)
    shown = sidebar(page)
    assert (shown["beta1"], shown["beta2"], shown["eps"]) == ("0.900", "0.999", "1e-8"), shown
    type_into(page, "cfg_lr", "0.02")                    # the next edit
    expect(page.locator(".st-key-btn_start button").first).to_be_enabled()
    assert sidebar(page)["beta1"] == "0.900"
    choose(page, "cfg_dataset", "Digits (8×8)")          # Points and Noise hidden
    choose(page, "cfg_dataset", "Spiral")
    shown = sidebar(page)
    assert (shown["n_samples"], shown["noise"]) == ("600", "0.15"), shown
    expect(page.locator(".st-key-btn_start button").first).to_be_enabled()
