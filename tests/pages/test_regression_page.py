"""Regression runs on the pages (AppTest): RMSE and R² where accuracy would be, the
network's output drawn as a value heatmap (2D) or a fitted curve (1-D)."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from tests.pages.test_inside_network_page import started as finished_run   # ended, with health
from playground.ui import runtime, state
from tests.pages.sidebar import open_section

APP = "../../app.py"


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
    at = open_section(AppTest.from_file(APP, default_timeout=60).run(), "Training")
    assert "cfg_batch_size" in {n.key for n in at.number_input}     # the section is open
    assert "cfg_regression_loss" not in {s.key for s in at.selectbox}
    at.selectbox(key="cfg_dataset").set_value("sin").run()
    at.selectbox(key="cfg_regression_loss").set_value("huber").run()
    at.number_input(key="cfg_huber_delta").set_value(0.5).run()
    cfg = at.session_state[state.CONFIG]
    assert (cfg.regression_loss, cfg.huber_delta) == ("huber", 0.5)
    assert at.query_params["regression_loss"] == "huber"
    assert list(charts(at)) == ["chart_preview"]


def _compare_page():
    from playground.ui import shell

    shell.main(default="compare")


def test_compare_on_a_regression_task_shows_rmse_columns_and_charts(clean_streamlit):
    from playground.compare.summary import REGRESSION_COLUMNS, summary_rows, to_csv
    from playground.config import RunConfig

    at = AppTest.from_function(_compare_page, default_timeout=60)
    at.session_state[state.CONFIG] = RunConfig(dataset="plane", n_samples=300, width=8,
                                               length=150, eval_every=10)
    at.run()
    at.button(key="cmp_start").click().run()
    group_id = at.session_state[state.COMPARE_GROUP]
    group = runtime.registry().group(group_id, poll=False)
    runtime.registry().join(group.run_ids[0], 30)
    at.run()
    assert not at.exception
    summary = at.dataframe[-1].value
    assert list(summary.columns) == list(REGRESSION_COLUMNS)
    assert (summary["final val RMSE"] > 0).all() and (summary["best val R²"] <= 1).all()
    assert (summary["best val RMSE"] <= summary["final val RMSE"] + 1e-12).all()
    drawn = charts(at)
    assert drawn["cmp_acc_chart"]["layout"]["yaxis"]["title"]["text"] == "RMSE (units of y)"
    group = runtime.registry().group(group_id, poll=False)
    csv = to_csv(summary_rows(list(group.members), list(group.labels)), REGRESSION_COLUMNS)
    assert csv.splitlines()[0].split(",")[5:9] == ["final val loss", "best val loss",
                                                   "final val RMSE", "final val R²"]


def _runs_page():
    from playground.ui import shell

    shell.main(default="runs")


def test_runs_page_lists_rmse_and_r2_and_overlays_rmse_curves(clean_streamlit):
    import uuid

    from playground.config import RunConfig
    from playground.store import RunFilter
    from playground.ui.pages.runs.table import table_key

    sid = "tester-" + uuid.uuid4().hex[:8]
    base = RunConfig(dataset="plane", n_samples=200, length=100, eval_every=25)
    reg = runtime.registry()
    ids = [reg.start(c, owner=sid) for c in (base, base.replace(optimizer="sgd", lr=0.1))]
    for run_id in ids:
        reg.join(run_id, 60)
    assert runtime.store().flush()
    at = AppTest.from_function(_runs_page, default_timeout=60)
    at.session_state[state.SESSION_ID] = sid
    at.run()
    table = at.dataframe[0].value
    assert (table["val RMSE"] > 0).all() and (table["val R²"] <= 1).all()
    assert "val acc" not in table.columns and "best val acc" not in table.columns
    runs = runtime.store().list_runs(RunFilter(owner=sid))
    at.session_state[table_key(runs)] = {"selection": {"rows": [0, 1], "columns": [],
                                                       "cells": []}}
    at.run()
    assert not at.exception
    drawn = charts(at)
    assert drawn["runs_acc_chart"]["layout"]["yaxis"]["title"]["text"] == "RMSE (units of y)"
    assert len(drawn["runs_acc_chart"]["data"]) == 2


def test_inside_the_network_and_the_history_work_on_a_regression_run(clean_streamlit):
    at = finished_run({"dataset": "multigauss", "length": "200", "n_samples": "200"})
    at.toggle(key="view_inside").set_value(True).run()
    assert not at.exception
    drawn = charts(at)
    assert {"chart_network", "chart_unit_map", "chart_update_ratio"} <= set(drawn)
    names = {t["name"] for t in drawn["chart_update_ratio"]["data"]}
    assert "W3 16→1" in names                                  # the single output node
    assert [t["name"] for t in drawn["chart_unit_map"]["data"]] == ["training points"]
    from playground.training.export import history_csv

    snap = runtime.registry().snapshot(at.session_state[state.TRAIN_RUN])
    header = history_csv(snap.history["train"], snap.history["eval"]).splitlines()[0]
    assert header.endswith("val_loss,val_rmse,val_r2")


def _search_page():
    from playground.ui import shell

    shell.main(default="search")


def test_search_offers_rmse_and_r2_objectives_on_a_regression_task(clean_streamlit,
                                                                    monkeypatch):
    from playground.config import RunConfig

    monkeypatch.setenv("PLAYGROUND_SEARCH_WORKERS", "0")
    at = AppTest.from_function(_search_page, default_timeout=30)
    at.session_state[state.CONFIG] = RunConfig(dataset="sin", n_samples=200, width=8)
    at.run()
    assert not at.exception
    options = at.selectbox(key="se_objective").options
    assert "final validation RMSE" in options and "best validation R²" in options
    assert not any("accuracy" in o for o in options)


def _sweep_page():
    from playground.ui import shell

    shell.main(default="sweep")


def test_the_lr_range_test_runs_on_a_regression_task(clean_streamlit):
    from playground.config import RunConfig
    from tests.pages.test_sweep_page import _until_chart

    at = AppTest.from_function(_sweep_page, default_timeout=30)
    at.session_state[state.CONFIG] = RunConfig(dataset="plane", n_samples=300, width=8)
    at.run()
    at.number_input(key="sw_steps").set_value(60)
    at.button(key="sw_run").click().run()
    spec = _until_chart(at, "sw_chart")
    assert spec["layout"]["yaxis"]["title"]["text"] == "loss (standardised y, squared)"
    assert any(b.key == "sw_use_adam_valley" for b in at.button)
