"""Your table on the pages (AppTest): uploads through the sidebar's uploader, each bad
one named next to its control while the app keeps running; a run on an upload trains,
is stored with the upload's key and runs again; a link to an upload this server never
had says so."""
from __future__ import annotations

import time
import uuid

from streamlit.testing.v1 import AppTest

from playground.config import RunConfig
from playground.data import user_data
from playground.store import RunFilter
from playground.ui import runtime, state
from playground.ui.pages.runs.table import table_key
from tests.pages.charts import charts
from tests.pages.sidebar import open_section

APP = "../../app.py"
GOOD = b"size,weight,kind\n" + b"".join(
    f"{i % 10},{(i * 7) % 13},{'cat' if i % 10 < 5 else 'dog'}\n".encode() for i in range(120))


def fresh(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in {"dataset": "table", **(query or {})}.items():
        at.query_params[k] = v
    return at.run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="tbl_upload").set_value((name, data, "text/csv"))
    return at.run()


def errors(at) -> list[str]:
    return [e.value.replace("\\", "") for e in at.error]   # shown Markdown-escaped


def test_iris_is_the_default_table_with_its_pickers_and_class_balance(clean_streamlit):
    at = fresh()
    assert not at.exception and not errors(at)
    labels = {s.label: s.value for s in at.selectbox}
    assert labels["Table"] == "iris" and labels["Label (what to predict)"] == "species"
    assert at.multiselect[0].value == ["sepal length (cm)", "sepal width (cm)",
                                       "petal length (cm)", "petal width (cm)"]
    drawn = charts(at)
    assert drawn["chart_table_balance"]["data"][0]["x"] == [50, 50, 50]
    assert any("training split's mean and standard deviation" in c.value for c in at.caption)


def test_an_upload_becomes_the_table_and_its_key_goes_into_the_link(clean_streamlit):
    at = upload(fresh(), "pets.csv", GOOD)
    assert not at.exception and not errors(at)
    key = user_data.content_key(GOOD)
    assert at.session_state["cfg_table"] == key and at.query_params["table"] == key
    assert at.session_state[state.CONFIG].table == key
    assert {s.label: s.value for s in at.selectbox}["Label (what to predict)"] == "kind"


def test_a_wrong_delimiter_is_named_and_the_app_keeps_running(clean_streamlit):
    at = upload(fresh(), "spaces.csv", b"a b c\n1 2 3\n4 5 6\n")
    assert not at.exception
    assert any("only one column was found" in e for e in errors(at))
    assert at.button(key="btn_start").disabled
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Table")).set_value("wine")
    at.run()
    assert not at.exception and not errors(at)          # an example gets the app back


def test_a_file_without_header_and_binary_junk_are_named(clean_streamlit):
    at = upload(fresh(), "numbers.csv", b"1,2,3\n4,5,6\n")
    assert not at.exception and any("looks like data" in e for e in errors(at))
    at = upload(at, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not at.exception and any("not a text table" in e for e in errors(at))


def test_formula_cells_are_flagged_as_text(clean_streamlit):
    data = GOOD + b'=HYPERLINK("http://evil"),3,cat\n'
    at = upload(fresh(), "evil.csv", data)
    assert not at.exception
    assert any("spreadsheet formula" in w.value for w in at.warning)


def test_a_text_label_for_regression_and_missing_rows_are_named_then_fixed(clean_streamlit):
    holes = GOOD + b"3,,dog\n,,cat\n"
    at = upload(fresh(), "holes.csv", holes)
    assert any("2 of 122 rows have a missing value" in e for e in errors(at))
    at.checkbox[0].check().run()
    assert not at.exception and not errors(at)
    assert at.session_state[state.CONFIG].drop_missing == 1
    at.radio[0].set_value("regression").run()
    assert any("regression needs a numeric label" in e for e in errors(at))


def test_a_link_to_an_upload_this_server_does_not_have_says_so(clean_streamlit):
    at = fresh({"table": "0123456789abcdef"})
    assert not at.exception
    assert any("is not on this server" in e for e in errors(at))


def test_a_run_on_an_upload_trains_is_stored_and_runs_again(clean_streamlit):
    sid = "table-" + uuid.uuid4().hex[:6]
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[state.SESSION_ID] = sid
    at.query_params["dataset"] = "table"
    at = upload(at.run(), "pets.csv", GOOD)
    open_section(at, "Training").number_input(key="cfg_length").set_value(200).run()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    runtime.registry().join(run_id, 60)
    time.sleep(0.2)
    at.run()
    assert not at.exception and "chart_model" in charts(at)     # the confusion matrix
    assert runtime.store().flush()
    stored = runtime.store().get_run(run_id)
    assert stored.config["table"] == user_data.content_key(GOOD)
    runs = runtime.store().list_runs(RunFilter(owner=sid))

    def runs_page():
        from playground.ui import shell
        shell.main(default="runs")

    page = AppTest.from_function(runs_page, default_timeout=60)
    page.session_state[state.SESSION_ID] = sid
    page.session_state[table_key(runs)] = {"selection": {"rows": [0], "columns": [],
                                                         "cells": []}}
    page.run()
    page.button(key="runs_again").click().run()
    assert not page.exception and page.title[0].value == "Train"
    config = page.session_state[state.CONFIG]
    assert config.table == user_data.content_key(GOOD) and not config.validate()
    assert isinstance(config, RunConfig)


def test_copy_as_pytorch_reads_the_uploaded_file_by_its_name(clean_streamlit):
    from playground.ui.widgets.code_export import open_key

    at = upload(fresh(), "pets.csv", GOOD)
    at.session_state[open_key("train")] = True
    at.run()
    assert not at.exception
    script = at.code[0].value
    assert "DATA_FILE = Path('pets.csv')" in script and "LABEL = 'kind'" in script
    assert any("pets.csv" in i.value for i in at.info)
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Table")).set_value(
        "diabetes").run()
    assert not at.exception and not at.code
    assert any("classification tables only" in i.value for i in at.info)


def test_an_lr_sweep_runs_on_an_uploaded_table(clean_streamlit):
    key = user_data.put(GOOD)

    def sweep_page():
        from playground.ui import shell
        shell.main(default="sweep")

    at = AppTest.from_function(sweep_page, default_timeout=60)
    at.session_state[state.CONFIG] = RunConfig(dataset="table", table=key,
                                               label_column="kind")
    at.run()
    at.button(key="sw_run").click().run()
    deadline = time.monotonic() + 60
    while "sw_chart" not in charts(at) and time.monotonic() < deadline:
        assert not at.exception
        time.sleep(0.2)
        at.run()
    assert "sw_chart" in charts(at) and not at.exception


def test_another_table_or_label_resets_what_belongs_to_the_old_one(clean_streamlit):
    at = upload(fresh(), "pets.csv", GOOD)
    features = at.multiselect[0]
    features.set_value(["size"]).run()
    assert at.session_state[state.CONFIG].feature_columns == "size"
    label = next(s for s in at.selectbox if s.label == "Label (what to predict)")
    label.set_value("size").run()                  # the label leaves the features
    assert at.session_state[state.CONFIG].feature_columns == ""
    assert not errors(at)
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Table")).set_value("iris")
    at.run()
    config = at.session_state[state.CONFIG]
    assert (config.table, config.label_column, config.feature_columns) == ("iris", "", "")
    assert not errors(at)
