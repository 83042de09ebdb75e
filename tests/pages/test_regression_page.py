"""Regression runs on the pages (AppTest): RMSE and R² where accuracy would be, the
network's output drawn as a value heatmap (2D) or a fitted curve (1-D)."""
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.ui import runtime, state

APP = "../../app.py"


def finished_run(query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    deadline = time.monotonic() + 30
    while runtime.registry().snapshot(run_id).active and time.monotonic() < deadline:
        time.sleep(0.2)
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("dataset,trace", [("plane", "heatmap"), ("multigauss", "heatmap"),
                                           ("sin", "scatter")])
def test_a_regression_run_shows_rmse_r2_and_its_output(clean_streamlit, dataset, trace):
    at = finished_run({"dataset": dataset, "length": "300", "n_samples": "200"})
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Val RMSE" in labels and "Val R²" in labels and "Val accuracy" not in labels
    assert float(metric(at, "Val RMSE")) > 0
    drawn = charts(at)
    assert drawn["chart_acc"]["layout"]["yaxis"]["title"]["text"] == "RMSE (units of y)"
    assert "mean squared error" in drawn["chart_loss"]["layout"]["title"]["text"]
    model = drawn["chart_model"]
    assert model["data"][0]["type"] == trace
    if dataset == "sin":
        assert "Fitted curve" in model["layout"]["title"]["text"]
        assert [t["name"] for t in model["data"]][-1] == "network's fit"
    else:
        assert "Network output" in model["layout"]["title"]["text"]
        assert "predicted y" in model["data"][0]["colorbar"]["title"]["text"]


def test_huber_is_offered_only_on_regression_tasks(clean_streamlit):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "cfg_regression_loss" not in {s.key for s in at.selectbox}
    at.selectbox(key="cfg_dataset").set_value("sin").run()
    at.selectbox(key="cfg_regression_loss").set_value("huber").run()
    at.number_input(key="cfg_huber_delta").set_value(0.5).run()
    cfg = at.session_state[state.CONFIG]
    assert (cfg.regression_loss, cfg.huber_delta) == ("huber", 0.5)
    assert at.query_params["regression_loss"] == "huber"
    assert list(charts(at)) == ["chart_preview"]
