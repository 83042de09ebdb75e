"""Loss surface page in AppTest: toy race drawn, network surface from a run, hand-off."""
from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.config import RunConfig
from playground.ui import state
from playground.surface.toy import FUNCTIONS, ToyOptimizer
from playground.ui.pages.surface.toy import _optimizers, _rows

SMALL = RunConfig(dataset="spiral", n_samples=300, hidden_layers=1, width=8, length=120,
                  eval_every=60)


def _page():
    from playground.ui import shell

    shell.main(default="surface")


def _app() -> AppTest:
    return AppTest.from_function(_page, default_timeout=60)


def _specs(at) -> list[dict]:
    return list(charts(at).values())


def _wait(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_toy_tab_draws_an_animated_race_with_a_summary(clean_streamlit):
    at = _app().run()
    assert not at.exception, at.exception
    spec = _specs(at)[0]
    names = [t.get("name") for t in spec["data"]]
    assert "SGD lr=0.001" in names and "Adam lr=0.05" in names      # default preset
    assert spec["frames"] and spec["layout"]["updatemenus"][0]["buttons"][0]["method"] == "animate"
    assert spec["layout"]["xaxis"]["autorange"] is False            # fixed axes for replay
    summary = at.dataframe[-1].value
    assert list(summary["optimizer"]) == ["SGD lr=0.001", "SGD + momentum lr=0.001", "Adam lr=0.05"]
    assert set(summary["diverged"]) == {"no"}
    at.selectbox(key="toy_fn").set_value("quadratic").run()
    at.toggle(key="toy_3d").set_value(True).run()
    assert not at.exception
    spec = _specs(at)[0]
    assert spec["data"][0]["type"] == "surface"
    assert "Ill-conditioned quadratic" in spec["layout"]["title"]["text"]


def test_toy_tab_race_reacts_to_start_and_preset(clean_streamlit):
    at = _app().run()
    at.number_input(key="toy_x_rosenbrock").set_value(0.5).run()
    at.selectbox(key="toy_preset").set_value("Every optimizer").run()
    assert not at.exception
    spec = _specs(at)[0]
    start = [t for t in spec["data"] if t.get("name") == "start"][0]
    assert start["x"][0] == pytest.approx(0.5)
    assert len(at.dataframe[-1].value) == 7


def test_toy_table_leaves_settings_an_optimizer_does_not_use_blank():
    """Plain SGD shows no momentum or β; RMSprop's momentum and AdamW's decay are
    their own (torch's defaults 0 and 0.01), the same as a Train run of them."""
    table = _rows([ToyOptimizer("sgd", 0.1), ToyOptimizer("rmsprop", 0.01),
                   ToyOptimizer("adamw", 0.01)])
    sgd, rms, adamw = table.to_dict("records")
    assert all(sgd[c] != sgd[c] for c in ("momentum", "beta1", "beta2", "alpha", "eps"))  # NaN
    assert sgd["weight_decay"] == 0.0
    assert rms["momentum"] == 0.0 and adamw["weight_decay"] == 0.01
    assert rms["beta1"] != rms["beta1"]
    opts, errors = _optimizers(table)          # blanks read back as each one's default
    assert not errors
    assert (opts[1].rmsprop_momentum, opts[2].adamw_decay) == (0.0, 0.01)
    table.loc[1, "momentum"] = 0.5
    assert _optimizers(table)[0][1].rmsprop_momentum == 0.5


def test_bad_optimizer_rows_are_reported_by_row():
    table = _rows([ToyOptimizer("sgd", 0.1), ToyOptimizer("adam", 0.1)])
    table.loc[0, "lr"] = -2.0
    table.loc[1, "beta2"] = 1.5
    opts, errors = _optimizers(table)
    text = "; ".join(errors)
    assert "row 1" in text and "lr must be" in text
    assert "row 2" in text and "beta2 must be" in text
    table = _rows([ToyOptimizer("sgd", 0.1)])
    table.loc[0, "lr"] = None
    assert "learning rate is empty" in "; ".join(_optimizers(table)[1])


def test_network_tab_offers_a_demo_run_then_draws_its_surface(clean_streamlit):
    from playground.ui import runtime

    at = _app()
    at.session_state["surface_tab"] = "Network landscape"
    at.run()
    assert not at.exception, at.exception
    assert any("No paused or finished run" in i.value for i in at.info)
    at.button(key="net_demo").click().run()
    reg = runtime.registry()
    runs = reg.snapshots()
    assert len(runs) == 1
    _wait(lambda: not reg.snapshot(runs[0].run_id).active)
    at.run()
    assert at.multiselect(key="net_runs").value == [runs[0].run_id]
    first_job = at.session_state["net_job"]       # the demo run is drawn without a click
    _wait(lambda: not reg.job_snapshot(first_job).active)
    at.run()
    assert _specs(at)[0]["layout"]["images"][0]["source"].startswith("data:image/png")
    at.slider(key="net_res").set_value(21)
    at.button(key="net_compute").click().run()
    job_id = at.session_state["net_job"]
    assert job_id != first_job
    _wait(lambda: not reg.job_snapshot(job_id).active)
    at.run()
    assert not at.exception, at.exception
    specs = _specs(at)
    contour = specs[0]
    assert contour["layout"]["images"][0]["source"].startswith("data:image/png")
    hover = next(t for t in contour["data"] if t.get("customdata") is not None
                 and t.get("marker", {}).get("opacity") == 0)
    assert len(hover["customdata"]) == 21 * 21           # one hover value per grid point
    assert "PC1" in contour["layout"]["xaxis"]["title"]["text"]
    assert contour["frames"]
    fidelity = specs[1]
    assert any("true loss" in t["name"] for t in fidelity["data"])
    labels = [b.label for b in at.get("download_button")]
    assert "Download grid (CSV)" in labels and "Download paths and fidelity (CSV)" in labels
    at.toggle(key="net_3d").set_value(True).run()
    assert not at.exception, at.exception
    assert _specs(at)[0]["data"][0]["type"] == "surface"
    assert any(t["type"] == "scatter3d" for t in _specs(at)[0]["data"])
    assert not any("Out of date" in w.value for w in at.warning)
    # a new setting without Compute: the old surface stays, marked out of date
    at.slider(key="net_res").set_value(31).run()
    stale = [w.value for w in at.warning if "Out of date" in w.value]
    assert stale and "resolution" in stale[0], [w.value for w in at.warning]
    at.slider(key="net_res").set_value(21).run()
    assert not any("Out of date" in w.value for w in at.warning)


def test_handoff_from_compare_selects_the_runs(clean_streamlit):
    from playground.ui import runtime

    at = _app()
    at.run()      # creates the session id and the registry
    reg = runtime.registry()
    owner = at.session_state[state.SESSION_ID]
    ids = [reg.start(SMALL, owner=owner), reg.start(SMALL.replace(optimizer="sgd", lr=0.1),
                                                    owner=owner)]
    _wait(lambda: not any(reg.snapshot(i).active for i in ids))
    at.session_state[state.handoff_key("surface")] = {"run_ids": ids}
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["surface_tab"] == "Network landscape"
    assert at.multiselect(key="net_runs").value == ids
    assert state.handoff_key("surface") not in at.session_state
    job_id = at.session_state["net_job"]                # computed straight away
    _wait(lambda: not reg.job_snapshot(job_id).active)
    at.run()
    assert not at.exception, at.exception
    contour = _specs(at)[0]
    assert sum(ids[0] in t["name"] or ids[1] in t["name"] for t in contour["data"]
               if t.get("mode") == "lines+markers") == 2


def test_every_toy_landscape_renders(clean_streamlit):
    at = _app().run()
    for name in FUNCTIONS:
        at.selectbox(key="toy_fn").set_value(name).run()
        assert not at.exception, (name, at.exception)
        assert not at.error, (name, [e.value for e in at.error])
