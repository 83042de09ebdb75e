"""The Train page's "Inside the network" panel, headless (AppTest)."""
import time

from streamlit.testing.v1 import AppTest

from tests.pages.charts import charts
from playground.ui import runtime, state

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
