"""Search page in AppTest: controls with tooltips, bad ranges named, a tiny search runs
as a job (trials stored as one group), Use best hands the best setup to Train."""
from __future__ import annotations

import os
import time

import pytest
from streamlit.testing.v1 import AppTest

from playground.config import RunConfig
from playground.ui import state
from tests.pages.charts import charts

pytestmark = pytest.mark.usefixtures("clean_streamlit")
SMALL = RunConfig(dataset="spiral", n_samples=300, hidden_layers=1, width=8)


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    """Trials on the job's thread: AppTest clears the cached pool between tests, and a
    fresh pool costs a cold start each time (the browser journey uses the real pool)."""
    monkeypatch.setenv("PLAYGROUND_SEARCH_WORKERS", "0")


def _page():
    from playground.ui import shell

    shell.main(default="search")


def _app() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    at.session_state[state.CONFIG] = SMALL
    return at.run()


def test_page_renders_with_controls_and_tooltips():
    at = _app()
    assert not at.exception and at.title[0].value == "Search"
    assert at.multiselect(key="se_fields").value == ["lr", "batch_size"]
    for key in ("se_trials", "se_steps", "se_seeds", "se_lr_lo", "se_lr_hi"):
        assert at.number_input(key=key).help, key
    for key in ("se_sampler", "se_objective", "se_pruner"):
        assert at.selectbox(key=key).help, key
    assert any("in-process" in c.value for c in at.caption)


def test_a_log_range_through_zero_is_named_and_blocks_the_run():
    at = _app()
    at.number_input(key="se_lr_lo").set_value(0.0).run()
    assert any("learning rate" in e.value and "log range" in e.value for e in at.error)
    assert at.button(key="se_run").disabled


def test_a_tiny_search_runs_stores_its_trials_and_use_best_opens_train():
    at = _app()
    at.number_input(key="se_trials").set_value(4)
    at.number_input(key="se_steps").set_value(60).run()
    at.button(key="se_run").click().run()
    deadline = time.monotonic() + 60
    while "search_best_curves" not in charts(at) and time.monotonic() < deadline:
        assert not at.exception, [e.value for e in at.exception]
        time.sleep(0.2)
        at.run()
    drawn = charts(at)
    assert {"search_trials", "search_parallel", "search_map", "search_best_curves"} <= set(drawn)
    result = at.session_state[state.SEARCH_RESULT]
    assert len(result["records"]) == 4
    from playground.ui import runtime

    runtime.store().flush()
    stored = [r for r in runtime.store().list_runs() if r.group_id == result["group"]]
    assert len(stored) == 4 and {r.kind for r in stored} == {"search"}
    at.button(key="se_use_best").click().run()
    assert at.title[0].value == "Train"
    best = min((r for r in result["records"] if r.state == "complete"), key=lambda r: r.value)
    assert at.session_state[state.CONFIG].lr == best.params["lr"]
    assert at.session_state[state.CONFIG].batch_size == best.params["batch_size"]
