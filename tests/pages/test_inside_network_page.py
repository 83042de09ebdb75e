"""The Train page's "Inside the network" panel, headless (AppTest)."""
import time

from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.ui import runtime, state
from tests.pages.sidebar import open_section

APP = "../../app.py"


def started(query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    reg = runtime.registry()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        snap = reg.snapshot(run_id)
        if snap.health is not None and not snap.active:
            break
        time.sleep(0.2)
    return at.run()


def test_the_panel_draws_the_diagram_maps_and_update_ratio(clean_streamlit):
    at = started({"dataset": "spiral", "length": "300"})
    assert "chart_network" not in charts(at)             # closed: costs nothing
    at.toggle(key="view_inside").set_value(True).run()
    assert not at.exception
    drawn = charts(at)
    assert {"chart_network", "chart_unit_map", "chart_update_ratio", "chart_activations",
            "chart_gradients"} <= set(drawn)
    network = drawn["chart_network"]
    # 2 inputs + 7 of 16 units ×2 layers as thumbnails
    assert len(network["layout"]["images"]) == 2 + 7 + 7
    assert any(a["text"] == "+9 more" for a in network["layout"]["annotations"])
    names = {t["name"] for t in drawn["chart_update_ratio"]["data"]}
    assert {"W1 2→16", "W2 16→16", "W3 16→3"} <= names
    at.selectbox(key="view_inside_unit").set_value((1, 2)).run()
    assert "hidden 2 unit 3" in charts(at)["chart_unit_map"]["layout"]["title"]["text"]


def test_digits_show_the_first_pixels_and_no_maps(clean_streamlit):
    at = started({"dataset": "digits", "length": "200", "width": "32", "activation": "relu"})
    at.toggle(key="view_inside").set_value(True).run()
    drawn = charts(at)
    network = drawn["chart_network"]
    assert not network["layout"].get("images")
    assert any(a["text"] == "+57 more" for a in network["layout"]["annotations"])
    assert "chart_gradients" in drawn and "chart_unit_map" not in drawn


def test_toggling_squared_features_changes_the_input_layer_and_the_url(clean_streamlit):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dataset"] = "circle"
    at.run()
    pills = at.button_group(key="cfg_features_pick")
    assert pills.value == ["x1", "x2"]
    pills.set_value(["x1", "x2", "x1sq", "x2sq"]).run()
    assert at.query_params["features"] == "x1,x2,x1sq,x2sq"
    assert at.session_state[state.CONFIG].features == "x1,x2,x1sq,x2sq"
    at.number_input(key="cfg_hidden_layers").set_value(0).run()
    open_section(at, "Training").number_input(key="cfg_length").set_value(200).run()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    runtime.registry().join(run_id, 30)
    at.run()
    at.toggle(key="view_inside").set_value(True).run()
    assert not at.exception
    network = charts(at)["chart_network"]
    titles = [a["text"] for a in network["layout"]["annotations"]]
    assert titles == ["<b>inputs</b>", "<b>outputs</b>"]          # no hidden layer at all
    assert len(network["layout"]["images"]) == 4                   # X₁, X₂, X₁², X₂² maps
    units = next(t for t in network["data"] if t["name"] == "unit")
    assert "inputs: X₁²" in units["text"][2] and "inputs: X₂²" in units["text"][3]


def test_no_input_feature_is_a_message_and_no_start(clean_streamlit):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.button_group(key="cfg_features_pick").set_value([]).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("choose at least one input feature" in e for e in errors), errors
    assert at.button(key="btn_start").disabled
