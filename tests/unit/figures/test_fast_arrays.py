"""The house template and the numpy fast path change how fast figures are built, never
what they are."""
import plotly.graph_objects as go
import plotly.io as pio

from playground.figures import fast_arrays, template
from playground.figures.curves import Curve, loss_figure
from playground.figures.wire import to_wire
from playground.training.history import History


def _curve():
    h = History()
    for i in range(500):
        h.train.append((i + 1, i / 10, 32 * i, 0.01 * i), (1.0 / (1 + i), 0.01))
        if i % 25 == 0:
            h.evals.append((i + 1, i / 10, 32 * i, 0.01 * i), (1.1 / (1 + i), 0.5))
    view = h.view()
    return Curve("Adam", "#D55E00", view["train"], view["eval"])


def test_figures_are_the_same_with_and_without_the_numpy_fast_path():
    curve = _curve()
    fast = to_wire(loss_figure([curve], "step", 0.8))
    fast_arrays.uninstall()
    try:
        plain = to_wire(loss_figure([curve], "step", 0.8))
    finally:
        fast_arrays.install()
    assert fast == plain


def test_other_inputs_still_go_through_plotly_and_narwhals():
    import pandas as pd

    fig = go.Figure(go.Scatter(x=pd.Series([1.0, 2.0]), y=[3, 4]))
    assert list(fig.data[0].x) == [1.0, 2.0] and list(fig.data[0].y) == [3, 4]


def test_the_house_template_keeps_the_default_look_for_every_trace_it_draws():
    loss_figure([_curve()], "step", 0.8)           # every figure makes it the default
    assert pio.templates.default == template.NAME
    full = pio.templates[template.derived_from()].to_plotly_json()
    lean = pio.templates[template.NAME].to_plotly_json()
    for trace in template.TRACES:
        assert lean["data"].get(trace) == full["data"].get(trace), trace
    for key, value in lean["layout"].items():
        assert full["layout"][key] == value, key
    assert set(full["layout"]) - set(lean["layout"]) <= set(template.UNUSED_LAYOUT)


def test_a_default_set_later_by_another_library_is_cut_down_again():
    before = template.derived_from()
    pio.templates.default = "plotly"               # what importing Streamlit does
    try:
        loss_figure([_curve()], "step", 0.8)
        assert pio.templates.default == template.NAME
        assert template.derived_from() == "plotly"
    finally:
        pio.templates.default = before             # cut from the same one as before
        template.install()
