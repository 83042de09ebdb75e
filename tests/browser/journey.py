"""Moving through the app the way a person does: navigation links, buttons, Back, reload.

Helpers for the journey tests. Nothing here opens a sub-page by URL: a journey starts
at "/" and clicks.
"""
from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.conftest import wait_idle
from playground.ui.widgets.setup_help import SECTION_OF, SECTIONS
from playground.ui.widgets.setup_sections import section_key

TITLES = {"train": "Train", "sweep": "LR sweep", "search": "Search", "compare": "Compare",
          "surface": "Loss surface", "lessons": "Lessons", "runs": "Runs", "server": "Server"}
SETUP_PAGES = ("train", "sweep", "search", "compare")

# Every setup control in the sidebar, keyed by its config field, as the page shows it:
# the text of a box or a select, a slider's value, a radio's chosen label.
SIDEBAR_JS = """() => {
  const out = {};
  for (const el of document.querySelectorAll('[data-testid=stSidebar] [class*="st-key-cfg_"]')) {
    const cls = [...el.classList].find(c => c.startsWith('st-key-cfg_'));
    const key = cls.slice('st-key-cfg_'.length);
    const slider = el.querySelector('[role=slider]');
    const radio = el.querySelector('[data-testid=stRadio]');
    const input = el.querySelector('input');
    if (slider) out[key] = slider.getAttribute('aria-valuetext') || slider.getAttribute('aria-valuenow');
    else if (radio) {
      const on = [...el.querySelectorAll('input[type=radio]')].find(i => i.checked);
      out[key] = on ? on.closest('label').textContent.trim() : '';
    }
    else if (input) out[key] = input.value;
  }
  return out;
}"""


def no_exception(page) -> None:
    shown = page.locator("[data-testid=stException]")
    assert shown.count() == 0, shown.first.inner_text()[:2000]


def go(page, key: str) -> None:
    """Click the page's link in the top navigation and wait until it has drawn."""
    page.get_by_role("link", name=TITLES[key], exact=True).first.click()
    arrived(page, key)


def arrived(page, key: str, timeout: float = 60_000) -> None:
    page.get_by_role("heading", name=TITLES[key], exact=True).first.wait_for(timeout=timeout)
    wait_idle(page, timeout)
    # The sidebar is drawn a moment after the page reports idle.
    page.locator("[data-testid=stSidebar]").get_by_role("heading", name="Setup").first.wait_for(
        timeout=timeout)
    no_exception(page)


def section_open(page, name: str) -> bool:
    box = page.locator(f".st-key-{section_key(name)} details").first
    return box.get_attribute("open") is not None


def open_sections(page) -> None:
    """Open every closed setup section, as a person checking the whole setup would: a
    closed section's controls are not drawn (a new session opens with Training closed)."""
    for name in SECTIONS:
        box = page.locator(f".st-key-{section_key(name)}")
        if box.count() and box.locator("details").first.get_attribute("open") is None:
            box.locator("summary").first.click()
            # its controls come with the rerun the click starts
            box.locator("[class*='st-key-cfg_']").first.wait_for(timeout=15_000)
            wait_idle(page)


def _idle_read(page) -> dict:
    """The sidebar's values between two script runs: a run cut short by the next one
    (a live page reruns often) can leave a section drawn only halfway for a moment."""
    wait_idle(page)
    return page.evaluate(SIDEBAR_JS)


def sidebar(page, timeout: float = 10.0) -> dict:
    """The setup controls' values, once the sidebar has finished drawing (two reads
    0.3 s apart, each while the app is idle, agree), every section opened."""
    open_sections(page)
    deadline = time.monotonic() + timeout
    last = _idle_read(page)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = _idle_read(page)
        if now == last and "dataset" in now:
            return now
        last = now
    return last


def sidebar_settles_on(page, expected: dict, timeout: float = 10.0) -> None:
    """The sidebar shows ``expected`` (it may take a moment to redraw after a click),
    every section opened."""
    open_sections(page)
    deadline = time.monotonic() + timeout
    got = page.evaluate(SIDEBAR_JS)
    while got != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        got = page.evaluate(SIDEBAR_JS)
    diff = {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got)
            if expected.get(k) != got.get(k)}
    assert not diff, f"sidebar changed (expected, shown): {diff}"


def main_action_works(page, key: str) -> None:
    """The page's main action is there and enabled (or, for a view, its content drew)."""
    if key == "train":
        expect(page.locator(".st-key-btn_start button").first).to_be_enabled()
    elif key == "sweep":
        expect(page.locator(".st-key-sw_run button").first).to_be_enabled()
    elif key == "search":
        expect(page.locator(".st-key-se_run button").first).to_be_enabled()
    elif key == "compare":
        expect(page.locator(".st-key-cmp_start button").first).to_be_enabled()
    elif key == "surface":
        page.locator(".st-key-toy_chart .imagelayer image").first.wait_for(timeout=60_000)
    elif key == "lessons":
        expect(page.locator(".st-key-evidence_news button").first).to_be_enabled()
    elif key == "runs":
        page.get_by_text("Filter and sort").first.wait_for()
    elif key == "server":
        page.get_by_text("Computing").first.wait_for()


def check_page(page, key: str, setup: dict, summary: str) -> None:
    """After every click: no exception, the setup unchanged, the main action usable."""
    no_exception(page)
    if key in SETUP_PAGES:
        sidebar_settles_on(page, setup)
    else:
        page.locator("[data-testid=stSidebar]").get_by_text(summary).first.wait_for()
    main_action_works(page, key)
    no_exception(page)


def metric(page, label: str) -> str:
    box = page.locator("[data-testid=stMetric]", has_text=label).first
    return box.locator("[data-testid=stMetricValue]").first.inner_text()


def step_count(page) -> int:
    return int(metric(page, "Step").replace(",", "") or 0)


def reveal(page, locator, key: str = "") -> None:
    """Open the collapsed sidebar section holding ``locator`` (the control keyed ``key``),
    as a person would. A closed section's controls are not drawn at all, so the section
    is found by the setting's name (``cfg_<field>``) when the control is not there."""
    field = key.removeprefix("cfg_")
    section = SECTION_OF.get(field) if key.startswith("cfg_") else None
    if section:
        box = page.locator(f".st-key-{section_key(section)}")
        if box.locator("details").first.get_attribute("open") is None:
            box.locator("summary").first.click()
    locator.wait_for(state="attached")
    section = page.locator("[data-testid=stExpander]", has=locator)
    if section.count() and section.first.locator("details").first.get_attribute("open") is None:
        section.first.locator("summary").first.click()
    locator.wait_for(state="visible")
    locator.scroll_into_view_if_needed()


def type_into(page, key: str, text: str) -> None:
    box = page.locator(f".st-key-{key} input").first
    reveal(page, box, key)
    box.fill(text)
    box.press("Enter")
    wait_idle(page)
