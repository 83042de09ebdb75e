"""Draw your own on the Train page, headless: a link's points drawn, Undo and Clear,
copying a generated set in, bad links explained, and a run drawn over the points."""
import base64
import time

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.data import drawn_points
from playground.ui import state
from tests.pages.charts import charts

APP = "../../app.py"
XY = np.array([[-1, -1], [-0.8, -0.9], [-1.1, -0.7], [-0.6, -1.2], [1, 1], [0.9, 0.8],
               [1.2, 0.9], [0.7, 1.1], [0.0, -0.3], [0.2, 0.4]])
LABELS = np.array([0, 0, 0, 0, 1, 1, 1, 1, 0, 1])


def opened(points: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in {"dataset": "draw", "points": points, "batch_size": "0", **query}.items():
        at.query_params[k] = v
    return at.run()


def marks(fig: dict) -> int:
    """Points drawn (plotly sends numpy arrays as typed arrays: base64 "bdata")."""
    def count(x):
        if isinstance(x, dict):
            return len(base64.b64decode(x["bdata"])) // np.dtype(x["dtype"]).itemsize
        return len([v for v in x if v is not None])
    return sum(count(t["x"]) for t in fig["data"])


def drawn_on_canvas(at) -> int:
    return marks(charts(at)["draw_canvas"])


def canvas_caption(at) -> str:
    return next(c.value for c in at.caption if "points**" in c.value)


def test_a_link_with_points_draws_them_and_says_they_travel_in_it(clean_streamlit):
    at = opened(drawn_points.encode(XY, LABELS))
    assert not at.exception and not at.error
    assert drawn_on_canvas(at) == 10
    said = canvas_caption(at)
    assert "**10 points** (class 0: 5, class 1: 5)" in said and "in the link" in said
    assert "7 training, 2 validation, 1 test" in said
    assert at.slider(key="cfg_label_noise").value == 0.0
    assert not at.button(key="btn_start").disabled


def test_clear_empties_the_drawing_and_the_link_and_undo_brings_it_back(clean_streamlit):
    text = drawn_points.encode(XY, LABELS)
    at = opened(text)
    at.button(key="draw_clear").click().run()
    assert drawn_on_canvas(at) == 0 and "points" not in at.query_params
    assert at.button(key="btn_start").disabled            # nothing to train on
    assert at.session_state[state.CONFIG].points == ""
    at.button(key="draw_undo_btn").click().run()
    assert drawn_on_canvas(at) == 10 and at.query_params["points"] == text
    assert at.session_state[state.CONFIG].points == text
    assert at.button(key="draw_undo_btn").disabled        # the undo itself is not undoable


def test_a_generated_set_copied_in_and_a_big_one_kept_on_the_server(clean_streamlit):
    at = opened("")
    at.selectbox(key="draw_source").set_value("moons")
    at.number_input(key="draw_per_class").set_value(40)
    at.button(key="draw_copy_in").click().run()
    assert drawn_on_canvas(at) == 80 and "in the link" in canvas_caption(at)
    at.number_input(key="draw_per_class").set_value(250)
    at.button(key="draw_copy_in").click().run()
    assert drawn_on_canvas(at) == 500
    assert "kept on this server" in canvas_caption(at)
    assert at.query_params["points"].startswith("h:")
    assert not at.button(key="btn_start").disabled


def test_a_malformed_link_names_the_field_and_the_page_keeps_working(clean_streamlit):
    at = opened("v1.AB$")
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Drawn points" in shown and "only base64url letters" in shown
    assert drawn_on_canvas(at) == 0                       # a blank canvas to start again


def test_a_link_naming_a_set_this_server_lacks_says_so(clean_streamlit):
    at = opened("h:00000000deadbeef")
    assert not at.exception
    assert "not on this server" in " ".join(e.value for e in at.error)


def test_a_run_on_a_drawing_draws_its_boundary_over_the_same_points(clean_streamlit):
    at = opened(drawn_points.encode(XY, LABELS), length="200")
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    assert run_id
    for _ in range(40):
        time.sleep(0.3)
        at.run()
        if "chart_model" in charts(at):
            break
    fig = charts(at)["chart_model"]
    assert fig["layout"]["images"], "the boundary is drawn under the points"
    assert marks(fig) == 10
    assert fig["layout"]["xaxis"]["range"] == [-1.5, 1.5]
    assert any(e.label.startswith("Edit your points") for e in at.expander)


def test_label_noise_is_a_sidebar_setting_of_every_2d_set(clean_streamlit):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dataset"] = "moons"
    at.run()
    at.slider(key="cfg_label_noise").set_value(0.2).run()
    assert at.session_state[state.CONFIG].label_noise == 0.2
    assert at.query_params["label_noise"] == "0.2"


def test_a_locked_classroom_link_shows_the_points_but_not_the_pen(clean_streamlit):
    at = opened(drawn_points.encode(XY, LABELS), lock="1")
    assert not at.exception and drawn_on_canvas(at) == 10
    assert at.button(key="draw_clear").disabled
    assert not [b for b in at.button if b.key == "draw_copy_in"]


def test_copy_as_pytorch_carries_the_drawn_points(clean_streamlit):
    from playground.ui.pages.train.code import KEY_PREFIX
    from playground.ui.widgets.code_export import open_key

    at = opened(drawn_points.encode(XY, LABELS), label_noise="0.1")
    at.session_state[open_key(KEY_PREFIX)] = True        # the click that opens it
    at.run()
    assert not at.exception
    script = at.code[0].value
    assert "The data: your 10 drawn points" in script and "POINTS = (" in script
    assert "LABEL_NOISE = 0.1" in script
