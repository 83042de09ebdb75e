"""The learning rate's two widgets (log slider, exact box) against a browser that is one
message behind (AppTest).

The race seen in Chromium: the user types 10 and presses Enter; the click on Start goes
out before the browser has drawn the rerun's slider, so it reports the slider's old 0.01
(and in the other direction, the box's old value after a slider move). The browser's
stale view is the element tree of the run *before* the edit, its widgets set to what
that browser holds: running it sends exactly what such a browser sends (the typed box,
the old slider under the key it was drawn with, the click).
"""
from streamlit.testing.v1 import AppTest

from playground.ui import runtime, state

APP = "../../app.py"


def fresh() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def lr_slider(tree):
    return next(s for s in tree.sidebar.select_slider if s.label.startswith("Learning rate"))


def lr_box(tree):
    return next(n for n in tree.sidebar.number_input if n.label == "Learning rate (exact)")


def started_lr(at) -> float:
    snap = runtime.registry().snapshot(at.session_state[state.TRAIN_RUN])
    return snap.config.lr


def test_typed_lr_survives_a_start_click_that_reports_the_old_slider(clean_streamlit):
    at = fresh()
    assert at.session_state[state.CONFIG].lr == 0.01
    stale = at.button(key="btn_start")          # the browser's view of this run
    old_slider = lr_slider(at)
    lr_box(at).set_value(10.0).run()            # Enter: the server's rerun
    assert lr_slider(at).value == 10.0          # the server drew the slider at 10, but
    old_slider.set_value(0.01)                  # the browser has not seen it yet
    at = stale.click().run()                    # Start, with the stale slider
    assert not at.exception
    assert started_lr(at) == 10.0
    assert at.session_state[state.CONFIG].lr == 10.0 and at.query_params["lr"] == "10"
    assert lr_box(at).value == 10.0 and lr_slider(at).value == 10.0
    for _ in range(2):                          # more stale reports (fragment reruns)
        at = stale.root.run()
        assert at.session_state[state.CONFIG].lr == 10.0
        assert lr_box(at).value == 10.0 and lr_slider(at).value == 10.0


def test_slider_lr_survives_a_start_click_that_reports_the_old_box(clean_streamlit):
    at = fresh()
    stale = at.button(key="btn_start")
    old_box = lr_box(at)
    lr_slider(at).set_value(0.1).run()          # the user drags the slider to 0.1
    assert lr_box(at).value == 0.1              # the box follows on the server, but
    old_box.set_value(0.01)                     # the browser still shows 0.01
    at = stale.click().run()                    # Start: slider 0.1, box still 0.01
    assert not at.exception
    assert started_lr(at) == 0.1
    assert lr_box(at).value == 0.1 and lr_slider(at).value == 0.1
    for _ in range(2):
        at = stale.root.run()
        assert at.session_state[state.CONFIG].lr == 0.1


def test_either_widget_still_sets_the_lr_and_the_other_follows(clean_streamlit):
    at = fresh()
    lr_box(at).set_value(0.012).run()
    assert lr_slider(at).value == 0.01          # snaps to the nearest mark
    assert at.session_state[state.CONFIG].lr == 0.012
    lr_slider(at).set_value(0.3).run()
    assert lr_box(at).value == 0.3 and at.session_state[state.CONFIG].lr == 0.3
    lr_box(at).set_value(0.01).run()            # back to the value the box had before
    assert at.session_state[state.CONFIG].lr == 0.01 and lr_slider(at).value == 0.01
    lr_slider(at).set_value(0.3).run()          # and to the slider's earlier value
    assert at.session_state[state.CONFIG].lr == 0.3
    at.button(key="btn_start").click().run()
    assert started_lr(at) == 0.3
