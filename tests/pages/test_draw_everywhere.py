"""A drawn set works wherever a 2D set works: LR sweep, Search, Compare, the Loss
surface's network landscape and Inside the network. The set is big enough (300 points)
to be kept on the server, so every page also reads it back by its key."""
from __future__ import annotations

import time

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.config import RunConfig
from playground.data import drawn_points, toy2d
from playground.ui import runtime, state
from tests.pages.charts import charts

pytestmark = pytest.mark.usefixtures("clean_streamlit")


def drawn_config(**changes) -> RunConfig:
    xy, labels = toy2d.points("gauss", 420, 0.1, 3, seed=1)
    text = drawn_points.encode(xy, labels)
    assert text.startswith("h:")
    return RunConfig(dataset="draw", points=text, hidden_layers=1, width=8,
                     **{"length": 120, "eval_every": 30, **changes})


def _main(page: str) -> None:
    from playground.ui import shell

    shell.main(default=page)


def on(page: str, config: RunConfig) -> AppTest:
    at = AppTest.from_function(_main, args=(page,), default_timeout=60)
    at.session_state[state.CONFIG] = config
    return at


def until(at: AppTest, done, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not done(at):
        assert not at.exception, [e.value for e in at.exception]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
        at.run()


def test_lr_sweep_on_a_drawn_set(monkeypatch):
    at = on("sweep", drawn_config()).run()
    at.number_input(key="sw_steps").set_value(60)
    at.button(key="sw_run").click().run()
    until(at, lambda a: "sw_chart" in charts(a))


def test_search_on_a_drawn_set(monkeypatch):
    monkeypatch.setenv("PLAYGROUND_SEARCH_WORKERS", "0")   # worker processes: test_drawn.py
    at = on("search", drawn_config()).run()
    at.number_input(key="se_trials").set_value(3)
    at.number_input(key="se_steps").set_value(40).run()
    at.button(key="se_run").click().run()
    until(at, lambda a: "search_best_curves" in charts(a))
    records = at.session_state[state.SEARCH_RESULT]["records"]
    assert [r.state for r in records] == ["complete"] * 3


def test_compare_on_a_drawn_set():
    at = on("compare", drawn_config()).run()
    at.button(key="cmp_start").click().run()
    group_id = at.session_state[state.COMPARE_GROUP]
    reg = runtime.registry()
    reg.join(reg.group(group_id, poll=False).run_ids[0], 30)
    at.run()
    assert not at.exception
    summary = at.dataframe[-1].value
    assert list(summary["steps"]) == [120] * len(summary)


def test_network_landscape_and_inside_the_network_on_a_drawn_run():
    config = drawn_config()
    at = on("surface", config).run()
    reg = runtime.registry()
    run_id = reg.start(config, owner=at.session_state[state.SESSION_ID])
    reg.join(run_id, 30)
    at.session_state[state.handoff_key("surface")] = {"run_ids": [run_id]}
    at.run()
    job_id = at.session_state["net_job"]
    deadline = time.monotonic() + 60
    while reg.job_snapshot(job_id).active:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    at.run()
    assert not at.exception, at.exception
    assert "net_chart" in charts(at), list(charts(at))

    train = on("train", config)
    train.session_state[state.TRAIN_RUN] = run_id
    train.session_state[state.SESSION_ID] = at.session_state[state.SESSION_ID]
    train.run()
    train.toggle(key="view_inside").set_value(True).run()
    assert not train.exception, train.exception
    drawn = charts(train)
    assert {"chart_network", "chart_unit_map"} <= set(drawn)
    unit_map = drawn["chart_unit_map"]
    assert unit_map["layout"]["xaxis"]["range"] == [-1.5, 1.5]   # the canvas's plane
    assert np.isfinite(len(drawn["chart_network"]["layout"]["images"]))
