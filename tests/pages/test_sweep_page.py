"""LR sweep page in AppTest: renders, runs sweeps as jobs, "Use this LR" edits the config."""
from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.config import RunConfig
from playground.ui import state

pytestmark = pytest.mark.usefixtures("clean_streamlit")


def _page():
    from playground.ui import shell

    shell.main(default="sweep")


def _app(config: RunConfig | None = None, handoff: dict | None = None) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    if config is not None:
        at.session_state[state.CONFIG] = config
    if handoff is not None:
        at.session_state[state.handoff_key("sweep")] = handoff
    return at.run()


def _until_chart(at: AppTest, key: str, timeout: float = 30.0) -> dict:
    """Rerun (as the polling fragment would) until the result chart appears."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert not at.exception, [e.value for e in at.exception]
        drawn = charts(at)
        if key in drawn:
            return drawn[key]
        time.sleep(0.1)
        at.run()
    raise AssertionError(f"no {key} chart after {timeout} s")


SMALL = RunConfig(dataset="spiral", n_samples=300, hidden_layers=1, width=16)


def test_page_renders_with_controls_and_tooltips():
    at = _app(SMALL)
    assert not at.exception
    assert at.title[0].value == "LR sweep"
    assert at.button(key="sw_run").label == "Run sweep"
    for key in ("sw_start", "sw_end", "sw_steps", "sw_batch", "sw_stop"):
        assert at.number_input(key=key).help, key
    assert at.selectbox(key="sw_preset").value == "default"
    assert at.multiselect(key="sw_opts").value == ["adam"]
    assert at.sidebar.selectbox(key="cfg_dataset").value == "spiral"   # the Train sidebar


def test_range_test_runs_and_use_this_lr_writes_the_config():
    at = _app(SMALL)
    at.multiselect(key="sw_opts").set_value(["sgd", "adam"])
    at.number_input(key="sw_steps").set_value(80)
    at.button(key="sw_run").click().run()
    spec = _until_chart(at, "sw_chart")
    assert spec["layout"]["xaxis"]["type"] == "log"
    names = {t.get("name") for t in spec["data"]}
    assert {"SGD smoothed", "Adam smoothed"} <= names
    keys = [b.key for b in at.button if (b.key or "").startswith("sw_use_")]
    assert len(keys) == 6                                   # 3 rules × 2 optimizers
    assert at.get("download_button")
    before = at.session_state[state.CONFIG]
    at.button(key="sw_use_sgd_valley").click().run()
    after = at.session_state[state.CONFIG]
    assert after.optimizer == "sgd" and after.lr != before.lr
    assert after.replace(lr=before.lr, optimizer=before.optimizer) == before
    assert "learning rate" in at.success[0].value
    assert at.sidebar.number_input(key="cfg_lr").value == after.lr   # the sidebar follows


def test_view_controls_resmooth_and_switch_axis_without_rerunning():
    at = _app(SMALL)
    at.button(key="sw_run").click().run()
    _until_chart(at, "sw_chart")
    before = [b.help for b in at.button if (b.key or "").startswith("sw_use_")]
    at.segmented_control(key="sw_xaxis").set_value("exponent").run()
    at.slider(key="sw_view_beta").set_value(0.95).run()
    spec = _until_chart(at, "sw_chart")
    assert spec["layout"]["xaxis"].get("type") != "log"
    assert "log₁₀" in spec["layout"]["xaxis"]["title"]["text"]
    after = [b.help for b in at.button if (b.key or "").startswith("sw_use_")]
    assert after != before                                   # suggestions follow β


def test_short_runs_mode_with_seed_band():
    at = _app(SMALL)
    at.radio(key="sw_mode").set_value("short").run()
    at.number_input(key="sr_points").set_value(4)
    at.number_input(key="sr_steps").set_value(30)
    at.number_input(key="sr_seeds").set_value(2)
    at.button(key="sw_run").click().run()
    spec = _until_chart(at, "sr_chart")
    assert any(t.get("fill") == "tonexty" for t in spec["data"])
    best = at.session_state[state.sweep_result("short")]["items"][0].best_lr("val")
    at.button(key="sr_use_adam").click().run()
    assert at.session_state[state.CONFIG].lr == float(f"{best:.3g}")


def test_handoff_with_makemore_preset_starts_at_batch_32():
    at = _app(handoff={"config": SMALL.replace(batch_size=16), "preset": "makemore",
                       "start": True})
    _until_chart(at, "sw_chart", timeout=60)
    assert at.number_input(key="sw_steps").value == 1000
    assert at.number_input(key="sw_batch").value == 32
    result = at.session_state[state.sweep_result("range")]
    assert len(result["items"][0].planned_lrs) == 1000 and result["items"][0].batch_size == 32
    assert at.session_state[state.CONFIG].batch_size == 16


def test_preset_fills_the_settings_and_survives_a_mode_switch():
    at = _app(SMALL)
    at.selectbox(key="sw_preset").set_value("makemore").run()
    assert (at.number_input(key="sw_start").value, at.number_input(key="sw_end").value,
            at.number_input(key="sw_steps").value, at.number_input(key="sw_batch").value) == \
        (1e-3, 1.0, 1000, 32)
    at.radio(key="sw_mode").set_value("short").run()
    at.radio(key="sw_mode").set_value("range").run()
    assert at.number_input(key="sw_steps").value == 1000          # not reset by the switch
    assert at.slider(key="sw_beta").value == pytest.approx(0.98)  # auto β for 1,000 steps


def test_bad_settings_are_explained_and_block_the_run():
    at = _app(SMALL)
    at.number_input(key="sw_start").set_value(1.0)
    at.number_input(key="sw_end").set_value(0.1).run()
    assert any("End LR" in e.value and "larger than the start" in e.value for e in at.error)
    assert at.button(key="sw_run").disabled
    at.number_input(key="sw_end").set_value(10.0).run()
    assert not at.button(key="sw_run").disabled


def test_sweep_from_a_live_runs_weights_leaves_the_run_alone():
    import torch

    from playground.ui import runtime

    at = AppTest.from_function(_page, default_timeout=30)
    at.session_state[state.SESSION_ID] = "sweeper"
    at.session_state[state.CONFIG] = SMALL
    reg = runtime.registry()
    run_cfg = SMALL.replace(width=8, optimizer="sgd")
    run_id = reg.start(run_cfg, owner="sweeper", start_paused=True)
    deadline = time.monotonic() + 20
    while reg.snapshot(run_id).weights is None and time.monotonic() < deadline:
        time.sleep(0.02)
    trainer = reg._table.get(run_id).record.trainer      # the live run, looked at directly
    before = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    at.run()
    assert run_id in at.selectbox(key="sw_from").options[1]
    at.selectbox(key="sw_from").set_value(run_id).run()
    assert any("run's setup" in c.value for c in at.caption)
    at.button(key="sw_run").click().run()
    _until_chart(at, "sw_chart")
    curve = at.session_state[state.sweep_result("range")]["items"][0]
    assert curve.config.width == 8 and curve.optimizer == "adam"   # run's model, chosen optimizer
    after = trainer.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert reg.snapshot(run_id).step == 0 and reg.snapshot(run_id).status.value == "paused"


def test_a_sweep_batch_bigger_than_the_data_is_refused_by_its_box():
    at = _app(SMALL)
    at.number_input(key="sw_batch").set_value(5000.0).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Batch size" in errors and "training set has only" in errors
    assert "InvalidConfig" not in errors
    assert at.button(key="sw_run").disabled
    at.number_input(key="sw_batch").set_value(2.5).run()
    assert "whole number" in " ".join(e.value for e in at.error)
    assert at.button(key="sw_run").disabled
