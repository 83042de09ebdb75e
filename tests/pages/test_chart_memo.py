"""A chart is rebuilt only when what it shows changed (widgets/chart_memo.py); the Train
page's live charts follow the rule: new points come with the charts' own poll."""
from __future__ import annotations

import base64
import time

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.ui import runtime, state
from tests.pages.charts import charts


def _one_chart():
    import plotly.graph_objects as go
    import streamlit as st

    from playground.ui.widgets.chart_memo import memo_chart

    asked = st.session_state["asked"]
    builds = st.session_state.setdefault("builds", [])

    def build():
        builds.append(asked["version"])
        return go.Figure(go.Scatter(x=[0, 1], y=[0, asked["version"]]),
                         layout=dict(xaxis_title="step", yaxis_title="loss (nats)"))

    memo_chart("chart_one", build, (asked["identity"],), (asked["version"],),
               asked["new_points"])


def last_step(fig: dict) -> float:
    """The largest step a figure's traces reach (typed arrays decoded)."""
    def values(x):
        if isinstance(x, dict):
            return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"])
        return np.asarray(x, dtype=float)
    return max(float(values(t["x"]).max()) for t in fig["data"] if t.get("x") is not None
               and len(values(t["x"])))


def drawn(at, identity: str, version: int, new_points: bool) -> float:
    at.session_state["asked"] = {"identity": identity, "version": version,
                                 "new_points": new_points}
    at.run()
    assert not at.exception
    return charts(at)["chart_one"]["data"][0]["y"][-1]


def test_a_chart_is_rebuilt_only_when_what_it_shows_changed(clean_streamlit):
    at = AppTest.from_function(_one_chart, default_timeout=30)
    assert drawn(at, "run a", 1, new_points=True) == 1
    assert drawn(at, "run a", 1, new_points=True) == 1          # same data: kept
    assert drawn(at, "run a", 2, new_points=False) == 1         # not its poll: kept
    assert drawn(at, "run a", 2, new_points=True) == 2          # its poll: new points
    assert drawn(at, "run b", 2, new_points=False) == 2         # another run: rebuilt
    assert drawn(at, "run a", 2, new_points=False) == 2         # and back again
    assert at.session_state["builds"] == [1, 2, 2, 2]


def test_whole_page_reruns_keep_the_live_charts_and_a_pause_redraws_them(clean_streamlit):
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.query_params["dataset"] = "spiral"
    at.query_params["length"] = "100000"
    at.run()
    at.button(key="btn_start").click().run()
    run_id = at.session_state[state.TRAIN_RUN]
    reg = runtime.registry()
    time.sleep(1.0)
    at.run()
    first = charts(at)
    assert set(first) == {"chart_loss", "chart_model", "chart_acc", "chart_lr"}
    shown_step = last_step(first["chart_loss"])
    time.sleep(1.0)
    at.run()                            # a whole-page rerun (a sidebar change, say)
    assert reg.snapshot(run_id).step > shown_step + 10    # the run went on …
    again = charts(at)
    assert again["chart_loss"] == first["chart_loss"]     # … the charts wait for their poll
    assert again["chart_lr"] == first["chart_lr"]
    at.button(key="btn_pause").click().run()
    paused = reg.snapshot(run_id)
    at.run()
    # Paused, nothing polls the charts: they are drawn where the run stopped.
    loss = charts(at)["chart_loss"]
    assert last_step(loss) == paused.step > shown_step
    reg.stop(run_id)


def _compare():
    from playground.ui import shell

    shell.main(default="compare")


def test_compare_keeps_its_charts_on_whole_page_reruns_and_ends_on_the_last_step(clean_streamlit):
    from playground.config import RunConfig

    at = AppTest.from_function(_compare, default_timeout=60)
    at.session_state[state.CONFIG] = RunConfig(dataset="gauss", n_samples=300, length=100_000,
                                               eval_every=50)
    at.run()
    at.button(key="cmp_start").click().run()
    reg = runtime.registry()
    group_id = at.session_state[state.COMPARE_GROUP]
    time.sleep(1.0)
    at.run()
    first = charts(at)["cmp_loss_chart"]
    time.sleep(0.5)
    at.run()                                    # a whole-page rerun while the group trains
    group = reg.group(group_id, poll=False)
    assert group.active and min(s.step for s in group.members) > 100
    assert charts(at)["cmp_loss_chart"] == first      # new points wait for the poll
    for run_id in group.run_ids:
        reg.stop(run_id)
        reg.join(run_id, 30)
    ended = reg.group(group_id, poll=False)
    at.run()                                    # ended: drawn where the runs stopped
    assert last_step(charts(at)["cmp_loss_chart"]) == max(s.step for s in ended.members)
